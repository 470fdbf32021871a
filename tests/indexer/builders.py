"""Mentions for store tests, built from the few fields each test cares about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from groundswell.records import Author, EnrichedMention, Metrics, Sentiment, SentimentLabel, TopicRef

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def mention(
    native_id: str,
    text: str,
    *,
    at: datetime | timedelta = timedelta(0),
    source: str = "x",
    lang: str | None = "en",
    handle: str | None = None,
    followers: int | None = None,
    metrics: Metrics | None = None,
    brands: tuple[str, ...] = (),
    sentiment: float | None = None,
    topic: int | None = None,
    touchpoints: tuple[str, ...] = (),
    entities: tuple[str, ...] = (),
    fetched: datetime | None = None,
    raw: dict[str, Any] | None = None,
) -> EnrichedMention:
    """A mention built from the few fields a test cares about; times default relative to T0."""
    created = T0 + at if isinstance(at, timedelta) else at
    label = None
    if sentiment is not None:
        label = Sentiment(
            label=SentimentLabel.NEGATIVE
            if sentiment < -0.2
            else SentimentLabel.POSITIVE
            if sentiment > 0.2
            else SentimentLabel.NEUTRAL,
            score=sentiment,
            confidence=0.9,
        )
    return EnrichedMention(
        id=f"{source}:{native_id}",
        source=source,
        native_id=native_id,
        text=text,
        created_at=created,
        fetched_at=fetched or created + timedelta(minutes=5),
        lang=lang,
        author=Author(id=f"u-{handle or native_id}", handle=handle, followers=followers),
        metrics=metrics or Metrics(),
        brands=list(brands),
        sentiment=label,
        topic=TopicRef(id=topic, label=f"topic {topic}") if topic is not None else None,
        touchpoints=list(touchpoints),
        entities=list(entities),
        raw=raw,
    )

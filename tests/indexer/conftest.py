"""Backend fixtures for the store conformance suite: every backend runs the same tests.

SQLite runs everywhere on a tmp_path file. Elasticsearch runs only when GROUNDSWELL_ES_URL
points at a live cluster (credentials from GROUNDSWELL_ES_API_KEY or GROUNDSWELL_ES_PASSWORD);
each test gets its own index prefix and deletes its indices afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from groundswell.records import Author, EnrichedMention, Metrics, Sentiment, SentimentLabel, TopicRef
from indexer.base import Store
from indexer.sqlite import SQLiteStore

BACKENDS = ["sqlite_store", "es_store"]
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
        raw=raw,
    )


@pytest.fixture
def sqlite_store(tmp_path: Any) -> Iterator[Store]:
    store = SQLiteStore(tmp_path / "store.db")
    yield store
    store.close()


@pytest.fixture
def es_store() -> Iterator[Store]:
    url = os.environ.get("GROUNDSWELL_ES_URL")
    if not url:
        pytest.skip("Elasticsearch conformance needs a live cluster: set GROUNDSWELL_ES_URL to run it")
    from indexer.elasticsearch import ElasticsearchStore

    store = ElasticsearchStore(
        url=url,
        index_prefix=f"gs-test-{uuid.uuid4().hex[:12]}",
        api_key=os.environ.get("GROUNDSWELL_ES_API_KEY"),
        username=os.environ.get("GROUNDSWELL_ES_USERNAME"),
        password=os.environ.get("GROUNDSWELL_ES_PASSWORD"),
        ca_certs=os.environ.get("GROUNDSWELL_ES_CA_CERTS"),
        refresh=True,
    )
    try:
        yield store
    finally:
        store.drop()
        store.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Store:
    """The backend under test, by fixture name (BERTopic's `request.getfixturevalue` pattern)."""
    return request.getfixturevalue(request.param)

"""Synthetic complaint streams for detector tests: Poisson posts with a daily rhythm, plus bursts.

Real SQLite stores, no mocks: the detector only sees what a real pipeline would have indexed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from groundswell.records import Author, EnrichedMention, Sentiment, SentimentLabel

START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
WORDS = [f"w{i:03d}" for i in range(400)]


def rhythm(t: datetime) -> float:
    """Mean 1: quiet at night (UTC 18-24), busy in the afternoon."""
    hour = t.hour + t.minute / 60
    return 1.0 + 0.8 * math.sin(2 * math.pi * (hour - 6) / 24)


def _mention(
    i: str,
    brand: str,
    t: datetime,
    words: list[str],
    negative: bool,
    author: str,
    touchpoints: list[str] | None = None,
) -> EnrichedMention:
    label = SentimentLabel.NEGATIVE if negative else SentimentLabel.POSITIVE
    return EnrichedMention(
        id=f"syn:{i}",
        source="syn",
        native_id=i,
        text=" ".join(words),
        created_at=t,
        fetched_at=t,
        brands=[brand],
        author=Author(id=author, followers=100),
        sentiment=Sentiment(label=label, score=-0.8 if negative else 0.7, confidence=0.9),
        touchpoints=touchpoints or [],
    )


def steady(
    rng: random.Random, brands: list[str], days: float, per_hour: float, neg_share: float = 0.4
) -> list[EnrichedMention]:
    """Background chatter: thinned Poisson process with the daily rhythm, Zipf-ish words."""
    out: list[EnrichedMention] = []
    weights = [1 / (r + 1) for r in range(len(WORDS))]
    for brand in brands:
        t, end = START, START + timedelta(days=days)
        peak = per_hour * 1.8
        while True:
            t += timedelta(hours=rng.expovariate(peak))
            if t >= end:
                break
            if rng.random() > rhythm(t) / 1.8:
                continue
            words = rng.choices(WORDS, weights, k=6)
            out.append(
                _mention(
                    f"{brand}-{len(out)}",
                    brand,
                    t,
                    words,
                    rng.random() < neg_share,
                    f"u{rng.randrange(10**6)}",
                )
            )
    return out


def burst(
    rng: random.Random,
    brand: str,
    onset: datetime,
    n: int = 40,
    efold_min: float = 30.0,
    hours: float = 2.0,
    theme: Callable[[int], list[str]] = lambda k: ["battery", "overheating"],
    touchpoints: tuple[str, ...] = ("product_quality",),
) -> list[EnrichedMention]:
    """n complaints, the k-th saying `theme(k)` (by default all 'battery overheating'), cumulative
    count growing e-fold every efold_min."""
    total = math.exp(hours * 60 / efold_min) - 1
    out = []
    for k in range(n):
        # invert N(t) = n * (exp(t/efold)-1)/total at N = k + 0.5 (deterministic, evenly spread quantiles)
        minutes = efold_min * math.log(1 + (k + 0.5) / n * total)
        words = [*theme(k), *rng.choices(WORDS[:50], k=3)]
        t = onset + timedelta(minutes=minutes)
        out.append(_mention(f"burst-{brand}-{k}", brand, t, words, True, f"b{k}", list(touchpoints)))
    return out

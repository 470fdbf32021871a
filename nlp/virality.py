"""How fast a post or a complaint cluster spreads, and one documented spread-risk score.

Per post (`post_virality`): engagement velocity and acceleration from repeated observations of
the same post (`Store.metrics_history`), author reach, share/reply ratio (shares carry a post to
new audiences; replies mostly stay in the thread). Enrichment stores them with the post
(`with_virality`); the detector reads the stored velocity back (`engagement_velocities`).

Per cluster (`cluster_signals`): growth against the cluster's own baseline, unique authors,
number of sources, reach-weighted negativity, near-duplicate (coordinated) posting, and the
acceleration inside the window. `spread_risk` folds them into [0, 1]; docs/detection.md explains
the weights. Every component is bounded so that no single signal (a celebrity account, one
bot farm) can make the score 1 on its own.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from groundswell.records import EnrichedMention, MetricsObservation, Virality
from groundswell.terms import terms_of

# weights of spread_risk; they sum to 1 (see docs/detection.md)
W_GROWTH, W_AUTHORS, W_SOURCES, W_REACH, W_NEGATIVITY, W_ACCEL, W_ENGAGEMENT = (
    0.25,
    0.2,
    0.15,
    0.1,
    0.1,
    0.1,
    0.1,
)
DUPLICATE_JACCARD = 0.8  # two posts sharing this share of their terms are near-duplicates


def post_virality(mention: EnrichedMention, history: Sequence[MetricsObservation] = ()) -> Virality:
    """Signals of one post; `history` is Store.metrics_history(mention.id), oldest first."""
    velocity = acceleration = 0.0
    points = [(o.observed_at.timestamp(), o.metrics.engagement) for o in history]
    if len(points) >= 2:
        velocity = _rate(points[-2], points[-1])
    if len(points) >= 3:
        before = _rate(points[-3], points[-2])
        span_h = max((points[-1][0] - points[-3][0]) / 7200.0, 1e-6)  # mid-point to mid-point
        acceleration = (velocity - before) / span_h
    m = mention.metrics
    return Virality(
        engagement_velocity=velocity,
        engagement_acceleration=acceleration,
        reach=mention.author.followers or 0,
        share_reply_ratio=m.shares / max(1, m.replies),
        observations=len(points),
    )


def _rate(a: tuple[float, int], b: tuple[float, int]) -> float:
    hours = (b[0] - a[0]) / 3600.0
    return (b[1] - a[1]) / hours if hours > 0 else 0.0


@dataclass(frozen=True)
class ClusterSignals:
    posts: int
    unique_authors: int
    sources: int
    reach: int  # sum of author followers
    negativity: float  # reach-weighted mean of -sentiment score, in [0, 1]
    duplicate_share: float  # share of posts that are near-duplicates of another post
    growth: float  # observed / expected in the detection window
    acceleration: float  # posts in the newer half of the window / posts in the older half
    engagement_velocity: float  # summed engagement per hour of the observed posts

    @property
    def coordinated(self) -> bool:
        """Many near-identical posts from few authors: amplification, maybe not organic."""
        return self.duplicate_share >= 0.5 and self.unique_authors < self.posts


def cluster_signals(
    posts: Sequence[EnrichedMention],
    growth: float,
    window_start: float,
    window_end: float,
    velocities: Sequence[float] = (),
) -> ClusterSignals:
    authors = {p.author.id or p.author.handle or p.id for p in posts}
    reach = sum(p.author.followers or 0 for p in posts)
    weights = [1.0 + (p.author.followers or 0) for p in posts]
    negs = [max(0.0, -(p.sentiment.score if p.sentiment else 0.0)) for p in posts]
    negativity = sum(w * n for w, n in zip(weights, negs, strict=True)) / max(sum(weights), 1e-9)
    middle = (window_start + window_end) / 2
    newer = sum(1 for p in posts if p.created_at.timestamp() >= middle)
    older = sum(1 for p in posts if window_start <= p.created_at.timestamp() < middle)
    return ClusterSignals(
        posts=len(posts),
        unique_authors=len(authors),
        sources=len({p.source for p in posts}),
        reach=reach,
        negativity=min(1.0, negativity),
        duplicate_share=duplicate_share(posts),
        growth=growth,
        acceleration=(newer + 0.5) / (older + 0.5),
        engagement_velocity=sum(max(0.0, v) for v in velocities),
    )


@lru_cache(maxsize=20_000)
def _term_set(text: str) -> frozenset[str]:
    """Remembered: the detector asks again for the same incident's posts on every update."""
    return frozenset(terms_of(text))


def duplicate_share(posts: Sequence[EnrichedMention]) -> float:
    """Share of posts whose term set nearly equals another's (copy-paste campaigns, retweets).

    Exact copies are counted in one pass; a pair whose sizes differ by more than the Jaccard bound
    allows (|a & b| / |a | b| <= min / max) is never compared."""
    sets = [_term_set(p.text) for p in posts[:200]]
    copies = Counter(sets)
    dup = 0
    for i, a in enumerate(sets):
        if not a:
            continue
        if copies[a] > 1:
            dup += 1
            continue
        for j, b in enumerate(sets):
            if i == j or not b or min(len(a), len(b)) < DUPLICATE_JACCARD * max(len(a), len(b)):
                continue
            if len(a & b) / len(a | b) >= DUPLICATE_JACCARD:
                dup += 1
                break
    return dup / len(sets) if sets else 0.0


def _squash(value: float, full: float) -> float:
    """log-scaled to [0, 1]: 0 at 0, 1 at `full` and beyond."""
    return min(1.0, math.log1p(max(0.0, value)) / math.log1p(full))


def spread_risk(s: ClusterSignals) -> float:
    """Weighted sum of bounded signals, in [0, 1]; near-duplicates count half (see docs/detection.md)."""
    organic = 1.0 - 0.5 * s.duplicate_share
    score = (
        W_GROWTH * _squash(s.growth - 1.0, 30.0)
        + W_AUTHORS * _squash(s.unique_authors * organic, 50.0)
        + W_SOURCES * min(1.0, (s.sources - 1) / 3.0)
        + W_REACH * _squash(s.reach, 1_000_000.0)
        + W_NEGATIVITY * s.negativity
        + W_ACCEL * _squash(s.acceleration - 1.0, 4.0)
        + W_ENGAGEMENT * _squash(s.engagement_velocity, 5_000.0)
    )
    return round(max(0.0, min(1.0, score)), 3)


def with_virality(store: Any, mentions: Sequence[EnrichedMention]) -> list[EnrichedMention]:
    """Fill `virality` from each post's history plus the observation this batch carries.

    Enrichment runs before the batch is written, and the store's upsert is the one owner of the
    metrics-history write; so the current counters are added here as the store will record them
    (a new observation when they changed), or velocity would lag one observation behind. All
    histories come from one `metrics_histories` read per batch (the newest three observations
    of each post, all that velocity and acceleration use), not one read per post.
    """
    histories = store.metrics_histories([m.id for m in mentions], last=3)  # all post_virality uses
    return [
        m.model_copy(update={"virality": post_virality(m, with_current(histories.get(m.id, []), m))})
        for m in mentions
    ]


def engagement_velocities(store: Any, mentions: Sequence[EnrichedMention]) -> list[float]:
    """Engagement per hour of each post: the velocity enrichment stored with it (computed with the
    observation it carries, which is the newest the store has, since each upsert stores both), or,
    for posts stored without one (`observations == 0`), from one `metrics_histories` read for all.
    """
    missing = [m.id for m in mentions if m.virality.observations == 0]
    histories = store.metrics_histories(missing, last=3) if missing else {}
    return [
        m.virality.engagement_velocity
        if m.virality.observations
        else post_virality(m, with_current(histories.get(m.id, []), m)).engagement_velocity
        for m in mentions
    ]


def with_current(history: Sequence[MetricsObservation], m: EnrichedMention) -> list[MetricsObservation]:
    """`history` with `m`'s counters as the store records them: only when they changed."""
    if history and history[-1].metrics == m.metrics:
        return list(history)
    current = MetricsObservation(mention_id=m.id, observed_at=m.fetched_at, metrics=m.metrics)
    by_time = {o.observed_at: o for o in history} | {current.observed_at: current}
    return [by_time[t] for t in sorted(by_time)]

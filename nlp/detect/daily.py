"""Day-granularity sources: posts that carry a date but no time (app-store and review-site reviews).

Such a source stamps every post of a day 00:00:00. Tested on the hourly path, a whole day of
reviews lands in one 15-minute window against an expectation of "0.0" and fires (issue #14: 7 of 8
alerts in the first two days of a review set). Here:

* the granularity is learnt from the data, per source: a source with at least `MIN_SEEN` posts of
  which `MIDNIGHT_SHARE` carry the same time of day, on a quarter hour (00:00 UTC, or 15:00 UTC
  for a date stored as midnight in Seoul), is a day source (`Granularity`);
* a day source's posts leave the hourly path and are tested once per completed day, per brand,
  on a daily window: each key's distinct authors that day against ``share(key) x complaints
  expected that day`` (the same gamma-Poisson test, `nlp.detect.stats.surprise`), with the same
  clusters, incidents and alerts as the hourly path;
* the warm-up is counted in *observed days* (days on which the brand's day sources brought posts,
  `WARMUP_DAYS`), not in hours of clock time, so sparse review data neither floods the detector in
  its first days nor waits forever.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from groundswell.indexer.base import MentionQuery, Store
from groundswell.nlp.detect.baseline import BrandBaseline
from groundswell.nlp.detect.clusters import KeyHit, build_clusters
from groundswell.nlp.detect.keys import Post
from groundswell.nlp.detect.stats import surprise
from groundswell.records import DAY_S as DAY
from groundswell.records import Alert

if TYPE_CHECKING:
    from groundswell.nlp.detect.detector import Detector

MIDNIGHT_SHARE = 0.9  # of a source's posts stamped at one time of day for it to be a day source
QUARTER = 900.0  # every time zone's midnight falls on a quarter hour of UTC
MIN_SEEN = 20  # posts of a source seen before its granularity is decided
WARMUP_DAYS = 5  # observed days of a brand's day sources before they can alert
MAX_CATCH_UP = 60  # days tested in one run after a long pause (older ones are folded untested)
PAGE = 5_000
NEW_KEY_COUNT = 1.5


def time_of_day(ts: float) -> int | None:
    """Seconds after UTC midnight when `ts` falls on a quarter hour (every time zone's midnight
    does: 00:00+09:00 is 15:00 UTC), else None."""
    second = int(ts % DAY)
    return second if ts % QUARTER == 0.0 else None


@dataclass
class Granularity:
    """Per source: posts seen, and how many fell on each quarter-hour time of day (counted once).

    A day source stamps every post with the same time of day: its local midnight (00:00 UTC, or
    15:00 UTC for 00:00 in Seoul)."""

    counts: dict[str, dict[str, Any]] = field(default_factory=dict)  # source -> {"n": .., "at": {second: ..}}
    upto: float = 0.0  # posts created before this have been counted

    def learn(self, posts: Iterable[Post], until: float) -> None:
        for p in posts:
            if self.upto <= p.ts < until:
                seen = self.counts.setdefault(p.mention.source, {"n": 0, "at": {}})
                seen["n"] += 1
                second = time_of_day(p.ts)
                if second is not None:
                    seen["at"][str(second)] = seen["at"].get(str(second), 0) + 1
        self.upto = max(self.upto, until)

    def is_daily(self, source: str) -> bool:
        seen = self.counts.get(source)
        if seen is None or seen["n"] < MIN_SEEN or not seen["at"]:
            return False
        return max(seen["at"].values()) >= MIDNIGHT_SHARE * seen["n"]

    @property
    def daily_sources(self) -> list[str]:
        return sorted(s for s in self.counts if self.is_daily(s))


class DailyDetector:
    """The day path of the detector; `Detector` owns it, calls `learn`, `timed` and `run`."""

    STATE_KEY = "detect:daily"

    def __init__(self, lifetime_s: float) -> None:
        self.lifetime_s = lifetime_s
        self.granularity = Granularity()
        self.base: dict[str, BrandBaseline] = {}
        self.tested = 0.0  # start of the next day to test

    # -- state ---------------------------------------------------------------------------------------

    @classmethod
    def from_state(cls, state: Any, lifetime_s: float) -> DailyDetector:
        out = cls(lifetime_s)
        if isinstance(state, dict):
            sources = {k: v for k, v in state.get("sources", {}).items() if isinstance(v, dict)}
            out.granularity = Granularity(sources, float(state.get("upto", 0.0)))
            out.tested = float(state.get("tested", 0.0))
            out.base = {b: BrandBaseline.from_state(s) for b, s in state.get("brands", {}).items()}
        return out

    def to_state(self) -> dict[str, Any]:
        return {
            "sources": self.granularity.counts,
            "upto": self.granularity.upto,
            "tested": self.tested,
            "brands": {b: base.to_state() for b, base in self.base.items()},
        }

    # -- the split -----------------------------------------------------------------------------------

    def learn(self, posts: list[Post], until: float) -> None:
        self.granularity.learn(posts, until)

    def timed(self, posts: list[Post]) -> list[Post]:
        """The posts that stay on the hourly path (those of sources not known to be day sources)."""
        daily = set(self.granularity.daily_sources)
        return [p for p in posts if p.mention.source not in daily] if daily else posts

    # -- one run -------------------------------------------------------------------------------------

    def run(self, detector: Detector, store: Store, now: float) -> list[Alert]:
        """Test every day completed since the last run (at most MAX_CATCH_UP); fold each in after."""
        today = math.floor(now / DAY) * DAY
        sources = tuple(self.granularity.daily_sources)
        if not sources:
            self.tested = 0.0
            return []
        if self.tested == 0.0 or self.tested > today or today - self.tested > self.lifetime_s:
            self.tested = today - DAY * min(MAX_CATCH_UP, math.ceil(self.lifetime_s / DAY))
            self.base = {}  # rebuilt from the days below, folded untested while warming up
        fired: list[Alert] = []
        while self.tested + DAY <= now:
            day = self.tested
            posts = self._day(detector, store, sources, day)
            fired.extend(self._test_day(detector, store, posts, day, now))
            self.tested = day + DAY
        return fired

    def _day(self, detector: Detector, store: Store, sources: tuple[str, ...], day: float) -> list[Post]:
        query = MentionQuery(
            since=datetime.fromtimestamp(day, UTC),
            until=datetime.fromtimestamp(day + DAY, UTC),
            sources=sources,
        )
        out: list[Post] = []
        offset = 0
        while True:
            page = store.search(query, limit=PAGE, offset=offset, order="oldest")
            out.extend(detector._post(m) for m in page if m.brands)
            if len(page) < PAGE:
                break
            offset += PAGE
        detector.replies.mark(store, out)
        return out

    def _test_day(
        self, detector: Detector, store: Store, posts: list[Post], day: float, now: float
    ) -> list[Alert]:
        by_brand: dict[str, list[Post]] = {}
        for p in posts:
            for brand in p.mention.brands:
                by_brand.setdefault(brand, []).append(p)
        fired: list[Alert] = []
        for brand in sorted(set(by_brand) | set(self.base)):
            mine = by_brand.get(brand, [])
            base = self.base.setdefault(brand, BrandBaseline(lifetime_s=self.lifetime_s))
            if base.observed_days() >= WARMUP_DAYS:
                for rule in detector.rules:
                    if not rule.brands or brand in rule.brands:
                        fired.extend(self._test(detector, store, brand, rule, base, mine, day, now))
            base.fold([(p.ts, p.complaint, p.keys) for p in mine], day + DAY)
        return fired

    def _test(
        self,
        detector: Detector,
        store: Store,
        brand: str,
        rule: Any,
        base: BrandBaseline,
        posts: list[Post],
        day: float,
        now: float,
    ) -> list[Alert]:
        try:
            sensitivity = rule.sensitivity * detector.settings.brand(brand).sensitivity
        except KeyError:
            sensitivity = rule.sensitivity
        threshold = detector.threshold / sensitivity
        by_key: dict[str, tuple[set[str], set[str]]] = {}
        for p in posts:
            if not p.complaint:
                continue
            for key in p.keys:
                authors, ids = by_key.setdefault(key, (set(), set()))
                authors.add(p.author)
                ids.add(p.mention.id)
        expected_total = base.expected_complaints(day, day + DAY)
        hits = []
        for key, (authors, ids) in by_key.items():
            if len(authors) < rule.min_posts:
                continue
            key_count, total = base.share(key)
            score, mean = surprise(len(authors), key_count, total, expected_total)
            if score >= threshold:
                hits.append(
                    KeyHit(key, DAY, len(authors), mean, score, frozenset(ids), key_count < NEW_KEY_COUNT)
                )
        if not hits:
            return []
        by_id = {p.mention.id: p for p in posts}
        common = base.common_terms(0.2)
        out: dict[str, Alert] = {}
        for cluster in build_clusters(brand, hits):
            alert = detector.alerts.emit(
                store,
                detector._book,
                rule,
                cluster,
                by_id,
                now,
                lambda ids: detector._lookup(store, ids),
                common,
            )
            if alert is not None:
                out.setdefault(alert.id, alert)
        return list(out.values())

"""What "normal" looks like for one brand: complaint volume by hour and how often each key appears.

Kept incrementally (each detector run folds in only the posts that just left the test window), so a
run costs the same with 1k or 1M mentions in the store. Two parts:

* an hourly ring of post and complaint counts (last 28 days) that gives the daily and weekly rhythm
  and the expected number of complaints in any window;
* exponentially decayed document frequencies of *keys* among complaints (a key is a term, a stored
  topic id, a touchpoint, or ``*`` for all complaints), which give each key's share of complaints.

The expected count of a key in a window is ``share(key) * expected complaints(window)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

HOUR = 3600.0
RING_HOURS = 28 * 24
PRIOR_KEY_COUNT = 0.5  # pseudo-count for a key: a never-seen term is rare, not impossible
PRIOR_DAYS_HOD = 2.0  # shrink each hour-of-day rate towards the overall mean by 2 pseudo-days
PRIOR_WEEKS_DOW = 1.0  # shrink each weekday towards the mean by 1 pseudo-week
MIN_KEPT = 0.75  # decayed counts below this are dropped when the state is saved


@dataclass
class BrandBaseline:
    """Decayed key counts plus an hourly ring, all for times before ``upto`` (epoch seconds)."""

    lifetime_s: float  # e-folding time of the key counts (the rule's baseline period)
    upto: float = 0.0
    start: float = 0.0  # first hour folded in; coverage = upto - start
    n: float = 0.0  # decayed number of complaints
    df: dict[str, float] = field(default_factory=dict)
    hours: dict[int, list[int]] = field(default_factory=dict)  # epoch hour -> [posts, complaints]
    scale: float = 1.0  # df values are stored divided by the decay so far (lazy decay)
    _cache: tuple[float, tuple[list[float], list[float]]] | None = field(default=None, repr=False)
    _complaints: tuple[float, int] | None = field(default=None, repr=False)  # (upto, sum over the ring)

    # -- updating ------------------------------------------------------------------------------------

    def fold(self, posts: list[tuple[float, bool, frozenset[str]]], until: float) -> None:
        """Add posts created in [upto, until): (created_ts, is_complaint, keys)."""
        if until <= self.upto:
            return
        if self.start == 0.0:
            self.start = min([until, *(t for t, _, _ in posts)])
            self.upto = self.start
        decay = math.exp(-(until - self.upto) / self.lifetime_s)
        self.n *= decay
        self.scale *= decay
        if self.scale < 1e-6:
            self.df = {k: v * self.scale for k, v in self.df.items()}
            self.scale = 1.0
        bump = 1.0 / self.scale
        for created, complaint, keys in posts:
            if not self.upto <= created < until:
                continue
            hour = int(created // HOUR)
            slot = self.hours.setdefault(hour, [0, 0])
            slot[0] += 1
            if complaint:
                slot[1] += 1
                self.n += 1.0
                for key in keys:
                    self.df[key] = self.df.get(key, 0.0) + bump
        self.upto = until
        oldest = int(until // HOUR) - RING_HOURS
        for hour in [h for h in self.hours if h < oldest]:
            del self.hours[hour]

    # -- expectations --------------------------------------------------------------------------------

    @property
    def covered_hours(self) -> float:
        return max(0.0, min(self.upto - self.start, RING_HOURS * HOUR) / HOUR)

    def count(self, key: str) -> float:
        """Past complaints that carried the key (decayed)."""
        return self.df.get(key, 0.0) * self.scale

    def share(self, key: str) -> tuple[float, float]:
        """(pseudo-count of the key, pseudo-count of all complaints): the gamma prior's shape/scale."""
        return self.count(key) + PRIOR_KEY_COUNT, self.n + 1.0

    def observed_days(self) -> int:
        """Days (UTC) with at least one post folded in: the warm-up of day-granularity sources."""
        return len({h // 24 for h, v in self.hours.items() if v[0] > 0})

    def common_terms(self, share: float, min_complaints: float = 20.0) -> frozenset[str]:
        """Terms in at least `share` of the past complaints (`flight` for an airline): too usual to
        name what is new. Empty until `min_complaints` complaints have been seen."""
        if self.n < min_complaints:
            return frozenset()
        floor = share * self.n / self.scale
        return frozenset(k for k, v in self.df.items() if v >= floor and k[:1] not in "@#*")

    def expected_complaints(self, since: float, until: float) -> float:
        """Complaints expected in [since, until) from the mean rate times the hour/weekday profile."""
        covered = self.covered_hours
        if covered <= 0:
            return 0.0
        # the ring changes only when `fold` moves `upto`: summed once per step, not once per window
        if self._complaints is None or self._complaints[0] != self.upto:
            self._complaints = (self.upto, sum(c for _, c in self.hours.values()))
        rate = self._complaints[1] / covered  # per hour
        profile = self._profile()
        total, t = 0.0, since
        while t < until:
            hour_end = (math.floor(t / HOUR) + 1) * HOUR
            span = min(until, hour_end) - t
            moment = datetime.fromtimestamp(t, UTC)
            total += span / HOUR * rate * profile[0][moment.hour] * profile[1][moment.weekday()]
            t += span
        return total

    def _profile(self) -> tuple[list[float], list[float]]:
        """Hour-of-day and weekday factors (mean 1) from all posts, shrunk towards flat."""
        if self._cache is not None and self._cache[0] == self.upto:
            return self._cache[1]
        first = int(max(self.start, self.upto - RING_HOURS * HOUR) // HOUR)
        last = int(self.upto // HOUR)
        hod_n, hod_h = [0.0] * 24, [0.0] * 24
        dow_n, dow_h = [0.0] * 7, [0.0] * 7
        for hour in range(first, last):
            posts = self.hours.get(hour, (0, 0))[0]
            moment = datetime.fromtimestamp(hour * HOUR, UTC)
            hod_n[moment.hour] += posts
            hod_h[moment.hour] += 1
            dow_n[moment.weekday()] += posts
            dow_h[moment.weekday()] += 1
        hours = sum(hod_h)
        if hours == 0:
            return [1.0] * 24, [1.0] * 7
        mean = sum(hod_n) / hours
        if mean <= 0:
            return [1.0] * 24, [1.0] * 7
        hod = [(hod_n[h] + PRIOR_DAYS_HOD * mean) / ((hod_h[h] + PRIOR_DAYS_HOD) * mean) for h in range(24)]
        week = PRIOR_WEEKS_DOW * 24
        dow = [(dow_n[d] + week * mean) / ((dow_h[d] + week) * mean) for d in range(7)]
        self._cache = (self.upto, (hod, dow))
        return hod, dow

    # -- persistence ---------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        return {
            "lifetime_s": self.lifetime_s,
            "upto": self.upto,
            "start": self.start,
            "n": self.n,
            "df": {k: round(v * self.scale, 3) for k, v in self.df.items() if v * self.scale >= MIN_KEPT},
            "hours": {str(h): v for h, v in self.hours.items()},
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> BrandBaseline:
        return cls(
            lifetime_s=float(state["lifetime_s"]),
            upto=float(state["upto"]),
            start=float(state["start"]),
            n=float(state["n"]),
            df={str(k): float(v) for k, v in state["df"].items()},
            hours={int(h): [int(v[0]), int(v[1])] for h, v in state["hours"].items()},
        )

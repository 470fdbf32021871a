"""Report periods: whole local weeks (Monday to Monday) and calendar months in the configured zone.

A weekly report read in Seoul must count a post of Monday 00:30 KST in that week, so periods
start at local midnight and are converted to UTC only for the store's half-open range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Literal

from groundswell.localtime import local

PeriodKind = Literal["week", "month"]
PERIODS: tuple[PeriodKind, ...] = ("week", "month")


@dataclass(frozen=True)
class Period:
    """The half-open range [start, end) of one local week or month; times are UTC-aware."""

    kind: PeriodKind
    start: datetime
    end: datetime
    tz: tzinfo

    @classmethod
    def containing(cls, kind: PeriodKind, moment: datetime, tz: tzinfo) -> Period:
        """The week (from Monday) or month that `moment` falls in, local to `tz`."""
        day = local(moment, tz).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
        if kind == "week":
            first = day - timedelta(days=day.weekday())
            after = first + timedelta(days=7)
        else:
            first = day.replace(day=1)
            after = (first + timedelta(days=32)).replace(day=1)
        return cls(kind, _utc(first, tz), _utc(after, tz), tz)

    @classmethod
    def last_complete(cls, kind: PeriodKind, as_of: datetime, tz: tzinfo) -> Period:
        """The latest whole period that ended at or before `as_of`: last week, last month."""
        return cls.containing(kind, as_of, tz).previous()

    def previous(self) -> Period:
        return Period.containing(self.kind, self.start - timedelta(seconds=1), self.tz)

    def next(self) -> Period:
        return Period.containing(self.kind, self.end, self.tz)

    @property
    def local_start(self) -> datetime:
        return local(self.start, self.tz)

    @property
    def local_last_day(self) -> datetime:
        """The period's last local day (end is exclusive)."""
        return local(self.end - timedelta(seconds=1), self.tz)

    @property
    def days(self) -> int:
        return round((self.end - self.start).total_seconds() / 86400)

    @property
    def key(self) -> str:
        """Stable id of the period for idempotent delivery: 'week:2026-11-23', 'month:2026-11'."""
        start = self.local_start
        return f"week:{start:%Y-%m-%d}" if self.kind == "week" else f"month:{start:%Y-%m}"


def _utc(naive_local: datetime, tz: tzinfo) -> datetime:
    """Local wall time to UTC (fold=0: the first of an ambiguous hour, as zoneinfo does)."""
    return naive_local.replace(tzinfo=tz).astimezone(UTC)


def periods_between(
    kind: PeriodKind, first: datetime, last: datetime, tz: tzinfo, limit: int = 60
) -> list[Period]:
    """The periods that hold data from `first` to `last`, newest first (at most `limit`)."""
    out: list[Period] = []
    period = Period.containing(kind, last, tz)
    while period.end > first and len(out) < limit:
        out.append(period)
        period = period.previous()
    return out

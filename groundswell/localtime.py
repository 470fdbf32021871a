"""Times as a person reads them: in the configured zone, with the zone shown.

Stored times are UTC (records.as_utc); JSON keeps ISO 8601 with an offset. Everything a person
reads (CLI tables, the dashboard, alert messages, reports) goes through these few functions, so
a Korean review of 2019-09-30 (2019-09-30T00:00+09:00) shows as 2019-09-30 in Asia/Seoul and
never as 2019-09-29 15:00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from groundswell.errors import ConfigError
from groundswell.records import as_utc


@cache
def zone(name: str | None) -> tzinfo:
    """The IANA zone `name` (None or "UTC": UTC); ConfigError names the setting for a bad one."""
    if not name or name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"timezone: {name!r} is not an IANA time zone such as Asia/Seoul or UTC") from None


def local(value: datetime, tz: tzinfo) -> datetime:
    """`value` (naive means UTC) in zone `tz`."""
    return as_utc(value).astimezone(tz)


def zone_name(tz: tzinfo, at: datetime | None = None) -> str:
    """A short label for the zone: 'KST', 'UTC', or the offset ('+0530') where no abbreviation exists."""
    moment = local(at or datetime.now(UTC), tz)
    name = moment.tzname() or ""
    if not name or name[0] in "+-":
        return moment.strftime("UTC%z")
    return name


def fmt_datetime(value: datetime, tz: tzinfo, *, with_zone: bool = True) -> str:
    """'2019-09-30 00:00 KST': minutes, local, zone shown unless a heading already says it."""
    moment = local(value, tz)
    text = moment.strftime("%Y-%m-%d %H:%M")
    return f"{text} {zone_name(tz, value)}" if with_zone else text


def fmt_date(value: datetime, tz: tzinfo) -> str:
    """The local calendar day: '2019-09-30' for 2019-09-30T00:00+09:00 in Asia/Seoul."""
    return local(value, tz).strftime("%Y-%m-%d")


def local_date(value: datetime, tz: tzinfo) -> date:
    return local(value, tz).date()


def iso(value: datetime) -> str:
    """Machine-readable: ISO 8601 in UTC with its offset (JSON output keeps this)."""
    return as_utc(value).isoformat()

"""Local time: every time a person reads is in the configured zone, with the zone named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groundswell.config.settings import Settings
from groundswell.errors import ConfigError
from groundswell.localtime import fmt_date, fmt_datetime, iso, zone, zone_name
from groundswell.reports.period import Period

SEOUL = zone("Asia/Seoul")
ZONES = ["UTC", "Asia/Seoul", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata"]


def test_a_korean_review_keeps_its_day() -> None:
    stored = datetime.fromisoformat("2019-09-30T00:00:00+09:00").astimezone(UTC)  # what the store holds
    assert fmt_date(stored, SEOUL) == "2019-09-30"
    assert fmt_datetime(stored, SEOUL) == "2019-09-30 00:00 KST"
    assert fmt_datetime(stored, zone("UTC")) == "2019-09-29 15:00 UTC"
    assert iso(stored) == "2019-09-29T15:00:00+00:00"  # JSON keeps ISO 8601 with the offset


def test_zone_names_and_errors() -> None:
    assert zone(None) is UTC and zone("utc") is UTC
    assert zone_name(zone("Asia/Kolkata")) == "IST"
    assert zone_name(timezone(timedelta(hours=5, minutes=45))) == "UTC+05:45"
    with pytest.raises(ConfigError, match="Mars/Olympus"):
        zone("Mars/Olympus")


def test_setting_defaults_to_utc_and_alerts_follow_it() -> None:
    from groundswell.alerts.routing import zone_of

    assert Settings().timezone == "UTC"
    assert zone_of(Settings(timezone="Asia/Seoul")) == SEOUL
    assert zone_of(Settings(timezone="Asia/Seoul", alerts={"timezone": "UTC"})) is UTC
    with pytest.raises(ValueError, match="IANA"):
        Settings(timezone="KST+9")


@given(
    moment=st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)
    ),
    name=st.sampled_from(ZONES),
    kind=st.sampled_from(["week", "month"]),
)
def test_periods_tile_local_time(moment: datetime, name: str, kind: str) -> None:
    tz = zone(name)
    period = Period.containing(kind, moment, tz)  # type: ignore[arg-type]
    assert period.start <= moment < period.end
    start = period.start.astimezone(tz)
    assert (start.hour, start.minute) == (0, 0) or name == "Australia/Lord_Howe"  # no DST gap at midnight
    assert start.weekday() == 0 if kind == "week" else start.day == 1
    assert period.previous().end == period.start and period.next().start == period.end
    assert Period.last_complete(kind, moment, tz).end <= moment  # type: ignore[arg-type]
    assert 6 <= period.days <= 7 if kind == "week" else 28 <= period.days <= 31

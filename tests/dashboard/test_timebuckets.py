"""#16 item 3 and 6: chart buckets in the configured zone, the zone on the axis, no "12 PM" ticks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from groundswell.dashboard import charts, queries, timebuckets
from groundswell.indexer.base import MentionQuery
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.records import EnrichedMention, Sentiment, SentimentLabel


def _post(i: int, at: datetime) -> EnrichedMention:
    return EnrichedMention(
        id=f"r:{i}",
        source="r",
        native_id=str(i),
        text=f"Lumio review {i}",
        created_at=at,
        brands=["Lumio"],
        sentiment=Sentiment(label=SentimentLabel.NEGATIVE, score=-0.5, confidence=0.9),
    )


def _store(tmp_path: Path, times: list[datetime]) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert([_post(i, t) for i, t in enumerate(times)])
    return store


def test_a_korean_day_is_one_bar_from_midnight_to_midnight(tmp_path: Path) -> None:
    """2019-09-30 00:00 and 08:30 KST are 09-29 15:00 and 23:30 UTC: one local day, not the 29th."""
    store = _store(
        tmp_path,
        [
            datetime(2019, 9, 29, 15, 0, tzinfo=UTC),  # 09-30 00:00 KST
            datetime(2019, 9, 29, 23, 30, tzinfo=UTC),  # 09-30 08:30 KST
            datetime(2019, 9, 30, 14, 59, tzinfo=UTC),  # 09-30 23:59 KST
            datetime(2019, 9, 30, 15, 0, tzinfo=UTC),  # 10-01 00:00 KST
        ],
    )
    day = timedelta(days=1)
    frame = timebuckets.histogram(store, MentionQuery(), day, "Asia/Seoul")
    assert dict(zip(frame["time"].dt.strftime("%Y-%m-%d %H:%M"), frame["count"], strict=True)) == {
        "2019-09-30 00:00": 3,
        "2019-10-01 00:00": 1,
    }
    assert frame.attrs["zone"] == "KST"
    utc = timebuckets.histogram(store, MentionQuery(), day, "UTC")
    assert dict(zip(utc["time"].dt.strftime("%Y-%m-%d %H:%M"), utc["count"], strict=True)) == {
        "2019-09-29 00:00": 2,
        "2019-09-30 00:00": 2,
    }


def test_weeks_start_on_local_monday_and_dst_is_followed(tmp_path: Path) -> None:
    # 2024-03-31 is the start of summer time in Europe/Berlin: 22:30 UTC on the 31st is 00:30 CEST on
    # Monday 04-01 (a new week), 22:30 UTC on the 30th is 23:30 CET on Saturday
    store = _store(
        tmp_path, [datetime(2024, 3, 30, 22, 30, tzinfo=UTC), datetime(2024, 3, 31, 22, 30, tzinfo=UTC)]
    )
    days = timebuckets.histogram(store, MentionQuery(), timedelta(days=1), "Europe/Berlin")
    assert list(days["time"].dt.strftime("%Y-%m-%d %H:%M")) == ["2024-03-30 00:00", "2024-04-01 00:00"]
    weeks = timebuckets.local_start(
        days["time"].dt.tz_localize("Europe/Berlin"), timedelta(days=7), "Europe/Berlin"
    )
    assert list(weeks.dt.strftime("%Y-%m-%d")) == ["2024-03-25", "2024-04-01"]


def test_dashboard_queries_bucket_in_the_filters_zone_and_the_axis_names_it(tmp_path: Path) -> None:
    start = datetime(2019, 9, 1, 15, 0, tzinfo=UTC)  # local midnights in Seoul, for 30 days
    store = _store(tmp_path, [start + timedelta(days=d, hours=h) for d in range(30) for h in (0, 10)])
    f = queries.Filters(since=start, until=start + timedelta(days=30), tz="Asia/Seoul")
    frame = queries.volume_by(store, f, "brand")
    assert len(frame) == 30 and set(frame["count"]) == {2}  # UTC days would split each local day
    assert all(t.hour == 0 for t in frame["time"])
    spec = charts.line(frame, "time", "count", "mentions").to_dict()
    x = spec["encoding"]["x"]
    assert x["title"] == "KST"
    assert x["axis"]["format"] == "%m-%d" and x["axis"]["tickCount"]["interval"] == "day"  # no "12 PM"

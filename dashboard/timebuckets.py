"""Chart buckets in the configured time zone, not UTC.

The store buckets `created_at` from the epoch, i.e. UTC days: in Asia/Seoul a "day" bar then
runs 09:00-09:00 and a review posted at 08:00 on the 30th is counted on the 29th. Here the store
is asked for hourly buckets and they are summed into local buckets (hours, 6-hour blocks, days,
weeks starting Monday) by each hour's local start, so bars and tooltips follow the reader's
calendar, DST changes included. Spans over 100 days (weekly bars) are read as UTC days and each
is given to the local week its local start falls in: a week's edge may be off by up to the zone's
UTC offset, one bar in 24 at most, which a multi-month chart cannot show. Zones with a
half-hour offset (India, +05:30) are bucketed to the local hour it starts in.

The frame's `time` is the local wall-clock start of the bucket, without a zone: Vega-Lite shows
a naive time as it is, so the chart reads in the configured zone whatever the browser's zone.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from groundswell.indexer.base import FacetField, MentionQuery, Store
from groundswell.localtime import zone, zone_name

COLUMNS = ["time", "key", "count", "sentiment_sum", "reach"]
UNKNOWN = "unknown"
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK = timedelta(days=7)


def store_interval(interval: timedelta) -> timedelta:
    """What to ask the store for: hours (regrouped exactly) up to daily bars, days for weekly."""
    return DAY if interval >= WEEK else HOUR


def local_start(times: pd.Series, interval: timedelta, tz_name: str) -> pd.Series:
    """The local wall-clock start (naive) of the `interval` bucket each UTC time falls in."""
    wall = pd.to_datetime(times, utc=True).dt.tz_convert(zone(tz_name)).dt.tz_localize(None)
    if interval >= WEEK:
        day = wall.dt.normalize()
        return day - pd.to_timedelta(day.dt.day_of_week, unit="D")  # Monday
    if interval >= DAY:
        return wall.dt.normalize()
    return wall.dt.floor(pd.Timedelta(interval))


def histogram(
    store: Store,
    query: MentionQuery,
    interval: timedelta,
    tz_name: str,
    group_by: FacetField | None = None,
) -> pd.DataFrame:
    """time (local, naive), key, count, sentiment_sum, reach per local bucket of `interval`."""
    rows = [
        (b.start, b.key if b.key is not None else UNKNOWN, b.count, b.sentiment_sum, b.reach)
        for b in store.histogram(query, store_interval(interval), group_by)
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if not frame.empty:
        frame["time"] = local_start(frame["time"], interval, tz_name)
        sums = ["count", "sentiment_sum", "reach"]
        frame = frame.groupby(["time", "key"], as_index=False, sort=True)[sums].sum()[COLUMNS]
    return labelled(frame, tz_name)


def to_local(frame: pd.DataFrame, column: str, tz_name: str) -> pd.DataFrame:
    """A copy of `frame` with its UTC `column` as local wall-clock time, labelled with the zone."""
    out = frame.copy()
    if len(out):
        out[column] = pd.to_datetime(out[column], utc=True).dt.tz_convert(zone(tz_name)).dt.tz_localize(None)
    return labelled(out, tz_name)


def labelled(frame: pd.DataFrame, tz_name: str) -> pd.DataFrame:
    """`frame` marked with the zone its `time` is in, which charts.time_x names on the axis."""
    frame.attrs["zone"] = zone_name(zone(tz_name))
    return frame

"""What each dashboard page asks of the Store, as plain functions returning DataFrames and records.

No Streamlit here (tested like any module, cached by dashboard/cache.py) and no SQL: every number
comes from the `Store` protocol, so the pages work the same on SQLite and Elasticsearch. Each page
costs a handful of aggregate queries (histograms and facets), never a scan in Python of all
mentions, which keeps a page under two seconds on a million mentions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import pandas as pd

from groundswell.config.settings import Brand
from groundswell.dashboard import timebuckets
from groundswell.indexer.base import FacetField, MentionQuery, Store
from groundswell.query import normalize
from groundswell.records import EnrichedMention, TopicRef
from groundswell.terms import terms_of

SENTIMENTS = ("negative", "neutral", "positive")
UNKNOWN = "unknown"
OUTLIER_TOPIC = "-1"  # BERTopic's "fits no topic"


@dataclass(frozen=True)
class Filters:
    """The shared filter bar: one brand (or all), a half-open time range, sources and languages."""

    since: datetime
    until: datetime
    brand: str | None = None
    sources: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    tz: str = "UTC"  # the configured zone: chart buckets are its hours, days and weeks

    def query(self, **changes: object) -> MentionQuery:
        q = MentionQuery(
            brands=(self.brand,) if self.brand else (),
            since=self.since,
            until=self.until,
            sources=self.sources,
            langs=self.langs,
        )
        return q.narrow(**changes) if changes else q

    @property
    def span(self) -> timedelta:
        return self.until - self.since

    def previous(self) -> Filters:
        """The period of the same length just before, for "change against previous" figures."""
        return replace(self, since=self.since - self.span, until=self.since)


@dataclass(frozen=True)
class FilterOptions:
    brands: tuple[str, ...]
    sources: tuple[str, ...]
    langs: tuple[str, ...]
    first: datetime | None
    last: datetime | None


def filter_options(
    store: Store,
    configured_brands: Sequence[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
) -> FilterOptions:
    """Values the filter bar offers: configured brands first, then what the store holds in the
    chosen period (a group-by over the whole store would cost seconds on a million mentions)."""
    span = store.time_range()
    if span is None:
        return FilterOptions(tuple(configured_brands), (), (), None, None)
    period = MentionQuery(since=since, until=until)
    stored_brands = [f.value for f in store.facets(period, "brand", 100)]
    brands = list(dict.fromkeys([*configured_brands, *stored_brands]))
    sources = sorted(f.value for f in store.facets(period, "source", 200))
    langs = sorted(f.value for f in store.facets(period, "lang", 50))
    return FilterOptions(tuple(brands), tuple(sources), tuple(langs), span[0], span[1])


DEFAULT_DAYS = 7
HISTORICAL_DAYS = 31


def default_period(first: date, last: date, today: date) -> tuple[date, date]:
    """The period a page opens on: the last 7 days of the data, not of the wall clock.

    Imported history (the newest post older than a week) opens on up to its last 31 days, so a
    store of 2015 reviews shows them instead of an empty week.
    """
    days = HISTORICAL_DAYS if (today - last).days > DEFAULT_DAYS else DEFAULT_DAYS
    return max(first, last - timedelta(days=days - 1)), last


def has_previous(f: Filters, first: datetime | None) -> bool:
    """Whether the store covers the whole earlier period, so "change against previous" means something."""
    return first is not None and f.since - f.span >= first


def pick_interval(span: timedelta) -> timedelta:
    """A bucket size giving roughly 24-100 points, so charts stay readable and queries light."""
    if span <= timedelta(days=2):
        return timedelta(hours=1)
    if span <= timedelta(days=15):
        return timedelta(hours=6)
    if span <= timedelta(days=100):
        return timedelta(days=1)
    return timedelta(days=7)


def _whole(f: Filters) -> timedelta:
    """One bucket wider than the range: a histogram with it is a group-by over the whole period."""
    return f.span + timedelta(days=1) if f.span.total_seconds() > 0 else timedelta(days=1)


def histogram_frame(
    store: Store, query: MentionQuery, interval: timedelta, group_by: FacetField | None = None
) -> pd.DataFrame:
    """Store buckets as a frame: time, key, count, sentiment_sum, reach."""
    rows = [
        (b.start, b.key if b.key is not None else UNKNOWN, b.count, b.sentiment_sum, b.reach)
        for b in store.histogram(query, interval, group_by)
    ]
    return pd.DataFrame(rows, columns=["time", "key", "count", "sentiment_sum", "reach"])


def totals(store: Store, query: MentionQuery, span: timedelta, group_by: FacetField) -> pd.DataFrame:
    """count, sentiment_sum and reach per value of `group_by` over the whole query range."""
    frame = histogram_frame(store, query, span, group_by)
    if frame.empty:
        return pd.DataFrame(columns=["key", "count", "sentiment_sum", "reach"])
    out = frame.groupby("key", as_index=False)[["count", "sentiment_sum", "reach"]].sum()
    return out.sort_values("count", ascending=False, ignore_index=True)


# -- overview ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpis:
    mentions: int
    negative_share: float  # percent
    net_sentiment: float  # (positive - negative) / mentions, percent
    reach: int


def _kpis_from(by_sentiment: pd.DataFrame) -> Kpis:
    """KPI figures from rows of (key = sentiment, count, reach), any bucketing."""
    counts = by_sentiment.groupby("key")["count"].sum().to_dict() if not by_sentiment.empty else {}
    total = int(by_sentiment["count"].sum())
    neg, pos = counts.get("negative", 0), counts.get("positive", 0)
    return Kpis(
        mentions=total,
        negative_share=100.0 * neg / total if total else 0.0,
        net_sentiment=100.0 * (pos - neg) / total if total else 0.0,
        reach=int(by_sentiment["reach"].sum()),
    )


def kpis(store: Store, f: Filters) -> tuple[Kpis, Kpis]:
    """This period's KPI tiles and the previous period's, for the deltas."""
    now = _kpis_from(totals(store, f.query(), _whole(f), "sentiment"))
    return now, _kpis_from(totals(store, f.previous().query(), _whole(f), "sentiment"))


def sentiment_overview(store: Store, f: Filters) -> tuple[pd.DataFrame, Kpis, Kpis]:
    """The sentiment chart's frame and both KPI sets from two queries (the chart's buckets give
    this period's totals)."""
    volume = volume_by_sentiment(store, f)
    now = _kpis_from(volume.rename(columns={"sentiment": "key"}))
    before = _kpis_from(totals(store, f.previous().query(), _whole(f), "sentiment"))
    return volume, now, before


def volume_by_sentiment(store: Store, f: Filters) -> pd.DataFrame:
    """time, sentiment, count; plus a per-bucket `net` column (percent) on every row."""
    frame = timebuckets.histogram(store, f.query(), pick_interval(f.span), f.tz, "sentiment")
    frame = frame.rename(columns={"key": "sentiment"})
    if frame.empty:
        frame["net"] = []
        return timebuckets.labelled(frame, f.tz)
    pivot = frame.pivot_table(index="time", columns="sentiment", values="count", aggfunc="sum", fill_value=0)
    total = pivot.sum(axis=1)
    pos = pivot.get("positive", 0)
    neg = pivot.get("negative", 0)
    net = (100.0 * (pos - neg) / total).rename("net")
    return timebuckets.labelled(frame.merge(net.reset_index(), on="time"), f.tz)


def volume_by(store: Store, f: Filters, group_by: FacetField) -> pd.DataFrame:
    return timebuckets.histogram(store, f.query(), pick_interval(f.span), f.tz, group_by)


def share_of_voice(store: Store, f: Filters, brands: Sequence[str]) -> pd.DataFrame:
    """Mentions per brand among `brands` (the brand and its competitors), ignoring the brand filter."""
    if len(brands) < 2:
        return pd.DataFrame(columns=["time", "key", "count", "sentiment_sum", "reach"])
    query = f.query(brands=tuple(brands))
    return timebuckets.histogram(store, query, pick_interval(f.span), f.tz, "brand")


def top_sources(by_source: pd.DataFrame, size: int = 10) -> pd.DataFrame:
    """Sources ranked by reach, from the volume-by-source frame the page already has."""
    if by_source.empty:
        return pd.DataFrame(columns=["key", "count", "reach"])
    out = by_source.groupby("key", as_index=False)[["count", "reach"]].sum()
    return out.sort_values("reach", ascending=False, ignore_index=True).head(size)


def top_authors(store: Store, f: Filters, size: int = 10) -> pd.DataFrame:
    """The most followed authors among the period's highest-reach mentions. Posts with no author
    (app-store reviews exported without names) are left out: "unknown" with 300 posts is no one."""
    rows = [
        (name, m.source, m.author.followers or 0)
        for m in store.search(f.query(), limit=300, order="reach")
        if (name := m.author.handle or m.author.display_name or m.author.id)
    ]
    frame = pd.DataFrame(rows, columns=["author", "source", "followers"])
    if frame.empty:
        return frame.assign(mentions=[])
    out = frame.groupby("author", as_index=False).agg(
        source=("source", lambda s: ", ".join(sorted(set(s)))),
        followers=("followers", "max"),
        mentions=("followers", "size"),
    )
    return out.sort_values("followers", ascending=False, ignore_index=True).head(size)


# -- topics -----------------------------------------------------------------------------------------


def topic_table(store: Store, f: Filters, alert_topics: Iterable[int] = (), size: int = 15) -> pd.DataFrame:
    """Top topics with label, keywords, volume, negative share, mean sentiment, and an emerging flag.

    Emerging: an open alert names the topic, or its rate in the last quarter of the period rose
    at least twice as much as the whole conversation's (and it has 5+ posts there). The outlier
    topic (-1, posts that fit no topic) is left out.
    """
    whole = _whole(f)
    everything = totals(store, f.query(), whole, "topic")
    all_ = everything[~everything["key"].isin([UNKNOWN, OUTLIER_TOPIC])].head(size)
    if all_.empty:
        return pd.DataFrame(columns=["topic", "label", "keywords", "mentions", "negative", "net", "emerging"])
    negative = totals(store, f.query(complaint=True), whole, "topic")
    quarter = f.span / 4
    recent = totals(store, f.query(since=f.until - quarter), whole, "topic")
    neg_by = dict(zip(negative["key"], negative["count"], strict=True))
    recent_by = dict(zip(recent["key"], recent["count"], strict=True))
    flagged = {str(t) for t in alert_topics}
    total_late = int(recent["count"].sum())
    overall = total_late / (max(int(everything["count"].sum()) - total_late, 0) / 3 + 1)
    refs = topic_refs(store, f.query(), [int(k) for k in all_["key"]])
    rows = []
    for key, count, sentiment_sum in zip(all_["key"], all_["count"], all_["sentiment_sum"], strict=True):
        ref = refs.get(int(key))
        late = recent_by.get(key, 0)
        early = count - late
        # faster than the conversation: last quarter vs the mean earlier quarter, twice the overall rise
        growing = late >= 5 and late / (early / 3 + 1) >= 2 * max(overall, 1.0)
        rows.append(
            (
                int(key),
                ref.label if ref and ref.label else f"#{key}",
                ", ".join(ref.keywords[:8]) if ref else "",
                int(count),
                round(100.0 * neg_by.get(key, 0) / count, 1),
                round(100.0 * sentiment_sum / count, 1),
                key in flagged or growing,
            )
        )
    return pd.DataFrame(
        rows, columns=["topic", "label", "keywords", "mentions", "negative", "net", "emerging"]
    )


def topic_refs(store: Store, query: MentionQuery, ids: Sequence[int]) -> dict[int, TopicRef]:
    """The newest TopicRef (label, keywords) of each topic id: the store keeps no topic table.

    One query over the newest 500 mentions of these topics usually names them all; only the
    rare topic missing from it costs a query of its own.
    """
    wanted = [int(i) for i in ids]
    refs: dict[int, TopicRef] = {}
    if wanted:
        for m in store.search(query.narrow(topics=tuple(wanted)), limit=500):
            if m.topic is not None and m.topic.id not in refs:
                refs[m.topic.id] = m.topic
    for topic_id in wanted:
        if topic_id not in refs:
            sample = store.search(query.narrow(topics=(topic_id,)), limit=1)
            refs[topic_id] = sample[0].topic if sample and sample[0].topic else TopicRef(id=topic_id)
    return refs


def topic_labels(
    store: Store, query: MentionQuery, ids: Sequence[int], unassigned: str = "unassigned"
) -> dict[int, str]:
    """One label per topic id (the newest); posts that fit no topic (-1) are `unassigned`."""
    refs = topic_refs(store, query, [i for i in ids if i != -1])
    labels = {i: ref.label or f"#{i}" for i, ref in refs.items()}
    return {**labels, -1: unassigned} if -1 in ids else labels


def representative_posts(store: Store, query: MentionQuery, size: int = 8) -> list[EnrichedMention]:
    """The most engaged posts: what people actually share about a topic or touchpoint."""
    return store.search(query, limit=size, order="engagement")


# -- touchpoints ------------------------------------------------------------------------------------


def touchpoint_table(store: Store, f: Filters, owners: dict[str, str]) -> pd.DataFrame:
    """Per touchpoint: owner, mentions, complaints (the stored flag), its share of all complaints and
    the change vs the previous period. (Only complaints get touchpoints, so a share of the
    touchpoint's own mentions would always read 100%.)"""
    whole = _whole(f)
    complaints = store.count(f.query(complaint=True))
    total = totals(store, f.query(), whole, "touchpoint")
    neg = totals(store, f.query(complaint=True), whole, "touchpoint")
    prev = totals(store, f.previous().query(complaint=True), whole, "touchpoint")
    total_by = dict(zip(total["key"], total["count"], strict=True))
    neg_by = dict(zip(neg["key"], neg["count"], strict=True))
    prev_by = dict(zip(prev["key"], prev["count"], strict=True))
    names = list(dict.fromkeys([*total_by, *owners]))
    rows = []
    for name in names:
        if name == UNKNOWN:
            continue
        n, bad, before = total_by.get(name, 0), neg_by.get(name, 0), prev_by.get(name, 0)
        rows.append(
            (
                name,
                owners.get(name, ""),
                int(n),
                int(bad),
                round(100.0 * bad / complaints, 1) if complaints else 0.0,
                bad - before,
            )
        )
    frame = pd.DataFrame(
        rows, columns=["touchpoint", "owner", "mentions", "negative", "share_of_complaints", "change"]
    )
    return frame.sort_values(["negative", "mentions"], ascending=False, ignore_index=True)


def touchpoint_heatmap(store: Store, f: Filters) -> pd.DataFrame:
    frame = timebuckets.histogram(store, f.query(complaint=True), pick_interval(f.span), f.tz, "touchpoint")
    return timebuckets.labelled(frame[frame["key"] != UNKNOWN], f.tz)


def top_terms(store: Store, query: MentionQuery, size: int = 15, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """The most frequent words that say something, without `exclude` (the brands' own names lead
    every list otherwise). Korean forms are merged in dictionary form (튕겨, 튕기 -> 튕기다), and
    words that say nothing are left out (`reports.related.says_something`)."""
    from groundswell.reports.related import merged_terms, telling_terms

    drop = {normalize(w) for w in exclude}
    terms = telling_terms(merged_terms(store.top_terms(query, 3 * size + len(drop)), drop))
    return pd.DataFrame(terms[:size], columns=["term", "count"])


def brand_words(brands: Iterable[Brand]) -> tuple[str, ...]:
    """The brands' own words, as top_terms counts them (name and query terms, like the detector's
    nlp.detect.keys.brand_terms): left out of "top complaint words"."""
    return tuple(sorted({t for b in brands for t in terms_of(f"{b.name} {b.query}")}))

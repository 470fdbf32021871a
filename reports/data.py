"""The figures of one brand report, read through the Store only (no rendering library here).

Like dashboard/queries.py, and reusing it where a dashboard figure is the same figure (KPIs, topic
and touchpoint tables, incident ranking), so a report and the dashboard never disagree. Daily
volume is bucketed by the *local* day: hourly buckets from the store, summed per local date,
because the store's day buckets are UTC days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from groundswell.config.settings import Settings
from groundswell.dashboard import complaints, queries
from groundswell.dashboard.queries import Filters, Kpis
from groundswell.indexer.base import MentionQuery, Store
from groundswell.localtime import local, zone, zone_name
from groundswell.records import Alert, AlertKind, AlertState, EnrichedMention, Severity, utcnow
from groundswell.reports.period import Period, PeriodKind
from groundswell.reports.related import RelatedTerm, related_terms

TOP_TOPICS = 8
TOP_POSTS = 5
RELATED = 15


@dataclass(frozen=True)
class DayVolume:
    day: str  # local date, YYYY-MM-DD
    negative: int
    neutral: int
    positive: int

    @property
    def total(self) -> int:
        return self.negative + self.neutral + self.positive


@dataclass(frozen=True)
class Share:
    brand: str
    mentions: int
    share: float  # percent of the brands compared
    previous_share: float


@dataclass(frozen=True)
class TopicRow:
    id: int
    label: str
    keywords: str
    mentions: int
    complaint_share: float  # percent of the topic's posts that are complaints (groundswell.complaint)
    net: float
    rising: bool


@dataclass(frozen=True)
class TouchpointRow:
    name: str
    owner: str
    mentions: int
    complaints: int  # touchpoints are tagged on complaints, so this is most of `mentions`
    change: int  # complaints against the previous period


@dataclass(frozen=True)
class Incident:
    subject: str  # the alert's summary, or its topic/touchpoint label
    severity: Severity
    state: AlertState
    fired_at: datetime
    owners: tuple[str, ...]
    posts: float


@dataclass(frozen=True)
class ReportData:
    brand: str
    period: Period
    language: str
    zone_label: str  # 'KST', 'UTC': shown beside every time
    generated_at: datetime
    now: Kpis
    before: Kpis
    daily: list[DayVolume]
    share_of_voice: list[Share]
    topics: list[TopicRow]
    touchpoints: list[TouchpointRow]
    incidents: list[Incident]
    top_posts: list[EnrichedMention]
    related: list[RelatedTerm] = field(default_factory=list)

    @property
    def open_incidents(self) -> list[Incident]:
        return [i for i in self.incidents if i.state != AlertState.RESOLVED.value]

    @property
    def resolved_incidents(self) -> list[Incident]:
        return [i for i in self.incidents if i.state == AlertState.RESOLVED.value]


def build_report(
    settings: Settings,
    store: Store,
    brand: str,
    kind: PeriodKind = "week",
    as_of: datetime | None = None,
    language: str | None = None,
    period: Period | None = None,
) -> ReportData:
    """The last complete week or month before `as_of` (default now) for `brand`, in settings' zone."""
    settings.brand(brand)  # KeyError listing the configured brands
    tz = zone(settings.timezone)
    period = period or Period.last_complete(kind, as_of or utcnow(), tz)
    f = Filters(since=period.start, until=period.end, brand=brand)
    before_period = period.previous()
    prev = Filters(since=before_period.start, until=before_period.end, brand=brand)
    now_kpis = queries.kpis(store, f)[0]
    before_kpis = queries.kpis(store, prev)[0]  # a month's previous month may be shorter or longer
    from groundswell.nlp.detect.keys import brand_terms

    own = brand_terms(settings).get(brand, frozenset())
    alerts = complaints.ranked_alerts(store, f)
    return ReportData(
        brand=brand,
        period=period,
        language=language or settings.dashboard.language,
        zone_label=zone_name(tz, period.start),
        generated_at=utcnow(),
        now=now_kpis,
        before=before_kpis,
        daily=daily_volume(store, f, period),
        share_of_voice=share_of_voice(settings, store, brand, period, before_period),
        topics=topics(store, f, alerts),
        touchpoints=touchpoints(settings, store, f),
        incidents=[incident(settings, a) for a in alerts if a.kind is not AlertKind.OPERATIONAL],
        top_posts=store.search(f.query(), limit=TOP_POSTS, order="engagement"),
        related=related_terms(store, f.query(), prev.query(), exclude=own, size=RELATED),
    )


def _whole(period: Period) -> timedelta:
    return period.end - period.start + timedelta(days=1)


def daily_volume(store: Store, f: Filters, period: Period) -> list[DayVolume]:
    """Mentions per local day and sentiment; every day of the period present, zeros included."""
    frame = queries.histogram_frame(store, f.query(), timedelta(hours=1), "sentiment")
    days: dict[str, dict[str, int]] = {}
    for i in range(period.days):
        day = local(period.start + timedelta(days=i, hours=12), period.tz).strftime("%Y-%m-%d")
        days[day] = {"negative": 0, "neutral": 0, "positive": 0}
    for start, key, count in zip(frame["time"], frame["key"], frame["count"], strict=True):
        day = local(start.to_pydatetime(), period.tz).strftime("%Y-%m-%d")
        if day in days and key in days[day]:
            days[day][key] += int(count)
    return [DayVolume(d, v["negative"], v["neutral"], v["positive"]) for d, v in days.items()]


def rivals_of(settings: Settings, brand: str) -> tuple[str, ...]:
    """The brand and its competitors; without competitors, every configured brand."""
    competitors = settings.brand(brand).competitors
    others = competitors or [b.name for b in settings.brands if b.name != brand]
    return (brand, *others)


def share_of_voice(
    settings: Settings, store: Store, brand: str, period: Period, before: Period
) -> list[Share]:
    rivals = rivals_of(settings, brand)
    if len(rivals) < 2:
        return []

    def counts(p: Period) -> dict[str, int]:
        q = MentionQuery(brands=rivals, since=p.start, until=p.end)
        frame = queries.totals(store, q, _whole(p), "brand")
        return {k: int(c) for k, c in zip(frame["key"], frame["count"], strict=True) if k in rivals}

    now, prev = counts(period), counts(before)
    total, prev_total = sum(now.values()), sum(prev.values())
    rows = [
        Share(
            name,
            now.get(name, 0),
            round(100.0 * now.get(name, 0) / total, 1) if total else 0.0,
            round(100.0 * prev.get(name, 0) / prev_total, 1) if prev_total else 0.0,
        )
        for name in rivals
    ]
    return sorted(rows, key=lambda s: (s.brand != brand, -s.mentions))


def topics(store: Store, f: Filters, alerts: list[Alert]) -> list[TopicRow]:
    """The dashboard's topic table, rising topics first, labels instead of ids."""
    alert_topics = [a.topic.id for a in alerts if a.topic is not None and a.state is not AlertState.RESOLVED]
    table = queries.topic_table(store, f, alert_topics, size=TOP_TOPICS)
    rows = [
        TopicRow(
            int(r.topic),
            str(r.label),
            str(r.keywords),
            int(r.mentions),
            float(r.negative),
            float(r.net),
            bool(r.emerging),
        )
        for r in table.itertuples()
    ]
    return sorted(rows, key=lambda r: (not r.rising, -r.mentions))


def touchpoints(settings: Settings, store: Store, f: Filters) -> list[TouchpointRow]:
    owners = {t.name: t.owner for t in settings.touchpoints}
    table = queries.touchpoint_table(store, f, owners)
    return [
        TouchpointRow(
            str(r.touchpoint),
            str(r.owner),
            int(r.mentions),
            int(r.negative),
            int(r.change),
        )
        for r in table.itertuples()
        if r.mentions
    ]


def incident(settings: Settings, alert: Alert) -> Incident:
    label = alert.topic.label if alert.topic and alert.topic.label else ", ".join(alert.touchpoints)
    owners = alert.owners or settings.owners_for(alert.touchpoints)
    return Incident(
        subject=alert.summary or label or alert.rule,
        severity=alert.severity,
        state=alert.state,
        fired_at=alert.fired_at,
        owners=tuple(owners),
        posts=alert.observed,
    )

"""The typed records that flow between stages, defined once.

crawlers produce `Mention`; nlp turns it into `EnrichedMention`; the detector emits `Alert`.
Everything else (dicts, JSON, SQL rows, ES documents) is an edge format converted here or in
the module that owns that edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from groundswell.complaint import is_complaint
from groundswell.limits import MAX_INT, has_surrogate


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken to be UTC; aware ones are converted."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# Every time in a record: naive read as UTC, aware converted, so comparisons never mix zones.
UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=False)


def _valid_unicode(value: str | None) -> str | None:
    """A lone surrogate cannot be stored as UTF-8 (SQLite, JSON, ES): the item is refused here."""
    if value is not None and has_surrogate(value):
        raise ValueError("text contains a lone UTF-16 surrogate (not valid Unicode)")
    return value


class _Value(_Record):
    """A small value inside a record: frozen, so one shared instance can never change under a
    reader (replace it with `model_copy(update=...)`); hashable as a bonus."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Author(_Value):
    id: str | None = None
    handle: str | None = None
    display_name: str | None = None
    followers: int | None = Field(default=None, ge=0, le=MAX_INT)

    _unicode = field_validator("id", "handle", "display_name")(_valid_unicode)


class Metrics(_Value):
    likes: int = Field(default=0, ge=0, le=MAX_INT)
    shares: int = Field(default=0, ge=0, le=MAX_INT)
    replies: int = Field(default=0, ge=0, le=MAX_INT)
    views: int = Field(default=0, ge=0, le=MAX_INT)

    @property
    def engagement(self) -> int:
        return self.likes + self.shares + self.replies


class MetricsObservation(_Value):
    """One look at a post's public counters; repeated looks give velocity."""

    mention_id: str
    observed_at: UtcDatetime
    metrics: Metrics


class Mention(_Record):
    """A post, comment, review or article that a source returned, normalised.

    `id` is `source:native_id` so that the same post fetched twice upserts instead of doubling.
    """

    id: str
    source: str
    native_id: str
    text: str
    created_at: UtcDatetime
    fetched_at: UtcDatetime = Field(default_factory=utcnow)
    url: str | None = None
    title: str | None = None
    lang: str | None = None
    author: Author = Field(default_factory=Author)
    metrics: Metrics = Field(default_factory=Metrics)
    parent_id: str | None = None
    thread_id: str | None = None
    rating: float | None = Field(default=None, ge=1.0, le=5.0)  # stars, 1-5 (groundswell/ratings.py)
    rating_scale: float | None = None  # the platform's maximum when it was not 5 (original value in raw)
    brands: list[str] = Field(default_factory=list)
    raw: dict[str, Any] | None = None

    _unicode = field_validator("id", "source", "native_id", "text", "url", "title", "lang")(_valid_unicode)

    @staticmethod
    def make_id(source: str, native_id: str) -> str:
        return f"{source}:{native_id}"


class SentimentLabel(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class Sentiment(_Value):
    """`score` in [-1, 1] keeps the polarity even when the label is neutral."""

    label: SentimentLabel
    score: float = Field(ge=-1.0, le=1.0)
    confidence: float = Field(ge=0.0, le=1.0)


class TopicRef(_Value):
    id: int
    label: str = ""
    keywords: list[str] = Field(default_factory=list)


class Virality(_Value):
    """Per-post spread signals; see nlp/virality.py for how each is computed."""

    engagement_velocity: float = 0.0  # engagement per hour since the previous observation
    engagement_acceleration: float = 0.0
    reach: int = 0  # author followers
    share_reply_ratio: float = 0.0
    # metrics observations velocity and acceleration came from (at most 3); 0: never computed (a
    # post stored before this field, or written without enrichment): readers must recompute it
    observations: int = 0


class EnrichedMention(Mention):
    """A mention after the nlp stage: what it says, in what tone, about which touchpoint."""

    clean_text: str = ""
    sentiment: Sentiment | None = None
    touchpoints: list[str] = Field(default_factory=list)
    # people, organisations, products, places the post names (nlp/entities.py; by default complaints only)
    entities: list[str] = Field(default_factory=list)
    topic: TopicRef | None = None
    virality: Virality = Field(default_factory=Virality)
    complaint: bool = False  # set by enrichment with groundswell.complaint; see that module

    @model_validator(mode="before")
    @classmethod
    def _complaint(cls, data: Any) -> Any:
        """Records written before the flag existed get it from their stored sentiment (same rule)."""
        if isinstance(data, dict) and "complaint" not in data:
            sentiment = data.get("sentiment")
            if isinstance(sentiment, Sentiment):
                sentiment = sentiment.model_dump(mode="json")
            label = score = None
            if isinstance(sentiment, dict):
                label, score = str(sentiment.get("label")), sentiment.get("score")
            data = {
                **data,
                "complaint": is_complaint(
                    str(data.get("clean_text") or data.get("text") or ""), label, score
                ),
            }
        return data

    @classmethod
    def from_mention(cls, mention: Mention, **enrichment: Any) -> EnrichedMention:
        return cls(**mention.model_dump(), **enrichment)


class Severity(StrEnum):
    """Ordered: `Severity.HIGH > Severity.MEDIUM`, and `max()` of severities is the worst.

    Members are still the strings stored and compared today (`Severity.HIGH == "high"`); only
    `<`/`>` differ from plain strings, which would sort "critical" below "low".
    """

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_ORDER.index(self)

    def _other(self, other: object) -> int:
        if not isinstance(other, str):
            raise TypeError(f"cannot compare a severity with {type(other).__name__}")
        return Severity(other).rank  # a string that is not a severity: ValueError, never a guess

    def __lt__(self, other: object) -> bool:
        return self.rank < self._other(other)

    def __le__(self, other: object) -> bool:
        return self.rank <= self._other(other)

    def __gt__(self, other: object) -> bool:
        return self.rank > self._other(other)

    def __ge__(self, other: object) -> bool:
        return self.rank >= self._other(other)


DAY_S = 86400.0  # an alert whose window is this long or longer was found on daily windows
_SEVERITY_ORDER = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)


class AlertKind(StrEnum):
    COMPLAINT = "complaint"  # a growing complaint found by the detector
    OPERATIONAL = "operational"  # the collector itself is unhealthy (alerts/health.py)


class AlertAction(StrEnum):
    """What an `AlertEvent` records."""

    FIRED = "fired"
    UPDATED = "updated"
    REOPENED = "reopened"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    RESOLVED = "resolved"


class AlertState(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class AlertEvent(_Value):
    """Who did what to an alert and when: the lifecycle audit trail."""

    at: UtcDatetime
    actor: str
    action: AlertAction
    note: str = ""


class Alert(_Record):
    """One incident: a growing complaint about a brand (and topic/touchpoint).

    `id` stays the same while the incident grows, so one incident is one alert that updates.
    """

    id: str
    brand: str
    fired_at: UtcDatetime
    updated_at: UtcDatetime
    first_seen: UtcDatetime
    severity: Severity
    rule: str
    topic: TopicRef | None = None
    touchpoints: list[str] = Field(default_factory=list)
    owners: list[str] = Field(default_factory=list)
    summary: str = ""
    observed: float = 0.0  # posts in the detection window
    expected: float = 0.0  # baseline expectation for that window
    window_s: float = 0.0  # that window's length in seconds (0: not recorded, alerts saved before it was)
    # the incident's own posts per hour (per day for a daily incident): bucket start, posts
    timeline: list[tuple[UtcDatetime, int]] = Field(default_factory=list)
    growth: float = 0.0  # observed / expected
    spread_risk: float = 0.0
    evidence_ids: list[str] = Field(default_factory=list)
    playbook: str = ""
    state: AlertState = AlertState.NEW
    assignee: str | None = None
    history: list[AlertEvent] = Field(default_factory=list)
    kind: AlertKind = AlertKind.COMPLAINT

    @property
    def daily(self) -> bool:
        """Found on daily windows (day-granularity sources): its chart and wording go per day."""
        return self.window_s >= DAY_S


class SourceRun(_Record):
    """What one crawl of one source did, for `groundswell sources` and the dashboard."""

    source: str
    started_at: UtcDatetime
    finished_at: UtcDatetime
    fetched: int = 0
    new: int = 0
    updated: int = 0
    rejected: int = 0
    errors: int = 0
    error: str | None = None
    healthy: bool = True
    next_run_at: UtcDatetime | None = None


class SourceHealth(_Record):
    """One row of `groundswell sources` and the dashboard's Sources page: a configured source,
    or anything else that stored mentions with a recorded run (an `ingest` of a file, the `demo`)."""

    source: str
    kind: str  # the configured source type, else "ingest", "demo" or "run"
    status: str  # healthy | unhealthy | never | disabled
    last: SourceRun | None = None


def run_kind(source: str) -> str:
    """What wrote a run that no configured source owns, from the name it was recorded under."""
    if source.startswith("ingest:"):
        return "ingest"
    return "demo" if source == "demo" else "run"


def source_health(
    runs: Iterable[SourceRun], configured: Sequence[tuple[str, str, bool]] = ()
) -> list[SourceHealth]:
    """The latest run of every configured source (name, type, enabled), then of every ingest,
    demo or other run in the store: one definition of "healthy" for the CLI and the dashboard,
    so a store filled by `ingest` or `demo` never reads as "no crawl has run"."""
    latest: dict[str, SourceRun] = {}
    for run in runs:
        if run.source not in latest or run.started_at > latest[run.source].started_at:
            latest[run.source] = run
    rows = []
    for name, type_name, enabled in configured:
        own = latest.pop(name, None)
        if own is None:
            rows.append(SourceHealth(source=name, kind=type_name, status="never" if enabled else "disabled"))
        else:
            rows.append(SourceHealth(source=name, kind=type_name, status=_status(own), last=own))
    for other in sorted(latest.values(), key=lambda r: r.started_at, reverse=True):
        rows.append(
            SourceHealth(source=other.source, kind=run_kind(other.source), status=_status(other), last=other)
        )
    return rows


def _status(run: SourceRun) -> str:
    return "healthy" if run.healthy else "unhealthy"

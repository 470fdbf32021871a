"""The Store protocol: what the pipeline, detector, dashboard and CLI may ask of an index.

Both backends (embedded SQLite, Elasticsearch) implement exactly this and pass the same
conformance suite (tests/indexer/test_store_contract.py). Nothing outside indexer/ knows SQL or
the ES query DSL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol, runtime_checkable

from groundswell.records import Alert, AlertState, EnrichedMention, MetricsObservation, SourceRun

FacetField = Literal["source", "lang", "sentiment", "brand", "topic", "touchpoint", "author", "entity"]
FACET_FIELDS: tuple[str, ...] = (
    "source",
    "lang",
    "sentiment",
    "brand",
    "topic",
    "touchpoint",
    "author",
    "entity",
)


@dataclass(frozen=True)
class MentionQuery:
    """A filter over mentions; every field narrows the set (None or empty: no constraint).

    `text` is the boolean query language of groundswell.query; `until` is exclusive; `complaint`
    selects complaints (True) or the rest (False) by the flag stored at enrichment.
    """

    text: str | None = None
    brands: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    sources: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    sentiments: tuple[str, ...] = ()
    topics: tuple[int, ...] = ()
    touchpoints: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()  # named entities (nlp/entities.py), exact names
    ids: tuple[str, ...] = ()
    complaint: bool | None = None
    rated: bool = False  # only mentions with a star rating

    def narrow(self, **changes: Any) -> MentionQuery:
        from dataclasses import replace

        return replace(self, **changes)


@dataclass
class UpsertResult:
    new: int = 0
    updated: int = 0  # same id seen again with changed metrics or enrichment
    unchanged: int = 0

    def __iadd__(self, other: UpsertResult) -> UpsertResult:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


@dataclass(frozen=True)
class Bucket:
    start: datetime
    key: str | None  # the group_by value, None when not grouped
    count: int
    sentiment_sum: float = 0.0  # sum of sentiment scores, for net sentiment
    reach: int = 0  # sum of author followers


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass
class AlertFilter:
    brands: tuple[str, ...] = ()
    states: tuple[AlertState, ...] = ()
    kinds: tuple[str, ...] = ()
    since: datetime | None = None
    limit: int = 100
    extra: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class Store(Protocol):
    """Idempotent by mention id; times are UTC-aware; results are plain records."""

    # writes -------------------------------------------------------------------------------------
    def commit_batch(
        self, mentions: Sequence[EnrichedMention], source: str | None = None, cursor: str | None = None
    ) -> UpsertResult:
        """Upsert mentions and, in the same commit, save the source's cursor (never before them)."""
        ...

    def upsert(self, mentions: Sequence[EnrichedMention]) -> UpsertResult: ...

    def get_cursor(self, source: str) -> str | None: ...

    def record_source_run(self, run: SourceRun) -> None: ...

    def source_runs(self, source: str | None = None, limit: int = 50) -> list[SourceRun]: ...

    # reads --------------------------------------------------------------------------------------
    def get(self, ids: Iterable[str]) -> list[EnrichedMention]: ...

    def count(self, query: MentionQuery) -> int: ...

    def search(
        self, query: MentionQuery, limit: int = 50, offset: int = 0, order: str = "newest"
    ) -> list[EnrichedMention]:
        """order: newest | oldest | reach | engagement."""
        ...

    def histogram(
        self, query: MentionQuery, interval: timedelta, group_by: FacetField | None = None
    ) -> list[Bucket]: ...

    def facets(self, query: MentionQuery, field: FacetField, size: int = 10) -> list[FacetCount]: ...

    def top_terms(self, query: MentionQuery, size: int = 20) -> list[FacetCount]: ...

    def metrics_history(self, mention_id: str) -> list[MetricsObservation]: ...

    def metrics_histories(
        self, mention_ids: Sequence[str], last: int | None = None
    ) -> dict[str, list[MetricsObservation]]:
        """Each post's observations (only the newest `last` if given), oldest first, in one read.

        Enrichment asks once per batch for the last three, all that velocity and acceleration use.
        """
        ...

    def time_range(self) -> tuple[datetime, datetime] | None:
        """Oldest and newest created_at in the store."""
        ...

    # alerts -------------------------------------------------------------------------------------
    def save_alert(self, alert: Alert) -> None: ...

    def get_alert(self, alert_id: str) -> Alert | None: ...

    def list_alerts(self, flt: AlertFilter | None = None) -> list[Alert]: ...

    # small state (model snapshots, detector state) ------------------------------------------------
    def get_state(self, key: str) -> Any: ...

    def set_state(self, key: str, value: Any) -> None: ...

    def close(self) -> None: ...

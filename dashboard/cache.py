"""Streamlit caching around dashboard.queries: the one place that knows about st.cache_*.

`st.cache_resource` holds the settings and the open store (shared by every session; the SQLite
store is thread-safe). `st.cache_data(ttl=...)` holds query results: pure reads, keyed by the
store's path (`key`) and the filters; the store itself is passed as `_store` so it is not hashed.
TTLs are short enough that a running pipeline's new mentions appear within a minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from groundswell.config.loader import default_config_path, load_settings
from groundswell.config.settings import Settings
from groundswell.dashboard import complaints, queries, tables
from groundswell.dashboard.launch import resolve_paths
from groundswell.indexer import open_store
from groundswell.indexer.base import MentionQuery, Store
from groundswell.nlp.detect.watch import WATCH_KEY, Watched, read_watchlist
from groundswell.records import Alert, AlertState, EnrichedMention, SourceRun

TTL = timedelta(seconds=60)
ALERT_TTL = timedelta(seconds=10)


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    store: Store
    key: str  # identifies the store in cache keys
    warning: str | None  # e.g. no config file found, defaults used


@st.cache_resource(show_spinner=False)
def _settings(config_path: str | None) -> tuple[Settings, bool]:
    """(settings, used_defaults). An explicit bad config raises ConfigError for the page to show."""
    path = Path(config_path) if config_path is not None else default_config_path()
    if config_path is None and not path.exists():
        return Settings(), True
    return load_settings(path), False


@st.cache_resource(show_spinner=False)
def _store(config_path: str | None, db_path: str | None) -> Store:
    settings, _ = _settings(config_path)
    return open_store(settings, db_path)


def app_context() -> AppContext:
    """Settings and store for this server; raises ConfigError / StoreError for the page to show."""
    config_path, db_path = resolve_paths()
    settings, defaults = _settings(config_path)
    store = _store(config_path, db_path)
    key = f"{config_path}|{db_path or getattr(store, 'path', '')}"
    return AppContext(settings, store, key, "defaults" if defaults else None)


@st.cache_data(ttl=TTL, show_spinner=False)
def time_range(_store: Store, key: str) -> tuple[datetime, datetime] | None:
    return _store.time_range()


@st.cache_data(ttl=timedelta(minutes=5), show_spinner=False)
def filter_options(
    _store: Store, key: str, brands: tuple[str, ...], since: datetime, until: datetime
) -> queries.FilterOptions:
    return queries.filter_options(_store, brands, since, until)


@st.cache_data(ttl=TTL, show_spinner=False)
def kpis(_store: Store, key: str, f: queries.Filters) -> tuple[queries.Kpis, queries.Kpis]:
    return queries.kpis(_store, f)


@st.cache_data(ttl=TTL, show_spinner=False)
def sentiment_overview(
    _store: Store, key: str, f: queries.Filters
) -> tuple[pd.DataFrame, queries.Kpis, queries.Kpis]:
    return queries.sentiment_overview(_store, f)


@st.cache_data(ttl=TTL, show_spinner=False)
def volume_by(_store: Store, key: str, f: queries.Filters, group_by: str) -> pd.DataFrame:
    return queries.volume_by(_store, f, group_by)  # type: ignore[arg-type]


@st.cache_data(ttl=TTL, show_spinner=False)
def share_of_voice(_store: Store, key: str, f: queries.Filters, brands: tuple[str, ...]) -> pd.DataFrame:
    return queries.share_of_voice(_store, f, brands)


@st.cache_data(ttl=TTL, show_spinner=False)
def top_authors(_store: Store, key: str, f: queries.Filters) -> pd.DataFrame:
    return queries.top_authors(_store, f)


@st.cache_data(ttl=TTL, show_spinner=False)
def topic_table(_store: Store, key: str, f: queries.Filters, alert_topics: tuple[int, ...]) -> pd.DataFrame:
    return queries.topic_table(_store, f, alert_topics)


@st.cache_data(ttl=TTL, show_spinner=False)
def topic_labels(
    _store: Store, key: str, q: MentionQuery, ids: tuple[int, ...], unassigned: str = "unassigned"
) -> dict[int, str]:
    return queries.topic_labels(_store, q, ids, unassigned)


@st.cache_data(ttl=TTL, show_spinner=False)
def representative_posts(_store: Store, key: str, q: MentionQuery, size: int = 8) -> list[EnrichedMention]:
    return queries.representative_posts(_store, q, size)


@st.cache_data(ttl=TTL, show_spinner=False)
def top_terms(
    _store: Store, key: str, q: MentionQuery, size: int = 15, exclude: tuple[str, ...] = ()
) -> pd.DataFrame:
    return queries.top_terms(_store, q, size, exclude)


@st.cache_data(ttl=TTL, show_spinner=False)
def touchpoint_table(
    _store: Store, key: str, f: queries.Filters, owners: tuple[tuple[str, str], ...]
) -> pd.DataFrame:
    return queries.touchpoint_table(_store, f, dict(owners))


@st.cache_data(ttl=TTL, show_spinner=False)
def touchpoint_heatmap(_store: Store, key: str, f: queries.Filters) -> pd.DataFrame:
    return queries.touchpoint_heatmap(_store, f)


@st.cache_data(ttl=TTL, show_spinner=False)
def facet_counts(_store: Store, key: str, q: MentionQuery) -> dict[str, pd.DataFrame]:
    return tables.facet_counts(_store, q)


@st.cache_data(ttl=TTL, show_spinner=False)
def search(
    _store: Store, key: str, q: MentionQuery, limit: int, order: str
) -> tuple[int, list[EnrichedMention]]:
    return tables.search(_store, q, limit, order)


@st.cache_data(ttl=TTL, show_spinner=False)
def source_runs(_store: Store, key: str) -> list[SourceRun]:
    return _store.source_runs(limit=500)


@st.cache_data(ttl=TTL, show_spinner=False)
def stored_by_source(_store: Store, key: str) -> pd.DataFrame:
    """Mentions in the store per `source` field, whatever wrote them (crawl, ingest, demo)."""
    rows = [(f.value, f.count) for f in _store.facets(MentionQuery(), "source", size=100)]
    return pd.DataFrame(rows, columns=["source", "count"])


@st.cache_data(ttl=ALERT_TTL, show_spinner=False)
def ranked_alerts(
    _store: Store, key: str, f: queries.Filters | None, states: tuple[AlertState, ...] = ()
) -> list[Alert]:
    return complaints.ranked_alerts(_store, f, states)


@st.cache_data(ttl=ALERT_TTL, show_spinner=False)
def watchlist(_store: Store, key: str, brand: str | None) -> tuple[float, list[Watched]]:
    """What was close to an alert at the detector's last step (nlp/detect/watch.py)."""
    return read_watchlist(_store.get_state(WATCH_KEY), brand)


@st.cache_data(ttl=ALERT_TTL, show_spinner=False)
def get_alert(_store: Store, key: str, alert_id: str) -> Alert | None:
    return _store.get_alert(alert_id)


@st.cache_data(ttl=ALERT_TTL, show_spinner=False)
def alert_growth(
    _store: Store, key: str, alert_id: str, window: timedelta = timedelta(hours=1)
) -> tuple[pd.DataFrame, float]:
    alert = _store.get_alert(alert_id)
    if alert is None:
        return pd.DataFrame(columns=["time", "count"]), 0.0
    return complaints.alert_growth(_store, alert, window)


@st.cache_data(ttl=ALERT_TTL, show_spinner=False)
def evidence(_store: Store, key: str, alert_id: str) -> list[EnrichedMention]:
    alert = _store.get_alert(alert_id)
    return complaints.evidence(_store, alert) if alert else []


@st.cache_data(ttl=TTL, show_spinner=False)
def report(
    _store: Store, key: str, _settings: Settings, brand: str, kind: str, start: datetime, lang: str
) -> Any:
    """The report's figures (ReportData) for one brand and period; keyed by the period's start."""
    from groundswell.localtime import zone
    from groundswell.reports.data import build_report
    from groundswell.reports.period import Period

    period = Period.containing(kind, start, zone(_settings.timezone))  # type: ignore[arg-type]
    return build_report(_settings, _store, brand, period.kind, language=lang, period=period)


@st.cache_data(ttl=TTL, show_spinner=False)
def related_terms(
    _store: Store, key: str, q: MentionQuery, previous: MentionQuery, exclude: frozenset[str], size: int = 20
) -> list[Any]:
    from groundswell.reports.related import related_terms as related

    return related(_store, q, previous, exclude, size)


@st.cache_data(ttl=TTL, show_spinner=False)
def cooccurrence(
    _store: Store, key: str, q: MentionQuery, terms: tuple[str, ...]
) -> dict[tuple[str, str], int]:
    from groundswell.reports.related import cooccurrence as pairs

    return pairs(_store, q, terms)


def forget_alerts() -> None:
    """After an action the alert lists must show the new state at once, not after the TTL."""
    ranked_alerts.clear()
    get_alert.clear()

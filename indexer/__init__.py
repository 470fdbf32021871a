"""Indexing: the Store protocol and its backends, chosen by `store.backend` in config."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from groundswell.indexer.base import AlertFilter, Bucket, FacetCount, MentionQuery, Store, UpsertResult


def _sqlite(settings: Any, db_path: str | Path | None) -> Store:
    from groundswell.indexer.sqlite import SQLiteStore

    return SQLiteStore.from_settings(settings, db_path)


def _elasticsearch(settings: Any, db_path: str | Path | None) -> Store:
    from groundswell.indexer.elasticsearch import ElasticsearchStore  # optional extra, imported late

    return ElasticsearchStore.from_settings(settings)


STORES: dict[str, Callable[[Any, str | Path | None], Store]] = {
    "sqlite": _sqlite,
    "elasticsearch": _elasticsearch,
}


def open_store(settings: Any, db_path: str | Path | None = None) -> Store:
    """The store configured in settings; `db_path` (from --db) picks the SQLite file."""
    backend = settings.store.backend
    try:
        factory = STORES[backend]
    except KeyError:
        raise KeyError(f"unknown store backend {backend!r}; known: {', '.join(STORES)}") from None
    return factory(settings, db_path)


__all__ = [
    "STORES",
    "AlertFilter",
    "Bucket",
    "FacetCount",
    "MentionQuery",
    "Store",
    "UpsertResult",
    "open_store",
]

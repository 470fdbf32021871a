"""Indexing: the Store protocol and its backends, chosen by `store.backend` in config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from groundswell.errors import PluginError
from groundswell.indexer.base import AlertFilter, Bucket, FacetCount, MentionQuery, Store, UpsertResult
from groundswell.plugins import STORES


def open_store(settings: Any, db_path: str | Path | None = None) -> Store:
    """The store configured in settings; `db_path` (from --db) picks the SQLite file.

    `store.backend` names an entry of `groundswell.plugins.STORES` (or a `pkg.mod:Class` path);
    the class is imported only here, so the Elasticsearch client stays an optional extra.
    """
    try:
        cls = STORES.load(settings.store.backend)
    except ImportError as exc:
        raise PluginError(f"store backend {settings.store.backend!r} cannot be imported: {exc}") from None
    store: Store = cls.from_settings(settings, db_path)
    return store


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

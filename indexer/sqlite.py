"""The embedded store: one SQLite file, WAL (the dashboard reads while the pipeline writes), FTS5.

Mentions are kept as their JSON record plus the columns that filters, facets and histograms
need; `raw` payloads sit in their own table so that reads of many mentions stay light.

This module is the `Store` itself: connection, locking, transactions and error reporting. The
SQL lives beside it: tables and migrations in sqlite_schema, the write path in sqlite_write,
query translation in sqlite_query, facets and histograms in sqlite_aggs, alerts and other
bookkeeping in sqlite_state.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from groundswell.errors import StoreError
from groundswell.indexer import sqlite_state as state
from groundswell.indexer.base import AlertFilter, Bucket, FacetCount, FacetField, MentionQuery, UpsertResult
from groundswell.indexer.parsed import ParsedDocs
from groundswell.indexer.sqlite_aggs import FACET_SQL, FACET_TAIL, HITS_FACET_SQL, HitsTable, histogram_sql
from groundswell.indexer.sqlite_query import ORDER, gs_match, where
from groundswell.indexer.sqlite_schema import (
    SCHEMA_VERSION,
    dt,
    has_author_index,
    has_complaint_column,
    has_entity_table,
    has_rating_column,
    open_connection,
    stored_complaint,
)
from groundswell.indexer.sqlite_write import merge_mention, save_cursor, upsert
from groundswell.query import Document, parse_query
from groundswell.records import Alert, EnrichedMention, Metrics, MetricsObservation, SourceRun
from groundswell.terms import count_terms

_ID_CHUNK = 500  # ids bound in one IN (...) list, well under SQLite's parameter limit

__all__ = ["SCHEMA_VERSION", "SQLiteStore", "merge_mention"]


class SQLiteStore:
    """The default `Store`. Thread-safe: one connection guarded by a lock (Streamlit shares it)."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        try:
            self._conn = open_connection(self.path, read_only=read_only)
            self._conn.create_function("gs_match", 3, gs_match, deterministic=True)
            self._authors = has_author_index(self._conn)  # False only for an older file opened read-only
            self._flag = has_complaint_column(self._conn)  # the same: the flag is then read from each doc
            self._rated = has_rating_column(self._conn)  # else the rating is read from each doc
            self._entities = has_entity_table(self._conn)  # else entities are read from each doc
            self._conn.create_function("gs_stored_complaint", 1, stored_complaint, deterministic=True)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the SQLite store {self.path}: {exc}") from None
        self._lock = threading.RLock()
        self._hits = HitsTable()
        self._parsed = ParsedDocs()  # the detector re-reads its window every step

    @classmethod
    def from_settings(cls, settings: Any, db_path: str | Path | None = None) -> SQLiteStore:
        from groundswell.indexer.paths import default_db_path

        return cls(db_path or settings.store.path or default_db_path())

    def check_integrity(self) -> None:
        """StoreError unless SQLite's integrity check passes (before a bulk write adds to a damaged file)."""
        try:
            with self._lock:
                rows = self._conn.execute("PRAGMA integrity_check(5)").fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"the SQLite store {self.path} is damaged: {exc}; restore a backup") from None
        problems = [str(r[0]) for r in rows if r[0] != "ok"]
        if problems:
            raise StoreError(
                f"the SQLite store {self.path} is damaged ({'; '.join(problems)[:300]}); "
                "restore a backup or ingest into a new --db"
            )

    # -- writes -------------------------------------------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:  # BEGIN itself may have failed (locked): nothing to undo
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"writing to {self.path} failed: {exc}") from None
                raise

    def commit_batch(
        self, mentions: Sequence[EnrichedMention], source: str | None = None, cursor: str | None = None
    ) -> UpsertResult:
        try:
            with self._tx() as conn:
                result = upsert(conn, mentions)
                if source is not None and cursor is not None:
                    save_cursor(conn, source, cursor)
                return result
        except sqlite3.Error as exc:
            raise StoreError(f"writing to {self.path} failed: {exc}") from None

    def upsert(self, mentions: Sequence[EnrichedMention]) -> UpsertResult:
        return self.commit_batch(mentions)

    def record_source_run(self, run: SourceRun) -> None:
        with self._tx() as conn:
            state.record_source_run(conn, run)

    def save_alert(self, alert: Alert) -> None:
        with self._tx() as conn:
            state.save_alert(conn, alert)

    def set_state(self, key: str, value: Any) -> None:
        with self._tx() as conn:
            state.set_state(conn, key, value)

    # -- reads --------------------------------------------------------------------------------------

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            with self._lock:
                return self._conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise StoreError(f"query on {self.path} failed: {exc}") from None

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            with self._lock:
                return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"query on {self.path} failed: {exc}") from None

    def _where(self, q: MentionQuery, exact: bool = True) -> tuple[str, list[Any]]:
        return where(
            q,
            exact,
            authors=self._authors,
            complaint_column=self._flag,
            rating_column=self._rated,
            entity_table=self._entities,
        )

    def get(self, ids: Iterable[str]) -> list[EnrichedMention]:
        wanted = list(ids)
        if not wanted:
            return []
        found: dict[str, EnrichedMention] = {}
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk : chunk + 500]
            rows = self._all(
                f"SELECT m.doc, r.raw FROM mentions m LEFT JOIN raw_payloads r ON r.rid = m.rid "
                f"WHERE m.id IN ({','.join('?' * len(part))})",
                part,
            )
            for doc, raw in rows:
                mention = EnrichedMention.model_validate_json(doc)
                mention.raw = json.loads(raw) if raw else None
                found[mention.id] = mention
        return [found[i] for i in wanted if i in found]

    def iter_mentions(self, batch_size: int = 1000) -> Iterator[list[EnrichedMention]]:
        """Every mention with its raw payload, in insertion order, a batch at a time (migration)."""
        last = 0
        while True:
            rows = self._all(
                "SELECT m.rid, m.doc, r.raw FROM mentions m LEFT JOIN raw_payloads r ON r.rid = m.rid "
                "WHERE m.rid > ? ORDER BY m.rid LIMIT ?",
                (last, batch_size),
            )
            if not rows:
                return
            batch = []
            for rid, doc, raw in rows:
                mention = EnrichedMention.model_validate_json(doc)
                mention.raw = json.loads(raw) if raw else None
                batch.append(mention)
                last = rid
            yield batch

    def count(self, query: MentionQuery) -> int:
        if query.text:
            with self._lock:
                return int(self._one(f"SELECT COUNT(*) FROM {self._hits_table(query)}")[0])
        sql, params = self._where(query)
        return int(self._one(f"SELECT COUNT(*) FROM mentions m WHERE {sql}", params)[0])

    def search(
        self, query: MentionQuery, limit: int = 50, offset: int = 0, order: str = "newest"
    ) -> list[EnrichedMention]:
        if order not in ORDER:
            raise ValueError(f"unknown order {order!r}; use one of {', '.join(ORDER)}")
        if query.text:
            return self._search_text(query, limit, offset, order)
        sql, params = self._where(query)
        # the page's rids first (read from mentions_period alone), then only their documents
        rows = self._all(
            f"SELECT m.rid FROM mentions m WHERE {sql} ORDER BY {ORDER[order]}, m.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return self._docs([r[0] for r in rows])

    def _search_text(self, query: MentionQuery, limit: int, offset: int, order: str) -> list[EnrichedMention]:
        """FTS candidates in the requested order, checked exactly until the page is full.

        A page of a common word then costs ~offset+limit exact checks instead of one per match.
        """
        node = parse_query(query.text or "")
        sql, params = self._where(query, exact=False)
        wanted = offset + limit
        kept: list[int] = []
        try:
            with self._lock:
                cur = self._conn.execute(
                    f"SELECT m.rid, m.text, m.author FROM mentions m WHERE {sql} ORDER BY {ORDER[order]}, m.id",
                    params,
                )
                for rid, text, author in cur:
                    if len(kept) >= wanted:
                        break
                    if node.evaluate(Document(text, author)):
                        kept.append(rid)
                cur.close()
        except sqlite3.Error as exc:
            raise StoreError(f"query on {self.path} failed: {exc}") from None
        return self._docs(kept[offset:])

    def _docs(self, rids: Sequence[int]) -> list[EnrichedMention]:
        docs: dict[int, str] = {}
        for i in range(0, len(rids), 500):
            part = rids[i : i + 500]
            docs.update(
                self._all(f"SELECT rid, doc FROM mentions WHERE rid IN ({','.join('?' * len(part))})", part)
            )
        return [self._parsed.mention(rid, docs[rid]) for rid in rids]

    def histogram(
        self, query: MentionQuery, interval: timedelta, group_by: FacetField | None = None
    ) -> list[Bucket]:
        step = interval.total_seconds()
        if step <= 0:
            raise ValueError("histogram interval must be positive")
        if group_by == "entity" and not self._entities:
            return []  # an older file opened read-only: no entity was stored in it
        sql, params = self._where(query)
        rows = self._all(histogram_sql(sql, group_by), [step, *params])
        return [
            Bucket(dt(b * step), None if k is None else str(k), int(n), float(s), int(r))
            for b, k, n, s, r in rows
        ]

    def facets(self, query: MentionQuery, field: FacetField, size: int = 10) -> list[FacetCount]:
        if field not in FACET_SQL:
            raise ValueError(f"unknown facet {field!r}; use one of {', '.join(FACET_SQL)}")
        if field == "entity" and not self._entities:
            return []  # an older file opened read-only: no entity was stored in it
        if query.text or query.brands or query.touchpoints or query.entities:
            with self._lock:
                rows = self._all(HITS_FACET_SQL[field].format(h=self._hits_table(query)) + FACET_TAIL, [size])
        else:
            sql, params = self._where(query)
            rows = self._all(FACET_SQL[field].format(w=sql) + FACET_TAIL, [*params, size])
        return [FacetCount(str(v), int(n)) for v, n in rows if v is not None]

    def _hits_table(self, query: MentionQuery) -> str:
        """The query's matches as a temp table, kept for its count and facets (call under the lock)."""
        sql, params = self._where(query)
        try:
            return self._hits.fill(self._conn, sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"query on {self.path} failed: {exc}") from None

    def top_terms(self, query: MentionQuery, size: int = 20) -> list[FacetCount]:
        sql, params = self._where(query)
        rows = self._all(
            f"SELECT m.text, m.lang FROM mentions m WHERE {sql} ORDER BY m.created_at DESC LIMIT 5000",
            params,
        )
        counts: Counter[str] = count_terms((text, lang) for text, lang in rows)
        return [FacetCount(term, n) for term, n in counts.most_common(size)]

    def metrics_history(self, mention_id: str) -> list[MetricsObservation]:
        rows = self._all(
            "SELECT observed_at, likes, shares, replies, views FROM metrics_history "
            "WHERE mention_id = ? ORDER BY observed_at",
            (mention_id,),
        )
        return [
            MetricsObservation(
                mention_id=mention_id,
                observed_at=dt(t),
                metrics=Metrics(likes=li, shares=sh, replies=re_, views=vi),
            )
            for t, li, sh, re_, vi in rows
        ]

    def metrics_histories(
        self, mention_ids: Sequence[str], last: int | None = None
    ) -> dict[str, list[MetricsObservation]]:
        out: dict[str, list[MetricsObservation]] = {i: [] for i in mention_ids}
        ids = list(out)
        for start in range(0, len(ids), _ID_CHUNK):  # SQLite caps the number of bound parameters
            chunk = ids[start : start + _ID_CHUNK]
            rows = self._all(
                "SELECT mention_id, observed_at, likes, shares, replies, views FROM ("
                " SELECT *, ROW_NUMBER() OVER (PARTITION BY mention_id ORDER BY observed_at DESC) AS n"
                f" FROM metrics_history WHERE mention_id IN ({','.join('?' * len(chunk))})"
                ") WHERE ? IS NULL OR n <= ? ORDER BY mention_id, observed_at",
                (*chunk, last, last),
            )
            for mid, t, li, sh, re_, vi in rows:
                out[mid].append(
                    MetricsObservation(
                        mention_id=mid,
                        observed_at=dt(t),
                        metrics=Metrics(likes=li, shares=sh, replies=re_, views=vi),
                    )
                )
        return out

    def time_range(self) -> tuple[datetime, datetime] | None:
        row = self._one("SELECT MIN(created_at), MAX(created_at) FROM mentions")
        if row is None or row[0] is None:
            return None
        return dt(row[0]), dt(row[1])

    # -- alerts, state and bookkeeping ----------------------------------------------------------------

    def get_alert(self, alert_id: str) -> Alert | None:
        row = self._one(state.GET_ALERT, (alert_id,))
        return Alert.model_validate_json(row[0]) if row else None

    def list_alerts(self, flt: AlertFilter | None = None) -> list[Alert]:
        sql, params = state.list_alerts_sql(flt or AlertFilter())
        return [Alert.model_validate_json(r[0]) for r in self._all(sql, params)]

    def get_state(self, key: str) -> Any:
        row = self._one(state.GET_STATE, (key,))
        return json.loads(row[0]) if row else None

    def state_keys(self) -> list[str]:
        return [r[0] for r in self._all(state.STATE_KEYS)]

    def get_cursor(self, source: str) -> str | None:
        row = self._one(state.GET_CURSOR, (source,))
        return row[0] if row else None

    def cursors(self) -> dict[str, str]:
        return {source: cursor for source, cursor in self._all(state.CURSORS)}

    def source_runs(self, source: str | None = None, limit: int = 50) -> list[SourceRun]:
        sql, params = state.source_runs_sql(source, limit)
        return [SourceRun.model_validate_json(r[0]) for r in self._all(sql, params)]

    def close(self) -> None:
        with self._lock:
            self._conn.close()

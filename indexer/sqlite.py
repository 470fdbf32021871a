"""The embedded store: one SQLite file, WAL (the dashboard reads while the pipeline writes), FTS5.

Mentions are kept as their JSON record plus the columns that filters, facets and histograms
need; `raw` payloads sit in their own table so that reads of many mentions stay light.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from groundswell.errors import StoreError
from groundswell.query import Document, parse_query
from groundswell.records import Alert, EnrichedMention, Metrics, MetricsObservation, SourceRun
from indexer.base import AlertFilter, Bucket, FacetCount, FacetField, MentionQuery, UpsertResult
from indexer.fts import index_text, to_fts
from indexer.terms import count_terms

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS mentions (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    created_at REAL NOT NULL,
    lang TEXT,
    author TEXT,
    followers INTEGER NOT NULL DEFAULT 0,
    engagement INTEGER NOT NULL DEFAULT 0,
    sentiment TEXT,
    sentiment_score REAL,
    topic INTEGER,
    text TEXT NOT NULL,
    doc TEXT NOT NULL
);
-- every column a filter, facet, histogram or sort reads, keyed by time: a dashboard query over a
-- period reads this index only (mentions_created, its prefix, is gone)
CREATE INDEX IF NOT EXISTS mentions_period ON mentions(
    created_at, sentiment, source, lang, topic, author, followers, sentiment_score, engagement, id
);
DROP INDEX IF EXISTS mentions_created;
CREATE INDEX IF NOT EXISTS mentions_source ON mentions(source, created_at);
CREATE TABLE IF NOT EXISTS mention_brands (
    rid INTEGER NOT NULL, brand TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (brand, created_at, rid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mention_brands_rid ON mention_brands(rid);
CREATE TABLE IF NOT EXISTS mention_touchpoints (
    rid INTEGER NOT NULL, touchpoint TEXT NOT NULL, created_at REAL NOT NULL,
    PRIMARY KEY (touchpoint, created_at, rid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mention_touchpoints_rid ON mention_touchpoints(rid);
CREATE TABLE IF NOT EXISTS raw_payloads (rid INTEGER PRIMARY KEY, raw TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS metrics_history (
    mention_id TEXT NOT NULL, observed_at REAL NOT NULL,
    likes INTEGER, shares INTEGER, replies INTEGER, views INTEGER,
    PRIMARY KEY (mention_id, observed_at)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS mentions_fts USING fts5(body, content='', tokenize='unicode61');
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY, brand TEXT, kind TEXT, state TEXT, updated_at REAL, doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cursors (source TEXT PRIMARY KEY, cursor TEXT, updated_at REAL);
CREATE TABLE IF NOT EXISTS source_runs (
    source TEXT NOT NULL, started_at REAL NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (source, started_at)
);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_FACET_SQL = {
    "source": "SELECT m.source AS v, COUNT(*) FROM mentions m WHERE {w} GROUP BY v",
    "lang": "SELECT m.lang AS v, COUNT(*) FROM mentions m WHERE {w} GROUP BY v",
    "sentiment": "SELECT m.sentiment AS v, COUNT(*) FROM mentions m WHERE {w} GROUP BY v",
    "topic": "SELECT m.topic AS v, COUNT(*) FROM mentions m WHERE {w} GROUP BY v",
    "author": "SELECT m.author AS v, COUNT(*) FROM mentions m WHERE {w} GROUP BY v",
    "brand": "SELECT b.brand AS v, COUNT(*) FROM mentions m JOIN mention_brands b ON b.rid = m.rid "
    "WHERE {w} GROUP BY v",
    "touchpoint": "SELECT t.touchpoint AS v, COUNT(*) FROM mentions m "
    "JOIN mention_touchpoints t ON t.rid = m.rid WHERE {w} GROUP BY v",
}
_HITS_FACET_SQL = {
    **{
        f: f"SELECT h.{f} AS v, COUNT(*) FROM {{h}} h GROUP BY v"
        for f in ("source", "lang", "sentiment", "topic", "author")
    },
    "brand": "SELECT b.brand AS v, COUNT(*) FROM {h} h JOIN mention_brands b ON b.rid = h.rid GROUP BY v",
    "touchpoint": "SELECT t.touchpoint AS v, COUNT(*) FROM {h} h "
    "JOIN mention_touchpoints t ON t.rid = h.rid GROUP BY v",
}
_ORDER = {
    "newest": "m.created_at DESC",
    "oldest": "m.created_at ASC",
    "reach": "m.followers DESC",
    "engagement": "m.engagement DESC",
}


def _ts(value: datetime) -> float:
    return value.timestamp()


def _dt(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _gs_match(query: str, text: str, author: str | None) -> int:
    try:
        return int(parse_query(query).evaluate(Document(text, author)))
    except Exception:  # a bad query is reported before the SQL runs; never crash a scan
        return 0


class SQLiteStore:
    """The default `Store`. Thread-safe: one connection guarded by a lock (Streamlit shares it)."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        try:
            if not read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            uri = f"file:{self.path}?mode=ro" if read_only else f"file:{self.path}"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA cache_size=-65536")  # up to 64 MiB: a period's index pages stay hot
            self._conn.create_function("gs_match", 3, _gs_match, deterministic=True)
            if not read_only:
                self._conn.executescript(_SCHEMA)
                self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the SQLite store {self.path}: {exc}") from None
        self._lock = threading.RLock()
        self._hits_key: tuple[Any, ...] | None = None

    @classmethod
    def from_settings(cls, settings: Any, db_path: str | Path | None = None) -> SQLiteStore:
        from indexer.paths import default_db_path

        return cls(db_path or settings.store.path or default_db_path())

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
                result = self._upsert(conn, mentions)
                if source is not None and cursor is not None:
                    conn.execute(
                        "INSERT INTO cursors VALUES (?, ?, ?) ON CONFLICT(source) DO UPDATE "
                        "SET cursor = excluded.cursor, updated_at = excluded.updated_at",
                        (source, cursor, datetime.now(UTC).timestamp()),
                    )
                return result
        except sqlite3.Error as exc:
            raise StoreError(f"writing to {self.path} failed: {exc}") from None

    def upsert(self, mentions: Sequence[EnrichedMention]) -> UpsertResult:
        return self.commit_batch(mentions)

    def _upsert(self, conn: sqlite3.Connection, mentions: Sequence[EnrichedMention]) -> UpsertResult:
        result = UpsertResult()
        for m in mentions:
            row = conn.execute("SELECT rid, doc FROM mentions WHERE id = ?", (m.id,)).fetchone()
            doc = m.model_dump_json(exclude={"raw"})
            if row is None:
                rid = self._insert(conn, m, doc)
                result.new += 1
            else:
                rid, old_doc = row
                old = EnrichedMention.model_validate_json(old_doc)
                if old.metrics != m.metrics:
                    self._observe(conn, m)
                merged = merge_mention(old, m)
                merged_doc = merged.model_dump_json(exclude={"raw"})
                if merged_doc == old_doc:
                    result.unchanged += 1
                    continue
                conn.execute(  # contentless FTS5: deleting needs the indexed text back
                    "INSERT INTO mentions_fts (mentions_fts, rowid, body) VALUES ('delete', ?, ?)",
                    (rid, _fts_body(old)),
                )
                conn.execute("DELETE FROM mention_brands WHERE rid = ?", (rid,))
                conn.execute("DELETE FROM mention_touchpoints WHERE rid = ?", (rid,))
                conn.execute("DELETE FROM mentions WHERE rid = ?", (rid,))
                self._insert(conn, merged, merged_doc, rid=rid)
                result.updated += 1
                if m.raw is None:
                    continue
            if m.raw is not None:
                conn.execute("INSERT OR REPLACE INTO raw_payloads VALUES (?, ?)", (rid, json.dumps(m.raw)))
        return result

    def _insert(self, conn: sqlite3.Connection, m: EnrichedMention, doc: str, rid: int | None = None) -> int:
        created = _ts(m.created_at)
        cur = conn.execute(
            "INSERT INTO mentions (rid, id, source, created_at, lang, author, followers, engagement, "
            "sentiment, sentiment_score, topic, text, doc) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                rid,
                m.id,
                m.source,
                created,
                m.lang,
                m.author.handle or m.author.id,
                m.author.followers or 0,
                m.metrics.engagement,
                m.sentiment.label.value if m.sentiment else None,
                m.sentiment.score if m.sentiment else None,
                m.topic.id if m.topic else None,
                m.text,
                doc,
            ),
        )
        new_rid = int(cur.lastrowid)  # type: ignore[arg-type]
        conn.execute(
            "INSERT INTO mentions_fts (rowid, body) VALUES (?, ?)",
            (new_rid, _fts_body(m)),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO mention_brands VALUES (?, ?, ?)", [(new_rid, b, created) for b in m.brands]
        )
        conn.executemany(
            "INSERT OR IGNORE INTO mention_touchpoints VALUES (?, ?, ?)",
            [(new_rid, t, created) for t in m.touchpoints],
        )
        if rid is None:
            self._observe(conn, m)
        return new_rid

    def _observe(self, conn: sqlite3.Connection, m: EnrichedMention) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO metrics_history VALUES (?, ?, ?, ?, ?, ?)",
            (m.id, _ts(m.fetched_at), m.metrics.likes, m.metrics.shares, m.metrics.replies, m.metrics.views),
        )

    def get_cursor(self, source: str) -> str | None:
        row = self._one("SELECT cursor FROM cursors WHERE source = ?", (source,))
        return row[0] if row else None

    def record_source_run(self, run: SourceRun) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO source_runs VALUES (?, ?, ?)",
                (run.source, _ts(run.started_at), run.model_dump_json()),
            )

    def source_runs(self, source: str | None = None, limit: int = 50) -> list[SourceRun]:
        sql = "SELECT doc FROM source_runs {} ORDER BY started_at DESC LIMIT ?"
        params: tuple[Any, ...] = (limit,)
        if source is not None:
            sql, params = sql.format("WHERE source = ?"), (source, limit)
        else:
            sql = sql.format("")
        return [SourceRun.model_validate_json(r[0]) for r in self._all(sql, params)]

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
        """SQL condition for q; `exact=False` stops at the FTS superset (the caller checks the rest)."""
        clauses: list[str] = []
        params: list[Any] = []
        if q.since is not None:
            clauses.append("m.created_at >= ?")
            params.append(_ts(q.since))
        if q.until is not None:
            clauses.append("m.created_at < ?")
            params.append(_ts(q.until))
        for column, values in (("m.source", q.sources), ("m.lang", q.langs), ("m.sentiment", q.sentiments)):
            if values:
                clauses.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        if q.topics:
            clauses.append(f"m.topic IN ({','.join('?' * len(q.topics))})")
            params.extend(q.topics)
        if q.ids:
            clauses.append(f"m.id IN ({','.join('?' * len(q.ids))})")
            params.extend(q.ids)
        # the link tables carry created_at in their keys: bound them by time too, so a brand
        # filter walks the brand's mentions of the period, not of all time
        window, window_params = "", []
        if q.since is not None:
            window += " AND created_at >= ?"
            window_params.append(_ts(q.since))
        if q.until is not None:
            window += " AND created_at < ?"
            window_params.append(_ts(q.until))
        # With a period, its range of mentions_period drives and these rid lists are only probed
        # ("+" keeps SQLite from looking up one wide row per listed rid instead): a common word or
        # a big brand costs a list and an index scan, not 100k+ row reads. A rare word over a long
        # period pays the scan (~0.2 s for 1M mentions) where a rid lookup would have been instant.
        pin = "+" if window else ""
        for table, column, values in (
            ("mention_brands", "brand", q.brands),
            ("mention_touchpoints", "touchpoint", q.touchpoints),
        ):
            if values:
                marks = ",".join("?" * len(values))
                clauses.append(f"{pin}m.rid IN (SELECT rid FROM {table} WHERE {column} IN ({marks}){window})")
                params.extend([*values, *window_params])
        if q.text:
            node = parse_query(q.text)  # QuerySyntaxError reaches the caller with its position
            fts = to_fts(node)
            if fts is not None:
                clauses.append(f"{pin}m.rid IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?)")
                params.append(fts)
            if exact:
                clauses.append("gs_match(?, m.text, m.author)")
                params.append(q.text)
        return (" AND ".join(clauses) or "1"), params

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

    def state_keys(self) -> list[str]:
        return [r[0] for r in self._all("SELECT key FROM state ORDER BY key")]

    def cursors(self) -> dict[str, str]:
        return {
            source: cursor
            for source, cursor in self._all("SELECT source, cursor FROM cursors ORDER BY source")
        }

    def count(self, query: MentionQuery) -> int:
        if query.text:
            with self._lock:
                return int(self._one(f"SELECT COUNT(*) FROM {self._hits(query)}")[0])
        where, params = self._where(query)
        return int(self._one(f"SELECT COUNT(*) FROM mentions m WHERE {where}", params)[0])

    def search(
        self, query: MentionQuery, limit: int = 50, offset: int = 0, order: str = "newest"
    ) -> list[EnrichedMention]:
        if order not in _ORDER:
            raise ValueError(f"unknown order {order!r}; use one of {', '.join(_ORDER)}")
        if query.text:
            return self._search_text(query, limit, offset, order)
        where, params = self._where(query)
        # the page's rids first (read from mentions_period alone), then only their documents
        rows = self._all(
            f"SELECT m.rid FROM mentions m WHERE {where} ORDER BY {_ORDER[order]}, m.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return self._docs([r[0] for r in rows])

    def _search_text(self, query: MentionQuery, limit: int, offset: int, order: str) -> list[EnrichedMention]:
        """FTS candidates in the requested order, checked exactly until the page is full.

        A page of a common word then costs ~offset+limit exact checks instead of one per match.
        """
        node = parse_query(query.text or "")
        where, params = self._where(query, exact=False)
        wanted, kept = offset + limit, []
        try:
            with self._lock:
                cur = self._conn.execute(
                    f"SELECT m.rid, m.text, m.author FROM mentions m WHERE {where} ORDER BY {_ORDER[order]}, m.id",
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
        return [EnrichedMention.model_validate_json(docs[rid]) for rid in rids]

    def histogram(
        self, query: MentionQuery, interval: timedelta, group_by: FacetField | None = None
    ) -> list[Bucket]:
        step = interval.total_seconds()
        if step <= 0:
            raise ValueError("histogram interval must be positive")
        where, params = self._where(query)
        key_sql, join = "NULL", ""
        if group_by is not None:
            key_sql, join = _group_column(group_by)
        rows = self._all(
            f"SELECT CAST(m.created_at / ? AS INTEGER) AS b, {key_sql} AS k, COUNT(*), "
            f"COALESCE(SUM(m.sentiment_score), 0), COALESCE(SUM(m.followers), 0) "
            f"FROM mentions m {join} WHERE {where} GROUP BY b, k ORDER BY b, k",
            [step, *params],
        )
        return [
            Bucket(_dt(b * step), None if k is None else str(k), int(n), float(s), int(r))
            for b, k, n, s, r in rows
        ]

    def facets(self, query: MentionQuery, field: FacetField, size: int = 10) -> list[FacetCount]:
        if field not in _FACET_SQL:
            raise ValueError(f"unknown facet {field!r}; use one of {', '.join(_FACET_SQL)}")
        # HAVING drops the NULL group before LIMIT, so `size` values come back even when many lack one.
        having = " HAVING v IS NOT NULL ORDER BY 2 DESC, 1 LIMIT ?"
        if query.text or query.brands or query.touchpoints:
            with self._lock:
                rows = self._all(_HITS_FACET_SQL[field].format(h=self._hits(query)) + having, [size])
        else:
            where, params = self._where(query)
            rows = self._all(_FACET_SQL[field].format(w=where) + having, [*params, size])
        return [FacetCount(str(v), int(n)) for v, n in rows if v is not None]

    def _hits(self, query: MentionQuery) -> str:
        """A temp table of the query's matches with their facet columns (call under the lock).

        Explore asks one query for its count and seven facets. A text query's exact check costs a
        Python call per candidate, and a brand or touchpoint filter builds its list of rids, so
        such queries find their matches once; the table is kept until the next such query or any
        write (ours: total_changes; another connection's: data_version).
        """
        where, params = self._where(query)
        version = self._one("PRAGMA data_version")[0]
        if self._hits_key == (where, tuple(params), version, self._conn.total_changes):
            return "temp.gs_hits"
        try:
            self._conn.execute("DROP TABLE IF EXISTS temp.gs_hits")
            self._conn.execute(
                "CREATE TEMP TABLE gs_hits AS SELECT m.rid, m.source, m.lang, m.sentiment, m.topic, m.author "
                f"FROM mentions m WHERE {where}",
                params,
            )
        except sqlite3.Error as exc:
            self._hits_key = None
            raise StoreError(f"query on {self.path} failed: {exc}") from None
        self._hits_key = (where, tuple(params), version, self._conn.total_changes)
        return "temp.gs_hits"

    def top_terms(self, query: MentionQuery, size: int = 20) -> list[FacetCount]:
        where, params = self._where(query)
        rows = self._all(
            f"SELECT m.text, m.lang FROM mentions m WHERE {where} ORDER BY m.created_at DESC LIMIT 5000",
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
                observed_at=_dt(t),
                metrics=Metrics(likes=li, shares=sh, replies=re_, views=vi),
            )
            for t, li, sh, re_, vi in rows
        ]

    def time_range(self) -> tuple[datetime, datetime] | None:
        row = self._one("SELECT MIN(created_at), MAX(created_at) FROM mentions")
        if row is None or row[0] is None:
            return None
        return _dt(row[0]), _dt(row[1])

    # -- alerts and state ---------------------------------------------------------------------------

    def save_alert(self, alert: Alert) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO alerts VALUES (?, ?, ?, ?, ?, ?)",
                (
                    alert.id,
                    alert.brand,
                    alert.kind,
                    alert.state.value,
                    _ts(alert.updated_at),
                    alert.model_dump_json(),
                ),
            )

    def get_alert(self, alert_id: str) -> Alert | None:
        row = self._one("SELECT doc FROM alerts WHERE id = ?", (alert_id,))
        return Alert.model_validate_json(row[0]) if row else None

    def list_alerts(self, flt: AlertFilter | None = None) -> list[Alert]:
        flt = flt or AlertFilter()
        clauses, params = [], []
        for column, values in (
            ("brand", flt.brands),
            ("state", tuple(s.value for s in flt.states)),
            ("kind", flt.kinds),
        ):
            if values:
                clauses.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        if flt.since is not None:
            clauses.append("updated_at >= ?")
            params.append(_ts(flt.since))
        where = " AND ".join(clauses) or "1"
        rows = self._all(
            f"SELECT doc FROM alerts WHERE {where} ORDER BY updated_at DESC LIMIT ?", [*params, flt.limit]
        )
        return [Alert.model_validate_json(r[0]) for r in rows]

    def get_state(self, key: str) -> Any:
        row = self._one("SELECT value FROM state WHERE key = ?", (key,))
        return json.loads(row[0]) if row else None

    def set_state(self, key: str, value: Any) -> None:
        with self._tx() as conn:
            conn.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (key, json.dumps(value)))

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _fts_body(m: EnrichedMention) -> str:
    return index_text(" ".join(filter(None, [m.title, m.text])))


def _group_column(group_by: str) -> tuple[str, str]:
    if group_by == "brand":
        return "g.brand", "JOIN mention_brands g ON g.rid = m.rid"
    if group_by == "touchpoint":
        return "g.touchpoint", "JOIN mention_touchpoints g ON g.rid = m.rid"
    if group_by in {"source", "lang", "sentiment", "topic", "author"}:
        return f"m.{group_by}", ""
    raise ValueError(f"cannot group by {group_by!r}")


def merge_mention(old: EnrichedMention, new: EnrichedMention) -> EnrichedMention:
    """The same post seen again: newest counters and enrichment, earliest creation, brands united.

    Every backend merges with this one function, so they agree on what an update keeps.
    """
    merged = new.model_copy(
        update={
            "created_at": min(old.created_at, new.created_at),
            "brands": sorted(set(old.brands) | set(new.brands)),
            "sentiment": new.sentiment or old.sentiment,
            "topic": new.topic or old.topic,
            "touchpoints": new.touchpoints or old.touchpoints,
        }
    )
    if new.fetched_at < old.fetched_at:  # an older observation arriving late keeps the newer counters
        merged = merged.model_copy(update={"metrics": old.metrics, "fetched_at": old.fetched_at})
    if merged.model_copy(update={"fetched_at": old.fetched_at, "raw": old.raw}) == old:
        return old  # seen again with nothing new: a duplicate, not an update
    return merged

"""The SQLite store's tables, how values are kept in them, and the upgrade of older files.

Times are stored as POSIX seconds (REAL) in UTC. `open_connection` applies the schema (and any
migration) when the file is opened for writing; a read-only connection takes the file as it is.

Versions (PRAGMA user_version):
1. mentions, their links, a contentless FTS5 body (title and text), alerts and bookkeeping.
2. mention_authors: a second contentless FTS5 table holding each mention's author, so
   `@handle` finds a handle's posts without reading every row. Opening a version-1 file for
   writing fills it from mentions.author; mentions_fts is unchanged, so none of its rows has to
   be rewritten.
3. mentions.complaint: the complaint flag enrichment computes (groundswell.complaint), so every
   reader filters on one stored definition. Opening an older file for writing adds the column,
   fills it from each stored record (the same rule, applied to its stored sentiment) and rebuilds
   the period index with the flag in it.
4. index_text joins Hangul runs across spaces and adds the Latin head of `lumio의`: opening an
   older file for writing rebuilds mentions_fts and mention_authors from the stored mentions.
5. mentions.rating (stars, 1-5) as a column with a partial index, so the rated posts of a brand
   (what `sentiment adapt` trains on) are found without reading every document. Opening an older
   file for writing adds the column and fills it from each document's `rating`.
6. Text stored HTML-escaped (`AT&amp;T`, from X exports and scraped pages, before mappers
   unescaped at read time) is unescaped once (groundswell.html_entities.unescape_once) in each
   document's text and title and in mentions.text. A row whose raw payload no longer holds the
   stored text verbatim was already unescaped when read (a post that literally says `&amp;`) and
   is left alone; a row without a raw payload is taken as escaped. The full-text index is
   unchanged: index_text unescapes until none is left, so its body is the same either way.
   Rows written after the upgrade are never touched again (the migration runs once per file).
7. mention_entities: the named entities enrichment finds (nlp/entities.py), one row per mention and
   entity, keyed like mention_touchpoints so an entity filter or facet reads an index. Opening an
   older file for writing fills it from each document's `entities` (none before this version; a file
   an older version wrote to after an upgrade is repaired, as the table is rebuilt whole).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from groundswell.html_entities import has_entity, unescape_once
from groundswell.indexer.fts import index_text
from groundswell.records import EnrichedMention

SCHEMA_VERSION = 7
SCHEMA = """
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
    rating REAL,
    text TEXT NOT NULL,
    doc TEXT NOT NULL,
    complaint INTEGER NOT NULL DEFAULT 0
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
CREATE TABLE IF NOT EXISTS mention_entities (
    rid INTEGER NOT NULL, entity TEXT NOT NULL, created_at REAL NOT NULL,
    PRIMARY KEY (entity, created_at, rid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mention_entities_rid ON mention_entities(rid);
-- each mention's author (handle, or id without one) as index_text makes it, rowid = the mention's rid:
-- FTS5 buffers its inserts, where a B-tree keyed by handle would rewrite a random page per mention
CREATE VIRTUAL TABLE IF NOT EXISTS mention_authors USING fts5(author, content='', tokenize='unicode61');
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


def ts(value: datetime) -> float:
    return value.timestamp()


def dt(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def author_body(author: str | None) -> str | None:
    """What mention_authors indexes for the author column (normalised words, Hangul bigrams).

    A contentless FTS5 row is deleted with the very text it was indexed with: changing this
    formula needs a migration that rebuilds mention_authors (as _migrate does).
    """
    return index_text(author) if author else None


def _fts_body_of_doc(doc: str) -> str:
    """sqlite_write.fts_body of a stored mention document (its title and text)."""
    obj = json.loads(doc)
    return index_text(" ".join(filter(None, [obj.get("title"), obj.get("text")])))


def has_author_index(conn: sqlite3.Connection) -> bool:
    """Whether mention_authors is complete: a file another version last opened may lack it."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 2


def open_connection(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A WAL connection to the file; opened for writing, the schema is created or brought up to date."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA cache_size=-65536")  # up to 64 MiB: a period's index pages stay hot
    if not read_only:
        conn.executescript(SCHEMA)
        _migrate(conn)
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a file written by an older version (or a new, empty one) to SCHEMA_VERSION.

    One transaction, the version re-read inside it: two processes opening the same old file do
    the work once. mention_authors is rebuilt whole from mentions.author, so running it again
    (after an older version reopened the file, wrote and set user_version back) repairs it.
    """
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= SCHEMA_VERSION:
        return  # the usual case: nothing to do, no write lock taken
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version < 4:
            conn.create_function("gs_fts_body", 1, _fts_body_of_doc, deterministic=True)
            conn.execute("INSERT INTO mentions_fts (mentions_fts) VALUES ('delete-all')")
            conn.execute("INSERT INTO mentions_fts (rowid, body) SELECT rid, gs_fts_body(doc) FROM mentions")
            conn.create_function("gs_author_body", 1, author_body, deterministic=True)
            conn.execute("INSERT INTO mention_authors (mention_authors) VALUES ('delete-all')")
            conn.execute(
                "INSERT INTO mention_authors (rowid, author) "
                "SELECT rid, gs_author_body(author) FROM mentions WHERE author IS NOT NULL AND author != ''"
            )
        if version < 3:
            _add_complaint_flag(conn)
        if version < 5:
            columns = {row[1] for row in conn.execute("PRAGMA table_info(mentions)")}
            if "rating" not in columns:
                conn.execute("ALTER TABLE mentions ADD COLUMN rating REAL")
            conn.execute("UPDATE mentions SET rating = json_extract(doc, '$.rating') WHERE rating IS NULL")
            conn.execute(
                "CREATE INDEX IF NOT EXISTS mentions_rated ON mentions(rating) WHERE rating IS NOT NULL"
            )
        if version < 6:
            unescape_stored_text(conn)
        if version < 7:
            fill_entities(conn)
        if version < SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# every column a filter, facet, histogram or sort reads, keyed by time: a dashboard query over a
# period reads this index only
PERIOD_INDEX = """
CREATE INDEX IF NOT EXISTS mentions_period_v3 ON mentions(
    created_at, complaint, sentiment, source, lang, topic, author, followers, sentiment_score, engagement, id
)"""


def unescape_stored_text(conn: sqlite3.Connection) -> int:
    """Version 6: stored text and titles unescaped once (see the module docstring); rows changed."""
    rows = conn.execute(
        "SELECT m.rid, m.doc, r.raw FROM mentions m LEFT JOIN raw_payloads r ON r.rid = m.rid "
        "WHERE instr(m.doc, '&') > 0"
    )
    updates = []
    for rid, doc, raw in rows:
        new_doc = unescaped_doc(doc, raw)
        if new_doc is not None:
            updates.append((new_doc, json.loads(new_doc)["text"], rid))
    conn.executemany("UPDATE mentions SET doc = ?, text = ? WHERE rid = ?", updates)
    return len(updates)


def unescaped_doc(doc: str, raw: str | None) -> str | None:
    """The document with its escaped text/title unescaped once, or None when nothing changes."""
    mention = EnrichedMention.model_validate_json(doc)
    originals = _strings(json.loads(raw)) if raw else None
    changes: dict[str, str | None] = {}
    for name in ("text", "title"):
        value = getattr(mention, name)
        if not has_entity(value):
            continue
        escaped_parts = [p for p in value.split("\n\n") if has_entity(p)]
        if originals is not None and not all(any(p in s for s in originals) for p in escaped_parts):
            continue  # the payload holds another form: unescaped when it was read
        changes[name] = unescape_once(value)
    if not changes:
        return None
    return mention.model_copy(update=changes).model_dump_json(exclude={"raw"})


def _strings(node: object) -> list[str]:
    """Every string in a JSON value (the raw payload's fields, however deep)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def fill_entities(conn: sqlite3.Connection) -> None:
    """Version 7: mention_entities rebuilt from each stored document's `entities`."""
    conn.execute("DELETE FROM mention_entities")
    conn.execute(
        "INSERT OR IGNORE INTO mention_entities (rid, entity, created_at) "
        "SELECT m.rid, e.value, m.created_at FROM mentions m, json_each(m.doc, '$.entities') e "
        "WHERE json_type(m.doc, '$.entities') = 'array' AND e.type = 'text'"
    )


def has_entity_table(conn: sqlite3.Connection) -> bool:
    """Whether mention_entities is complete: an older file opened read-only lacks it."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 7


def has_rating_column(conn: sqlite3.Connection) -> bool:
    """Whether mentions.rating exists: a file older than version 5 opened read-only lacks it."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 5


def has_complaint_column(conn: sqlite3.Connection) -> bool:
    """Whether mentions.complaint exists: an older file opened read-only lacks it."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 3


def stored_complaint(doc: str) -> int:
    """The complaint flag of a stored record (registered on connections as gs_stored_complaint)."""
    return int(EnrichedMention.model_validate_json(doc).complaint)


def _add_complaint_flag(conn: sqlite3.Connection) -> None:
    """Version 3: the complaint column, filled from each stored record, and the period index with it."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(mentions)")}
    if "complaint" not in columns:
        conn.execute("ALTER TABLE mentions ADD COLUMN complaint INTEGER NOT NULL DEFAULT 0")
    conn.create_function("gs_stored_complaint", 1, stored_complaint, deterministic=True)
    conn.execute("UPDATE mentions SET complaint = gs_stored_complaint(doc)")
    conn.execute("DROP INDEX IF EXISTS mentions_period")
    conn.execute(PERIOD_INDEX)

"""The SQLite store's write path: upserting mentions (with their links, FTS row and metrics history).

Every function here runs inside the caller's transaction; none commits.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from groundswell.indexer.base import UpsertResult
from groundswell.indexer.fts import index_text
from groundswell.indexer.sqlite_schema import author_body, ts
from groundswell.records import EnrichedMention


def fts_body(m: EnrichedMention) -> str:
    """The text indexed in mentions_fts; deleting a row from the contentless table needs it back exactly."""
    return index_text(" ".join(filter(None, [m.title, m.text])))


def upsert(conn: sqlite3.Connection, mentions: Sequence[EnrichedMention]) -> UpsertResult:
    result = UpsertResult()
    for m in mentions:
        row = conn.execute("SELECT rid, doc FROM mentions WHERE id = ?", (m.id,)).fetchone()
        doc = m.model_dump_json(exclude={"raw"})
        if row is None:
            rid = _insert(conn, m, doc)
            result.new += 1
        else:
            rid, old_doc = row
            old = EnrichedMention.model_validate_json(old_doc)
            if old.metrics != m.metrics:
                _observe(conn, m)
            merged = merge_mention(old, m)
            merged_doc = merged.model_dump_json(exclude={"raw"})
            if merged_doc == old_doc:
                result.unchanged += 1
                continue
            conn.execute(  # contentless FTS5: deleting needs the indexed text back
                "INSERT INTO mentions_fts (mentions_fts, rowid, body) VALUES ('delete', ?, ?)",
                (rid, fts_body(old)),
            )
            conn.execute("DELETE FROM mention_brands WHERE rid = ?", (rid,))
            conn.execute("DELETE FROM mention_touchpoints WHERE rid = ?", (rid,))
            conn.execute("DELETE FROM mention_entities WHERE rid = ?", (rid,))
            _delete_author(conn, rid, old)
            conn.execute("DELETE FROM mentions WHERE rid = ?", (rid,))
            _insert(conn, merged, merged_doc, rid=rid)
            result.updated += 1
            if m.raw is None:
                continue
        if m.raw is not None:
            conn.execute("INSERT OR REPLACE INTO raw_payloads VALUES (?, ?)", (rid, json.dumps(m.raw)))
    return result


def save_cursor(conn: sqlite3.Connection, source: str, cursor: str) -> None:
    conn.execute(
        "INSERT INTO cursors VALUES (?, ?, ?) ON CONFLICT(source) DO UPDATE "
        "SET cursor = excluded.cursor, updated_at = excluded.updated_at",
        (source, cursor, datetime.now(UTC).timestamp()),
    )


def _insert(conn: sqlite3.Connection, m: EnrichedMention, doc: str, rid: int | None = None) -> int:
    created = ts(m.created_at)
    author = m.author.handle or m.author.id
    cur = conn.execute(
        "INSERT INTO mentions (rid, id, source, created_at, lang, author, followers, engagement, "
        "sentiment, sentiment_score, topic, rating, text, doc, complaint) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            rid,
            m.id,
            m.source,
            created,
            m.lang,
            author,
            m.author.followers or 0,
            m.metrics.engagement,
            m.sentiment.label.value if m.sentiment else None,
            m.sentiment.score if m.sentiment else None,
            m.topic.id if m.topic else None,
            m.rating,
            m.text,
            doc,
            int(m.complaint),
        ),
    )
    new_rid = int(cur.lastrowid)  # type: ignore[arg-type]
    conn.execute(
        "INSERT INTO mentions_fts (rowid, body) VALUES (?, ?)",
        (new_rid, fts_body(m)),
    )
    body = author_body(author)
    if body is not None:
        conn.execute("INSERT INTO mention_authors (rowid, author) VALUES (?, ?)", (new_rid, body))
    conn.executemany(
        "INSERT OR IGNORE INTO mention_brands VALUES (?, ?, ?)", [(new_rid, b, created) for b in m.brands]
    )
    conn.executemany(
        "INSERT OR IGNORE INTO mention_touchpoints VALUES (?, ?, ?)",
        [(new_rid, t, created) for t in m.touchpoints],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO mention_entities VALUES (?, ?, ?)", [(new_rid, e, created) for e in m.entities]
    )
    if rid is None:
        _observe(conn, m)
    return new_rid


def _delete_author(conn: sqlite3.Connection, rid: int, old: EnrichedMention) -> None:
    body = author_body(old.author.handle or old.author.id)  # what _insert indexed for it
    if body is not None:
        conn.execute(
            "INSERT INTO mention_authors (mention_authors, rowid, author) VALUES ('delete', ?, ?)",
            (rid, body),
        )


def _observe(conn: sqlite3.Connection, m: EnrichedMention) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO metrics_history VALUES (?, ?, ?, ?, ?, ?)",
        (m.id, ts(m.fetched_at), m.metrics.likes, m.metrics.shares, m.metrics.replies, m.metrics.views),
    )


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
            "entities": new.entities or old.entities,
            "rating": new.rating if new.rating is not None else old.rating,
            "rating_scale": new.rating_scale if new.rating is not None else old.rating_scale,
        }
    )
    if new.fetched_at < old.fetched_at:  # an older observation arriving late keeps the newer counters
        merged = merged.model_copy(update={"metrics": old.metrics, "fetched_at": old.fetched_at})
    if merged.model_copy(update={"fetched_at": old.fetched_at, "raw": old.raw}) == old:
        return old  # seen again with nothing new: a duplicate, not an update
    return merged

"""MentionQuery -> SQL for the SQLite store: the filters, the full-text prefilter, the exact check.

The SQL condition reads the mentions table as `m`. A text query is narrowed to a superset of its
matches by FTS5 (see indexer.fts), mention_authors too for `@handle`, which also matches a
post's author, and then checked exactly by `gs_match`, the query language's own
evaluation, so the store returns what groundswell.query accepts, no more, no fewer.
"""

from __future__ import annotations

from typing import Any

from groundswell.indexer.base import MentionQuery
from groundswell.indexer.fts import to_fts, word_to_fts
from groundswell.indexer.sqlite_schema import ts
from groundswell.query import And, Document, Node, Not, Or, Tagged, parse_query

ORDER = {
    "newest": "m.created_at DESC",
    "oldest": "m.created_at ASC",
    "reach": "m.followers DESC",
    "engagement": "m.engagement DESC",
}


def gs_match(query: str, text: str, author: str | None) -> int:
    """The exact check, registered on each connection as the SQL function gs_match(query, text, author)."""
    try:
        return int(parse_query(query).evaluate(Document(text, author)))
    except Exception:  # a bad query is reported before the SQL runs; never crash a scan
        return 0


def where(
    q: MentionQuery,
    exact: bool = True,
    authors: bool = True,
    complaint_column: bool = True,
    rating_column: bool = True,
    entity_table: bool = True,
) -> tuple[str, list[Any]]:
    """SQL condition for q; `exact=False` stops at the indexed superset (the caller checks the rest).

    `authors=False` leaves mention_authors out (a file another version wrote may lack it): an
    `@handle` query is then found by the exact check alone. `complaint_column=False` (an older file
    opened read-only) reads the complaint flag from each stored record instead; `rating_column=False`
    likewise reads the rating from each record, and `entity_table=False` the entities.
    """
    clauses: list[str] = []
    params: list[Any] = []
    if q.since is not None:
        clauses.append("m.created_at >= ?")
        params.append(ts(q.since))
    if q.until is not None:
        clauses.append("m.created_at < ?")
        params.append(ts(q.until))
    for column, values in (("m.source", q.sources), ("m.lang", q.langs), ("m.sentiment", q.sentiments)):
        if values:
            clauses.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(values)
    if q.complaint is not None:
        clauses.append("m.complaint = ?" if complaint_column else "gs_stored_complaint(m.doc) = ?")
        params.append(int(q.complaint))
    if q.topics:
        clauses.append(f"m.topic IN ({','.join('?' * len(q.topics))})")
        params.extend(q.topics)
    if q.rated:
        clauses.append(
            "m.rating IS NOT NULL" if rating_column else "json_extract(m.doc, '$.rating') IS NOT NULL"
        )
    if q.entities and not entity_table:
        marks = ",".join("?" * len(q.entities))
        clauses.append(f"EXISTS (SELECT 1 FROM json_each(m.doc, '$.entities') WHERE value IN ({marks}))")
        params.extend(q.entities)
    if q.ids:
        clauses.append(f"m.id IN ({','.join('?' * len(q.ids))})")
        params.extend(q.ids)
    # the link tables carry created_at in their keys: bound them by time too, so a brand
    # filter walks the brand's mentions of the period, not of all time
    window, window_params = "", []
    if q.since is not None:
        window += " AND created_at >= ?"
        window_params.append(ts(q.since))
    if q.until is not None:
        window += " AND created_at < ?"
        window_params.append(ts(q.until))
    # With a period, its range of mentions_period drives and these rid lists are only probed
    # ("+" keeps SQLite from looking up one wide row per listed rid instead): a common word or
    # a big brand costs a list and an index scan, not 100k+ row reads. A rare word over a long
    # period pays the scan (~0.2 s for 1M mentions) where a rid lookup would have been instant.
    pin = "+" if window else ""
    for table, column, values in (
        ("mention_brands", "brand", q.brands),
        ("mention_touchpoints", "touchpoint", q.touchpoints),
        ("mention_entities", "entity", q.entities if entity_table else ()),
    ):
        if values:
            marks = ",".join("?" * len(values))
            clauses.append(f"{pin}m.rid IN (SELECT rid FROM {table} WHERE {column} IN ({marks}){window})")
            params.extend([*values, *window_params])
    if q.text:
        node = parse_query(q.text)  # QuerySyntaxError reaches the caller with its position
        found = candidates(node) if authors else _fts_rids(to_fts(node))
        if found is not None:
            clauses.append(f"{pin}m.rid IN ({found[0]})")
            params.extend(found[1])
        if exact:
            clauses.append("gs_match(?, m.text, m.author)")
            params.append(q.text)
    return (" AND ".join(clauses) or "1"), params


Rids = tuple[str, list[Any]]  # a SELECT of one column of rids, and its parameters
_FTS_RIDS = "SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?"


def candidates(node: Node) -> Rids | None:
    """A SELECT of a superset of the rids that match node, or None when no index narrows it.

    A query without `@handle` is one mentions_fts MATCH. `@name` matches the marked word in the
    text or the author, so it is the UNION of the same MATCH on mentions_fts and mention_authors
    (both index their text with indexer.fts.index_text). AND and OR combine parts as INTERSECT
    and UNION; AND keeps its handle-free parts together in one MATCH.
    """
    if not _has_handle(node):
        return _fts_rids(to_fts(node))
    if isinstance(node, Tagged):  # an "@" one: _has_handle
        expr = word_to_fts(node.name)
        if expr is None:
            return None  # `@김` (one syllable), `@*fan`: FTS cannot find these inside words
        sql = "SELECT rowid FROM mention_authors WHERE mention_authors MATCH ?"
        return f"{sql} UNION {_FTS_RIDS}", [expr, expr]
    if isinstance(node, And):
        plain = [c for c in node.children if not _has_handle(c)]
        parts = [candidates(c) for c in node.children if _has_handle(c)]
        if plain:
            parts.append(_fts_rids(to_fts(plain[0] if len(plain) == 1 else And(tuple(plain)))))
        return _compound("INTERSECT", [p for p in parts if p is not None])
    if isinstance(node, Or):
        parts = [candidates(c) for c in node.children]
        if any(p is None for p in parts):
            return None
        return _compound("UNION", parts)  # type: ignore[arg-type]
    return None  # Not: excluding a superset would drop true matches; the exact check does it


def _has_handle(node: Node) -> bool:
    """Whether node can match on the author: an `@` term outside NEAR (NEAR counts text positions)."""
    if isinstance(node, Tagged):
        return node.kind == "@"
    if isinstance(node, And | Or):
        return any(_has_handle(c) for c in node.children)
    if isinstance(node, Not):
        return _has_handle(node.child)
    return False


def _fts_rids(expr: str | None) -> Rids | None:
    return None if expr is None else (_FTS_RIDS, [expr])


def _compound(op: str, parts: list[Rids]) -> Rids | None:
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    # SQLite takes no parentheses in a compound SELECT: each part that is one goes in a subquery
    sql = f" {op} ".join(
        p[0] if " UNION " not in p[0] and " INTERSECT " not in p[0] else f"SELECT * FROM ({p[0]})"
        for p in parts
    )
    return sql, [v for p in parts for v in p[1]]

"""MentionQuery -> SQL for the SQLite store: the filters, the full-text prefilter, the exact check.

The SQL condition reads the mentions table as `m`. A text query is narrowed by FTS5 (a superset,
see indexer.fts) and then checked exactly by `gs_match`, the query language's own evaluation, so
the store returns what groundswell.query accepts, no more, no fewer.
"""

from __future__ import annotations

from typing import Any

from groundswell.query import Document, parse_query
from indexer.base import MentionQuery
from indexer.fts import to_fts
from indexer.sqlite_schema import ts

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


def where(q: MentionQuery, exact: bool = True) -> tuple[str, list[Any]]:
    """SQL condition for q; `exact=False` stops at the FTS superset (the caller checks the rest)."""
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

"""Aggregations over the SQLite store: facet and histogram SQL, and the reusable table of a query's hits."""

from __future__ import annotations

import sqlite3
from typing import Any

FACET_SQL = {
    "source": "SELECT m.source AS v, COUNT(*) FROM mentions m WHERE {w} GROUP BY v",
    "lang": "SELECT m.lang AS v, COUNT(*) FROM mentions m WHERE {w} GROUP BY v",
    "sentiment": "SELECT m.sentiment AS v, COUNT(*) FROM mentions m WHERE {w} GROUP BY v",
    "topic": "SELECT m.topic AS v, COUNT(*) FROM mentions m WHERE {w} GROUP BY v",
    "author": "SELECT m.author AS v, COUNT(*) FROM mentions m WHERE {w} GROUP BY v",
    "brand": "SELECT b.brand AS v, COUNT(*) FROM mentions m JOIN mention_brands b ON b.rid = m.rid "
    "WHERE {w} GROUP BY v",
    "touchpoint": "SELECT t.touchpoint AS v, COUNT(*) FROM mentions m "
    "JOIN mention_touchpoints t ON t.rid = m.rid WHERE {w} GROUP BY v",
    "entity": "SELECT e.entity AS v, COUNT(*) FROM mentions m "
    "JOIN mention_entities e ON e.rid = m.rid WHERE {w} GROUP BY v",
}
HITS_FACET_SQL = {
    **{
        f: f"SELECT h.{f} AS v, COUNT(*) FROM {{h}} h GROUP BY v"
        for f in ("source", "lang", "sentiment", "topic", "author")
    },
    "brand": "SELECT b.brand AS v, COUNT(*) FROM {h} h JOIN mention_brands b ON b.rid = h.rid GROUP BY v",
    "touchpoint": "SELECT t.touchpoint AS v, COUNT(*) FROM {h} h "
    "JOIN mention_touchpoints t ON t.rid = h.rid GROUP BY v",
    "entity": "SELECT e.entity AS v, COUNT(*) FROM {h} h JOIN mention_entities e ON e.rid = h.rid GROUP BY v",
}
# HAVING drops the NULL group before LIMIT, so `size` values come back even when many lack one.
FACET_TAIL = " HAVING v IS NOT NULL ORDER BY 2 DESC, 1 LIMIT ?"


def histogram_sql(where: str, group_by: str | None) -> str:
    """Buckets of `created_at / ?` (the interval in seconds is the first parameter), then where's."""
    key_sql, join = ("NULL", "") if group_by is None else group_column(group_by)
    return (
        f"SELECT CAST(m.created_at / ? AS INTEGER) AS b, {key_sql} AS k, COUNT(*), "
        f"COALESCE(SUM(m.sentiment_score), 0), COALESCE(SUM(m.followers), 0) "
        f"FROM mentions m {join} WHERE {where} GROUP BY b, k ORDER BY b, k"
    )


def group_column(group_by: str) -> tuple[str, str]:
    if group_by == "brand":
        return "g.brand", "JOIN mention_brands g ON g.rid = m.rid"
    if group_by == "touchpoint":
        return "g.touchpoint", "JOIN mention_touchpoints g ON g.rid = m.rid"
    if group_by == "entity":
        return "g.entity", "JOIN mention_entities g ON g.rid = m.rid"
    if group_by in {"source", "lang", "sentiment", "topic", "author"}:
        return f"m.{group_by}", ""
    raise ValueError(f"cannot group by {group_by!r}")


class HitsTable:
    """A temp table of one query's matches with their facet columns (use under the store's lock).

    Explore asks one query for its count and seven facets. A text query's exact check costs a
    Python call per candidate, and a brand or touchpoint filter builds its list of rids, so
    such queries find their matches once; the table is kept until the next such query or any
    write (ours: total_changes; another connection's: data_version).
    """

    NAME = "temp.gs_hits"

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None

    def fill(self, conn: sqlite3.Connection, where: str, params: list[Any]) -> str:
        """The table's name, (re)built for this condition unless it already holds its hits."""
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if self._key == (where, tuple(params), version, conn.total_changes):
            return self.NAME
        try:
            conn.execute("DROP TABLE IF EXISTS temp.gs_hits")
            conn.execute(
                "CREATE TEMP TABLE gs_hits AS SELECT m.rid, m.source, m.lang, m.sentiment, m.topic, m.author "
                f"FROM mentions m WHERE {where}",
                params,
            )
        except sqlite3.Error:
            self._key = None
            raise
        self._key = (where, tuple(params), version, conn.total_changes)
        return self.NAME

"""The SQLite store's bookkeeping beside the mentions: alerts, key/value state, cursors, source runs.

Writes run inside the caller's transaction; reads are (sql, params) pairs the store executes.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from groundswell.indexer.base import AlertFilter
from groundswell.indexer.sqlite_schema import ts
from groundswell.records import Alert, SourceRun

GET_ALERT = "SELECT doc FROM alerts WHERE id = ?"
GET_STATE = "SELECT value FROM state WHERE key = ?"
STATE_KEYS = "SELECT key FROM state ORDER BY key"
GET_CURSOR = "SELECT cursor FROM cursors WHERE source = ?"
CURSORS = "SELECT source, cursor FROM cursors ORDER BY source"


def save_alert(conn: sqlite3.Connection, alert: Alert) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO alerts VALUES (?, ?, ?, ?, ?, ?)",
        (alert.id, alert.brand, alert.kind, alert.state.value, ts(alert.updated_at), alert.model_dump_json()),
    )


def list_alerts_sql(flt: AlertFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
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
        params.append(ts(flt.since))
    where = " AND ".join(clauses) or "1"
    return f"SELECT doc FROM alerts WHERE {where} ORDER BY updated_at DESC LIMIT ?", [*params, flt.limit]


def set_state(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (key, json.dumps(value)))


def record_source_run(conn: sqlite3.Connection, run: SourceRun) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO source_runs VALUES (?, ?, ?)",
        (run.source, ts(run.started_at), run.model_dump_json()),
    )


def source_runs_sql(source: str | None, limit: int) -> tuple[str, tuple[Any, ...]]:
    if source is None:
        return "SELECT doc FROM source_runs ORDER BY started_at DESC LIMIT ?", (limit,)
    return "SELECT doc FROM source_runs WHERE source = ? ORDER BY started_at DESC LIMIT ?", (source, limit)

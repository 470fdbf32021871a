"""`groundswell ingest`: per-line errors, counts, idempotence, and a real SIGKILL half-way."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from groundswell.pipeline.cli import cli

GOOD = {
    "id": "1",
    "text": "Lumio X2 배송이 일주일째 안 와요",
    "created_at": "2026-11-24T10:00:00+09:00",
    "source": "x",
    "author": {"id": "u1", "handle": "kim", "followers": 120},
    "metrics": {"likes": 3, "shares": 1, "replies": 0, "views": 50},
}


def line(**changes: object) -> str:
    return json.dumps({**GOOD, **changes}, ensure_ascii=False)


def run(args: list[str], db: Path, stdin: bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin, catch_exceptions=False)


def test_malformed_lines_are_rejected_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    rows = [
        line(id="1").encode(),
        b"{not json",
        json.dumps({"id": "2", "created_at": "2026-11-24T10:00:00Z"}).encode(),  # no text
        line(id="3", created_at="yesterday-ish").encode(),
        b'{"id": "4", "text": "Lumio \xff\xfe broken", "created_at": "2026-11-24T10:00:00Z"}',
        line(id="5", text="lumio " + "x" * 1_100_000).encode(),
        line(id="6", metrics={"likes": -4}).encode(),
        line(id="7", text="루미오 최고예요 ㅋㅋ").encode(),
        b"[1, 2, 3]",
    ]
    path.write_bytes(b"\n".join(rows) + b"\n")
    db = tmp_path / "gs.db"
    result = run(["ingest", str(path), "--json"], db)
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["read"] == 9 and counts["stored"] == 2 and counts["rejected"] == 7
    errors = result.stderr
    for lineno, reason in [(2, "not valid JSON"), (3, "text"), (4, "created_at"), (5, "UTF-8"), (6, "bytes")]:
        assert f"line {lineno}:" in errors and reason in errors, errors
    assert "line 7:" in errors and "line 9:" in errors


def test_reingest_is_idempotent_and_counts_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(line(id=str(i)) for i in range(30)) + "\n", encoding="utf-8")
    db = tmp_path / "gs.db"
    first = json.loads(run(["ingest", str(path), "--json"], db).stdout)
    second = json.loads(run(["ingest", str(path), "--json"], db).stdout)
    assert first["stored"] == 30 and second["stored"] == 0 and second["duplicate"] == 30


def test_unmatched_posts_are_counted_not_stored(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(line(id="1", text="nothing about any brand") + "\n", encoding="utf-8")
    counts = json.loads(run(["ingest", str(path), "--json"], tmp_path / "gs.db").stdout)
    assert counts["unmatched"] == 1 and counts["stored"] == 0


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.timeout(300)
def test_sigkill_half_way_loses_and_doubles_nothing(tmp_path: Path) -> None:
    total = 6000
    path = tmp_path / "posts.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(total):
            out.write(line(id=str(i), text=f"Lumio post {i}: 배송 문의 {i % 97}", brand="Lumio") + "\n")
    db = tmp_path / "gs.db"
    command = [
        sys.executable,
        "-m",
        "groundswell.pipeline.cli",
        "--db",
        str(db),
        "ingest",
        str(path),
        "--batch-size",
        "200",
    ]
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": root, "GROUNDSWELL_NLP__TOPICS": "false"}  # durability, not topics
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while _count(db) < total // 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _count(db)
    assert 0 < partial < total, "the kill must land half-way for this test to mean anything"
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM mentions")]
        fts = conn.execute("SELECT COUNT(*) FROM mentions_fts").fetchone()[0]
    assert len(ids) == len(set(ids)) == total
    assert set(ids) == {f"x:{i}" for i in range(total)}
    assert fts == total

"""#15 item 6: a misspelled --db is an error, not a new empty store; ingest refuses a damaged store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from groundswell.pipeline.cli import cli

POST = {"id": "1", "text": "Lumio battery swelled", "created_at": "2026-11-24T10:00:00Z"}


@pytest.mark.parametrize(
    "args",
    [["search", "battery"], ["sources"], ["alerts", "list"], ["detect"], ["search", "x", "--json"]],
)
def test_read_commands_on_a_missing_store_fail_and_create_nothing(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "typo.db"
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exit_code != 0
    assert f"no store at {db}" in result.stderr and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_default_store_is_not_created_by_a_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GROUNDSWELL_DB", raising=False)
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(cli, ["search", "battery"])
    assert result.exit_code != 0 and "no store at" in result.stderr
    assert not (tmp_path / "data" / "groundswell.db").exists()


def test_writers_still_create_the_store(tmp_path: Path) -> None:
    posts = tmp_path / "p.jsonl"
    posts.write_text(json.dumps(POST) + "\n", encoding="utf-8")
    db = tmp_path / "new.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "ingest", str(posts)]).exit_code == 0
    result = CliRunner().invoke(cli, ["--db", str(db), "search", "battery", "--json"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1


def test_ingest_refuses_a_store_that_fails_the_integrity_check(tmp_path: Path) -> None:
    posts = tmp_path / "p.jsonl"
    posts.write_text(
        "\n".join(json.dumps({**POST, "id": str(i)}) for i in range(20)) + "\n", encoding="utf-8"
    )
    db = tmp_path / "gs.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "ingest", str(posts)]).exit_code == 0
    conn = sqlite3.connect(db)  # two indexes swap their b-trees: every row is "missing" from both
    (a, root_a), (b, root_b) = conn.execute(
        "SELECT name, rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mentions' "
        "AND sql IS NOT NULL ORDER BY name LIMIT 2"
    ).fetchall()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (root_b, a))
    conn.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (root_a, b))
    conn.commit()
    conn.close()
    before = db.read_bytes()
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({**POST, "id": "new"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(more)])
    assert result.exit_code != 0 and "is damaged" in result.stderr and "missing from index" in result.stderr
    assert db.read_bytes() == before


def test_parse_with_a_configured_source_needs_no_store(tmp_path: Path) -> None:
    config = tmp_path / "gs.yaml"
    config.write_text("sources:\n  - {name: rp, type: replay, options: {path: x.jsonl}}\n", encoding="utf-8")
    posts = tmp_path / "p.jsonl"
    posts.write_text(json.dumps(POST) + "\n", encoding="utf-8")
    db = tmp_path / "none.db"
    result = CliRunner().invoke(
        cli, ["--config", str(config), "--db", str(db), "parse", "--source", "rp", str(posts)]
    )
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1 and not db.exists()

"""The CLI contract: JSON Lines on stdout only, clear errors with exit codes, --help everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from groundswell.pipeline.cli import cli

POSTS = [
    {
        "id": "a1",
        "text": "루미오 배송이 일주일째 안 와요 ㅠㅠ",
        "created_at": "2026-11-24T01:00:00Z",
        "source": "x",
    },
    {
        "id": "a2",
        "text": "Lumio support was great, thanks!",
        "created_at": "2026-11-24T02:00:00Z",
        "source": "reddit",
    },
    {"id": "a3", "text": "lumio X2 battery gets hot while charging", "created_at": "2026-11-24T03:00:00Z"},
    {"id": "a4", "text": "Vexa launches a new phone", "created_at": "2026-11-24T04:00:00Z", "source": "news"},
]


def invoke(args: list[str], stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in POSTS) + "\n", encoding="utf-8")
    db = tmp_path / "gs.db"
    result = invoke(["--db", str(db), "ingest", str(path)])
    assert result.exit_code == 0, result.output
    return db


def test_search_json_lines(db: Path) -> None:
    result = invoke(["search", "배송 OR battery", "--db", str(db), "--json"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["id"] for r in rows) == ["ingest:a3", "x:a1"]
    assert all(r["brands"] == ["Lumio"] for r in rows)
    assert "2 mention(s) match" in result.stderr


def test_search_filters_by_brand_and_time(db: Path) -> None:
    result = invoke(["--db", str(db), "search", "phone OR battery OR 배송", "--brand", "Vexa", "--json"])
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["news:a4"]
    result = invoke(
        ["--db", str(db), "search", "lumio OR 루미오", "--since", "2026-11-24T01:30:00Z", "--json"]
    )
    assert {json.loads(x)["id"] for x in result.stdout.splitlines()} == {"reddit:a2", "ingest:a3"}


def test_bad_query_is_one_clear_line(db: Path) -> None:
    result = invoke(["--db", str(db), "search", "(battery OR"])
    assert result.exit_code == 2
    assert "position" in result.stderr and "Traceback" not in result.stderr


def test_bad_time_is_explained(db: Path) -> None:
    result = invoke(["--db", str(db), "search", "battery", "--since", "last tuesday"])
    assert result.exit_code == 2 and "ISO 8601" in result.stderr


def test_bad_config_exits_with_file_and_line(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("brands:\n  - name: A\n    query: a\n    competitors: nope\n", encoding="utf-8")
    result = invoke(["--config", str(cfg), "--db", str(tmp_path / "x.db"), "search", "a"])
    assert result.exit_code == 2 and f"{cfg}:4" in result.stderr


def test_analyze_adds_enrichment_to_every_line() -> None:
    stdin = "\n".join(json.dumps(p, ensure_ascii=False) for p in POSTS) + "\n{broken\n"
    result = invoke(["analyze"], stdin)
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a1", "a2", "a3", "a4"]
    for row in rows:
        assert row["sentiment"]["label"] in {"negative", "neutral", "positive"}
        assert -1 <= row["sentiment"]["score"] <= 1 and 0 <= row["sentiment"]["confidence"] <= 1
        assert isinstance(row["touchpoints"], list) and isinstance(row["complaint"], bool)
    assert rows[0]["lang"] == "ko" and rows[1]["lang"] == "en"
    assert rows[0]["complaint"] and not rows[1]["complaint"]  # the rule alerts count by
    assert "line 5:" in result.stderr


COMMANDS = "demo dashboard analyze ingest search parse crawl run detect backtest alerts sources migrate"


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS.split())])
def test_every_command_has_help(command: list[str]) -> None:
    result = invoke([*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_search_by_entity_after_ingest(tmp_path: Path) -> None:
    """#13: entities found at enrichment (complaints, by default) are a search filter."""
    posts = [
        {"id": "e1", "text": "Lumio lost my order, the courier left it in Chicago. Awful, useless service"},
        {"id": "e2", "text": "Lumio never refunded me, terrible support from their London office"},
        {"id": "e3", "text": "lumio X2 battery gets hot while charging"},
    ]
    path = tmp_path / "posts.jsonl"
    lines = [json.dumps({**p, "created_at": f"2026-11-24T0{i}:00:00Z"}) for i, p in enumerate(posts)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "gs.db"
    assert invoke(["--db", str(db), "ingest", str(path)]).exit_code == 0
    result = invoke(["--db", str(db), "search", "", "--entity", "Chicago", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["ingest:e1"] and "Chicago" in rows[0]["entities"]
    result = invoke(
        ["--db", str(db), "search", "lumio", "--entity", "Chicago", "--entity", "London", "--json"]
    )
    assert {json.loads(x)["id"] for x in result.stdout.splitlines()} == {"ingest:e1", "ingest:e2"}


def test_analyze_adds_entities_only_when_asked() -> None:
    stdin = json.dumps({"id": "b1", "text": "Delta lost my bag in Chicago, worst airline ever"}) + "\n"
    plain = json.loads(invoke(["analyze"], stdin).stdout)
    assert "entities" not in plain
    rich = json.loads(invoke(["analyze", "--entities"], stdin).stdout)
    assert "Chicago" in rich["entities"]


def test_backtest_skips_entities(tmp_path: Path) -> None:
    """The replay reads no entity: backtest ingests without NER (its 15k-post goal is < 60 s)."""
    post = {"id": "e1", "text": "Lumio lost my order in Chicago, awful", "created_at": "2026-11-24T01:00:00Z"}
    path = tmp_path / "posts.jsonl"
    path.write_text(json.dumps(post) + "\n", encoding="utf-8")
    db = tmp_path / "kept.db"
    result = invoke(["backtest", "--input", str(path), "--db", str(db), "--step", "1h"])
    assert result.exit_code == 0, result.output
    result = invoke(["--db", str(db), "search", "lumio", "--json"])
    (row,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert row["complaint"] and row["entities"] == []


def test_analyze_topics_never_label_a_topic_with_the_configured_brand(tmp_path: Path) -> None:
    """`analyze --topics` labelled real reviews' topics with 삼성 (the brand's query 삼성증권)."""
    config = tmp_path / "gs.yaml"
    config.write_text("brands:\n  - name: Acme\n    query: acme\n", encoding="utf-8")
    themes = [
        "acme battery drains overnight and the phone gets hot {i}",
        "acme courier lost my parcel, tracking stuck for days {i}",
    ]
    posts = [{"id": f"p{i}", "text": themes[i % 2].format(i=i), "lang": "en"} for i in range(80)]
    stdin = "\n".join(json.dumps(p) for p in posts) + "\n"
    result = invoke(["analyze", "--topics", "--config", str(config)], stdin)
    assert result.exit_code == 0, result.stderr
    labels = {json.loads(line)["topic"]["label"] for line in result.stdout.splitlines()}
    assert any(labels) and not any("acme" in label for label in labels), labels

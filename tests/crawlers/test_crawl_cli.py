"""`groundswell parse|crawl|sources|run` through the click runner, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from groundswell.pipeline.cli import cli
from groundswell.pipeline.commands import crawl as crawl_commands

FIX = Path(__file__).resolve().parents[1] / "fixtures"

# (source type, fixture) — every registered source parses a raw platform body offline
PARSE_CASES = [
    ("x", "x/search_recent_expansions.json", 2),
    ("reddit", None, 100),
    ("rss", "rss/euckr.xml", 1),
    ("naver", "naver/news_docs.json", 2),
    ("mastodon", "mastodon/tag_timeline_docs.json", 2),
    ("bluesky", "bluesky/search_posts_docs.json", 2),
    ("youtube", "youtube/comment_threads_docs.json", 2),
    ("appstore", "appstore/customerreviews_docs.json", 2),
    ("googleplay", "googleplay/reviews_batchexecute_docs.txt", 2),
]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    posts = tmp_path / "posts.jsonl"
    posts.write_text(
        "\n".join(
            json.dumps(
                {"id": str(i), "text": f"아크미 배터리 {i}", "created_at": f"2026-11-24T0{i}:00:00Z"},
                ensure_ascii=False,
            )
            for i in range(5)
        )
        + "\n{broken\n",
        encoding="utf-8",
    )
    path = tmp_path / "config.yaml"
    path.write_text(
        f"""
sources:
  - name: demo
    type: replay
    interval: 1s
    options: {{path: "{posts}"}}
  - name: board
    type: web
    options:
      template: korean_board
      base_url: http://board.example/board/list
  - name: xsearch
    type: x
    options: {{queries: [acme], bearer_token_env: GS_TEST_NO_SUCH_TOKEN}}
""",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(("source", "fixture", "count"), PARSE_CASES)
def test_parse_every_source(
    source: str, fixture: str | None, count: int, tmp_path: Path, config: Path
) -> None:
    if fixture is None:  # the reddit fixture is a cassette: take the recorded body out
        cassette = json.loads((FIX / "reddit" / "TestSubredditListings.test_new.json").read_text())
        path = tmp_path / "listing.json"
        path.write_text(cassette["interactions"][1]["response"]["body"]["string"])
    else:
        path = FIX / fixture
    result = CliRunner().invoke(cli, ["parse", "--source", source, str(path), "--config", str(config)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == count
    assert all(line["id"].startswith(f"{source}:") and "raw" not in line for line in lines)


def test_parse_configured_web_source_and_raw_flag(config: Path) -> None:
    page = FIX / "web" / "board" / "list1.html"
    result = CliRunner().invoke(
        cli, ["parse", "--source", "board", str(page), "--raw", "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout.splitlines()[0])
    assert first["title"] == "아크미 배터리 부푼 사람 또 있냐" and first["raw"]["views"] == "1,532"


def test_parse_unknown_source_lists_known(config: Path) -> None:
    result = CliRunner().invoke(
        cli, ["parse", "--source", "myspace", str(FIX / "rss" / "euckr.xml"), "--config", str(config)]
    )
    assert result.exit_code != 0 and "known:" in result.output and "reddit" in result.output


def test_parse_html_error_page_is_one_clear_line(tmp_path: Path, config: Path) -> None:
    page = tmp_path / "err.json"
    page.write_text("<html><body>502 Bad Gateway</body></html>")
    result = CliRunner().invoke(cli, ["parse", "--source", "naver", str(page), "--config", str(config)])
    assert result.exit_code == 2 and "expected JSON but got HTML" in result.output


def test_crawl_once_then_sources(tmp_path: Path, config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GS_TEST_NO_SUCH_TOKEN", raising=False)
    db = tmp_path / "gs.db"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["crawl", "demo", "--once", "--json", "--config", str(config), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout.splitlines()[-1])
    assert (run["source"], run["fetched"], run["new"], run["rejected"], run["healthy"]) == (
        "demo",
        5,
        5,
        1,
        True,
    )
    result = runner.invoke(cli, ["sources", "--json", "--config", str(config), "--db", str(db)])
    rows = {r["name"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert rows["demo"]["status"] == "ready" and rows["demo"]["last_run"]["new"] == 5
    assert rows["demo"]["skipped"] == {"invalid-line": 1}
    assert rows["xsearch"]["status"] == "not-ready" and rows["xsearch"]["last_run"] is None
    assert "GS_TEST_NO_SUCH_TOKEN" in result.stderr


def test_crawl_unknown_source(tmp_path: Path, config: Path) -> None:
    result = CliRunner().invoke(
        cli, ["crawl", "nope", "--once", "--config", str(config), "--db", str(tmp_path / "d.db")]
    )
    assert result.exit_code != 0 and "demo" in result.output


def test_run_once_runs_every_ready_source_and_the_after_cycle_hook(
    tmp_path: Path, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(crawl_commands, "_after_cycle", lambda settings, store: lambda: calls.append(1))
    db = tmp_path / "gs.db"
    result = CliRunner().invoke(cli, ["run", "--once", "--config", str(config), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "running 1 source(s): demo" in result.stderr and calls == [1]  # board has no start_urls
    assert db.with_suffix(".topics.joblib").exists()  # what enrichment learnt outlives the run
    result = CliRunner().invoke(cli, ["sources", "--config", str(config), "--db", str(db)])
    assert "demo" in result.stdout and "healthy" in result.stdout


def test_sources_lists_ingests_and_the_demo_not_only_crawls(tmp_path: Path, config: Path) -> None:
    """#16 item 6: a store filled by `ingest` read as "no crawl has run"."""
    db = tmp_path / "gs.db"
    posts = tmp_path / "reviews.jsonl"
    posts.write_text(
        '{"id": "1", "text": "Acme battery dies", "created_at": "2024-03-01T10:00:00Z"}\n', encoding="utf-8"
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(posts), "--config", str(config), "--db", str(db)])
    assert result.exit_code in (0, 1), result.output
    result = runner.invoke(cli, ["sources", "--json", "--config", str(config), "--db", str(db)])
    rows = {r["name"]: r for r in map(json.loads, result.stdout.splitlines())}
    ingest = rows["ingest:reviews.jsonl"]
    assert ingest["type"] == "ingest" and ingest["configured"] is False and ingest["last_run"]["fetched"] == 1
    assert rows["demo"]["configured"] is True  # configured sources first, as before
    text = runner.invoke(cli, ["sources", "--config", str(config), "--db", str(db)]).stdout
    assert "ingest:reviews.jsonl" in text and "fetched 1" in text

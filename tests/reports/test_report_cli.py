"""`groundswell report` and the reader's zone in CLI tables (JSON stays ISO 8601 with an offset)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from groundswell.pipeline.cli import cli

REVIEW = {
    "id": "r1",
    "text": "루미오 배송이 늦어요",
    "created_at": "2019-09-30T00:00:00+09:00",
    "source": "appstore",
}
CONFIG = "timezone: Asia/Seoul\nbrands:\n  - {name: Lumio, query: 'lumio OR 루미오'}\n"


def invoke(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_a_korean_review_reads_in_korean_time(tmp_path: Path) -> None:
    config, db, posts = tmp_path / "c.yaml", tmp_path / "s.db", tmp_path / "p.jsonl"
    config.write_text(CONFIG, encoding="utf-8")
    posts.write_text(json.dumps(REVIEW, ensure_ascii=False) + "\n", encoding="utf-8")
    assert invoke(["--config", str(config), "--db", str(db), "ingest", str(posts)]).exit_code == 0
    table = invoke(["--config", str(config), "--db", str(db), "search", "배송"])
    assert table.stdout.startswith("2019-09-30 00:00 KST ")
    as_json = invoke(["--config", str(config), "--db", str(db), "search", "배송", "--json"])
    assert json.loads(as_json.stdout)["created_at"] == "2019-09-29T15:00:00Z"


def test_report_files_and_errors(tmp_path: Path, sample: tuple[Path, Path]) -> None:
    config, db = sample
    base = [
        "--config",
        str(config),
        "--db",
        str(db),
        "report",
        "--brand",
        "acme",
        "--as-of",
        "2026-03-09T12:00Z",
    ]
    out = tmp_path / "r.csv"
    result = invoke([*base, "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "week:2026-03-02" in result.stderr and out.read_bytes().startswith(b"\xef\xbb\xbfsection,")
    html = invoke([*base, "--out", "-", "--lang", "en"])
    assert "Acme weekly report" in html.stdout
    unknown = CliRunner().invoke(cli, ["--config", str(config), "--db", str(db), "report", "--brand", "nope"])
    assert unknown.exit_code == 1 and "configured brands: Acme, Globex, Initech" in unknown.output

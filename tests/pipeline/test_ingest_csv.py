"""A user's own CSV: encodings, column mapping, unmatched posts, exit codes, `analyze` on text only."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundswell.crawlers.tabular import CsvLayout, detect_encoding, iter_csv_rows, parse_column_map
from groundswell.errors import InputError
from groundswell.pipeline.cli import cli

REVIEWS = [
    ["review_id", "review_body", "date", "user", "thumbs"],
    ["r1", "Lumio 배터리가 하루도 못 가요", "2019.09.30", "kim", "3"],
    ["r2", "Lumio의 배송이 일주일째 안 와요 &amp; 연락도 없어요", "2019-09-30 14:00", "lee", "1,204"],
    ["r3", "택배 기사님 친절해요", "2019/10/01", "park", ""],
    ["r4", "Lumio app keeps crashing", "yesterday", "choi", "0"],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def run(args: list[str], db: Path, stdin: str | None = None):  # type: ignore[no-untyped-def]
    env = {"GROUNDSWELL_NLP__TOPICS": "false"}
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin, env=env, catch_exceptions=False)


@pytest.mark.parametrize(
    ("encoding", "named"), [("utf-8-sig", "UTF-8 with BOM"), ("cp949", "CP949"), ("utf-8", "UTF-8 CSV")]
)
def test_korean_excel_csv_is_read_in_its_encoding(tmp_path: Path, encoding: str, named: str) -> None:
    path = write_csv(tmp_path / "reviews.csv", REVIEWS, encoding)
    result = run(["ingest", str(path), "--json"], tmp_path / "gs.db")
    assert result.exit_code == 0, result.output
    assert named in result.stderr
    counts = json.loads(result.stdout)
    # r3 names no brand (unmatched); r4's date is not a date (rejected, with file, line and column)
    assert counts == {"read": 4, "stored": 2, "updated": 0, "duplicate": 0, "rejected": 1, "unmatched": 1}
    assert f"{path}: line 5: invalid created_at" in result.stderr and "(column 'date')" in result.stderr


def test_the_readme_path_ingest_csv_see_unmatched_then_search(tmp_path: Path) -> None:
    """README "Your own data": ingest with a mapping, read the unmatched file, find the posts."""
    path = write_csv(tmp_path / "reviews.csv", REVIEWS, "utf-8-sig")
    db, unmatched = tmp_path / "gs.db", tmp_path / "unmatched.jsonl"
    result = run(
        ["ingest", str(path), "--map", "text=review_body,created_at=date", "--unmatched", str(unmatched)], db
    )
    assert result.exit_code == 0, result.output
    assert "ingested" in result.stderr and f"are in {unmatched}" in result.stderr
    rows = [json.loads(line) for line in unmatched.read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["id"], r["reason"]) for r in rows] == [(4, "r3", "no brand query matched")]
    assert rows[0]["raw"]["text"] == "택배 기사님 친절해요"
    found = run(["search", "lumio", "--json"], db)
    posts = {p["native_id"]: p for p in map(json.loads, found.stdout.splitlines())}
    assert set(posts) == {"r1", "r2"}
    assert posts["r2"]["text"].startswith("Lumio의 배송이") and "&amp;" not in posts["r2"]["text"]
    assert posts["r2"]["metrics"]["likes"] == 1204 and posts["r2"]["author"]["handle"] == "lee"
    again = json.loads(run(["ingest", str(path), "--json"], db).stdout)  # same rows, same ids
    assert again["stored"] == 0 and again["duplicate"] == 2
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "--map text=review_body,created_at=date --unmatched unmatched.jsonl" in readme  # what we ran


def test_mapping_from_config_and_unknown_columns_are_named(tmp_path: Path) -> None:
    rows = [["평점", "리뷰 본문", "작성 시각"], ["1", "Lumio 충전이 안 돼요", "2019-09-30T10:00:00+09:00"]]
    path = write_csv(tmp_path / "r.csv", rows, "cp949")
    cfg = tmp_path / "gs.yaml"
    cfg.write_text(
        "brands:\n  - name: Lumio\n    query: lumio\ningest:\n  columns: {text: 리뷰 본문, created_at: 작성 시각}\n",
        encoding="utf-8",
    )
    result = run(["--config", str(cfg), "ingest", str(path), "--json"], tmp_path / "gs.db")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stored"] == 1
    bad = run(["ingest", str(path), "--map", "text=body"], tmp_path / "gs.db")
    assert bad.exit_code == 2 and "column 'body'" in bad.stderr and "리뷰 본문" in bad.stderr
    assert run(["ingest", str(path), "--map", "txt=x"], tmp_path / "gs.db").exit_code == 2


def test_a_run_that_rejects_everything_exits_non_zero(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "small.csv", [["text", "date"], ["Lumio 좋아요", "soon"]], "utf-8")
    result = run(["ingest", str(path), "--json"], tmp_path / "gs.db")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["rejected"] == 1  # the counts are still printed
    assert "nothing stored, 1 line(s) rejected" in result.stderr
    no_text = write_csv(tmp_path / "x.csv", [["a", "b"], ["1", "2"]], "utf-8")
    result = run(["ingest", str(no_text)], tmp_path / "gs.db")
    assert result.exit_code == 2 and "no text column found" in result.stderr and "a, b" in result.stderr


def test_jsonl_unmatched_file_and_brand_field_case(tmp_path: Path) -> None:
    lines = [
        {"id": "1", "text": "delayed again", "created_at": "2015-02-24T11:35:52-08:00", "brand": "lumio"},
        {"id": "2", "text": "@AmericanAir lost my bag", "created_at": "2015-02-24T11:35:52-08:00"},
    ]
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    db, unmatched = tmp_path / "gs.db", tmp_path / "u.jsonl"
    result = run(["ingest", str(path), "--unmatched", str(unmatched), "--json"], db)
    assert json.loads(result.stdout)["stored"] == 1
    assert json.loads(unmatched.read_text(encoding="utf-8"))["id"] == "2"
    stored = json.loads(run(["search", "delayed", "--json"], db).stdout)
    assert stored["brands"] == ["Lumio"]  # the brand field is spelt as configured


def test_analyze_accepts_text_only_and_fails_when_nothing_printed(tmp_path: Path) -> None:
    out = run(["analyze"], tmp_path / "gs.db", stdin='{"text": "배송이 일주일째 안 와요"}\n')
    assert out.exit_code == 0, out.output
    row = json.loads(out.stdout)
    assert row["id"].startswith("h") and row["created_at"] and "delivery" in row["touchpoints"]
    same = json.loads(
        run(["analyze"], tmp_path / "gs.db", stdin='{"text": "배송이 일주일째 안 와요"}\n').stdout
    )
    assert same["id"] == row["id"]  # a stable content hash
    bad = run(["analyze"], tmp_path / "gs.db", stdin='{"txt": "oops"}\nnot json\n')
    assert bad.exit_code == 2 and bad.stdout == "" and "2 line(s) rejected" in bad.stderr


def test_column_map_parsing() -> None:
    assert parse_column_map("text=review_body, created_at = date") == {
        "text": "review_body",
        "created_at": "date",
    }
    for spec in ("text", "=x", "colour=red"):
        with pytest.raises(InputError):
            parse_column_map(spec)


cells = st.text(st.characters(codec="cp949", exclude_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(cells, min_size=1, max_size=8), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp949"])
)
def test_any_cell_text_reads_back_as_written(tmp_path: Path, texts: list[str], encoding: str) -> None:
    """Commas, quotes, newlines and Hangul inside cells survive the encoding and the CSV quoting."""
    path = write_csv(
        tmp_path / "p.csv", [["id", "text"], *[[str(i), t] for i, t in enumerate(texts)]], encoding
    )
    found = detect_encoding(path)
    raw = path.read_bytes()
    if found != encoding and not raw.isascii():  # ASCII-only is both
        # a few short texts are valid in both encodings; `detect_encoding` weighs the two readings
        assert {found, encoding} == {"utf-8", "cp949"} and raw.decode(found) != raw.decode(encoding)
        return
    layout, rows = iter_csv_rows(path, found, {})
    assert isinstance(layout, CsvLayout)
    got = {obj["id"]: obj.get("text", "") for _line, obj in rows if isinstance(obj, dict)}
    want = {str(i): t.strip() for i, t in enumerate(texts) if t.strip()}
    assert {k: v for k, v in got.items() if v} == want


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("岷", "cp949"),
        ("배송이 안 와요", "cp949"),
        ("배송이 안 와요", "utf-8"),
        ("café", "utf-8"),
        ("привет а", "utf-8"),
    ],
)
def test_bytes_valid_in_both_encodings_read_as_the_plausible_text(
    tmp_path: Path, text: str, written: str
) -> None:
    """CP949's 岷 is also UTF-8 (ھ, Arabic); UTF-8's é and Cyrillic а are also CP949 (Hangul, Hanja)."""
    path = tmp_path / "p.csv"
    path.write_bytes(f"id,text\n1,{text}\n".encode(written))
    assert detect_encoding(path) == written


def test_detect_on_imported_history_says_how_to_look_at_it(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "reviews.csv", REVIEWS, "utf-8")
    db = tmp_path / "gs.db"
    assert run(["ingest", str(path)], db).exit_code == 0
    result = run(["detect"], db)
    assert result.exit_code == 0
    assert "the newest post is from 2019-09-30T14:00Z" in result.stderr
    assert "detect --as-of 2019-09-30T14:00Z" in result.stderr and "groundswell backtest" in result.stderr
    assert "newest post" not in run(["detect", "--as-of", "2019-09-30T15:00:00Z"], db).stderr

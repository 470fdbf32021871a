"""Brand names as users type them: case-insensitive filters, a warning for unknown ones, and a
search listing that shows the brand, the whole text and no HTML entities."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from groundswell.brands import resolve_brands
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.pipeline.cli import cli
from tests.alerts.servers import make_alert

LONG = "Lumio의 배송이 일주일째 안 와요 &amp; 고객센터는 전화를 안 받아요. " + "정말 너무하네요 " * 20
POSTS = [
    {"id": "1", "text": LONG, "created_at": "2026-11-24T01:00:00Z", "source": "x"},
    {"id": "2", "text": "vexa battery is fine", "created_at": "2026-11-24T02:00:00Z"},
]


def run(args: list[str], db: Path):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--db", str(db), *args], env={"GROUNDSWELL_NLP__TOPICS": "false"})


def _db(tmp_path: Path) -> Path:
    path, db = tmp_path / "p.jsonl", tmp_path / "gs.db"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in POSTS) + "\n", encoding="utf-8")
    assert run(["ingest", str(path)], db).exit_code == 0
    return db


def test_resolve_brands_is_case_insensitive_and_names_the_unknown() -> None:
    assert resolve_brands(["united", "ＵＮＩＴＥＤ", "Delta"], ["United", "Virgin"]) == (
        ("United", "Delta"),
        ["Delta"],
    )


def test_search_brand_filter_ignores_case_and_warns_for_unknown(tmp_path: Path) -> None:
    db = _db(tmp_path)
    lower = run(["search", "배송", "--brand", "lumio", "--json"], db)
    assert [json.loads(x)["native_id"] for x in lower.stdout.splitlines()] == ["1"]
    unknown = run(["search", "배송", "--brand", "lumos", "--json"], db)
    assert unknown.exit_code == 0 and unknown.stdout == ""
    assert "no brand named 'lumos'; known brands: Lumio, Orbit, Vexa" in unknown.stderr


def test_search_listing_has_brand_whole_text_and_no_entities(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = run(["search", "배송"], db).stdout
    head, *body = out.splitlines()
    assert head.split()[3:] == ["Lumio", "x", "negative"]  # date, time, zone, brand, ...
    assert head.split()[2] == "KST"
    text = " ".join(line.strip() for line in body)
    assert text == " ".join(LONG.replace("&amp;", "&").split())  # wrapped, not cut
    assert all(len(line) <= 96 for line in body) and len(body) > 2


def test_alerts_list_brand_filter_ignores_case(tmp_path: Path) -> None:
    db = _db(tmp_path)
    store = SQLiteStore(db)
    store.save_alert(make_alert("lumio:battery", brand="Lumio"))
    store.close()
    found = run(["alerts", "list", "--brand", "LUMIO", "--json"], db)
    assert [json.loads(x)["id"] for x in found.stdout.splitlines()] == ["lumio:battery"]
    missing = run(["alerts", "list", "--brand", "american"], db)
    assert missing.stdout == "" and "no brand named 'american'" in missing.stderr

"""Ratings are data: from every entry point (ingest, parse, analyze, recorded platform pages) into
a real SQLite file, back out of search --json, and into the sentiment of the rated post."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from groundswell.crawlers.web.source import WebSource
from groundswell.indexer.base import MentionQuery
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.pipeline.cli import cli

FIX = Path(__file__).resolve().parents[1] / "fixtures"
V1 = Path(__file__).resolve().parents[1] / "indexer" / "data" / "store_v1.db"


def _post(native: str, text: str, **extra: object) -> str:
    body = {
        "id": native,
        "text": text,
        "created_at": "2026-11-24T10:00:00+09:00",
        "lang": "ko",
        "brand": "Coupang",
        **extra,
    }
    return json.dumps(body, ensure_ascii=False)


def test_ingested_ratings_are_stored_and_searched(tmp_path: Path) -> None:
    posts = tmp_path / "reviews.jsonl"
    posts.write_text(
        "\n".join(
            [
                _post("1", "쿠팡 배송 빨라요", rating=5),
                _post("2", "쿠팡 앱이 자꾸 튕겨요", rating=1),
                _post("3", "쿠팡 그냥 그래요", rating=7, rating_scale=10),
                _post("4", "쿠팡 처음 써봐요"),
                _post("5", "쿠팡 별점", rating=9),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "store.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(posts)])
    assert result.exit_code == 0, result.output
    assert "line 5: invalid rating: rating 9 is outside the scale 0-5" in result.output
    rows = dict(sqlite3.connect(db).execute("SELECT id, rating FROM mentions").fetchall())
    assert rows == {"ingest:1": 5.0, "ingest:2": 1.0, "ingest:3": 3.5, "ingest:4": None}
    found = CliRunner().invoke(cli, ["--db", str(db), "search", "쿠팡", "--json", "--limit", "10"])
    assert found.exit_code == 0, found.output
    by_id = {m["id"]: m for m in map(json.loads, found.stdout.splitlines())}
    assert by_id["ingest:3"]["rating"] == 3.5 and by_id["ingest:3"]["rating_scale"] == 10.0
    assert by_id["ingest:1"]["rating"] == 5.0 and by_id["ingest:4"]["rating"] is None
    plain = CliRunner().invoke(cli, ["--db", str(db), "search", "튕겨요"])
    assert "negative 1 ★\n    쿠팡 앱이 자꾸 튕겨요" in plain.stdout
    store = SQLiteStore(db, read_only=True)
    try:
        assert {m.id for m in store.search(MentionQuery(rated=True))} == {"ingest:1", "ingest:2", "ingest:3"}
        assert store.count(MentionQuery(rated=True)) == 3
    finally:
        store.close()


def test_stars_reach_the_sentiment_of_analyze(tmp_path: Path) -> None:
    """A 5-star review is never a complaint unless its words name a failure; 1 star is never praise."""
    lines = [
        _post("a", "쿠팡없으면 못살지경 ㅠㅠ", rating=5),
        _post("b", "쿠팡없으면 못살지경 ㅠㅠ"),
        _post("c", "최고예요 강추", rating=1),
        _post("d", "업데이트 후 앱이 계속 튕기고 결제도 안 돼요 최악", rating=5),
    ]
    result = CliRunner().invoke(cli, ["analyze"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert out["a"]["rating"] == 5 and out["a"]["sentiment"]["label"] == "positive"
    assert out["c"]["sentiment"]["label"] != "positive"
    assert out["d"]["sentiment"]["label"] == "negative"  # the words clearly name a failure


def test_parse_keeps_recorded_platform_ratings(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "sources:\n  - name: play\n    type: googleplay\n    options: {app_ids: [com.example]}\n",
        encoding="utf-8",
    )
    for source, fixture in [
        ("googleplay", "googleplay/reviews_batchexecute_docs.txt"),
        ("appstore", "appstore/customerreviews_docs.json"),
    ]:
        result = CliRunner().invoke(cli, ["parse", "--source", source, str(FIX / fixture)])
        assert result.exit_code == 0, result.output
        ratings = [json.loads(line)["rating"] for line in result.stdout.splitlines()]
        assert ratings and all(r is not None and 1 <= r <= 5 for r in ratings), (source, ratings)


def test_a_ten_point_review_site_is_brought_to_five_stars() -> None:
    html = (FIX / "web" / "reviews" / "page1.html").read_text(encoding="utf-8")
    html = html.replace('content="1"', 'content="2"').replace('content="5"', 'content="9"')
    src = WebSource("reviews", {"template": "review_site", "rating_scale": 10})
    ratings = [(m.rating, m.rating_scale) for m in src.parse_batch(html.encode()).mentions]
    assert ratings == [(1.0, 10.0), (4.5, 10.0)]


def test_an_old_file_gains_the_rating_column_from_its_records(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(V1, path)
    conn = sqlite3.connect(path)  # a rating an older version kept only inside the record
    conn.execute("UPDATE mentions SET doc = json_set(doc, '$.rating', 4.0) WHERE id = 'x:1'")
    conn.commit()
    conn.close()
    old = SQLiteStore(path, read_only=True)  # read-only: the record is read, the file is not changed
    try:
        assert [m.id for m in old.search(MentionQuery(rated=True))] == ["x:1"]
    finally:
        old.close()
    store = SQLiteStore(path)
    try:
        assert [m.id for m in store.search(MentionQuery(rated=True))] == ["x:1"]
        assert store._conn.execute("SELECT rating FROM mentions WHERE id = 'x:1'").fetchone() == (4.0,)
        plan = store._conn.execute("EXPLAIN QUERY PLAN SELECT rid FROM mentions WHERE rating IS NOT NULL")
        assert "mentions_rated" in " ".join(r[3] for r in plan)
    finally:
        store.close()


def test_a_csv_star_column_is_a_rating(tmp_path: Path) -> None:
    """A Google Play export's `score` (and a Korean `별점` column) maps through the same record field."""
    for column in ("score", "별점"):
        path = tmp_path / f"{column}.csv"
        path.write_text(
            f"reviewId,content,at,{column}\nr1,루미오 배송 빨라요,2026-11-24,5\nr2,루미오 앱 튕김,2026-11-24,1.0\n"
            "r3,루미오 별로,2026-11-24,9\n",
            encoding="utf-8",
        )
        db = tmp_path / f"{column}.db"
        result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(path)])
        assert "line 4: invalid rating: rating 9 is outside the scale 0-5" in result.output, result.output
        rows = dict(
            sqlite3.connect(db)
            .execute("SELECT json_extract(doc, '$.native_id'), rating FROM mentions")
            .fetchall()
        )
        assert rows == {"r1": 5.0, "r2": 1.0}, column

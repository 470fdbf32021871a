"""dashboard.queries and dashboard.launch without Streamlit: figures from a real SQLite store."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groundswell.dashboard import complaints, queries, tables
from groundswell.dashboard.launch import resolve_paths, streamlit_command
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.ratings import stars_text
from groundswell.records import SourceRun
from tests.dashboard import dashboard_sample as sample


@pytest.fixture
def store(sample_paths: tuple[Path, Path]) -> SQLiteStore:
    s = SQLiteStore(sample_paths[1], read_only=True)
    yield s
    s.close()


def period(days: int = 4) -> queries.Filters:
    return queries.Filters(since=sample.END - timedelta(days=days), until=sample.END, brand="Acme")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.com/a/1", "https://x.com/a/1"),
        ("HTTP://example.com", "HTTP://example.com"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//evil.example/x", None),
        ("https:///nohost", None),
        (None, None),
    ],
)
def test_only_http_links(url: str | None, expected: str | None) -> None:
    assert tables.safe_url(url) == expected


def test_previous_period_and_interval() -> None:
    f = period(4)
    prev = f.previous()
    assert prev.until == f.since and prev.span == f.span
    assert queries.pick_interval(timedelta(days=1)) == timedelta(hours=1)
    assert queries.pick_interval(timedelta(days=7)) == timedelta(hours=6)
    assert queries.pick_interval(timedelta(days=60)) == timedelta(days=1)


def test_kpis_match_counts(store: SQLiteStore) -> None:
    f = period()
    now, before = queries.kpis(store, f)
    assert now.mentions == store.count(f.query())
    negative = store.count(f.query(sentiments=("negative",)))
    assert now.negative_share == pytest.approx(100 * negative / now.mentions)
    assert before.mentions == 0  # the sample starts with this period


def test_touchpoint_table_gives_each_touchpoints_share_of_all_complaints(store: SQLiteStore) -> None:
    f = period()
    table = queries.touchpoint_table(store, f, {})
    complaints = store.count(f.query(complaint=True))
    assert not table.empty and complaints
    for _, row in table.iterrows():
        assert row["share_of_complaints"] == pytest.approx(100 * row["negative"] / complaints, abs=0.05)
    # only complaints get a touchpoint: a share of its own mentions would always be 100%
    assert (table["share_of_complaints"] < 100).any()


def test_share_of_voice_covers_competitors(store: SQLiteStore) -> None:
    sov = queries.share_of_voice(store, period(), ("Acme", "Globex", "Initech"))
    assert set(sov["key"]) == {"Acme", "Globex", "Initech"}
    assert queries.share_of_voice(store, period(), ("Acme",)).empty


def test_emerging_topic_is_flagged(store: SQLiteStore) -> None:
    table = queries.topic_table(store, period(), alert_topics=())
    flagged = dict(zip(table["label"], table["emerging"], strict=True))
    assert flagged["배터리 발열"] and not flagged["new phone launch"]


def test_alert_chart_is_the_incidents_own_posts_against_its_expected_rate(store: SQLiteStore) -> None:
    alert = store.get_alert(sample.ALERT_ID)
    assert alert is not None
    frame, expected = complaints.alert_growth(store, alert, timedelta(minutes=30))
    assert frame["count"].sum() == len(store.get(alert.evidence_ids)) > 0  # not every post of the brand
    assert store.count(queries.MentionQuery(brands=("Acme",))) > frame["count"].sum()
    assert expected == alert.expected * 2  # per hour, from the rule's 30-minute window
    # an alert the detector saved: its whole timeline, against its own 2-hour window's expectation
    hours = [(datetime(2026, 1, 1, h, tzinfo=UTC), n) for h, n in ((3, 2), (4, 9), (5, 30))]
    counted = alert.model_copy(update={"timeline": hours, "window_s": 7200.0, "expected": 6.0})
    frame, expected = complaints.alert_growth(store, counted, timedelta(minutes=30))
    assert list(frame["count"]) == [2, 9, 30] and set(frame["sentiment"]) == {complaints.COMPLAINT}
    assert expected == 3.0, "6 expected over 2 hours is 3 an hour, whatever the rule's window"
    daily = counted.model_copy(update={"window_s": 2 * 86400.0, "expected": 4.0})
    assert complaints.alert_growth(store, daily)[1] == 2.0, "a daily incident: expected per day"


def test_exports_keep_hostile_text_as_data(store: SQLiteStore) -> None:
    rows = store.search(queries.MentionQuery(ids=("x:hostile0", "x:hostile1")), limit=10)
    parsed = list(csv.DictReader(io.StringIO(tables.export_csv(rows).decode("utf-8-sig"))))
    assert {r["text"] for r in parsed} >= {sample.HOSTILE_TEXTS[0]}
    assert all(r["url"] == "" for r in parsed)  # javascript: is not exported as a link
    lines = tables.export_jsonl(rows).decode().splitlines()
    assert {json.loads(line)["id"] for line in lines} == {"x:hostile0", "x:hostile1"}
    assert "애크미" in lines[0] or "애크미" in lines[1]  # UTF-8, not \\u escapes


def test_source_health_includes_configured_sources() -> None:
    health = tables.source_health(sample.runs(), [("x", "x", True), ("naver", "naver", False)])
    status = dict(zip(health["source"], health["status"], strict=True))
    assert status == {
        "x": "healthy",
        "naver": "disabled",
        "reddit": "healthy",
        "review": "healthy",
        "clien": "unhealthy",
    }


def test_source_health_lists_ingests_and_demo_runs() -> None:
    """#16 item 6: the Sources page said no crawl had run while ingested mentions filled the store."""
    start = sample.END - timedelta(days=1)
    runs = [
        SourceRun(source="ingest:reviews.csv", started_at=start, finished_at=start, fetched=8846, new=8846),
        SourceRun(source="demo", started_at=start, finished_at=start, fetched=10, new=10),
    ]
    health = tables.source_health(runs, [("naver", "naver", True)])
    rows = {r.source: (r.kind, r.status, r.fetched) for r in health.itertuples()}
    assert rows["ingest:reviews.csv"] == ("ingest", "healthy", 8846)
    assert rows["demo"] == ("demo", "healthy", 10)
    assert rows["naver"][:2] == ("naver", "never")


def test_streamlit_command_and_paths() -> None:
    command = streamlit_command("cfg.yaml", "/tmp/s.db", "127.0.0.1", 8600)
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[-4:] == ["--config", "cfg.yaml", "--db", "/tmp/s.db"]
    assert "--config" not in streamlit_command(None, None)
    assert resolve_paths(["--config", "a.yaml"], {"GROUNDSWELL_DB": "b.db"}) == ("a.yaml", "b.db")
    assert resolve_paths([], {}) == (None, None)


def test_filters_query_narrows() -> None:
    f = queries.Filters(
        datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC), "Acme", ("x",), ("ko",)
    )
    q = f.query(sentiments=("negative",))
    assert (q.brands, q.sources, q.langs, q.sentiments) == (("Acme",), ("x",), ("ko",), ("negative",))


def test_post_tables_show_the_stars(store: SQLiteStore) -> None:
    rows = store.search(queries.MentionQuery(), limit=2)
    rated = [rows[0].model_copy(update={"rating": 4.5}), rows[1]]
    frame = tables.mentions_frame(rated)
    assert frame["rating"].iloc[0] == 4.5 and frame["rating"].isna().iloc[1]
    parsed = list(csv.DictReader(io.StringIO(tables.export_csv(rated).decode("utf-8-sig"))))
    assert parsed[0]["rating"] == "4.5"
    unrated = tables.mentions_frame(rows[1:])  # no post rated: a blank number, never the text "None"
    assert unrated["rating"].dtype == float and unrated["rating"].isna().all()
    exported = next(csv.DictReader(io.StringIO(tables.export_csv(rows[1:]).decode("utf-8-sig"))))
    assert exported["rating"] == ""
    # on screen, a rated post's cell reads its stars and an unrated one's stays empty (not "None")
    assert [stars_text(r) for r in frame["rating"]] == ["4.5 ★", ""]
    assert stars_text(5.0) == "5 ★"


def test_exports_carry_named_entities(store: SQLiteStore) -> None:
    rows = store.search(queries.MentionQuery(entities=("FedEx",)), limit=5)
    assert rows
    parsed = list(csv.DictReader(io.StringIO(tables.export_csv(rows).decode("utf-8-sig"))))
    assert all(r["entities"] == "FedEx, Chicago" for r in parsed)
    assert all(
        json.loads(line)["entities"] == ["FedEx", "Chicago"]
        for line in tables.export_jsonl(rows).decode().splitlines()
    )


def test_top_authors_leave_out_posts_without_an_author(tmp_path: Path) -> None:
    """App-store reviews exported without names must not make "unknown" the top author."""
    from groundswell.records import Author

    rows = sample.mentions()[:40]
    anonymous = [m.model_copy(update={"id": f"anon:{i}", "author": Author()}) for i, m in enumerate(rows)]
    s = SQLiteStore(tmp_path / "a.db")
    s.upsert(rows[:5] + anonymous)
    authors = queries.top_authors(
        s, queries.Filters(since=sample.START - timedelta(days=30), until=sample.END)
    )
    s.close()
    assert len(authors) and "unknown" not in set(authors["author"])
    assert set(authors["author"]) <= {m.author.handle for m in rows[:5]}


def test_top_terms_say_something(tmp_path: Path) -> None:
    """On real app reviews half the list was 계속, 안되, 자꾸, 앱이, 다시: words no reader learns from."""
    texts = [
        "앱이 계속 튕겨요 로그인 안되",
        "자꾸 튕기네요 로그인 오류",
        "다시 튕겨요 계속 로그인 오류",
        "앱이 자꾸 튕겨서",
    ]
    rows = [
        m.model_copy(update={"id": f"ko:{i}", "text": texts[i % len(texts)], "lang": "ko"})
        for i, m in enumerate(sample.mentions()[:12])
    ]
    s = SQLiteStore(tmp_path / "t.db")
    s.upsert(rows)
    terms = list(queries.top_terms(s, queries.MentionQuery(ids=tuple(m.id for m in rows)))["term"])
    s.close()
    assert {"튕기다", "로그인", "오류"} <= set(terms), terms
    assert not {"계속", "자꾸", "다시", "앱이", "안되"} & set(terms), terms

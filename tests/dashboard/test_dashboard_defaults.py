"""Dashboard defaults that show a user's imported history: all brands, the data's own period,
topic labels, no growth against an empty period, no brand name in word lists, ingests on Sources."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from groundswell.config.loader import load_settings
from groundswell.dashboard import charts, queries
from groundswell.indexer.base import MentionQuery
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.pipeline.ingest import ingest_file
from groundswell.records import Author, EnrichedMention, Sentiment, SentimentLabel, TopicRef
from tests.dashboard.dashboard_sample import APP

FIRST = datetime(2015, 2, 17, 9, 0, tzinfo=UTC)  # imported history: years before the wall clock
CONFIG = """\
brands:
  - name: Lumio
    query: lumio OR 루미오
  - name: Vexa
    query: vexa
touchpoints:
  - {name: delivery, owner: logistics@lumio.example, keywords: [delivery, 배송]}
nlp: {topics: false}
dashboard: {language: en}
"""


def _post(i: int, topic: TopicRef | None, brand: str = "Lumio") -> EnrichedMention:
    return EnrichedMention(
        id=f"x:{i}",
        source="x",
        native_id=str(i),
        text=f"{brand} delivery late again, parcel lost #{i}",
        created_at=FIRST + timedelta(hours=7 * i),
        lang="en",
        author=Author(handle=f"user{i % 5}", followers=10),
        brands=[brand],
        sentiment=Sentiment(label=SentimentLabel.NEGATIVE, score=-0.7, confidence=0.9),
        topic=topic,
        touchpoints=["delivery"],
    )


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("history")
    config, db = folder / "gs.yaml", folder / "gs.db"
    config.write_text(CONFIG, encoding="utf-8")
    old, new = TopicRef(id=1, label="delivery"), TopicRef(id=1, label="delivery · parcel")
    posts = [_post(i, old if i < 10 else new) for i in range(20)]  # one topic id, relabelled
    posts += [_post(i, TopicRef(id=-1)) for i in range(20, 26)]  # fit no topic
    posts += [_post(i, None, "Vexa") for i in range(26, 28)]
    store = SQLiteStore(db)
    try:
        store.upsert(posts)
        lines = folder / "posts.jsonl"
        lines.write_text(
            json.dumps({"id": "j1", "text": "Lumio courier never came", "created_at": "2015-02-20T10:00:00Z"})
            + "\n",
            encoding="utf-8",
        )
        ingest_file(lines, load_settings(config, environ={}), store)  # recorded as a source run
    finally:
        store.close()
    return config, db


def open_page(history: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, name: str) -> AppTest:
    monkeypatch.setenv("GROUNDSWELL_CONFIG", str(history[0]))
    monkeypatch.setenv("GROUNDSWELL_DB", str(history[1]))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    if name != "overview":
        at.switch_page(f"views/{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_overview_opens_on_all_brands_and_the_datas_own_period(
    history: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(history, monkeypatch, "overview")
    assert at.sidebar.selectbox(key="_flt_brand").value == ""  # all brands
    assert at.sidebar.date_input(key="_flt_dates").value == (date(2015, 2, 17), date(2015, 2, 25))
    mentions = at.metric[0]
    assert mentions.value == "29" and not mentions.delta  # no "+1315%" against an empty period
    assert "no data for the whole previous period" in (mentions.help or "")


def test_explore_names_topics_once_and_unassigned(
    history: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(history, monkeypatch, "explore")
    topics = set(at.dataframe[0].value["topic"])
    assert "unassigned" in topics and "#-1" not in topics
    assert "delivery · parcel" in topics and "delivery" not in topics  # one label per topic id
    at.session_state["lang"] = "ko"
    at.run()
    assert "미분류" in set(at.dataframe[0].value["topic"])


def test_sources_page_shows_ingests(history: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(history, monkeypatch, "sources")
    health = at.dataframe[0].value
    row = health[health["Source"] == "ingest:posts.jsonl"]
    assert len(row) == 1 and "healthy" in row["Status"].iloc[0]


def test_touchpoints_page_renders_without_the_brand_words(
    history: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    open_page(history, monkeypatch, "touchpoints")
    store = SQLiteStore(history[1], read_only=True)
    try:
        words = queries.brand_words(load_settings(history[0], environ={}).brands)
        q = MentionQuery(touchpoints=("delivery",))
        assert "lumio" in set(queries.top_terms(store, q)["term"])
        terms = queries.top_terms(store, q, exclude=words)
        assert "lumio" not in set(terms["term"]) and "delivery" in set(terms["term"]) and len(terms) > 3
    finally:
        store.close()


def test_default_period_and_previous_cover() -> None:
    today = date(2026, 12, 4)
    assert queries.default_period(date(2026, 11, 1), date(2026, 12, 3), today) == (
        date(2026, 11, 27),
        date(2026, 12, 3),
    )  # live data: its last 7 days
    assert queries.default_period(date(2015, 1, 1), date(2015, 3, 31), today) == (
        date(2015, 3, 1),
        date(2015, 3, 31),
    )
    f = queries.Filters(since=FIRST + timedelta(days=7), until=FIRST + timedelta(days=14))
    assert queries.has_previous(f, FIRST) and not queries.has_previous(f, FIRST + timedelta(hours=1))
    assert not queries.has_previous(f, None)


def test_daily_charts_label_dates_not_hours() -> None:
    days = pd.DataFrame(
        {"time": pd.date_range("2015-02-17", periods=9, freq="D", tz="UTC"), "key": "a", "count": 1}
    )
    axis = charts.stacked_by(days, "k", "n").to_dict()["encoding"]["x"]["axis"]
    assert axis["format"] == "%m-%d" and axis["tickCount"]["interval"] == "day"
    hours = days.assign(time=pd.date_range("2015-02-17", periods=9, freq="h", tz="UTC"))
    assert charts.stacked_by(hours, "k", "n").to_dict()["encoding"]["x"]["axis"]["format"] == "%m-%d %H:%M"

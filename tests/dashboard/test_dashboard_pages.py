"""Every page renders through Streamlit's AppTest over a real SQLite store, in both languages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.dashboard_sample import APP

PAGES = ["overview", "complaints", "topics", "touchpoints", "explore", "sources", "settings"]
TIMEOUT = 60


def open_page(name: str, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if lang:
        at.session_state["lang"] = lang
    at.run()
    if name != "overview":
        at.switch_page(f"views/{name}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.title, *at.subheader, *at.markdown, *at.caption, *at.info, *at.warning)]
    parts += [m.label for m in at.metric]
    return "\n".join(str(p) for p in parts)


def frames_text(at: AppTest) -> str:
    return "\n".join(df.value.to_string() for df in at.dataframe)


def no_raw_html(at: AppTest) -> None:
    """Nothing in the app is rendered with unsafe_allow_html."""
    for element in at.markdown:
        assert not element.proto.allow_html, element.value


@pytest.mark.parametrize("name", PAGES)
def test_page_renders(app_env: tuple[Path, Path], name: str) -> None:
    at = open_page(name, "en")
    assert at.title[0].value
    assert not at.error, [e.value for e in at.error]
    no_raw_html(at)


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_in_korean(app_env: tuple[Path, Path], name: str) -> None:
    at = open_page(name, "ko")
    assert any("\uac00" <= ch <= "\ud7a3" for ch in at.title[0].value)


def test_language_defaults_from_config(app_env: tuple[Path, Path]) -> None:
    at = open_page("overview")
    assert at.title[0].value == "Overview"  # the sample config says dashboard.language: en
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["lang"] = "ko"  # a shared link can ask for the Korean interface
    at.run()
    assert at.title[0].value == "개요"


def test_overview_key_elements(app_env: tuple[Path, Path]) -> None:
    at = open_page("overview", "en")
    labels = [m.label for m in at.metric]
    assert labels[:4] == ["Mentions", "Negative share", "Net sentiment", "Reach"]
    assert "Share of voice against competitors" in texts(at)
    assert len(at.get("vega_lite_chart")) >= 4
    shares = frames_text(at)
    assert "Globex" in shares and "Initech" in shares


def test_explore_search_and_bad_query(app_env: tuple[Path, Path]) -> None:
    at = open_page("explore", "en")
    at.text_input(key="explore_query").input("배터리 AND 발열").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) > 0 and table["text"].str.contains("배터리").all()
    at.text_input(key="explore_query").input('battery AND (fire OR "').run()
    assert not at.exception
    assert at.error and "cannot be parsed" in at.error[0].value
    assert "position" in at.code[0].value


def test_explore_facets_narrow(app_env: tuple[Path, Path]) -> None:
    at = open_page("explore", "en")
    at.multiselect(key="explore_sentiment").select("negative").run()
    table = at.dataframe[0].value
    assert set(table["sentiment"]) == {"negative"}
    assert {
        "Sentiment",
        "Topic",
        "Touchpoint",
        "Source",
        "Language",
        "Brand",
        "Author",
        "Named entity",
    } <= set(texts(at).replace("*", "").splitlines())


def test_explore_entity_facet_and_filter(app_env: tuple[Path, Path]) -> None:
    """#13: the entities stored per mention are a facet table and a filter."""
    at = open_page("explore", "en")
    facet = next(df.value for df in at.dataframe if "Named entity" in df.value.columns)
    assert {"Acme X2", "FedEx", "대한통운"} <= set(facet["Named entity"])
    at.multiselect(key="explore_entity").select("FedEx").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) > 0 and table["text"].str.contains("delivery").all()


def test_filters_persist_across_pages(app_env: tuple[Path, Path]) -> None:
    at = open_page("overview", "en")
    at.sidebar.multiselect(key="_flt_sources").select("reddit").run()
    day = date(2026, 3, 3)
    at.sidebar.date_input(key="_flt_dates").set_value((day, day)).run()
    at.switch_page("views/explore.py").run()
    assert not at.exception
    results = at.dataframe[0].value
    assert set(results["source"]) == {"reddit"}
    assert {t.date() for t in results["time"]} == {day}
    assert at.sidebar.date_input(key="_flt_dates").value == (day, day)


def test_hostile_posts_stay_text(app_env: tuple[Path, Path]) -> None:
    at = open_page("explore", "en")
    at.text_input(key="explore_query").input("onerror OR script OR javascript").run()
    table = at.dataframe[0].value
    assert table["text"].str.contains("<script>").any()
    assert table["url"].isna().all()  # javascript: links are dropped
    no_raw_html(at)
    at = open_page("complaints", "en")
    no_raw_html(at)
    assert any("<script>" in t.value for t in at.text)  # the summary is shown as plain text


def test_sources_health(app_env: tuple[Path, Path]) -> None:
    at = open_page("sources", "en")
    health = at.dataframe[0].value
    status = dict(zip(health["Source"], health["Status"], strict=True))
    assert "unhealthy" in status["clien"] and "healthy" in status["x"]
    assert "never run" in status.get("reddit", "") or "healthy" in status["reddit"]
    assert "disabled" in status["naver"]
    assert "HTTP 503" in health.to_string()
    stored = at.dataframe[1].value  # mentions per source, whatever wrote them (#16 item 6)
    assert list(stored.columns) == ["Source", "Mentions"] and stored["Mentions"].sum() > 0


def test_settings_shows_config(app_env: tuple[Path, Path]) -> None:
    at = open_page("settings", "en")
    text = frames_text(at)
    assert "애크미" in text and "logistics@acme.example" in text and "emerging-complaint" in text


def test_empty_store_explains(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROUNDSWELL_DB", str(tmp_path / "empty.db"))
    monkeypatch.setenv("GROUNDSWELL_CONFIG", str(tmp_path / "missing.yaml"))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.error and "missing.yaml" in at.code[0].value  # an explicit bad config is named
    monkeypatch.delenv("GROUNDSWELL_CONFIG")
    for name in PAGES:
        at = open_page(name, "en")
        assert not at.error
        if name not in {"settings"}:
            assert at.info, name


def test_unreadable_store_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    monkeypatch.setenv("GROUNDSWELL_DB", str(bad))
    monkeypatch.delenv("GROUNDSWELL_CONFIG", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.error and "store" in at.error[0].value.lower()

"""The report page: related words, the same figures as `groundswell report`, files to download."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.dashboard_sample import APP
from tests.dashboard.test_dashboard_pages import no_raw_html


def report_page(lang: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("views/report.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_report_page_shows_related_words(app_env: tuple[Path, Path], lang: str) -> None:
    at = report_page(lang)
    assert not at.error, [e.value for e in at.error]
    related = at.dataframe[0].value
    words = set(related.iloc[:, 0])
    assert {"delivery", "배송", "camera"} <= words
    assert not {"acme", "애크미"} & words  # the brand's own name is left out
    no_raw_html(at)


def test_generate_offers_the_files(app_env: tuple[Path, Path]) -> None:
    at = report_page("en")
    at.button(key="rp_generate").click().run()
    assert not at.exception, [e.value for e in at.exception]
    warnings = [w.value for w in at.warning]
    assert all("libpango" in w or "pip install" in w for w in warnings), warnings  # only a missing PDF engine


def test_related_words_of_a_topic(app_env: tuple[Path, Path]) -> None:
    at = report_page("en")
    picker = at.selectbox(key="rp_topic")
    assert "delivery delay" in picker.options  # labels, never topic ids
    at = picker.set_value(1).run()  # topic 1 of the sample: delivery delay
    assert not at.exception, [e.value for e in at.exception]
    words = set(at.dataframe[0].value.iloc[:, 0])
    assert {"delivery", "배송"} <= words and "camera" not in words


def test_dashboard_reads_in_the_configured_zone(
    sample_paths: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, db = sample_paths
    seoul = tmp_path / "seoul.yaml"
    seoul.write_text("timezone: Asia/Seoul\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("GROUNDSWELL_CONFIG", str(seoul))
    monkeypatch.setenv("GROUNDSWELL_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("views/explore.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.date_input[0].label.endswith("(KST)")
    # the sample ends 2026-03-05 00:00 UTC = 09:00 KST: the last local day offered is 03-05
    assert at.date_input[0].max == date(2026, 3, 5)
    times = [df.value["time"] for df in at.dataframe if "time" in df.value.columns]
    assert times and str(times[0].dt.tz) == "Asia/Seoul"

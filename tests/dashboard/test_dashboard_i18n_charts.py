"""Every interface string exists in both languages, and every chart carries the Hangul font stack."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

from groundswell.dashboard import charts
from groundswell.dashboard.i18n import STRINGS, t

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""")


def test_every_used_key_is_translated() -> None:
    used = set()
    for path in DASHBOARD.rglob("*.py"):
        used |= set(KEY_USE.findall(path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys"
    missing = sorted(k for k in used if k not in STRINGS)
    assert not missing, missing
    for key, (en, ko) in STRINGS.items():
        assert en.strip() and ko.strip(), key


def test_lookup_falls_back_readably() -> None:
    assert t("page.overview", "ko") == "개요"
    assert t("page.overview", "fr") == "Overview"
    assert t("no.such.key", "ko") == "no.such.key"
    assert t("ex.results", "en", n=1234, shown=200) == "1,234 mentions match; showing the first 200."


def test_charts_carry_the_hangul_font() -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    frame = pd.DataFrame(
        {
            "time": [start, start + timedelta(hours=1)],
            "key": ["배터리", "배송"],
            "count": [3, 5],
            "sentiment": ["negative", "positive"],
        }
    )
    labels = {"negative": "부정", "neutral": "중립", "positive": "긍정"}
    built = [
        charts.stacked_sentiment(frame, labels, "멘션"),
        charts.line(frame, "time", "count", "멘션"),
        charts.area_share(frame, "브랜드", "점유율"),
        charts.bars(frame, "key", "count", "키워드", "건수"),
        charts.stacked_by(frame, "토픽", "멘션"),
        charts.heatmap(frame, timedelta(hours=1), "접점", "부정"),
        charts.growth(frame, 1.5, labels, "멘션", "기준선"),
    ]
    for chart in built:
        config = chart.to_dict()["config"]
        assert "Noto Sans CJK KR" in config["font"] and "Malgun Gothic" in config["font"]
        assert config["axis"]["labelFont"] == config["legend"]["labelFont"] == charts.FONT


def test_a_day_source_incident_is_one_band_per_date() -> None:
    """Two days of a review incident were slivers at the edges of an hourly axis."""
    frame = pd.DataFrame(
        {
            "time": [datetime(2020, 4, 17, tzinfo=UTC), datetime(2020, 4, 18, tzinfo=UTC)],
            "sentiment": ["complaint", "complaint"],
            "count": [60, 13],
        }
    )
    spec = charts.growth(frame, 0.9, {"complaint": "posts"}, "posts", "expected", daily=True).to_dict()
    bars = spec["layer"][0]
    assert bars["encoding"]["x"]["field"] == "day" and bars["encoding"]["x"]["type"] == "ordinal"
    days = sorted({row["day"] for row in spec["datasets"][bars["data"]["name"]]})
    assert days == ["2020-04-17", "2020-04-18"]
    hourly = charts.growth(frame, 0.9, {"complaint": "posts"}, "posts", "expected").to_dict()
    assert hourly["layer"][0]["encoding"]["x"]["type"] == "temporal"

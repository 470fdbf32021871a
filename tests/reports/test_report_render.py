"""HTML, PDF and CSV: crawled text escaped, charts well-formed SVG, Hangul in the PDF's font."""

from __future__ import annotations

import csv
import io
import os
import pickle
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groundswell.config.settings import Settings
from groundswell.errors import GroundswellError
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.reports import charts
from groundswell.reports.data import ReportData, build_report
from groundswell.reports.render import hangul_font_installed, render, render_csv, render_html
from tests.reports.conftest import WEEK


@pytest.fixture
def data(settings: Settings, store: SQLiteStore) -> ReportData:
    return build_report(settings, store, "Acme", period=WEEK, language="ko")


def test_html_escapes_crawled_text(data: ReportData) -> None:
    page = render_html(data)
    assert "<script" not in page.lower() and "onerror=" not in page
    assert "&lt;script&gt;" in page  # the alert summary, shown as text
    assert "javascript:" not in page  # a crawled javascript: URL never becomes a link
    assert "Acme 주간 리포트" in page and "(UTC)" in page
    for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S):
        ET.fromstring(svg)  # every chart is well-formed XML


def test_english_and_korean_labels(settings: Settings, store: SQLiteStore) -> None:
    english = render_html(build_report(settings, store, "Acme", period=WEEK, language="en"))
    assert "Acme weekly report" in english and "Share of voice" in english and "Related words" in english


def test_csv_holds_the_figures(data: ReportData) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(data))))
    kpi = {r["metric"]: r["value"] for r in rows if r["section"] == "kpi"}
    assert int(kpi["mentions"]) == data.now.mentions
    shares = [float(r["value"]) for r in rows if r["section"] == "share_of_voice" and r["metric"] == "share"]
    assert abs(sum(shares) - 100) < 0.5
    assert {r["item"] for r in rows if r["section"] == "touchpoint"} >= {"battery", "delivery"}
    assert render(data, "csv").startswith("\ufeff".encode())  # Excel reads the UTF-8 Hangul


def test_pdf_embeds_a_cjk_font(data: ReportData, caplog: pytest.LogCaptureFixture) -> None:
    pytest.importorskip("weasyprint", reason="pip install 'groundswell[reports]'")
    if hangul_font_installed() is False:  # the report says so instead of printing boxes silently
        with caplog.at_level("WARNING", logger="groundswell.reports.render"):
            render(data, "pdf")
        assert "fonts-noto-cjk" in caplog.text
        pytest.skip("no Hangul font: make system-deps installs fonts-noto-cjk")
    try:
        pdf = render(data, "pdf")
    except GroundswellError as exc:  # Pango missing on this machine: the error names the package
        assert "libpango" in str(exc)
        pytest.skip(str(exc))
    assert pdf.startswith(b"%PDF")
    assert b"Noto-Sans-CJK" in _inflated(pdf), "Hangul would not render: install fonts-noto-cjk"


def test_pdf_embeds_an_emoji_font_for_posts_with_emoji(data: ReportData) -> None:
    """Top posts are users' text, emoji included: without fonts-noto-color-emoji (make system-deps,
    .ci/run) they print as empty boxes."""
    pytest.importorskip("weasyprint", reason="pip install 'groundswell[reports]'")
    if not any("emoji" in f.name.lower() for f in Path("/usr/share/fonts").rglob("*.ttf")):
        pytest.skip("no emoji font: make system-deps installs fonts-noto-color-emoji")
    assert data.top_posts, "the sample week has top posts"
    post = data.top_posts[0].model_copy(update={"text": "배송이 너무 늦어요 😡🔥"})
    try:
        pdf = render(replace(data, top_posts=[post, *data.top_posts[1:]]), "pdf")
    except GroundswellError as exc:
        pytest.skip(str(exc))
    assert b"Emoji" in _inflated(pdf)


def test_numbers_are_not_set_in_the_emoji_font(data: ReportData) -> None:
    """The colour emoji font has glyphs for 0-9, # and * (keycap bases); named in the font stack
    for all text, Pango set every figure and date of the report in it (wide, spaced digits). A
    week whose posts have no emoji must not embed it at all."""
    pytest.importorskip("weasyprint", reason="pip install 'groundswell[reports]'")
    if not any("emoji" in f.name.lower() for f in Path("/usr/share/fonts").rglob("*.ttf")):
        pytest.skip("no emoji font: make system-deps installs fonts-noto-color-emoji")
    if hangul_font_installed() is False:
        pytest.skip("no Hangul font: make system-deps installs fonts-noto-cjk")
    plain = [p.model_copy(update={"text": "배송이 너무 늦어요 12,345 #1"}) for p in data.top_posts]
    try:
        pdf = render(replace(data, top_posts=plain, incidents=[]), "pdf")
    except GroundswellError as exc:
        pytest.skip(str(exc))
    assert b"Noto-Sans-CJK" in _inflated(pdf)
    assert b"Emoji" not in _inflated(pdf)


def _fc_list(pattern: str) -> str:
    return subprocess.run(["fc-list", pattern, "file"], capture_output=True, text=True, check=True).stdout


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (font names sit in object streams)."""
    parts = [pdf]
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", pdf, flags=re.S):
        try:
            parts.append(zlib.decompress(raw))
        except zlib.error:
            continue
    return b"".join(parts)


@given(st.lists(st.text(min_size=0, max_size=40), min_size=0, max_size=12), st.integers(100, 900))
def test_bar_chart_is_valid_svg_for_any_labels(labels: list[str], width: int) -> None:
    clean = ["".join(c for c in label if c.isprintable()) for label in labels]
    svg = charts.hbars(clean, [float(i) for i in range(len(clean))], "t", notes=clean, width=width)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")


@given(st.text(max_size=60), st.floats(6, 20), st.floats(10, 400))
def test_clip_fits(text: str, size: float, width: float) -> None:
    out = charts.clip(text, size, width)
    assert out == text or (out.endswith("…") and charts.text_width(out, size) <= width + size)


@given(st.floats(0, 1e9, allow_nan=False))
def test_axis_ticks_are_whole_numbers(peak: float) -> None:
    top = charts._nice_max(peak)
    assert top >= peak and float(top / charts.TICKS).is_integer()
    assert top <= max(4 * peak, charts.TICKS * 1.0)  # never so loose the bars shrink to nothing


def test_a_machine_without_a_hangul_font_is_told_so(data: ReportData, tmp_path: Path) -> None:
    """WeasyPrint prints Hangul as boxes when no font covers it and only logs each glyph; the report
    names the package instead. A fontconfig that knows no font directory stands in for that machine."""
    pytest.importorskip("weasyprint", reason="pip install 'groundswell[reports]'")
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig's fc-list is not installed: the check cannot run")
    latin, hangul = (
        {line.split(":")[0] for line in _fc_list(pattern).splitlines() if line.strip()}
        for pattern in (":lang=en", ":charset=ac00")
    )
    if not latin - hangul:
        pytest.skip("no font without Hangul to build the test's font set from")
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / Path(min(latin - hangul)).name).symlink_to(min(latin - hangul))
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{tmp_path / 'fonts'}</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    (tmp_path / "data.pickle").write_bytes(pickle.dumps(data))
    script = (
        "import logging, pickle, sys\n"
        "from groundswell.reports.render import hangul_font_installed, render_pdf\n"
        "logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format='%(name)s: %(message)s')\n"
        "print('installed:', hangul_font_installed())\n"
        f"pdf = render_pdf(pickle.loads(open({str(tmp_path / 'data.pickle')!r}, 'rb').read()))\n"
        "print('pdf:', pdf[:4])\n"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    if "libpango" in out.stderr:
        pytest.skip("Pango is not installed")
    assert out.returncode == 0, out.stderr[-2000:]
    assert "installed: False" in out.stdout
    assert "groundswell.reports.render: no font on this machine has Hangul" in out.stdout
    assert "apt-get install -y fonts-noto-cjk" in out.stdout and "pdf: b'%PDF'" in out.stdout

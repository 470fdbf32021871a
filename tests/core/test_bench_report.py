"""bench.report rewrites a script's section of BENCHMARKS.md and keeps the notes written beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import report


@pytest.fixture
def benchmarks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(
        "# Benchmarks\n\n## NLP\n\nold table\n\n"
        f"{report.NOTES}\n\nWhy the figures moved: read by hand.\n\n### A subsection\n\ntries\n\n"
        "## Store\n\nstore table\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(report, "BENCHMARKS", path)
    return path


def test_a_rewritten_section_keeps_its_notes_and_the_other_sections(benchmarks: Path) -> None:
    report.write_section("NLP", "new table")
    text = benchmarks.read_text(encoding="utf-8")
    assert "old table" not in text and "new table" in text
    assert text.index("new table") < text.index("Why the figures moved") < text.index("### A subsection")
    assert text.count(report.NOTES) == 1
    assert text.endswith("## Store\n\nstore table\n")


def test_a_section_without_notes_is_replaced_whole_and_a_new_one_appended(benchmarks: Path) -> None:
    report.write_section("Store", "fresh store table")
    report.write_section("Reports", "report table")
    text = benchmarks.read_text(encoding="utf-8")
    assert "store table\n" not in text.replace("fresh store table", "")
    assert text.index("## Store") < text.index("## Reports") and text.rstrip().endswith("report table")

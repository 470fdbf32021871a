"""The bundled demo scenario: reproducible, valid generic lines, and the story it is meant to tell."""

from __future__ import annotations

import gzip
import importlib.util
import json
import math
import re
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groundswell.crawlers.generic import parse_generic_line
from groundswell.query import matches, parse_query

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "pipeline" / "demo" / "scenario.jsonl.gz"
ONSET = datetime(2026, 11, 22, 1, tzinfo=UTC)
COMPLAINT = re.compile(r"발열|부풀|overheat|swell|swollen", re.IGNORECASE)
QUERIES = {
    "Lumio": 'lumio OR 루미오 OR @lumio_kr OR #lumiox2 NOT "lumio lighting"',
    "Vexa": "vexa OR 벡사",
    "Orbit": '"orbit phone" OR orbitmobile OR 오르빗 OR @orbitmobile',
}


def _load_generator():  # type: ignore[no-untyped-def]
    path = ROOT / "scripts" / "make_demo_scenario.py"
    spec = importlib.util.spec_from_file_location("make_demo_scenario", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_demo_scenario", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "a.jsonl.gz"
    assert _load_generator().main([str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def records(generated: Path) -> list[dict]:
    with gzip.open(generated, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _when(rec: dict) -> datetime:
    return datetime.fromisoformat(rec["created_at"].replace("Z", "+00:00"))


def test_same_bytes_every_run(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / "b.jsonl.gz"
    _load_generator().main([str(again)])
    assert again.read_bytes() == generated.read_bytes()


def test_shipped_file_is_the_generators_output(generated: Path) -> None:
    # compare the JSON Lines, not the gzip bytes: another zlib build may compress differently
    assert gzip.decompress(SHIPPED.read_bytes()) == gzip.decompress(generated.read_bytes())


def test_every_line_is_a_valid_generic_post(generated: Path, records: list[dict]) -> None:
    with gzip.open(generated, "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    ids = set()
    for n, line in enumerate(lines, 1):
        mention = parse_generic_line(line, n)
        ids.add(mention.id)
    assert len(ids) == len(lines)
    for rec in records:
        assert "brand" not in rec  # the demo must find brands from the text
        assert rec["created_at"].endswith("Z")
        assert rec["url"].startswith("https://")
        assert set(rec["author"]) == {"id", "handle", "followers"}
        assert set(rec["metrics"]) == {"likes", "shares", "replies", "views"}
        assert rec["text"].strip()


def test_counts_span_languages_and_sources(records: list[dict]) -> None:
    assert 7000 <= len(records) <= 9000
    times = sorted(_when(r) for r in records)
    assert times[0] >= datetime(2026, 11, 11, tzinfo=UTC)
    assert times[-1] <= datetime(2026, 11, 24, 23, 59, 59, tzinfo=UTC)
    assert len({t.date() for t in times}) == 14
    langs = Counter(r["lang"] for r in records)
    assert 0.5 <= langs["ko"] / len(records) <= 0.62 and set(langs) == {"ko", "en"}
    sources = Counter(r["source"] for r in records)
    assert set(sources) == {"x", "reddit", "reviews", "news", "community"}
    assert sources["news"] >= 30 and min(sources.values()) >= 30


def test_brand_queries_find_the_brands_and_skip_true_negatives(records: list[dict]) -> None:
    nodes = {b: parse_query(q) for b, q in QUERIES.items()}
    found = Counter()
    negatives = 0
    for rec in records:
        hits = [b for b, node in nodes.items() if matches(node, rec["text"])]
        found.update(hits)
        if not hits:
            negatives += 1
            assert re.search(r"lumio lighting|orbit", rec["text"], re.IGNORECASE), rec["text"]
    assert 50 <= negatives <= 0.05 * len(records)
    assert found["Lumio"] > found["Vexa"] > found["Orbit"] > 500


def test_complaint_starts_small_and_grows_then_plateaus(records: list[dict]) -> None:
    hourly = Counter()
    for rec in records:
        if COMPLAINT.search(rec["text"]):
            hourly[int((_when(rec) - ONSET).total_seconds() // 3600)] += 1
    before = [hourly[h] for h in range(-24 * 10, 0)]
    assert 10 <= sum(before) <= 0.5 * len(before) and max(before) <= 3  # low, steady heat talk before onset
    first = [hourly[h] for h in range(5)]
    assert 1 <= first[0] <= 5 and first[0] + first[1] <= 14  # starts with a handful of posts an hour
    assert first[0] + first[1] < first[2] + first[3] < 3 * (first[3] + first[4])
    assert first[4] >= 4 * first[1]  # several e-folds within hours
    later = [hourly[h] for h in range(8, 64)]
    assert min(later) > 0 and max(later) < 6 * sorted(later)[len(later) // 2]  # a plateau, not a blow-up


def test_delivery_complaints_are_a_steady_background(records: list[dict]) -> None:
    daily = Counter(
        _when(r).date()
        for r in records
        if re.search(r"배송|택배|delivery|shipping|tracking", r["text"], re.IGNORECASE) and _when(r) < ONSET
    )
    per_day = [daily[(datetime(2026, 11, 11) + timedelta(days=d)).date()] for d in range(11)]
    assert min(per_day) >= 10 and max(per_day) <= 2.5 * min(per_day)


def test_complaint_spreads_with_reach(records: list[dict]) -> None:
    burst = [r for r in records if COMPLAINT.search(r["text"]) and _when(r) >= ONSET]
    sources = Counter(r["source"] for r in burst)
    assert {"x", "community", "reddit", "reviews", "news"} <= set(sources)
    authors = {r["author"]["id"] for r in burst}
    assert len(authors) > 0.5 * len(burst)
    assert max(r["author"]["followers"] for r in burst if r["source"] == "x") > 300_000
    assert sum(r["text"].startswith("RT @") for r in burst) > 50
    chatter = [r for r in records if r["source"] == "x" and not COMPLAINT.search(r["text"])]
    complaints = [r for r in burst if r["source"] == "x" and not r["text"].startswith("RT @")]
    assert _log_shares(complaints) > 1.5 * _log_shares(chatter)  # complaints get reshared more


def _log_shares(recs: list[dict]) -> float:
    return sum(math.log1p(r["metrics"]["shares"]) for r in recs) / len(recs)

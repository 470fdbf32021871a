"""#15 item 2: one poison line costs only that line, in ingest, analyze, parse, sources, the scheduler.

Each poison below crashed the whole command with a traceback (OverflowError, UnicodeEncodeError,
RecursionError, ValueError) before; the lines after it could never be ingested.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from groundswell.config.settings import Settings, Source
from groundswell.crawlers.generic import parse_generic_line
from groundswell.crawlers.replay import ReplaySource
from groundswell.errors import InputError
from groundswell.indexer.base import MentionQuery
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.limits import MAX_INT, LimitError, loads_bounded
from groundswell.pipeline.cli import cli
from groundswell.pipeline.scheduler import Scheduler

POISONS = {
    "likes 2**64": '{"id":"%s","text":"t","created_at":"2026-11-24T10:00:00Z","metrics":{"likes":18446744073709551616}}',
    "lone surrogate": '{"id":"%s","text":"bad \\ud800 x","created_at":"2026-11-24T10:00:00Z"}',
    "100k-deep nesting": '{"id":"%s","text":"t","created_at":"2026-11-24T10:00:00Z","x":'
    + "[" * 100_000
    + "]" * 100_000
    + "}",
    "5,000-digit id": '{"id":' + "9" * 5000 + ',"text":"t %s","created_at":"2026-11-24T10:00:00Z"}',
    "followers 2**63": '{"id":"%s","text":"t","created_at":"2026-11-24T10:00:00Z","author":{"followers":'
    + str(2**63)
    + "}}",
    "NaN": '{"id":"%s","text":"t","created_at":"2026-11-24T10:00:00Z","metrics":{"likes":NaN}}',
}
REASONS = {
    "likes 2**64": "metrics.likes",
    "lone surrogate": "surrogate",
    "100k-deep nesting": "nested deeper",
    "5,000-digit id": "5000 digits",
    "followers 2**63": "author.followers",
    "NaN": "NaN",
}


def good(i: int) -> str:
    created = datetime(2026, 11, 24, tzinfo=UTC) + timedelta(seconds=i)
    return json.dumps({"id": f"g{i}", "text": f"Lumio 배터리 불만 {i}", "created_at": created.isoformat()})


def poisoned_file(path: Path, poison: str, before: int = 5, after: int = 5) -> Path:
    middle = [poison % "bad"] if poison else []
    rows = [good(i) for i in range(before)] + middle + [good(i) for i in range(before, before + after)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(POISONS))
def test_parse_generic_line_refuses_with_a_positioned_reason(name: str) -> None:
    with pytest.raises(InputError) as err:
        parse_generic_line(POISONS[name] % "x", 7)
    assert str(err.value).startswith("line 7: ") and REASONS[name] in str(err.value)


@pytest.mark.parametrize("name", sorted(POISONS))
def test_ingest_skips_only_the_poison_line(name: str, tmp_path: Path) -> None:
    path = poisoned_file(tmp_path / "in.jsonl", POISONS[name])
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "gs.db"), "ingest", str(path), "--json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["rejected"] == 1 and counts["stored"] + counts["unmatched"] == 10
    assert "line 6:" in result.stderr and REASONS[name] in result.stderr


@pytest.mark.parametrize("name", sorted(POISONS))
def test_analyze_writes_every_good_line(name: str, tmp_path: Path) -> None:
    data = poisoned_file(tmp_path / "in.jsonl", POISONS[name]).read_bytes()
    result = CliRunner().invoke(cli, ["analyze"], input=data)
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 10
    assert "line 6:" in result.stderr


@pytest.mark.parametrize("name", sorted(POISONS))
def test_parse_with_the_replay_source_skips_the_poison(name: str, tmp_path: Path) -> None:
    path = poisoned_file(tmp_path / "in.jsonl", POISONS[name])
    result = CliRunner().invoke(cli, ["parse", "--source", "replay", str(path)])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 10


@pytest.mark.parametrize("name", sorted(POISONS))
def test_the_scheduler_cursor_moves_past_a_poison_line(name: str, tmp_path: Path) -> None:
    path = poisoned_file(tmp_path / "in.jsonl", POISONS[name], before=30, after=40)
    cfg = Source(name="rp", type="replay", options={"path": str(path), "batch_size": 25})
    store = SQLiteStore(tmp_path / "gs.db")
    try:
        scheduler = Scheduler(Settings(sources=[cfg]), store)
        run = scheduler.run_once("rp")
        assert run.healthy and run.new == 70
        assert store.count(MentionQuery()) == 70
        assert json.loads(store.get_cursor("rp") or "{}")["pos"] == 70
    finally:
        store.close()


def test_a_mention_the_store_cannot_take_costs_only_itself(tmp_path: Path) -> None:
    """A value no parser check foresaw (here: a surrogate slipped past the record) fails its batch;
    the batch is retried one by one, the rest committed, the cursor moved past it."""
    store = SQLiteStore(tmp_path / "gs.db")
    src = ReplaySource("rp", poisoned_file(tmp_path / "in.jsonl", "", before=10, after=0))
    mentions = src.fetch(None).mentions
    bad = mentions[3].model_copy(update={"text": "x\ud800"})  # model_copy skips validation
    mentions[3] = bad

    class OnePage:
        name = "rp"

        def fetch(self, cursor: str | None):  # type: ignore[no-untyped-def]
            from groundswell.crawlers.base import Batch

            return Batch(mentions=list(mentions), next_cursor="done", fetched=len(mentions))

    try:
        cfg = Source(name="rp", type="replay", options={"path": "x"})
        scheduler = Scheduler(Settings(sources=[cfg]), store, sources={"rp": OnePage()})  # type: ignore[dict-item]
        run = scheduler.run_once("rp")
        assert run.new == 9 and run.rejected == 1 and run.healthy
        assert store.get_cursor("rp") == "done"
        assert store.get_state("crawl.skipped.rp") == {"unstorable": 1}
    finally:
        store.close()


def test_a_source_item_with_an_out_of_range_count_is_skipped_alone() -> None:
    from groundswell.crawlers.registry import source_class

    fixture = Path(__file__).parents[1] / "fixtures" / "mastodon" / "tag_timeline_docs.json"
    statuses = json.loads(fixture.read_text(encoding="utf-8"))
    parser = source_class("mastodon").for_parse(Source(name="m", type="mastodon"))
    before = parser.parse_batch(json.dumps(statuses))
    statuses[0]["favourites_count"] = 2**64
    after = parser.parse_batch(json.dumps(statuses))
    assert len(after.mentions) == len(before.mentions) - 1 >= 1
    assert after.rejected == before.rejected + 1


def test_every_line_rejected_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"x": 1}\n[1]\n' + POISONS["NaN"] % "n" + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "gs.db"), "ingest", str(path)])
    assert result.exit_code != 0 and "nothing stored, 3 line(s) rejected" in result.stderr
    result = CliRunner().invoke(cli, ["analyze"], input=path.read_bytes())
    assert result.exit_code != 0 and "rejected" in result.stderr


# -- property tests: any JSON value, any nesting, any integer: a clear error or a value, never a crash


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_loads_bounded_accepts_exactly_the_in_range_values(value: object) -> None:
    text = json.dumps(value)
    try:
        assert loads_bounded(text) == json.loads(text)
    except LimitError as exc:
        assert "out of range" in str(exc) or "surrogate" in str(exc)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=3000), st.sampled_from(["[", '{"a":']))
def test_any_depth_is_a_value_or_a_depth_error(depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    text = opener * depth + "1" + closer * depth
    if depth <= 64:
        loads_bounded(text)
    else:
        with pytest.raises(LimitError, match="nested deeper than 64"):
            loads_bounded(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**40), max_value=10**40))
def test_integers_outside_64_bits_are_refused_by_path(n: int) -> None:
    text = json.dumps({"metrics": {"likes": n}})
    if -MAX_INT - 1 <= n <= MAX_INT:
        assert loads_bounded(text)["metrics"]["likes"] == n
    else:
        with pytest.raises(LimitError, match=r"^metrics\.likes: integer"):
            loads_bounded(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_generic_line_parser_never_crashes(text: str) -> None:
    try:
        parse_generic_line(text, 1)
    except InputError as exc:
        assert str(exc).startswith("line 1: ")

"""`make demo`'s story end to end: the bundled scenario through `groundswell backtest`'s code path.

The scenario (pipeline/demo/README.md) holds one real incident, Lumio's battery swelling after
firmware 3.2 from 2026-11-22 01:00Z, in Korean and English, among two weeks of ordinary posts about
three brands, Vexa's launch chatter included. A crisis team must see exactly one alert, about that
incident, early, with a label and a summary it can read; anything else is a false alarm.
Slow (a 14-day replay, ~2 minutes on 2 cores), and the one test that holds the whole detector to it.
"""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groundswell.config.loader import load_settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp.detect.narrative import touchpoint_counts
from groundswell.pipeline.commands.detect import run_backtest
from groundswell.records import Alert

SCENARIO = Path(__file__).resolve().parents[2] / "pipeline" / "demo" / "scenario.jsonl.gz"
ONSET = datetime(2026, 11, 22, 1, tzinfo=UTC)
STORY = ("배터리", "펌웨어", "발열", "부풀", "battery", "firmware", "swollen", "overheat")


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_the_demo_raises_one_alert_about_its_incident(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "demo.db")
    states: list[tuple[list[str], list[str], Counter[str], int]] = []  # as a reader saw each update

    def seen(alert: Alert, _at: datetime) -> None:
        evidence = store.get(alert.evidence_ids)
        named = touchpoint_counts(evidence)
        states.append((list(alert.touchpoints), list(alert.owners), named, len(evidence)))

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            fired = run_backtest(load_settings(None), store, SCENARIO, timedelta(minutes=15), on_update=seen)
        assert [a.brand for a in fired] == ["Lumio"], [(a.brand, a.fired_at, a.topic) for a in fired]
        alert = fired[0]
        assert ONSET < alert.fired_at < ONSET + timedelta(hours=4)
        assert alert.topic is not None and any(word in alert.topic.label for word in STORY), alert.topic
        assert alert.summary and "Lumio" in alert.summary
        evidence = store.get(alert.evidence_ids)
        on_story = [m for m in evidence if any(w in (m.text or "").lower() for w in STORY)]
        assert len(on_story) >= 0.5 * len(evidence)
        # one story from the first state on: the same touchpoint and owner, named by most of the
        # evidence of that moment, not only of the last
        assert {(tps[0], owners[0]) for tps, owners, _, _ in states} == {
            (alert.touchpoints[0], alert.owners[0])
        }
        assert all(named[tps[0]] > n / 2 for tps, _, named, n in states), [(t, n) for t, _, _, n in states]
    finally:
        store.close()

"""One writer per alert (#12 item 4) and the incident summary in every message and in `alerts list`."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from groundswell.alerts.dispatch import Dispatcher
from groundswell.config.loader import load_settings
from groundswell.config.settings import Settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp.detect import Detector
from groundswell.pipeline.cli import cli
from tests.alerts.servers import SECRET, FakeClock, Receiver, make_alert
from tests.detect.synthetic import START, burst, steady


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GS_SECRET", SECRET)


def config(tmp_path: Path, receiver: Receiver, language: str) -> Path:
    path = tmp_path / "gs.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "brands": [{"name": "acme", "query": "acme"}],
                "touchpoints": [{"name": "product_quality", "owner": "quality@example.com"}],
                "playbooks": [{"touchpoint": "product_quality", "text": "Pull the batch."}],
                "alert_rules": [{"name": "emerging", "window": "1h", "min_posts": 4, "language": language}],
                "channels": [
                    {
                        "name": "hook",
                        "type": "webhook",
                        "options": {"url": receiver.url, "secret_env": "GS_SECRET"},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def detect(store: SQLiteStore, settings: Settings) -> list:
    rng = random.Random(11)
    onset = START + timedelta(days=2, hours=14)
    store.upsert(steady(rng, ["acme"], days=3, per_hour=8) + burst(rng, "acme", onset))
    detector = Detector.from_settings(settings)
    fired, t = [], START + timedelta(minutes=15)
    while t <= onset + timedelta(hours=2):
        fired += detector.run(store, t)
        t += timedelta(minutes=15)
    return fired


@pytest.mark.parametrize("language", ["en", "ko"])
def test_detector_records_the_dispatcher_only_reads_and_every_message_carries_the_summary(
    tmp_path: Path, receiver: Receiver, language: str
) -> None:
    path = config(tmp_path, receiver, language)
    settings = load_settings(path, environ={})
    store = SQLiteStore(tmp_path / "gs.db")
    fired = detect(store, settings)
    assert fired
    recorded = store.get_alert(fired[-1].id)
    assert recorded is not None and recorded.owners == ["quality@example.com"]
    assert recorded.playbook == "Pull the batch." and recorded.summary
    Dispatcher.from_settings(settings, store, clock=FakeClock()).dispatch(fired, check_health=False)
    assert store.get_alert(recorded.id) == recorded, "the dispatcher wrote the alert"
    body = receiver.requests[0].json()
    assert recorded.summary.split(" ")[0] in body["text"] and body["alert"]["summary"]
    if language == "ko":
        assert "명이 acme" in body["text"] and "complained" not in body["text"]
        assert "complaints" not in body["title"] and body["title"].startswith("[")
    else:
        assert "people on syn complained about acme" in body["text"]
    store.close()
    out = CliRunner().invoke(
        cli,
        ["--config", str(path), "--db", str(tmp_path / "gs.db"), "alerts", "list", "--json"],
        catch_exceptions=False,
    )
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert rows and rows[0]["summary"] == recorded.summary


def test_an_alert_nobody_recorded_is_routed_but_not_written(tmp_path: Path, receiver: Receiver) -> None:
    settings = load_settings(config(tmp_path, receiver, "en"), environ={})
    store = SQLiteStore(tmp_path / "gs.db")
    report = Dispatcher.from_settings(settings, store, clock=FakeClock()).dispatch(
        [make_alert(rule="emerging")], check_health=False
    )
    assert len(report.delivered) == 1 and store.list_alerts() == []
    store.close()

"""The bundled receiver (`groundswell alerts receive`) and `groundswell alerts test CHANNEL`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner

from groundswell.alerts.dispatch import Dispatcher
from groundswell.alerts.receiver import WebhookReceiver
from groundswell.alerts.signing import signed_headers
from groundswell.config.loader import load_settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.pipeline.cli import cli
from tests.alerts.servers import SECRET, FakeClock, make_alert


@pytest.fixture
def bundled() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(secret=SECRET).start()
    yield receiver
    receiver.stop()


def test_receiver_gets_dispatched_alerts(
    bundled: WebhookReceiver, store: SQLiteStore, tmp_path: Path
) -> None:
    config = tmp_path / "gs.yaml"
    hook = {"name": "local", "type": "webhook", "options": {"url": bundled.url, "secret_env": "GS_SECRET"}}
    config.write_text(yaml.safe_dump({"channels": [hook]}))
    settings = load_settings(config, environ={})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GS_SECRET", SECRET)
        Dispatcher.from_settings(settings, store, clock=FakeClock()).dispatch([make_alert()])
    (got,) = bundled.messages
    assert got["alert_id"] == "acme:battery" and got["alert"]["severity"] == "high"


def test_a_resent_delivery_is_accepted_but_handed_over_once(bundled: WebhookReceiver) -> None:
    """A retry (same delivery id, signed again) or a replay is acknowledged and not handled twice."""
    body = b'{"id": "acme:x#0", "kind": "new"}'
    now = int(time.time())
    for stamp in (now, now + 1, now + 1):  # the outbox re-signs each attempt; the last is a replay
        headers = signed_headers(SECRET, body, "acme:x#0@local", stamp)
        assert httpx.post(bundled.url, content=body, headers=headers).status_code == 200
    assert len(bundled.messages) == 1 and bundled.duplicates == 2 and bundled.rejected == []
    stale = signed_headers(SECRET, body, "acme:y#0@local", now - 3600)
    assert httpx.post(bundled.url, content=body, headers=stale).status_code == 401


def test_receiver_refuses_unsigned_requests(bundled: WebhookReceiver) -> None:
    assert httpx.post(bundled.url, json={"a": 1}).status_code == 401
    assert bundled.messages == [] and "missing" in bundled.rejected[0]


def test_alerts_test_command_reaches_the_channel(
    bundled: WebhookReceiver, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("GS_SECRET", SECRET)
    config = tmp_path / "gs.yaml"
    hook = {"name": "local", "type": "webhook", "options": {"url": bundled.url, "secret_env": "GS_SECRET"}}
    dead = {"name": "dead", "type": "webhook", "options": {"url": "http://127.0.0.1:9/x", "timeout": 1}}
    config.write_text(yaml.safe_dump({"channels": [hook, dead], "dashboard": {"language": "en"}}))
    base = ["--config", str(config), "--db", str(tmp_path / "t.db"), "alerts", "test"]
    ok = CliRunner().invoke(cli, [*base, "local"])
    assert ok.exit_code == 0, ok.output
    assert bundled.messages[0]["title"] == "groundswell test message"
    failed = CliRunner().invoke(cli, [*base, "dead"])
    assert failed.exit_code == 1 and "channel dead (webhook) failed" in failed.output
    unknown = CliRunner().invoke(cli, [*base, "nope"])
    assert unknown.exit_code == 2 and "local, dead" in unknown.output


def test_alerts_outbox_lists_what_waits_and_why(tmp_path: Path, dead_url: str) -> None:
    config = tmp_path / "gs.yaml"
    config.write_text(
        yaml.safe_dump({"channels": [{"name": "down", "type": "webhook", "options": {"url": dead_url}}]})
    )
    db = tmp_path / "o.db"
    store = SQLiteStore(db)
    Dispatcher.from_settings(load_settings(config, environ={}), store).dispatch([make_alert()])
    store.close()
    result = CliRunner().invoke(cli, ["--config", str(config), "--db", str(db), "alerts", "outbox", "--json"])
    assert result.exit_code == 0, result.output
    row = yaml.safe_load(result.output)
    assert row["status"] == "pending" and row["channel"] == "down" and row["attempts"] == 1
    assert "ConnectError" in row["last_error"]

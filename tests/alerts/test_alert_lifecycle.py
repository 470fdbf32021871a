"""new -> acknowledged -> resolved from the CLI, replies in the thread, collector health alerts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from groundswell.alerts import AlertNotFound, InvalidTransition, acknowledge, assign, resolve
from groundswell.alerts.dispatch import Dispatcher
from groundswell.alerts.health import OPS_PREFIX
from groundswell.config.loader import load_settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.pipeline.cli import cli
from groundswell.records import AlertState, SourceRun
from tests.alerts.servers import T0, FakeClock, SmtpServer, make_alert, recorded


def test_lifecycle_records_who_when_and_note(store: SQLiteStore) -> None:
    store.save_alert(make_alert())
    acknowledge(store, "acme:battery", "kim", "checking with QA", now=T0)
    assign(store, "acme:battery", "lee@acme.example", "kim", now=T0)
    resolved = resolve(store, "acme:battery", "lee", "batch recalled", now=T0 + dt.timedelta(hours=2))
    assert resolved.state is AlertState.RESOLVED and resolved.assignee == "lee@acme.example"
    assert [(e.action, e.actor, e.note) for e in resolved.history] == [
        ("acknowledged", "kim", "checking with QA"),
        ("assigned", "kim", "lee@acme.example"),
        ("resolved", "lee", "batch recalled"),
    ]
    assert store.get_alert("acme:battery") == resolved
    with pytest.raises(InvalidTransition, match="already resolved by lee"):
        acknowledge(store, "acme:battery", "park")
    with pytest.raises(AlertNotFound):
        resolve(store, "nope", "kim")


def test_acknowledging_twice_keeps_the_first_name(store: SQLiteStore) -> None:
    store.save_alert(make_alert())
    acknowledge(store, "acme:battery", "kim")
    with pytest.raises(InvalidTransition, match="already acknowledged by kim"):
        acknowledge(store, "acme:battery", "park")
    with pytest.raises(InvalidTransition, match="--by"):
        resolve(store, "acme:battery", "  ")


def test_cli_list_ack_assign_resolve(tmp_path: Path) -> None:
    config = tmp_path / "gs.yaml"
    config.write_text(yaml.safe_dump({"brands": [{"name": "acme", "query": "acme"}]}))
    db = tmp_path / "cli.db"
    seeded = SQLiteStore(db)
    seeded.save_alert(make_alert("acme:battery"))
    seeded.save_alert(make_alert("acme:refund", brand="acme"))
    seeded.save_alert(make_alert("globex:app", brand="globex"))
    seeded.close()
    base = ["--config", str(config), "--db", str(db), "alerts"]
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, [*base, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    rows = [json.loads(line) for line in run("list", "--json", "--brand", "acme").splitlines()]
    assert sorted(r["id"] for r in rows) == ["acme:battery", "acme:refund"]
    assert {"fired_at", "brand", "severity", "topic", "evidence_ids", "history"} <= rows[0].keys()
    assert "acknowledged by kim" in run("ack", "acme:battery", "--by", "kim", "--note", "on it")
    assert "assigned to lee" in run("assign", "acme:battery", "--to", "lee", "--by", "kim")
    assert "resolved by lee" in run("resolve", "acme:battery", "--by", "lee", "--note", "fixed")
    resolved = [json.loads(line) for line in run("list", "--json", "--state", "resolved").splitlines()]
    assert [r["id"] for r in resolved] == ["acme:battery"]
    assert [e["action"] for e in resolved[0]["history"]] == ["acknowledged", "assigned", "resolved"]
    assert "acme:refund" in run("list", "--state", "new")

    again = runner.invoke(cli, [*base, "resolve", "acme:battery", "--by", "park"])
    assert again.exit_code == 2 and "already resolved by lee" in again.output
    missing = runner.invoke(cli, [*base, "ack", "nope", "--by", "kim"])
    assert missing.exit_code == 1 and "alerts list" in missing.output
    assert runner.invoke(cli, [*base, "ack", "acme:refund"]).exit_code == 2  # --by is required


def test_lifecycle_changes_reply_in_the_email_thread(
    plain_smtp: SmtpServer, tmp_path: Path, store: SQLiteStore
) -> None:
    config = tmp_path / "gs.yaml"
    channel = {
        "host": plain_smtp.host,
        "port": plain_smtp.port,
        "security": "none",
        "to": ["pr@acme.example"],
    }
    config.write_text(
        yaml.safe_dump(
            {
                "dashboard": {"language": "en"},  # no rule written: the implicit one speaks English
                "channels": [{"name": "mail", "type": "email", "options": channel}],
            }
        )
    )
    settings = load_settings(config, environ={})
    clock = FakeClock()
    dispatcher = Dispatcher.from_settings(settings, store, clock=clock)
    dispatcher.dispatch(recorded(store, make_alert()))
    acknowledge(store, "acme:battery", "kim", "on it")  # e.g. from the CLI, another process
    resolve(store, "acme:battery", "kim", "recalled")
    clock.advance(minutes=1)
    dispatcher.flush_outbox()
    dispatcher.dispatch([make_alert(observed=200)])  # a resolved incident stays quiet
    opened, acked, closed = plain_smtp.mailbox.messages
    assert acked["In-Reply-To"] == closed["In-Reply-To"] == opened["Message-ID"]
    assert str(acked["Subject"]).startswith("Acknowledged by kim") and "on it" in acked.get_content()
    assert str(closed["Subject"]).startswith("Resolved by kim")


def test_collector_health_alert_goes_to_admin_and_resolves_itself(
    tmp_path: Path, store: SQLiteStore, receiver
) -> None:
    config = tmp_path / "gs.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "sources": [{"name": "naver", "type": "rss", "unhealthy_after": "2h"}],
                "channels": [
                    {"name": "pr", "type": "webhook", "options": {"url": receiver.url + "?pr"}},
                    {"name": "ops", "type": "webhook", "options": {"url": receiver.url + "?ops"}},
                ],
                "alerts": {"admin_channel": "ops"},
            }
        )
    )
    settings = load_settings(config, environ={})
    clock = FakeClock()

    def run(at: dt.datetime, fetched: int, error: str | None = None) -> None:
        store.record_source_run(
            SourceRun(
                source="naver",
                started_at=at,
                finished_at=at + dt.timedelta(seconds=5),
                fetched=fetched,
                errors=int(error is not None),
                error=error,
                healthy=error is None,
            )
        )

    run(T0 - dt.timedelta(hours=4), 30)
    for hours in (3, 2, 1):
        run(T0 - dt.timedelta(hours=hours), 0, "HTTP 503 from the API")
    dispatcher = Dispatcher.from_settings(settings, store, clock=clock)
    dispatcher.dispatch([])
    clock.advance(minutes=15)
    dispatcher.dispatch([])  # still failing: no second message
    (ops,) = [r.json() for r in receiver.requests]
    assert receiver.requests[0].path == "/hook?ops" and ops["kind"] == "ops"
    assert ops["alert_id"] == OPS_PREFIX + "naver" and "HTTP 503" in ops["text"]
    run(clock.now, 12)  # the source brings data again
    dispatcher.dispatch([])
    assert store.get_alert(OPS_PREFIX + "naver").state is AlertState.RESOLVED
    assert [r.json()["kind"] for r in receiver.requests] == ["ops", "resolved"]
    clock.advance(hours=3)  # no data since: a new outage reopens the same alert, once
    dispatcher.dispatch([])
    clock.advance(minutes=15)
    dispatcher.dispatch([])
    assert [r.json()["kind"] for r in receiver.requests] == ["ops", "resolved", "ops"]
    assert store.get_alert(OPS_PREFIX + "naver").state is AlertState.NEW
    assert all(r.path == "/hook?ops" for r in receiver.requests)


def test_resolving_an_outage_by_hand_keeps_it_quiet(tmp_path: Path, store: SQLiteStore, receiver) -> None:
    config = tmp_path / "gs.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "sources": [{"name": "naver", "type": "rss", "unhealthy_after": "1h"}],
                "channels": [{"name": "ops", "type": "webhook", "options": {"url": receiver.url}}],
                "alerts": {"admin_channel": "ops"},
            }
        )
    )
    started = T0 - dt.timedelta(hours=3)
    store.record_source_run(
        SourceRun(source="naver", started_at=started, finished_at=started, error="HTTP 500")
    )
    clock = FakeClock()
    dispatcher = Dispatcher.from_settings(load_settings(config, environ={}), store, clock=clock)
    dispatcher.dispatch([])
    resolve(store, OPS_PREFIX + "naver", "admin", "known outage, vendor ticket open")
    clock.advance(minutes=30)
    dispatcher.dispatch([])
    assert [r.json()["kind"] for r in receiver.requests] == ["ops", "resolved"]

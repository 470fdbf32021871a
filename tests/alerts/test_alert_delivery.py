"""Reliable delivery under injected failures: down, 500, timeout, slow; retries, no loss, no doubles."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from groundswell.alerts.dispatch import Dispatcher
from groundswell.alerts.signing import DeliveryLog
from groundswell.alerts.state import entry_key, queued
from groundswell.config.settings import Settings
from groundswell.indexer.sqlite import SQLiteStore
from tests.alerts.servers import SECRET, FakeClock, Receiver, make_alert


def settings_for(channels: dict[str, dict[str, Any]], **alerts: Any) -> Settings:
    return Settings.model_validate(
        {
            "channels": [
                {"name": name, "type": opts.pop("type", "webhook"), "options": opts}
                for name, opts in channels.items()
            ],
            "alerts": {"retry_base": "30s", "retry_max": "10m", **alerts},
        }
    )


def hook(url: str, **extra: Any) -> dict[str, Any]:
    return {"url": url, "secret_env": "GS_HOOK_SECRET", "timeout": 2, **extra}


def one_hook(url: str, store: SQLiteStore, clock: FakeClock, **extra: Any) -> Dispatcher:
    """A dispatcher with a single signed webhook channel named `hook`."""
    return Dispatcher.from_settings(settings_for({"hook": hook(url, **extra)}), store, clock=clock)


@pytest.fixture(autouse=True)
def _hook_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every channel here signs with GS_HOOK_SECRET."""
    monkeypatch.setenv("GS_HOOK_SECRET", SECRET)


def test_down_channel_retries_with_backoff_then_delivers_once(
    receiver: Receiver, dead_url: str, store: SQLiteStore
) -> None:
    clock = FakeClock()
    down = one_hook(dead_url, store, clock)
    report = down.dispatch([make_alert()])
    assert report.delivered == [] and len(report.failed) == 1 and report.pending == 1
    assert "ConnectError" in report.failed[0][1]
    # the receiver comes up at another address: same channel name, config fixed, process restarted
    up = one_hook(receiver.url, store, clock)
    assert up.flush_outbox().delivered == []  # still in backoff: not due yet
    clock.advance(seconds=31)
    assert len(up.flush_outbox().delivered) == 1
    clock.advance(hours=1)
    assert up.flush_outbox().delivered == []
    assert receiver.deliveries() == ["acme:battery#0@hook"]


def test_http_500_backoff_doubles_and_honours_retry_after(receiver: Receiver, store: SQLiteStore) -> None:
    clock = FakeClock()
    dispatcher = one_hook(receiver.url, store, clock)
    receiver.fail_next(2, 500)
    assert dispatcher.dispatch([make_alert()]).failed[0][1] == "HTTP 500"
    waits = [dispatcher.outbox.pending()[0].next_attempt_at - clock.now]
    clock.advance(seconds=30)
    assert dispatcher.flush_outbox().failed
    waits.append(dispatcher.outbox.pending()[0].next_attempt_at - clock.now)
    assert [w.total_seconds() for w in waits] == [30, 60]
    receiver.fail_next(1, 429)
    receiver.retry_after = "300"
    clock.advance(seconds=60)
    assert dispatcher.flush_outbox().failed[0][1] == "HTTP 429"
    assert (dispatcher.outbox.pending()[0].next_attempt_at - clock.now).total_seconds() == 300
    clock.advance(seconds=300)
    assert len(dispatcher.flush_outbox().delivered) == 1
    entry = store.get_state(entry_key("acme:battery#0@hook"))
    assert entry["status"] == "delivered" and entry["attempts"] == 4
    assert receiver.deliveries() == ["acme:battery#0@hook"]


def test_timeout_is_retried_and_receivers_can_drop_the_late_copy(
    receiver: Receiver, store: SQLiteStore
) -> None:
    """A timed-out request may still arrive: the same delivery id lets the receiver dedupe it."""
    clock = FakeClock()
    dispatcher = one_hook(receiver.url, store, clock, timeout=0.5)
    receiver.delay = 1.5
    report = dispatcher.dispatch([make_alert()])
    assert report.failed and "timed out" in report.failed[0][1]
    receiver.delay = 0.0
    clock.advance(minutes=1)
    assert len(dispatcher.flush_outbox().delivered) == 1
    dispatcher.close()
    assert set(receiver.deliveries()) == {"acme:battery#0@hook"}  # one message, whatever the copies


def test_a_failing_channel_never_blocks_the_others(
    receiver: Receiver, dead_url: str, store: SQLiteStore, tmp_path: Path
) -> None:
    channels = {
        "down": hook(dead_url),
        "slow": hook(receiver.url + "?slow", timeout=5),
        "teams": {"type": "teams", "url": receiver.url + "?teams"},
    }
    receiver.delay = 0.3  # slow but within the timeout
    dispatcher = Dispatcher.from_settings(settings_for(channels), store, clock=FakeClock())
    report = dispatcher.dispatch([make_alert("acme:battery"), make_alert("acme:refund", observed=12)])
    delivered = Counter(entry.rsplit("@", 1)[1] for entry in report.delivered)
    assert delivered == {"slow": 2, "teams": 2}
    # the down channel stopped at its first failure (FIFO) and keeps both messages
    assert [e.channel for e in dispatcher.outbox.pending()] == ["down", "down"]
    assert len(report.failed) == 1


def test_nothing_lost_nothing_doubled_across_restarts(
    receiver: Receiver, store: SQLiteStore, tmp_path: Path
) -> None:
    settings = settings_for({"a": hook(receiver.url + "?a"), "b": hook(receiver.url + "?b")})
    alerts = [make_alert(f"acme:incident-{i}") for i in range(4)]
    clock = FakeClock()
    receiver.fail_next(1, 500)  # the first request of the first flush fails; the rest go through
    first = Dispatcher.from_settings(settings, store, clock=clock)
    report = first.dispatch(alerts)
    assert len(report.enqueued) == 8 and len(report.delivered) + report.pending == 8
    store.close()

    for _ in range(3):  # restart, the detector re-emits the same alerts, deliver what is due
        reopened = SQLiteStore(tmp_path / "gs.db")
        clock.advance(minutes=5)
        again = Dispatcher.from_settings(settings, reopened, clock=clock)
        report = again.dispatch(alerts)
        assert report.enqueued == [] and sorted(report.suppressed) == sorted(a.id for a in alerts)
        again.close()
        reopened.close()

    got = Counter((r.path, r.headers["X-Groundswell-Delivery"]) for r in receiver.requests)
    assert len(got) == 8 and set(got.values()) == {1}
    assert receiver.rejected == []


def test_undeliverable_messages_become_dead_letters_not_losses(dead_url: str, store: SQLiteStore) -> None:
    clock = FakeClock()
    settings = settings_for({"hook": hook(dead_url)}, give_up_after="1h")
    dispatcher = Dispatcher.from_settings(settings, store, clock=clock)
    dispatcher.dispatch([make_alert()])
    gave_up = []
    for _ in range(12):
        clock.advance(minutes=10)
        gave_up += dispatcher.flush_outbox().gave_up
    assert gave_up == ["acme:battery#0@hook"]
    pending, dead = queued(store)
    assert pending == [] and dead[0].attempts >= 3 and dead[0].status == "dead"


def test_attempt_logs_carry_no_secrets(receiver: Receiver, store: SQLiteStore, monkeypatch, caplog) -> None:
    monkeypatch.setenv("GS_SLACK_URL", receiver.url + "/services/T0/B0/TOKENTOKEN")
    settings = settings_for(
        {"hook": hook(receiver.url), "slack": {"type": "slack", "url_env": "GS_SLACK_URL"}}
    )
    receiver.fail_next(1, 500)
    with caplog.at_level(logging.INFO, logger="groundswell.alerts"):
        Dispatcher.from_settings(settings, store, clock=FakeClock()).dispatch([make_alert()])
    text = caplog.text + str(store.get_state(entry_key("acme:battery#0@hook")))
    assert "attempt 1" in caplog.text and "delivered" in caplog.text
    assert SECRET not in text and "TOKENTOKEN" not in text and receiver.url not in text


def test_background_flusher_retries_between_detection_cycles(receiver: Receiver, store: SQLiteStore) -> None:
    clock = FakeClock()
    dispatcher = one_hook(receiver.url, store, clock)
    receiver.fail_next(1, 503)
    assert dispatcher.dispatch([make_alert()]).failed
    dispatcher.start(every=0.02)
    clock.advance(minutes=1)  # past the backoff: the flusher, not the pipeline, sends it
    arrived = threading.Event()
    for _ in range(1000):
        if receiver.requests:
            arrived.set()
            break
        arrived.wait(0.01)
    dispatcher.close()
    assert arrived.is_set() and receiver.deliveries() == ["acme:battery#0@hook"]


class Crash(Exception):
    """Stands for the process dying at a store write."""


class CrashingStore(SQLiteStore):
    """A real SQLite store whose `set_state` dies at the n-th call (a kill -9 at that write)."""

    def __init__(self, path: Path, crash_at: int) -> None:
        super().__init__(path)
        self.writes, self.crash_at = 0, crash_at

    def set_state(self, key: str, value: Any) -> None:
        self.writes += 1
        if self.writes == self.crash_at:
            raise Crash(key)
        super().set_state(key, value)


def test_a_crash_at_any_store_write_loses_nothing(receiver: Receiver, tmp_path: Path) -> None:
    settings = settings_for({"a": hook(receiver.url + "?a"), "b": hook(receiver.url + "?b")})
    alerts = [make_alert("acme:one"), make_alert("acme:two")]
    expected = {f"{a.id}#0@{c}" for a in alerts for c in "ab"}
    clean = CrashingStore(tmp_path / "clean.db", crash_at=0)
    Dispatcher.from_settings(settings, clean, clock=FakeClock()).dispatch(alerts)
    writes = clean.writes
    clean.close()
    for crash_at in range(1, writes + 1):
        receiver.requests.clear()
        receiver.duplicates.clear()
        receiver.log = DeliveryLog()
        db = tmp_path / f"crash-{crash_at}.db"
        dying = CrashingStore(db, crash_at)
        with contextlib.suppress(Crash):
            Dispatcher.from_settings(settings, dying, clock=FakeClock()).dispatch(alerts)
        dying.close()
        restarted = SQLiteStore(db)  # the pipeline starts again; the detector re-emits its alerts
        clock = FakeClock()
        again = Dispatcher.from_settings(settings, restarted, clock=clock)
        report = again.dispatch(alerts)
        assert report.pending == 0
        restarted.close()
        got = Counter(receiver.deliveries())
        assert set(got) == expected, f"crash at write {crash_at}: {sorted(got)}"
        # at least once: only a crash right after a receiver accepted a message repeats it
        assert len(receiver.duplicates) <= 1, f"crash at write {crash_at}: {got}"

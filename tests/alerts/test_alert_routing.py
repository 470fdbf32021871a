"""Routing, quiet hours, one thread per incident (dedupe, cooldown, escalation), digests, templates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from groundswell.alerts.dispatch import Dispatcher
from groundswell.alerts.routing import QuietHours, channels_for, update_reason
from groundswell.config.settings import Settings
from groundswell.errors import ConfigError
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.records import Severity
from tests.alerts.servers import SECRET, FakeClock, Receiver, make_alert, make_post, recorded

SEOUL = dt.timezone(dt.timedelta(hours=9))


def settings(receiver_url: str, channels: list[dict[str, Any]] | None = None, **alerts: Any) -> Settings:
    channels = channels or [{"name": "hook", "type": "webhook"}]
    for channel in channels:
        channel.setdefault("options", {"url": f"{receiver_url}?{channel['name']}", "secret_env": "GS_SECRET"})
    return Settings.model_validate(
        {
            "touchpoints": [
                {"name": "product", "owner": "product-team"},
                {"name": "app", "owner": "app-team"},
            ],
            "playbooks": [{"touchpoint": "product", "text": "1. Pull the batch. 2. Call the press office."}],
            "channels": channels,
            "alert_rules": [{"name": "emerging-complaint"}, {"name": "ko-rule", "language": "ko"}],
            "alerts": alerts,
        }
    )


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GS_SECRET", SECRET)


def test_quiet_hours_cross_midnight_and_let_critical_through() -> None:
    quiet = QuietHours.parse("22:00-07:00", SEOUL, "critical")
    night = dt.datetime(2026, 3, 2, 23, 30, tzinfo=SEOUL)
    assert quiet.active(night) and quiet.active(night + dt.timedelta(hours=5))
    assert not quiet.active(dt.datetime(2026, 3, 2, 12, 0, tzinfo=SEOUL))
    assert quiet.release_time(night, "high") == dt.datetime(2026, 3, 3, 7, 0, tzinfo=SEOUL)
    assert quiet.release_time(night, "critical") is None
    with pytest.raises(ConfigError, match="22-7"):
        QuietHours.parse("22-7", SEOUL, "critical")


def test_channels_chosen_by_brand_severity_owner_and_admin() -> None:
    chans = [
        {"name": "all", "type": "webhook"},
        {"name": "pr-high", "type": "webhook", "min_severity": "high"},
        {"name": "other-brand", "type": "webhook", "brands": ["globex"]},
        {"name": "product-owner", "type": "webhook", "owners": ["product-team"]},
        {"name": "app-owner", "type": "webhook", "owners": ["app-team"]},
        {"name": "ops", "type": "webhook"},
    ]
    cfg = settings("http://127.0.0.1:9", chans, admin_channel="ops")
    low = make_alert(severity=Severity.LOW).model_copy(update={"owners": ["product-team"]})
    assert [c.name for c in channels_for(cfg, low)] == ["all", "product-owner"]
    high = low.model_copy(update={"severity": Severity.HIGH})
    assert [c.name for c in channels_for(cfg, high)] == ["all", "pr-high", "product-owner"]
    ops = make_alert("ops:source:x").model_copy(update={"kind": "operational"})
    assert [c.name for c in channels_for(cfg, ops)] == ["ops"]


def test_update_policy_cooldown_and_escalation() -> None:
    now = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    base = {"last_severity": "high", "last_observed": 40, "now": now, "cooldown": dt.timedelta(minutes=30)}
    recent = now - dt.timedelta(minutes=5)
    assert update_reason(severity="high", observed=80, last_sent_at=recent, **base) is None
    assert update_reason(severity="critical", observed=40, last_sent_at=recent, **base) == "escalated"
    old = now - dt.timedelta(hours=1)
    assert update_reason(severity="high", observed=80, last_sent_at=old, **base) == "grew"
    assert update_reason(severity="high", observed=40, last_sent_at=old, **base) is None


def test_one_incident_is_one_thread_of_updates(receiver: Receiver, store: SQLiteStore) -> None:
    clock = FakeClock()
    dispatcher = Dispatcher.from_settings(settings(receiver.url), store, clock=clock)
    dispatcher.dispatch([make_alert(observed=40)])
    for minutes in range(5, 30, 5):  # the detector re-reports a growing incident every 5 min
        clock.advance(minutes=5)
        report = dispatcher.dispatch([make_alert(observed=40 + minutes)])
        assert report.enqueued == [] and report.suppressed == ["acme:battery"]
    clock.advance(minutes=10)  # past the 30 min update cooldown
    dispatcher.dispatch([make_alert(observed=90)])
    clock.advance(minutes=1)  # escalation does not wait for the cooldown
    dispatcher.dispatch([make_alert(observed=95, severity=Severity.CRITICAL)])
    bodies = [r.json() for r in receiver.requests]
    assert [(b["kind"], b["seq"], b["thread_id"]) for b in bodies] == [
        ("new", 0, "acme:battery"),
        ("update", 1, "acme:battery"),
        ("update", 2, "acme:battery"),
    ]
    assert bodies[2]["title"].startswith("[CRITICAL] Update #2")


def test_message_has_figures_top_posts_playbook_link_in_rule_language(
    receiver: Receiver, store: SQLiteStore
) -> None:
    posts = [make_post(str(i), f"배터리 불량 {i}번째 글", followers=i * 100) for i in range(6)]
    store.upsert(posts)
    cfg = settings(receiver.url, dashboard_url="https://gs.acme.example")
    alert = make_alert(evidence=tuple(p.id for p in posts)).model_copy(
        update={
            "rule": "ko-rule",
            "owners": cfg.owners_for(["product"]),
            "playbook": cfg.playbook_for(["product"]),
        }
    )  # filled by the detector, the alert's one writer
    Dispatcher.from_settings(cfg, store, clock=FakeClock()).dispatch(recorded(store, alert))
    body = receiver.requests[0].json()
    assert body["language"] == "ko" and body["title"].startswith("[높음] 불만 급증 감지: acme")
    facts = dict((f["label"], f["value"]) for f in body["facts"])
    assert facts["기간 내 게시물"] == "40건 (예상 6.5건, 6.2배)"
    assert facts["담당"] == "product-team"
    assert [e["id"] for e in body["evidence"]] == ["x:5", "x:4", "x:3"]  # top 3 by reach
    assert body["playbook"].startswith("1. Pull the batch")
    assert body["links"][0]["url"] == "https://gs.acme.example/complaints?alert_id=acme%3Abattery"
    assert "대응 플레이북" in body["text"]


def test_quiet_hours_hold_messages_until_morning(receiver: Receiver, store: SQLiteStore) -> None:
    clock = FakeClock(dt.datetime(2026, 3, 2, 23, 0, tzinfo=SEOUL))
    cfg = settings(receiver.url, quiet_hours="22:00-07:00", timezone="Asia/Seoul")
    dispatcher = Dispatcher.from_settings(cfg, store, clock=clock)
    dispatcher.dispatch([make_alert("acme:a", severity=Severity.HIGH)])
    dispatcher.dispatch([make_alert("acme:b", severity=Severity.CRITICAL)])
    assert [r.json()["alert_id"] for r in receiver.requests] == ["acme:b"]
    clock.advance(hours=7, minutes=59)
    assert dispatcher.flush_outbox().delivered == []
    clock.advance(minutes=2)
    assert dispatcher.flush_outbox().delivered == ["acme:a#0@hook"]


def test_hourly_digest_replaces_instant_messages(receiver: Receiver, store: SQLiteStore) -> None:
    clock = FakeClock(dt.datetime(2026, 3, 2, 3, 10, tzinfo=dt.UTC))
    chans = [
        {"name": "instant", "type": "webhook"},
        {"name": "digest", "type": "webhook", "digest": "hourly", "language": "en"},
    ]
    dispatcher = Dispatcher.from_settings(settings(receiver.url, chans), store, clock=clock)
    dispatcher.dispatch(recorded(store, make_alert("acme:a", severity=Severity.MEDIUM)))
    clock.advance(minutes=20)
    dispatcher.dispatch(recorded(store, make_alert("acme:b", severity=Severity.CRITICAL, observed=90)))
    assert [r.path for r in receiver.requests] == ["/hook?instant", "/hook?instant"]
    clock.advance(minutes=31)  # 04:01, past the hourly boundary
    dispatcher.flush_outbox()
    digest = receiver.requests[-1].json()
    assert receiver.requests[-1].path == "/hook?digest" and digest["kind"] == "digest"
    assert digest["title"] == "Hourly digest: 2 open incident(s)"
    assert digest["text"].index("[CRITICAL]") < digest["text"].index("[MEDIUM]")
    clock.advance(hours=2)
    dispatcher.flush_outbox()
    assert len(receiver.requests) == 3  # nothing new, no empty digest


def test_report_reads_as_one_line(receiver: Receiver, store: SQLiteStore) -> None:
    report = Dispatcher.from_settings(settings(receiver.url), store, clock=FakeClock()).dispatch(
        [make_alert()]
    )
    assert str(report) == "1 queued, 1 delivered, 0 failed attempt(s), 0 suppressed, 0 waiting"

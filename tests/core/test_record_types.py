"""Typed values where strings stood: ordered Severity, AlertKind/AlertAction enums, frozen values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from groundswell.records import Alert, AlertAction, AlertEvent, AlertKind, Metrics, Severity

ORDER = ["low", "medium", "high", "critical"]
T = datetime(2026, 3, 2, tzinfo=UTC)


@given(st.sampled_from(list(Severity)), st.sampled_from(ORDER))
def test_severity_orders_by_rank_and_still_equals_its_string(a: Severity, b: str) -> None:
    assert (a < b) == (ORDER.index(a) < ORDER.index(b))
    assert (a >= b) == (ORDER.index(a) >= ORDER.index(b))
    assert (a == b) == (a.value == b)
    assert a == a.value and hash(a) == hash(a.value)  # stored values and dict keys keep working


def test_worst_severity_is_the_max_and_unknown_strings_are_refused() -> None:
    assert max([Severity.LOW, Severity.CRITICAL, Severity.MEDIUM]) is Severity.CRITICAL
    assert sorted(["critical", "low", "high"], key=Severity) == ["low", "high", "critical"]
    with pytest.raises(ValueError):
        _ = Severity.HIGH > "urgent"
    with pytest.raises(TypeError):
        _ = Severity.HIGH > 3


def test_alert_kind_and_event_action_are_enums_that_read_stored_strings() -> None:
    alert = Alert.model_validate(
        {"id": "a", "brand": "B", "fired_at": T, "updated_at": T, "first_seen": T, "severity": "high",
         "rule": "r", "kind": "operational",
         "history": [{"at": T, "actor": "detector", "action": "fired"}]}
    )  # fmt: skip
    assert alert.kind is AlertKind.OPERATIONAL and alert.history[0].action is AlertAction.FIRED
    assert '"kind":"operational"' in alert.model_dump_json() and alert.kind == "operational"
    with pytest.raises(ValidationError):
        AlertEvent(at=T, actor="x", action="exploded")


def test_value_records_are_frozen() -> None:
    metrics = Metrics(likes=1)
    with pytest.raises(ValidationError):
        metrics.likes = 2  # type: ignore[misc]
    assert metrics.model_copy(update={"likes": 2}).likes == 2


def test_config_severities_are_typed_and_a_misspelt_one_is_refused() -> None:
    from groundswell.config.settings import AlertsSettings, Channel

    channel = Channel(
        name="ops", type="webhook", options={"url": "http://127.0.0.1:9/x"}, min_severity="high"
    )
    assert channel.min_severity is Severity.HIGH and AlertsSettings().quiet_override is Severity.CRITICAL
    with pytest.raises(ValidationError, match="min_severity"):
        Channel(name="ops", type="webhook", options={"url": "http://127.0.0.1:9/x"}, min_severity="urgent")


def test_thread_and_message_keep_severity_as_the_string_on_disk() -> None:
    from groundswell.alerts.message import Message, MessageKind
    from groundswell.alerts.state import Thread

    thread = Thread.model_validate_json(Thread(alert_id="a", severity=Severity.HIGH).model_dump_json())
    assert thread.severity is Severity.HIGH
    message = Message(id="m", kind=MessageKind.NEW, title="t", created_at=T, severity=Severity.CRITICAL)
    assert (
        '"severity":"critical"' in message.model_dump_json() and message.payload()["severity"] == "critical"
    )


def test_incident_severity_is_a_severity_and_its_saved_state_the_plain_string() -> None:
    import json

    from groundswell.nlp.detect.incidents import Incident, IncidentBook

    book = IncidentBook(
        [Incident("det-1", "acme", "surge", ["battery"], ["p1"], 0.0, 0.0, 0.0, 9, Severity.HIGH)]
    )
    saved = json.loads(json.dumps(book.to_state()))  # what the store keeps
    assert saved["open"][0]["severity"] == "high"
    again = IncidentBook.from_state(saved).open[0]
    assert again.severity is Severity.HIGH and max(again.severity, Severity.MEDIUM) is Severity.HIGH

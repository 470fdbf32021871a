"""The alert lifecycle, new -> acknowledged -> resolved, with who, when and a note for every step.

Each function loads the alert, checks the transition, appends an `AlertEvent` to its history and
saves it. The dispatcher later turns new events into replies in the incident's thread, so the
CLI and dashboard never talk to a channel themselves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from groundswell.errors import GroundswellError
from groundswell.records import Alert, AlertAction, AlertEvent, AlertState, utcnow

SYSTEM_ACTOR = "groundswell"


class AlertNotFound(GroundswellError):
    """No alert has this id; `groundswell alerts list` shows the ids."""


class InvalidTransition(GroundswellError):
    """The alert cannot move to that state from where it is (e.g. it is already resolved)."""

    exit_code = 2


def _load(store: Any, alert_id: str) -> Alert:
    alert = store.get_alert(alert_id)
    if alert is None:
        raise AlertNotFound(f"no alert with id {alert_id!r}; see `groundswell alerts list`")
    return alert


def _require_actor(actor: str) -> str:
    actor = actor.strip()
    if not actor:
        raise InvalidTransition("say who is acting: --by NAME")
    return actor


def _refuse_if_resolved(alert: Alert, verb: str) -> None:
    if alert.state is AlertState.RESOLVED:
        last = next((e for e in reversed(alert.history) if e.action is AlertAction.RESOLVED), None)
        who = f" by {last.actor} at {last.at.isoformat(timespec='minutes')}" if last else ""
        raise InvalidTransition(f"alert {alert.id} was already resolved{who}; it cannot be {verb}")


def _apply(store: Any, alert: Alert, event: AlertEvent, **changes: Any) -> Alert:
    changes["updated_at"] = max(alert.updated_at, event.at)  # so the dispatcher notices the change
    updated = alert.model_copy(update={**changes, "history": [*alert.history, event]})
    store.save_alert(updated)
    return updated


def acknowledge(store: Any, alert_id: str, actor: str, note: str = "", now: datetime | None = None) -> Alert:
    """Someone has seen it and is on it; acknowledging twice is refused so the first name stays."""
    actor = _require_actor(actor)
    alert = _load(store, alert_id)
    _refuse_if_resolved(alert, "acknowledged")
    if alert.state is AlertState.ACKNOWLEDGED:
        last = next((e for e in reversed(alert.history) if e.action is AlertAction.ACKNOWLEDGED), None)
        raise InvalidTransition(
            f"alert {alert_id} is already acknowledged{f' by {last.actor}' if last else ''}"
        )
    event = AlertEvent(at=now or utcnow(), actor=actor, action=AlertAction.ACKNOWLEDGED, note=note)
    return _apply(store, alert, event, state=AlertState.ACKNOWLEDGED)


def assign(
    store: Any, alert_id: str, assignee: str, actor: str, note: str = "", now: datetime | None = None
) -> Alert:
    """Give the incident an owner; the state does not change (assigning is not acknowledging)."""
    actor = _require_actor(actor)
    if not assignee.strip():
        raise InvalidTransition("say to whom: --to NAME")
    alert = _load(store, alert_id)
    _refuse_if_resolved(alert, "assigned")
    event = AlertEvent(
        at=now or utcnow(), actor=actor, action=AlertAction.ASSIGNED, note=note or assignee.strip()
    )
    return _apply(store, alert, event, assignee=assignee.strip())


def resolve(store: Any, alert_id: str, actor: str, note: str = "", now: datetime | None = None) -> Alert:
    """Close the incident (from new or acknowledged); its thread gets a final reply."""
    actor = _require_actor(actor)
    alert = _load(store, alert_id)
    _refuse_if_resolved(alert, "resolved again")
    event = AlertEvent(at=now or utcnow(), actor=actor, action=AlertAction.RESOLVED, note=note)
    return _apply(store, alert, event, state=AlertState.RESOLVED)

"""What the alert dispatcher persists, and under which store keys (`Store.get_state/set_state`).

One small document per thing that changes on its own, so each change is one small write:
  alerts.outbox            ordered ids of queued messages (rewritten on enqueue and after a flush)
  alerts.entry.<entry id>  one queued message: the message, its schedule and attempts, its status
  alerts.thread.<alert id> what an incident already told the channels (dedupe, cooldown, replies)
  alerts.digests           incidents waiting for each digest channel
  alerts.dead              ids of messages given up on (their entry documents are kept)
  alerts.lifecycle         how far lifecycle events have been read
An entry document that exists means "this message was queued once": enqueueing it again is a no-op;
once delivered, it shrinks to a tombstone without the message body.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from groundswell.alerts.message import Message
from groundswell.records import Severity

OUTBOX_KEY = "alerts.outbox"
DIGESTS_KEY = "alerts.digests"
DEAD_KEY = "alerts.dead"
LIFECYCLE_KEY = "alerts.lifecycle"


def entry_key(entry_id: str) -> str:
    return f"alerts.entry.{entry_id}"


def thread_key(alert_id: str) -> str:
    return f"alerts.thread.{alert_id}"


class _State(BaseModel):
    model_config = ConfigDict(extra="ignore")


class OutboxEntry(_State):
    id: str  # "<message id>@<channel>"
    channel: str
    message: Message
    enqueued_at: datetime
    not_before: datetime  # quiet hours hold a message until this time
    next_attempt_at: datetime
    attempts: int = 0
    last_error: str | None = None
    status: Literal["pending", "delivered", "dead"] = "pending"
    delivered_at: datetime | None = None


class Thread(_State):
    """What one incident has already told the channels: the dedupe and cooldown memory."""

    alert_id: str
    seq: int = -1  # last sequence number used
    last_sent_at: datetime | None = None
    severity: Severity = Severity.LOW
    observed: float = 0.0
    events_seen_at: datetime | None = None  # newest lifecycle event already turned into a reply
    refs: dict[str, str] = Field(default_factory=dict)  # channel -> thread ref (Slack ts, Message-ID)


class DigestBuffer(_State):
    due: datetime
    alert_ids: list[str] = Field(default_factory=list)


class Digests(_State):
    channels: dict[str, DigestBuffer] = Field(default_factory=dict)


class LifecycleCursor(_State):
    seen_upto: datetime | None = None  # newest alert updated_at already examined


def load(store: Any, key: str, model: type[_State]) -> Any:
    raw = store.get_state(key)
    return model.model_validate(raw) if raw else None


def save(store: Any, key: str, value: _State) -> None:
    store.set_state(key, value.model_dump(mode="json"))


def queued(store: Any) -> tuple[list[OutboxEntry], list[OutboxEntry]]:
    """(pending, dead) entries as persisted: for the CLI and for a dispatcher starting up."""
    pending = []
    for entry_id in store.get_state(OUTBOX_KEY) or []:
        raw = store.get_state(entry_key(entry_id))
        if raw and raw.get("status") == "pending":  # delivered ones are small tombstones
            pending.append(OutboxEntry.model_validate(raw))
    dead = [e for e in (load(store, entry_key(i), OutboxEntry) for i in store.get_state(DEAD_KEY) or []) if e]
    return pending, dead

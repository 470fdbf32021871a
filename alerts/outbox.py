"""The outbox: messages waiting for a channel, persisted in the store so a restart loses nothing.

Every message is written to the store before the first attempt and marked delivered right after
the channel accepts it. Each channel is a FIFO queue worked by its own thread, so a channel that
is down, slow or failing backs off alone while the others deliver. Every attempt is logged
(channel name, message id, outcome; never a URL or secret) and kept in a short ring in the store.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from alerts.channels import AlertChannel, DeliveryFailed
from alerts.message import Message
from groundswell.errors import ChannelError

log = logging.getLogger("groundswell.alerts")

STATE_KEY = "alerts.dispatch"
KEEP_DELIVERED = 1000
KEEP_ATTEMPTS = 500


class _State(BaseModel):
    model_config = ConfigDict(extra="ignore")


class OutboxEntry(_State):
    id: str  # "<message id>@<channel>": enqueueing it twice is a no-op
    channel: str
    message: Message
    enqueued_at: datetime
    not_before: datetime  # quiet hours hold a message until this time
    next_attempt_at: datetime
    attempts: int = 0
    last_error: str | None = None


class Delivered(_State):
    id: str
    channel: str
    alert_id: str | None = None
    kind: str = ""
    enqueued_at: datetime
    delivered_at: datetime
    attempts: int = 1
    origin_at: datetime | None = None


class Attempt(_State):
    at: datetime
    entry_id: str
    channel: str
    attempt: int
    ok: bool
    error: str | None = None
    duration_ms: float = 0.0


class Thread(_State):
    """What one incident has already told each channel: the dedupe and cooldown memory."""

    alert_id: str
    seq: int = -1  # last sequence number enqueued
    last_sent_at: datetime | None = None
    severity: str = "low"
    observed: float = 0.0
    events_seen: int = 0  # lifecycle events already turned into messages
    refs: dict[str, str] = Field(default_factory=dict)  # channel -> thread reference (Slack ts, Message-ID)


class DigestBuffer(_State):
    due: datetime
    alert_ids: list[str] = Field(default_factory=list)


class DispatchState(_State):
    version: int = 1
    threads: dict[str, Thread] = Field(default_factory=dict)
    outbox: list[OutboxEntry] = Field(default_factory=list)
    dead: list[OutboxEntry] = Field(default_factory=list)
    digests: dict[str, DigestBuffer] = Field(default_factory=dict)
    delivered: list[Delivered] = Field(default_factory=list)
    attempts: list[Attempt] = Field(default_factory=list)
    health_checked_at: datetime | None = None


@dataclass
class RetryPolicy:
    base: timedelta = timedelta(seconds=30)
    maximum: timedelta = timedelta(minutes=30)
    give_up_after: timedelta = timedelta(days=1)

    def delay(self, attempts: int, hint: float | None = None) -> timedelta:
        """Exponential backoff from `base`, at least the server's Retry-After, at most `maximum`."""
        delay = self.base * (2 ** max(attempts - 1, 0))
        if hint is not None:
            delay = max(delay, timedelta(seconds=hint))
        return min(delay, self.maximum)


@dataclass
class DeliveryReport:
    """What one dispatch or flush did; counts are what tests and the pipeline's stats read."""

    enqueued: list[str] = field(default_factory=list)
    suppressed: list[str] = field(default_factory=list)  # alert ids deduped or in cooldown
    delivered: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # entry id, error
    gave_up: list[str] = field(default_factory=list)
    pending: int = 0

    def merge(self, other: DeliveryReport) -> DeliveryReport:
        self.enqueued += other.enqueued
        self.suppressed += other.suppressed
        self.delivered += other.delivered
        self.failed += other.failed
        self.gave_up += other.gave_up
        self.pending = other.pending
        return self


class Outbox:
    """Persisted queue + delivery. `edit()` is the only way state changes, and it saves."""

    def __init__(
        self,
        store: Any,
        channels: dict[str, AlertChannel],
        policy: RetryPolicy,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.channels = channels
        self.policy = policy
        self.clock = clock
        self._lock = threading.RLock()
        self.state = self._load()

    def _load(self) -> DispatchState:
        raw = self.store.get_state(STATE_KEY)
        return DispatchState.model_validate(raw) if raw else DispatchState()

    @contextmanager
    def edit(self) -> Iterator[DispatchState]:
        with self._lock:
            yield self.state
            self.store.set_state(STATE_KEY, self.state.model_dump(mode="json"))

    def reload(self) -> None:
        with self._lock:
            self.state = self._load()

    def enqueue(self, message: Message, channel: str, not_before: datetime | None = None) -> str | None:
        """Queue a message for a channel; None when that exact message was already queued or sent."""
        with self.edit() as st:
            return self.add(st, message, channel, not_before)

    def add(
        self, st: DispatchState, message: Message, channel: str, not_before: datetime | None = None
    ) -> str | None:
        """`enqueue` inside an `edit()` the caller holds, so routing state and queue save together."""
        now = self.clock()
        entry_id = f"{message.id}@{channel}"
        known = {e.id for e in st.outbox} | {d.id for d in st.delivered} | {e.id for e in st.dead}
        if entry_id in known:
            return None
        st.outbox.append(
            OutboxEntry(
                id=entry_id,
                channel=channel,
                message=message,
                enqueued_at=now,
                not_before=not_before or now,
                next_attempt_at=now,
            )
        )
        return entry_id

    def pending(self) -> list[OutboxEntry]:
        with self._lock:
            return list(self.state.outbox)

    def _due(self, now: datetime, report: DeliveryReport) -> dict[str, list[OutboxEntry]]:
        """Per channel, in queue order, what may be sent now (a channel in backoff sends nothing)."""
        with self.edit() as st:
            expired = [e for e in st.outbox if e.attempts and now - e.enqueued_at > self.policy.give_up_after]
            for entry in expired:
                log.error(
                    "giving up on %s to channel %s after %d attempts (%s); kept as dead letter",
                    entry.message.id,
                    entry.channel,
                    entry.attempts,
                    entry.last_error,
                )
                report.gave_up.append(entry.id)
            st.outbox = [e for e in st.outbox if e not in expired]
            st.dead = (st.dead + expired)[-KEEP_DELIVERED:]
            due: dict[str, list[OutboxEntry]] = {}
            for name in dict.fromkeys(e.channel for e in st.outbox):
                queue = [e for e in st.outbox if e.channel == name]
                if name not in self.channels:
                    continue  # channel removed from config: kept until it returns
                if any(e.attempts and e.next_attempt_at > now for e in queue):
                    continue
                ready = [e for e in queue if e.not_before <= now]
                if ready:
                    due[name] = ready
            return due

    def flush(self) -> DeliveryReport:
        """Attempt every due message once; channels work in parallel, each stops at its first failure."""
        report = DeliveryReport()
        due = self._due(self.clock(), report)
        if due:
            with ThreadPoolExecutor(max_workers=len(due), thread_name_prefix="alerts") as pool:
                for _ in pool.map(lambda name: self._work(name, due[name], report), list(due)):
                    pass
        with self._lock:
            report.pending = len(self.state.outbox)
        return report

    def _work(self, name: str, entries: list[OutboxEntry], report: DeliveryReport) -> None:
        channel = self.channels[name]
        for entry in entries:
            with self._lock:
                thread = self.state.threads.get(entry.message.thread_id or "")
                ref = thread.refs.get(name) if thread else None
            started = time.perf_counter()
            try:
                new_ref = channel.send(entry.message, ref)
            except (ChannelError, OSError, ValueError) as exc:
                retry_after = exc.retry_after if isinstance(exc, DeliveryFailed) else None
                error = str(exc) if isinstance(exc, ChannelError) else f"{type(exc).__name__}: {exc}"
                self._failed(entry, error, retry_after, time.perf_counter() - started, report)
                return  # FIFO: later messages of this channel wait for this one
            self._delivered(entry, new_ref, time.perf_counter() - started, report)

    def _delivered(self, entry: OutboxEntry, ref: str | None, seconds: float, report: DeliveryReport) -> None:
        now = self.clock()
        with self.edit() as st:
            st.outbox = [e for e in st.outbox if e.id != entry.id]
            attempts = entry.attempts + 1
            st.delivered = [
                *st.delivered,
                Delivered(
                    id=entry.id,
                    channel=entry.channel,
                    alert_id=entry.message.alert_id,
                    kind=entry.message.kind.value,
                    enqueued_at=entry.enqueued_at,
                    delivered_at=now,
                    attempts=attempts,
                    origin_at=entry.message.origin_at,
                ),
            ][-KEEP_DELIVERED:]
            self._log_attempt(st, entry, attempts, None, seconds, now)
            thread = st.threads.get(entry.message.thread_id or "")
            if ref and thread is not None and entry.channel not in thread.refs:
                thread.refs[entry.channel] = ref
            report.delivered.append(entry.id)
        log.info(
            "delivered %s (%s) to channel %s, attempt %d, %.0f ms",
            entry.message.id,
            entry.message.kind.value,
            entry.channel,
            attempts,
            seconds * 1000,
        )

    def _failed(
        self, entry: OutboxEntry, error: str, hint: float | None, seconds: float, report: DeliveryReport
    ) -> None:
        now = self.clock()
        with self.edit() as st:
            for kept in st.outbox:
                if kept.id == entry.id:
                    kept.attempts += 1
                    kept.last_error = error
                    kept.next_attempt_at = now + self.policy.delay(kept.attempts, hint)
                    attempts, retry_at = kept.attempts, kept.next_attempt_at
                    break
            else:
                return
            self._log_attempt(st, entry, attempts, error, seconds, now)
            report.failed.append((entry.id, error))
        log.warning(
            "attempt %d of %s to channel %s failed: %s; next try at %s",
            attempts,
            entry.message.id,
            entry.channel,
            error,
            retry_at.isoformat(timespec="seconds"),
        )

    @staticmethod
    def _log_attempt(
        st: DispatchState, entry: OutboxEntry, attempt: int, error: str | None, seconds: float, now: datetime
    ) -> None:
        record = Attempt(
            at=now,
            entry_id=entry.id,
            channel=entry.channel,
            attempt=attempt,
            ok=error is None,
            error=error,
            duration_ms=round(seconds * 1000, 1),
        )
        st.attempts = [*st.attempts, record][-KEEP_ATTEMPTS:]

    def close(self) -> None:
        for channel in self.channels.values():
            channel.close()

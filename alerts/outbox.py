"""The outbox: messages waiting for a channel, persisted in the store so a restart loses nothing.

A message is written to the store before its first attempt, and its entry is marked delivered
right after the channel accepts it (one small write), so a restart re-sends only what was not
accepted. Each channel is a FIFO queue worked by its own thread: a channel that is down, slow or
failing backs off alone while the others deliver. Every attempt is logged with the channel name,
message id and outcome, never a URL or secret (channels raise secret-free errors).

Delivery is at least once: a crash between a channel accepting a message and the write that
marks it delivered sends it again after the restart, with the same delivery id for receivers.
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

from groundswell.alerts.channels import AlertChannel, DeliveryFailed
from groundswell.alerts.message import Message
from groundswell.alerts.state import (
    DEAD_KEY,
    OUTBOX_KEY,
    OutboxEntry,
    Thread,
    entry_key,
    queued,
    save,
    thread_key,
)
from groundswell.errors import ChannelError

log = logging.getLogger("groundswell.alerts")


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
    """What one dispatch or flush did; the pipeline's stats and the tests read these."""

    enqueued: list[str] = field(default_factory=list)
    suppressed: list[str] = field(default_factory=list)  # alert ids deduped or in cooldown
    delivered: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # entry id, error
    gave_up: list[str] = field(default_factory=list)
    pending: int = 0

    def __str__(self) -> str:
        parts = [
            f"{len(self.enqueued)} queued",
            f"{len(self.delivered)} delivered",
            f"{len(self.failed)} failed attempt(s)",
            f"{len(self.suppressed)} suppressed",
            f"{self.pending} waiting",
        ]
        if self.gave_up:
            parts.append(f"{len(self.gave_up)} given up")
        return ", ".join(parts)

    def merge(self, other: DeliveryReport) -> DeliveryReport:
        self.enqueued += other.enqueued
        self.suppressed += other.suppressed
        self.delivered += other.delivered
        self.failed += other.failed
        self.gave_up += other.gave_up
        self.pending = other.pending
        return self


class Outbox:
    """Persisted FIFO queues, one per channel, and the workers that drain them."""

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
        pending, _dead = queued(store)
        self._pending: dict[str, OutboxEntry] = {e.id: e for e in pending}
        self._batch: list[OutboxEntry] | None = None

    # -- queueing ---------------------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Enqueue many messages with one index write; the index is saved before the entries,
        so a crash in between leaves ids without entries, which are dropped and re-queued."""
        with self._lock:
            outer = self._batch is None
            if outer:
                self._batch = []
            try:
                yield
            finally:
                if outer:
                    added, self._batch = self._batch or [], None
                    if added:
                        self._save_index()
                        for entry in added:
                            save(self.store, entry_key(entry.id), entry)

    def enqueue(self, message: Message, channel: str, not_before: datetime | None = None) -> str | None:
        """Queue a message for a channel; None when that exact message was queued before."""
        entry_id = f"{message.id}@{channel}"
        with self._lock:
            if entry_id in self._pending or self.store.get_state(entry_key(entry_id)) is not None:
                return None
            if self._batch is not None and any(e.id == entry_id for e in self._batch):
                return None
            now = self.clock()
            entry = OutboxEntry(
                id=entry_id,
                channel=channel,
                message=message,
                enqueued_at=now,
                not_before=not_before or now,
                next_attempt_at=now,
            )
            self._pending[entry_id] = entry
            if self._batch is not None:
                self._batch.append(entry)
            else:
                self._save_index()
                save(self.store, entry_key(entry_id), entry)
        return entry_id

    def pending(self) -> list[OutboxEntry]:
        with self._lock:
            return list(self._pending.values())

    def _save_index(self) -> None:
        self.store.set_state(OUTBOX_KEY, list(self._pending))

    # -- threads (replies need the first message's reference) ---------------------------------------

    def thread(self, alert_id: str) -> Thread | None:
        raw = self.store.get_state(thread_key(alert_id))
        return Thread.model_validate(raw) if raw else None

    def save_thread(self, thread: Thread) -> None:
        save(self.store, thread_key(thread.alert_id), thread)

    # -- delivery ---------------------------------------------------------------------------------

    def _due(self, now: datetime, report: DeliveryReport) -> dict[str, list[OutboxEntry]]:
        """Per channel, in queue order, what may be sent now (a channel in backoff sends nothing)."""
        with self._lock:
            expired = [
                e
                for e in self._pending.values()
                if e.attempts and now - e.enqueued_at > self.policy.give_up_after
            ]
            for entry in expired:
                log.error(
                    "giving up on %s to channel %s after %d attempts (%s); kept as a dead letter",
                    entry.message.id,
                    entry.channel,
                    entry.attempts,
                    entry.last_error,
                )
                entry.status = "dead"
                save(self.store, entry_key(entry.id), entry)
                del self._pending[entry.id]
                report.gave_up.append(entry.id)
            if expired:
                dead = self.store.get_state(DEAD_KEY) or []
                self.store.set_state(DEAD_KEY, [*dead, *(e.id for e in expired)])
                self._save_index()
            queues: dict[str, list[OutboxEntry]] = {}
            for entry in self._pending.values():
                queues.setdefault(entry.channel, []).append(entry)
            due = {}
            for name, queue in queues.items():
                if name not in self.channels:
                    continue  # channel removed from config: its messages wait until it returns
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
        if len(due) == 1:
            name, entries = next(iter(due.items()))
            self._work(name, entries, report)
        elif due:
            with ThreadPoolExecutor(max_workers=len(due), thread_name_prefix="alerts") as pool:
                list(pool.map(lambda name: self._work(name, due[name], report), list(due)))
        with self._lock:
            if report.delivered:
                self._save_index()  # compact: delivered ids leave the index
            report.pending = len(self._pending)
        return report

    def _work(self, name: str, entries: list[OutboxEntry], report: DeliveryReport) -> None:
        channel = self.channels[name]
        for entry in entries:
            thread = self.thread(entry.message.thread_id) if entry.message.thread_id else None
            ref = thread.refs.get(name) if thread else None
            started = time.perf_counter()
            try:
                new_ref = channel.send(entry.message, ref)
            except (ChannelError, OSError, ValueError) as exc:
                hint = exc.retry_after if isinstance(exc, DeliveryFailed) else None
                error = str(exc) if isinstance(exc, ChannelError) else f"{type(exc).__name__}: {exc}"
                self._failed(entry, error, hint, time.perf_counter() - started, report)
                return  # FIFO: later messages of this channel wait for this one
            self._delivered(entry, thread, new_ref, time.perf_counter() - started, report)

    def _delivered(
        self,
        entry: OutboxEntry,
        thread: Thread | None,
        ref: str | None,
        seconds: float,
        report: DeliveryReport,
    ) -> None:
        with self._lock:
            entry.attempts += 1
            entry.status, entry.delivered_at, entry.last_error = "delivered", self.clock(), None
            self.store.set_state(entry_key(entry.id), _tombstone(entry))
            self._pending.pop(entry.id, None)
            if ref and thread is not None and entry.channel not in thread.refs:
                thread = self.thread(thread.alert_id) or thread
                thread.refs[entry.channel] = ref
                self.save_thread(thread)
            report.delivered.append(entry.id)
        log.info(
            "delivered %s (%s) to channel %s, attempt %d, %.0f ms",
            entry.message.id,
            entry.message.kind.value,
            entry.channel,
            entry.attempts,
            seconds * 1000,
        )

    def _failed(
        self, entry: OutboxEntry, error: str, hint: float | None, seconds: float, report: DeliveryReport
    ) -> None:
        with self._lock:
            entry.attempts += 1
            entry.last_error = error
            entry.next_attempt_at = self.clock() + self.policy.delay(entry.attempts, hint)
            save(self.store, entry_key(entry.id), entry)
            report.failed.append((entry.id, error))
        log.warning(
            "attempt %d of %s to channel %s failed after %.0f ms: %s; next try at %s",
            entry.attempts,
            entry.message.id,
            entry.channel,
            seconds * 1000,
            error,
            entry.next_attempt_at.isoformat(timespec="seconds"),
        )

    def close(self) -> None:
        for channel in self.channels.values():
            channel.close()


def _tombstone(entry: OutboxEntry) -> dict[str, Any]:
    """What stays of a delivered message: enough to refuse it twice and to audit, not its body."""
    return {
        "id": entry.id,
        "channel": entry.channel,
        "status": entry.status,
        "kind": entry.message.kind.value,
        "alert_id": entry.message.alert_id,
        "attempts": entry.attempts,
        "enqueued_at": entry.enqueued_at.isoformat(),
        "delivered_at": entry.delivered_at.isoformat() if entry.delivered_at else None,
    }

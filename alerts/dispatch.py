"""The one entry point the pipeline calls after each detection cycle.

    dispatcher = Dispatcher.from_settings(settings, store)
    report = dispatcher.dispatch(alerts)   # route, enqueue, deliver what is due
    dispatcher.flush_outbox()              # retry what is waiting (also after a restart)

One incident (one alert id) is one thread: the first message opens it, later ones are updates
(only when it escalates, or grows after the update cooldown) and lifecycle replies
(acknowledged, assigned, resolved). Messages are persisted before the bookkeeping that says
they were sent, so dispatching the same alerts again after a crash re-creates exactly what
was missing and nothing more.

The dispatcher writes no alert (issue #12, item 4): the detector records complaint alerts, with
their owners and playbook, and the team's actions go through `alerts.lifecycle`; the dispatcher
routes each alert as it is stored and writes only its own records (outbox, threads, digests) and
the collector-health alerts it raises itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from groundswell.alerts.channels import AlertChannel, build_channel
from groundswell.alerts.health import collector_alerts
from groundswell.alerts.lifecycle import SYSTEM_ACTOR, resolve
from groundswell.alerts.message import Message, MessageKind
from groundswell.alerts.outbox import DeliveryReport, Outbox, RetryPolicy
from groundswell.alerts.routing import (
    QuietHours,
    channels_for,
    language_for,
    next_digest,
    update_reason,
    zone_of,
)
from groundswell.alerts.state import (
    DIGESTS_KEY,
    LIFECYCLE_KEY,
    DigestBuffer,
    Digests,
    LifecycleCursor,
    Thread,
    load,
    save,
)
from groundswell.alerts.templates import render_alert, render_digest, render_event
from groundswell.config.settings import Channel, Settings
from groundswell.errors import ConfigError
from groundswell.indexer.base import AlertFilter
from groundswell.records import Alert, AlertAction, AlertEvent, AlertKind, AlertState, Severity, utcnow

log = logging.getLogger("groundswell.alerts")
LIFECYCLE_ACTIONS = (AlertAction.ACKNOWLEDGED, AlertAction.ASSIGNED, AlertAction.RESOLVED)
REPORT_DIGESTS = ("weekly", "monthly")  # channels that receive the brand report instead of alerts
LIFECYCLE_MARGIN = timedelta(hours=1)  # re-read alerts this much older than the newest seen (clock skew)


class Dispatcher:
    """Routes alerts to channels through the persisted outbox; see the module docstring."""

    def __init__(
        self,
        settings: Settings,
        store: Any,
        channels: dict[str, AlertChannel],
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.zone = zone_of(settings)
        cfg = settings.alerts
        self.quiet = (
            QuietHours.parse(cfg.quiet_hours, self.zone, cfg.quiet_override) if cfg.quiet_hours else None
        )
        self.dashboard_url = cfg.dashboard_url or settings.dashboard.base_url
        policy = RetryPolicy(cfg.retry_base, cfg.retry_max, cfg.give_up_after)
        self.outbox = Outbox(store, channels, policy, clock)
        self.by_name: dict[str, Channel] = {c.name: c for c in settings.channels}
        self._threads: dict[str, Thread | None] = {}  # cache for one cycle
        self._dirty: dict[str, Thread] = {}
        self._digests: Digests | None = None
        self._busy = threading.RLock()  # one cycle at a time: the pipeline's and the flusher's
        self._stopping = threading.Event()
        self._flusher: threading.Thread | None = None

    @classmethod
    def from_settings(
        cls, settings: Settings, store: Any, *, clock: Callable[[], datetime] = utcnow
    ) -> Dispatcher:
        admin = settings.alerts.admin_channel
        if admin and admin not in {c.name for c in settings.channels}:
            raise ConfigError(f"alerts.admin_channel names {admin!r}, which is not in channels")
        channels: dict[str, AlertChannel] = {}
        for cfg in settings.channels:
            try:
                channels[cfg.name] = build_channel(cfg.name, cfg.type, cfg.options)
            except (KeyError, ValueError) as exc:
                raise ConfigError(f"channels: {cfg.name}: {exc}") from None
        return cls(settings, store, channels, clock)

    # -- public -----------------------------------------------------------------------------------

    def dispatch(self, alerts: list[Alert], *, check_health: bool = True) -> DeliveryReport:
        """Route this cycle's alerts (as recorded), then deliver everything that is due."""
        with self._busy:
            report = DeliveryReport()
            now = self.clock()
            alerts = list(alerts)
            if check_health:
                alerts += self._health(now)
            with self._cycle():
                self._lifecycle(report)  # replies for events recorded before this cycle's updates
                for alert in alerts:
                    self._route(alert, now, report)
                self._emit_digests(now, report)
            return report.merge(self.outbox.flush())

    def flush_outbox(self) -> DeliveryReport:
        """Deliver what is due without new alerts: lifecycle replies, digests, retries."""
        with self._busy:
            report = DeliveryReport()
            with self._cycle():
                self._lifecycle(report)
                self._emit_digests(self.clock(), report)
            return report.merge(self.outbox.flush())

    def start(self, every: float = 10.0) -> Dispatcher:
        """Flush the outbox every `every` seconds in a daemon thread until `close()`.

        The crawl loop may sleep for a source's whole interval; this keeps retries, quiet-hour
        releases, CLI acknowledgements and digests moving in between.
        """
        if self._flusher is None:
            self._flusher = threading.Thread(
                target=self._flush_loop, args=(every,), daemon=True, name="alerts-flusher"
            )
            self._flusher.start()
        return self

    def _flush_loop(self, every: float) -> None:
        while not self._stopping.wait(every):
            try:
                self.flush_outbox()
            except Exception:  # keep the thread alive (store busy, disk full): the next round retries
                log.exception("alert outbox flush failed; retrying in %g s", every)

    def close(self) -> None:
        self._stopping.set()
        if self._flusher is not None:
            self._flusher.join()
            self._flusher = None
        self.outbox.close()

    # -- bookkeeping ------------------------------------------------------------------------------

    @contextmanager
    def _cycle(self) -> Iterator[None]:
        """Queue messages first, then save what says they were queued (threads, digests)."""
        self._threads, self._dirty = {}, {}
        self._digests = load(self.store, DIGESTS_KEY, Digests) or Digests()
        digests_before = self._digests.model_dump()
        with self.outbox.batch():
            yield
        if self._digests.model_dump() != digests_before:
            save(self.store, DIGESTS_KEY, self._digests)
        for thread in self._dirty.values():
            self.outbox.save_thread(thread)
        self._threads, self._dirty = {}, {}

    def _thread(self, alert_id: str) -> Thread | None:
        if alert_id not in self._threads:
            self._threads[alert_id] = self.outbox.thread(alert_id)
        return self._threads[alert_id]

    def _touch(self, thread: Thread) -> None:
        self._threads[thread.alert_id] = thread
        self._dirty[thread.alert_id] = thread

    # -- routing ----------------------------------------------------------------------------------

    def _current(self, alert: Alert) -> Alert:
        """The alert as recorded (its writer, the detector or the health check, saved it with the
        team's state), else as given: the dispatcher reads alerts, it never writes them."""
        return self.store.get_alert(alert.id) or alert

    def _route(self, incoming: Alert, now: datetime, report: DeliveryReport) -> None:
        alert = self._current(incoming)
        thread = self._thread(alert.id)
        if alert.state is AlertState.RESOLVED:
            report.suppressed.append(alert.id)
            return
        if thread is None:
            kind = MessageKind.OPS if alert.kind is AlertKind.OPERATIONAL else MessageKind.NEW
            thread = Thread(alert_id=alert.id)
        else:
            reason = update_reason(
                severity=alert.severity,
                observed=alert.observed,
                last_severity=thread.severity,
                last_observed=thread.observed,
                last_sent_at=thread.last_sent_at,
                now=now,
                cooldown=self.settings.alerts.update_cooldown,
            )
            if reason is None and _reopened_since(alert, thread.last_sent_at):
                reason = "reopened"
            if reason is None:
                report.suppressed.append(alert.id)
                return
            # the detector already recorded "updated" in the history
            kind = MessageKind.OPS if alert.kind is AlertKind.OPERATIONAL else MessageKind.UPDATE
        thread = thread.model_copy(deep=True)
        thread.seq += 1
        posts = self.store.get(alert.evidence_ids[:50]) if alert.evidence_ids else []
        rendered: dict[str, Message] = {}
        for channel in channels_for(self.settings, alert):
            language = language_for(self.settings, alert, channel)
            if language not in rendered:
                rendered[language] = render_alert(
                    alert,
                    kind,
                    thread.seq,
                    message_id=f"{alert.id}#{thread.seq}",
                    language=language,
                    zone=self.zone,
                    dashboard_url=self.dashboard_url,
                    posts=posts,
                    top_evidence=self.settings.alerts.top_evidence,
                    now=now,
                )
            self._send(rendered[language], channel, alert.severity, now, report)
        thread.last_sent_at, thread.severity, thread.observed = now, alert.severity, alert.observed
        self._touch(thread)

    def _send(
        self, message: Message, channel: Channel, severity: Severity, now: datetime, report: DeliveryReport
    ) -> None:
        if channel.digest in REPORT_DIGESTS and message.kind is not MessageKind.DIGEST:
            return  # the channel gets the weekly/monthly brand report (groundswell.reports.delivery)
        if channel.digest != "off" and message.kind is not MessageKind.DIGEST:
            if message.kind in (MessageKind.NEW, MessageKind.UPDATE) and message.alert_id:
                assert self._digests is not None
                buffer = self._digests.channels.get(channel.name) or DigestBuffer(
                    due=next_digest(now, channel.digest, self.zone, self.settings.alerts.digest_hour)
                )
                if message.alert_id not in buffer.alert_ids:
                    buffer.alert_ids.append(message.alert_id)
                self._digests.channels[channel.name] = buffer
            return
        hold = self.quiet.release_time(now, severity) if self.quiet else None
        entry = self.outbox.enqueue(message, channel.name, hold)
        if entry:
            report.enqueued.append(entry)

    def _lifecycle(self, report: DeliveryReport) -> None:
        """Turn acknowledge/assign/resolve events recorded since the last look into thread replies."""
        cursor = load(self.store, LIFECYCLE_KEY, LifecycleCursor) or LifecycleCursor()
        since = cursor.seen_upto - LIFECYCLE_MARGIN if cursor.seen_upto else None
        changed = self.store.list_alerts(AlertFilter(since=since, limit=100_000))
        for alert in changed:
            thread = self._thread(alert.id)
            if thread is None:
                continue
            events = [
                e
                for e in alert.history
                if e.action in LIFECYCLE_ACTIONS
                and (thread.events_seen_at is None or e.at > thread.events_seen_at)
            ]
            if not events:
                continue
            thread = thread.model_copy(deep=True)
            for event in events:
                thread.seq += 1
                for channel in channels_for(self.settings, alert):
                    message = render_event(
                        alert,
                        event,
                        thread.seq,
                        message_id=f"{alert.id}#{thread.seq}",
                        language=language_for(self.settings, alert, channel),
                        dashboard_url=self.dashboard_url,
                    )
                    self._send(message, channel, alert.severity, event.at, report)
            thread.events_seen_at = max(e.at for e in events)
            self._touch(thread)
        newest = max((a.updated_at for a in changed), default=None)
        if newest is not None and (cursor.seen_upto is None or newest > cursor.seen_upto):
            save(self.store, LIFECYCLE_KEY, LifecycleCursor(seen_upto=newest))

    def _emit_digests(self, now: datetime, report: DeliveryReport) -> None:
        assert self._digests is not None
        for name, buffer in list(self._digests.channels.items()):
            channel = self.by_name.get(name)
            if channel is None or buffer.due > now:
                continue
            alerts = [a for a in (self.store.get_alert(i) for i in buffer.alert_ids) if a is not None]
            del self._digests.channels[name]
            if not alerts:
                continue
            message = render_digest(
                alerts,
                channel.digest,
                message_id=f"digest:{name}:{buffer.due.isoformat()}",
                language=channel.language or self.settings.dashboard.language,
                dashboard_url=self.dashboard_url,
                now=now,
            )
            hold = self.quiet.release_time(now, message.severity) if self.quiet else None
            entry = self.outbox.enqueue(message, name, hold)
            if entry:
                report.enqueued.append(entry)

    def _health(self, now: datetime) -> list[Alert]:
        failing, recovered = collector_alerts(self.settings, self.store, now)
        for alert_id in recovered:
            stored = self.store.get_alert(alert_id)
            if stored is not None and stored.state is not AlertState.RESOLVED:
                resolve(self.store, alert_id, SYSTEM_ACTOR, "source is bringing data again", now=now)
                log.info("collector alert %s resolved: source healthy again", alert_id)
        for alert in failing:
            stored = self.store.get_alert(alert.id)
            if (
                stored is not None
                and stored.state is AlertState.RESOLVED
                and alert.first_seen > stored.first_seen
            ):
                # the source recovered and failed again: a new outage reopens the alert (a resolve
                # by hand during the same outage stays resolved)
                event = AlertEvent(
                    at=now, actor=SYSTEM_ACTOR, action=AlertAction.REOPENED, note=alert.summary
                )
                reopened = stored.model_copy(
                    update={
                        "state": AlertState.NEW,
                        "first_seen": alert.first_seen,
                        "updated_at": now,
                        "history": [*stored.history, event],
                    }
                )
                self.store.save_alert(reopened)
            elif stored is None:
                event = AlertEvent(
                    at=alert.fired_at, actor=SYSTEM_ACTOR, action=AlertAction.FIRED, note=alert.summary
                )
                self.store.save_alert(alert.model_copy(update={"history": [event]}))
            elif stored.state is not AlertState.RESOLVED:
                kept = {"state": stored.state, "assignee": stored.assignee, "history": stored.history}
                self.store.save_alert(alert.model_copy(update={**kept, "fired_at": stored.fired_at}))
        return failing


def _reopened_since(alert: Alert, last_sent_at: datetime | None) -> bool:
    """The detector reopens a resolved incident that grows again; that deserves a message."""
    return any(
        e.action is AlertAction.REOPENED and (last_sent_at is None or e.at > last_sent_at)
        for e in alert.history
    )

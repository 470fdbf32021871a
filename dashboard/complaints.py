"""Emerging-complaint reads and the acknowledge / assign / resolve actions, through the Store only.

The actions go through `alerts.lifecycle`, so the CLI (`groundswell alerts ack`) and the dashboard
apply the same transitions and record the same audit trail (who, what, when) in the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Literal

import pandas as pd

from groundswell.dashboard.queries import Filters
from groundswell.dashboard.timebuckets import DAY, HOUR
from groundswell.indexer.base import AlertFilter, MentionQuery, Store
from groundswell.records import Alert, AlertState, EnrichedMention

Action = Literal["acknowledge", "assign", "resolve"]
ACTIONS: tuple[Action, ...] = ("acknowledge", "assign", "resolve")
_STATE_RANK = {AlertState.NEW: 0, AlertState.ACKNOWLEDGED: 1, AlertState.RESOLVED: 2}
COMPLAINT = "complaint"  # the sentiment column of an incident's timeline: its posts are complaints


def ranked_alerts(
    store: Store, f: Filters | None, states: Sequence[AlertState] = (), limit: int = 200
) -> list[Alert]:
    """Alerts that overlap the filter period, open ones first, then by severity, spread and growth."""
    flt = AlertFilter(brands=(f.brand,) if f and f.brand else (), states=tuple(states), limit=limit)
    alerts = store.list_alerts(flt)
    if f is not None:
        alerts = [a for a in alerts if a.fired_at < f.until and a.updated_at >= f.since]
    return sorted(
        alerts,
        key=lambda a: (
            _STATE_RANK.get(a.state, 3),
            -a.severity.rank,
            -a.spread_risk,
            -a.growth,
            a.id,
        ),
    )


def alert_query(alert: Alert) -> MentionQuery:
    """The mentions the alert is about: its brand and topic (or touchpoints), every sentiment.

    Used to browse around an alert; the incident's own posts are its `evidence_ids`.
    """
    q = MentionQuery(brands=(alert.brand,))
    if alert.topic is not None and alert.topic.id >= 0:
        return q.narrow(topics=(alert.topic.id,))
    if alert.touchpoints:
        return q.narrow(touchpoints=tuple(alert.touchpoints))
    return q


def alert_growth(
    store: Store, alert: Alert, window: timedelta = timedelta(hours=1)
) -> tuple[pd.DataFrame, float]:
    """Counts (time, sentiment, count) per hour (per day for a daily incident) of the incident's
    own posts, not every post of the brand, and the rate the detector expected for them per
    bucket, so the chart shows the issue against its own normal.

    The posts are the incident's `timeline` (every post it tracked, counted by the detector);
    an alert saved without one falls back to its evidence posts. `expected` is over the alert's
    own detection window (`window_s`), else the rule's `window`."""
    span = alert.window_s or window.total_seconds()
    bucket = DAY if alert.daily else HOUR
    expected = alert.expected * bucket.total_seconds() / max(span, 1e-9)
    if alert.timeline:
        rows = [(pd.Timestamp(at), COMPLAINT, n) for at, n in alert.timeline]
        return pd.DataFrame(rows, columns=["time", "sentiment", "count"]), expected
    posts = store.get(alert.evidence_ids)
    freq = "D" if alert.daily else "h"
    frame = pd.DataFrame(
        [
            (pd.Timestamp(m.created_at).floor(freq), m.sentiment.label.value if m.sentiment else "unknown")
            for m in posts
        ],
        columns=["time", "sentiment"],
    )
    if frame.empty:
        return pd.DataFrame(columns=["time", "sentiment", "count"]), expected
    frame = frame.groupby(["time", "sentiment"]).size().reset_index(name="count")
    return frame, expected


def evidence(store: Store, alert: Alert, size: int = 50) -> list[EnrichedMention]:
    return store.get(alert.evidence_ids[:size])


def open_alert_topics(alerts: Sequence[Alert]) -> list[int]:
    return [a.topic.id for a in alerts if a.topic is not None and a.state != AlertState.RESOLVED]


def apply_action(
    store: Store, alert_id: str, action: Action, actor: str, note: str = "", assignee: str | None = None
) -> Alert:
    """Record who did what to an alert, and when, in the store (via alerts.lifecycle).

    Raises the lifecycle's errors (a resolved alert cannot be acknowledged, no actor given) for the
    page to show as a message.
    """
    from groundswell.alerts import lifecycle  # late: reading alerts must not depend on the delivery machinery

    if action == "acknowledge":
        return lifecycle.acknowledge(store, alert_id, actor=actor, note=note)
    if action == "assign":
        return lifecycle.assign(store, alert_id, assignee=assignee or "", actor=actor, note=note)
    if action == "resolve":
        return lifecycle.resolve(store, alert_id, actor=actor, note=note)
    raise ValueError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")


def history_frame(alert: Alert) -> pd.DataFrame:
    rows = [(e.at, e.actor, e.action, e.note) for e in alert.history]
    return pd.DataFrame(rows, columns=["at", "actor", "action", "note"])

"""Alert delivery: route detector alerts to Slack, Teams, e-mail and signed webhooks, reliably.

`Dispatcher.from_settings(settings, store).dispatch(alerts)` is what the pipeline calls;
`acknowledge` / `assign` / `resolve` are what the CLI and dashboard call. See docs/alerts.md.
"""

from __future__ import annotations

from groundswell.alerts.dispatch import Dispatcher
from groundswell.alerts.lifecycle import AlertNotFound, InvalidTransition, acknowledge, assign, resolve
from groundswell.alerts.outbox import DeliveryReport

__all__ = [
    "AlertNotFound",
    "DeliveryReport",
    "Dispatcher",
    "InvalidTransition",
    "acknowledge",
    "assign",
    "resolve",
]

"""Collector health: a source that failed, or brought nothing, for longer than its threshold.

Turns `store.source_runs` into operational alerts (kind "operational", routed to the admin
channel) with a stable id per source, so one outage is one alert that is resolved automatically
when the source brings data again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from groundswell.config.settings import Settings
from groundswell.records import Alert, AlertKind, Severity, SourceRun

OPS_PREFIX = "ops:source:"


def _good(run: SourceRun) -> bool:
    return run.healthy and run.error is None and run.fetched > 0


def _ago(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:.1f} h" if hours >= 1 else f"{seconds / 60:.0f} min"


def collector_alerts(settings: Settings, store: Any, now: datetime) -> tuple[list[Alert], list[str]]:
    """(alerts for sources in trouble, ids of ops alerts whose source is healthy again)."""
    alerts, recovered = [], []
    for source in settings.sources:
        if not source.enabled:
            continue
        runs = store.source_runs(source.name, limit=200)  # newest first
        if not runs:
            continue
        last_good = next((r for r in runs if _good(r)), None)
        since = last_good.finished_at if last_good else runs[-1].started_at
        quiet_for = (now - since).total_seconds()
        alert_id = OPS_PREFIX + source.name
        if quiet_for <= source.unhealthy_after.total_seconds():
            recovered.append(alert_id)
            continue
        failures = [r for r in runs if last_good is None or r.started_at > last_good.started_at]
        last_error = next((r.error for r in failures if r.error), None)
        what = "no data" if last_error is None else f"failing ({last_error})"
        summary = (
            f"source {source.name}: {what} for {_ago(quiet_for)} "
            f"(threshold {_ago(source.unhealthy_after.total_seconds())}), {len(failures)} run(s) since"
        )
        alerts.append(
            Alert(
                id=alert_id,
                brand="",
                fired_at=now,
                updated_at=now,
                first_seen=since,
                severity=Severity.HIGH,
                rule="collector-health",
                summary=summary,
                kind=AlertKind.OPERATIONAL,
            )
        )
    return alerts, recovered

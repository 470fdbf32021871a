"""`groundswell demo`: the bundled scenario through the real pipeline, so the dashboard has a story.

Ingest in time order (brand matching, language, sentiment, touchpoints, the online topic model)
-> the detector replayed over the scenario's clock in 15-minute steps, 5 while a brand warms
(exactly what `groundswell run` does live with the sources' default intervals), so every alert
has the `fired_at` it would have had in real time -> delivery to any configured channels.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from groundswell.config.settings import Settings
from groundswell.indexer.base import MentionQuery, Store
from groundswell.localtime import fmt_datetime, zone
from groundswell.pipeline.context import bundled_demo_path
from groundswell.pipeline.ingest import ingest_file
from groundswell.pipeline.replay import replay_detection
from groundswell.records import Alert

STEP = timedelta(minutes=15)


def run_demo(settings: Settings, store: Store, log: Callable[[str], None]) -> str:
    began = time.perf_counter()
    scenario = bundled_demo_path()
    log(f"demo: ingesting {scenario.name} ...")
    report = ingest_file(scenario, settings, store, log=None, run_name="demo")
    log(f"demo: {report.summary()} ({time.perf_counter() - began:.0f}s)")

    span = store.time_range()
    if span is None:
        return "demo: the scenario produced no mentions"
    log("demo: replaying the detector over the scenario in 15-minute steps (5 while a brand warms) ...")

    tz = zone(settings.timezone)

    def announce(alert: Alert) -> None:
        topic = alert.topic.label if alert.topic else "-"
        log(f"  {fmt_datetime(alert.fired_at, tz)} [{alert.severity.value}] {alert.brand}: {topic}")

    first_fired, _steps = replay_detection(settings, store, span[0], span[1] + STEP, STEP, on_alert=announce)
    alerts = [store.get_alert(a.id) or a for a in first_fired]  # as they stand after the replay
    if settings.channels:
        from groundswell.alerts.dispatch import Dispatcher

        delivery = Dispatcher.from_settings(settings, store).dispatch(alerts)
        log(f"demo: delivery {delivery}")
    total = store.count(MentionQuery())
    return (
        f"demo: {total:,} mentions in the store, {len(alerts)} alert(s), "
        f"{time.perf_counter() - began:.0f}s in all"
    )

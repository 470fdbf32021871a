"""Replaying the detector over stored history on a stepped clock (backtest and demo share this)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from groundswell.config.settings import HOT_MAX_INTERVAL, Settings
from groundswell.config.settings import Source as SourceSettings
from groundswell.indexer.base import Store
from groundswell.records import Alert

# A replay's stand-in for the sources' default `hot_interval`: while a brand is warming, `groundswell
# run` crawls its sources this often, and detection follows each crawl.
HOT_STEP: timedelta = SourceSettings.model_fields["hot_interval"].default


def next_step(t: datetime, step: timedelta, hot_step: timedelta | None, warming: bool) -> datetime:
    """The next detection time: the next `step` boundary, or `hot_step` later while a brand warms."""
    seconds = step.total_seconds()
    boundary = datetime.fromtimestamp((t.timestamp() // seconds + 1) * seconds, UTC)
    if warming and hot_step is not None and timedelta(0) < hot_step < step <= HOT_MAX_INTERVAL:
        return min(t + hot_step, boundary)
    return boundary


def replay_detection(
    settings: Settings,
    store: Store,
    first: datetime,
    last: datetime,
    step: timedelta,
    on_alert: Callable[[Alert], None] | None = None,
    fresh: bool = False,
    hot_step: timedelta | None = HOT_STEP,
    on_update: Callable[[Alert, datetime], None] | None = None,
) -> tuple[list[Alert], int]:
    """Run the detector at each step boundary after `first` up to `last`, and every `hot_step`
    in between while a brand is warming (as `run` crawls then; None: boundaries only).

    Returns each alert as it first fired, in that order, and the number of steps; `on_alert` sees
    each one the moment it first fires, `on_update` every state of every alert (new or updated) with
    its step's time, as a thread reader saw it then. `fresh` forgets saved detector state first (a
    backtest into a kept --db may hold the state of a later time).
    """
    from groundswell.nlp.detect import Detector

    detector = Detector.from_settings(settings)
    if fresh:
        detector.reset(store)
    t = next_step(first, step, None, warming=False)
    # the complaints the steps will read, embedded in large batches first (the same vectors)
    detector.prefetch(store, t - timedelta(seconds=detector.lifetime + detector.max_window), last)
    fired: dict[str, Alert] = {}
    steps = 0
    while t <= last:
        for alert in detector.run(store, t):
            if on_update is not None:
                on_update(alert, t)
            if alert.id not in fired:
                fired[alert.id] = alert
                if on_alert is not None:
                    on_alert(alert)
        steps += 1
        t = next_step(t, step, hot_step, bool(detector.warming))
    detector.flush(store)
    return list(fired.values()), steps

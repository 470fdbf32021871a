"""Replaying the detector over stored history on a stepped clock (backtest and demo share this)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from groundswell.config.settings import Settings
from groundswell.indexer.base import Store
from groundswell.records import Alert


def replay_detection(
    settings: Settings,
    store: Store,
    first: datetime,
    last: datetime,
    step: timedelta,
    on_alert: Callable[[Alert], None] | None = None,
    fresh: bool = False,
) -> tuple[list[Alert], int]:
    """Run the detector at each step boundary after `first` up to `last`.

    Returns each alert as it first fired, in that order, and the number of steps; `on_alert` sees
    each one the moment it first fires. `fresh` forgets saved detector state first (a backtest
    into a kept --db may hold the state of a later time).
    """
    from groundswell.nlp.detect import Detector

    detector = Detector.from_settings(settings)
    if fresh:
        detector.reset(store)
    seconds = step.total_seconds()
    t = datetime.fromtimestamp((first.timestamp() // seconds + 1) * seconds, UTC)
    # the complaints the steps will read, embedded in large batches first (the same vectors)
    detector.prefetch(store, t - timedelta(seconds=detector.lifetime + detector.max_window), last)
    fired: dict[str, Alert] = {}
    steps = 0
    while t <= last:
        for alert in detector.run(store, t):
            if alert.id not in fired:
                fired[alert.id] = alert
                if on_alert is not None:
                    on_alert(alert)
        steps += 1
        t += step
    detector.flush(store)
    return list(fired.values()), steps

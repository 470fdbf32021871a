"""What `groundswell run` does after each crawl cycle: detect, then alert.

Kept apart from the scheduler so that the scheduler never imports nlp or alerts, and so that the
demo and the backtest run exactly the same detector.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from groundswell.config.settings import Settings
from groundswell.indexer.base import Store

log = logging.getLogger("groundswell.pipeline")


def after_cycle_hook(
    settings: Settings, store: Store, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Callable[[], None]:
    from groundswell.alerts.dispatch import Dispatcher
    from groundswell.nlp.detect import Detector

    detector = Detector.from_settings(settings)
    dispatcher = Dispatcher.from_settings(settings, store).start()

    def detect_and_alert() -> None:
        alerts = detector.run(store, clock())
        detector.flush(store)
        report = dispatcher.dispatch(alerts)
        if alerts:
            log.warning("%d alert(s) new or updated; delivery: %s", len(alerts), report)

    return detect_and_alert

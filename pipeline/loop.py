"""What `groundswell run` does after each crawl cycle: detect, then alert.

Kept apart from the scheduler so that the scheduler never imports nlp or alerts, and so that the
demo and the backtest run exactly the same detector.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from datetime import UTC, datetime

from groundswell.config.settings import Settings
from groundswell.indexer.base import Store

log = logging.getLogger("groundswell.pipeline")


def after_cycle_hook(
    settings: Settings, store: Store, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Callable[[], Collection[str]]:
    from groundswell.alerts.dispatch import REPORT_DIGESTS, Dispatcher
    from groundswell.nlp.detect import Detector

    detector = Detector.from_settings(settings)
    dispatcher = Dispatcher.from_settings(settings, store).start()

    def detect_and_alert() -> Collection[str]:
        """Detect and alert; returns the sources to crawl sooner (`Scheduler.hurry`)."""
        now = clock()
        alerts = detector.run(store, now)
        detector.flush(store)
        if any(c.digest in REPORT_DIGESTS for c in settings.channels):
            from groundswell.reports.delivery import queue_reports

            queue_reports(settings, store, dispatcher.outbox, now)  # delivered by the dispatch below
        report = dispatcher.dispatch(alerts)
        if alerts:
            log.warning("%d alert(s) new or updated; delivery: %s", len(alerts), report)
        return detector.sources_to_hurry()

    detect_and_alert.close = dispatcher.close  # type: ignore[attr-defined]  # stops the outbox flusher
    return detect_and_alert

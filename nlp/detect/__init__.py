"""Emerging-complaint detection over the store's time series; see docs/detection.md.

Entry point: ``Detector.from_settings(settings).run(store, as_of) -> list[Alert]``.
"""

from __future__ import annotations

from groundswell.nlp.detect.detector import Detector

__all__ = ["Detector"]

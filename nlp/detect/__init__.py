"""Emerging-complaint detection over the store's time series; see docs/detection.md.

Entry point: ``Detector.from_settings(settings).run(store, as_of) -> list[Alert]``.

The detector is imported on first use: the dashboard and reports read label rules from
`narrative` and should not pay for scipy and the meaning vectors (~0.9 s) to do so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from groundswell.nlp.detect.detector import Detector

__all__ = ["Detector"]


def __getattr__(name: str) -> Any:
    if name == "Detector":
        from groundswell.nlp.detect.detector import Detector

        return Detector
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

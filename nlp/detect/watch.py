"""The watchlist: what came close to an alert at the detector's last step.

The detector saves it (store state `WATCH_KEY`) after every run, and the CLI (`groundswell
detect`) and the dashboard's complaints page show it, so a team sees a story coming a step before
it fires, and sees why `groundswell run` is crawling a brand's sources sooner (docs/detection.md,
"Watching closely"). Kept apart from the detector so that readers import no statistics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

WATCH_KEY = "detect:watch"
WATCH_SIGNALS = 3  # series kept per warming brand, strongest first
SIMILAR = "~"  # the name of "complaints that say the same in other words" (meaning neighbourhoods)
ALL_LABEL = "all complaints"  # how the series of all a brand's complaints (`*`) is named to people


@dataclass(frozen=True)
class Watched:
    """One series of a brand close to its bar: a word, a concept, a touchpoint, all complaints or SIMILAR."""

    brand: str
    label: str
    people: int  # distinct authors in the window tested
    score: float  # -log10 p now
    bar: float  # -log10 p at which it alerts


def signal(label: str, people: int, score: float, bar: float) -> dict[str, Any]:
    """The saved form of one signal (JSON in the store's state)."""
    return {"label": label, "people": people, "score": round(score, 2), "bar": round(bar, 2)}


def read_watchlist(state: Mapping[str, Any] | None, brand: str | None = None) -> tuple[float, list[Watched]]:
    """(time of the step as epoch seconds, its signals) from the saved state; (0, []) when none."""
    if not state:
        return 0.0, []
    out = [
        Watched(name, str(s["label"]), int(s["people"]), float(s["score"]), float(s["bar"]))
        for name, signals in (state.get("brands") or {}).items()
        if brand is None or name == brand
        for s in signals
    ]
    return float(state.get("at") or 0.0), out


def describe(watched: Watched) -> str:
    """One line for the CLI: "Lumio: 배터리 (5 people; -log10 p 5.1, alerts at 6.5)"."""
    label = "complaints that say the same in other words" if watched.label == SIMILAR else watched.label
    return (
        f"{watched.brand}: {label} ({watched.people} people; -log10 p {watched.score:.1f}, "
        f"alerts at {watched.bar:.1f})"
    )

"""Sentiment backends, chosen by name from `settings.nlp.sentiment_backend`.

The names live in `groundswell.plugins.SENTIMENT_BACKENDS` (built-ins in `backends.py`, third-party
ones through the `groundswell.sentiment` entry point, or a `pkg.mod:factory` path); a factory takes
the `NlpSettings` and returns a `SentimentModel`. An unknown name raises `UnknownName` (a KeyError)
listing the known ones; the config loader refuses it before anything runs.
"""

from __future__ import annotations

from groundswell.config.settings import NlpSettings
from groundswell.nlp.sentiment._base import SentimentModel, from_probs, unknown
from groundswell.plugins import SENTIMENT_BACKENDS


def build(name: str, settings: NlpSettings | None = None) -> SentimentModel:
    """The backend called `name`; UnknownName (a KeyError listing the known names) when there is none."""
    factory = SENTIMENT_BACKENDS.load(name)
    model: SentimentModel = factory(settings or NlpSettings())
    return model


__all__ = ["SENTIMENT_BACKENDS", "SentimentModel", "build", "from_probs", "unknown"]

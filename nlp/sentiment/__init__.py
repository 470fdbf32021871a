"""Sentiment backends, chosen by name from `settings.nlp.sentiment_backend`.

Built-ins register exactly as third-party backends would: `register(name, factory)`, where the
factory takes the `NlpSettings` and returns a `SentimentModel`. A duplicate name fails at import;
an unknown name raises `KeyError` listing the known ones.
"""

from __future__ import annotations

from collections.abc import Callable

from groundswell.config.settings import NlpSettings
from groundswell.nlp.sentiment._base import SentimentModel, from_probs, unknown

SentimentFactory = Callable[[NlpSettings], SentimentModel]
SENTIMENT_BACKENDS: dict[str, SentimentFactory] = {}


def register(name: str, factory: SentimentFactory) -> None:
    if name in SENTIMENT_BACKENDS:
        raise ValueError(f"sentiment backend {name!r} is registered twice")
    SENTIMENT_BACKENDS[name] = factory


def build(name: str, settings: NlpSettings | None = None) -> SentimentModel:
    """The backend called `name`; KeyError (listing the known names) when there is none."""
    try:
        factory = SENTIMENT_BACKENDS[name]
    except KeyError:
        known = ", ".join(sorted(SENTIMENT_BACKENDS))
        raise KeyError(f"unknown sentiment backend {name!r}; known backends: {known}") from None
    return factory(settings or NlpSettings())


def _default(settings: NlpSettings) -> SentimentModel:
    """The shipped linear models, or `nlp.model_path`, or those `sentiment adapt` activated (nlp/sentiment/adapt.py)."""
    from groundswell.nlp.sentiment._linear import LinearSentiment
    from groundswell.nlp.sentiment.adapt import active_dir

    if settings.sentiment_backend == "default" and settings.model_path:
        return LinearSentiment(settings.model_path)
    return LinearSentiment(active_dir() if settings.use_adapted else None)


def _vader(settings: NlpSettings) -> SentimentModel:
    from groundswell.nlp.sentiment._vader import VaderSentiment

    return VaderSentiment()


def _transformers(settings: NlpSettings) -> SentimentModel:
    from groundswell.nlp.sentiment._transformers import TransformersSentiment

    return TransformersSentiment.from_path(settings.model_path)


register("default", _default)
register("vader", _vader)
register("transformers", _transformers)

__all__ = ["SENTIMENT_BACKENDS", "SentimentModel", "build", "from_probs", "register", "unknown"]

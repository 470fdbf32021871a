"""The built-in sentiment backends: one factory each, `(NlpSettings) -> SentimentModel`.

Registered by name in `groundswell.plugins.SENTIMENT_BACKENDS`; each imports its model only when
called, so choosing `vader` never loads numpy weights and `transformers` never loads at start.
"""

from __future__ import annotations

from groundswell.config.settings import NlpSettings
from groundswell.nlp.sentiment._base import SentimentModel


def default(settings: NlpSettings) -> SentimentModel:
    """The shipped linear models, or `nlp.model_path`, or those `sentiment adapt` activated (nlp/sentiment/adapt.py)."""
    from groundswell.nlp.sentiment._linear import LinearSentiment
    from groundswell.nlp.sentiment.adapt import active_dir

    if settings.sentiment_backend == "default" and settings.model_path:
        return LinearSentiment(settings.model_path)
    return LinearSentiment(active_dir() if settings.use_adapted else None)


def vader(settings: NlpSettings) -> SentimentModel:
    """VADER's English lexicon (no Korean): a baseline, not the default."""
    from groundswell.nlp.sentiment._vader import VaderSentiment

    return VaderSentiment()


def transformers(settings: NlpSettings) -> SentimentModel:
    """A local Hugging Face classifier at `model_path` (the `transformers` extra)."""
    from groundswell.nlp.sentiment._transformers import TransformersSentiment

    return TransformersSentiment.from_path(settings.model_path)

"""The sentiment part's shape and the one way every backend turns probabilities into a `Sentiment`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from groundswell.records import Sentiment, SentimentLabel

# A post in a language no backend models: neutral, no polarity, and low confidence so that
# dashboards and detectors can tell "unknown" from "confidently neutral".
UNKNOWN_CONFIDENCE = 0.1


@runtime_checkable
class SentimentModel(Protocol):
    """Scores a batch of normalised posts; `langs` are ISO 639-1 codes from the language-id part."""

    def predict(self, texts: Sequence[str], langs: Sequence[str]) -> list[Sentiment]: ...


def unknown() -> Sentiment:
    return Sentiment(label=SentimentLabel.NEUTRAL, score=0.0, confidence=UNKNOWN_CONFIDENCE)


def from_probs(p_neg: float, p_neu: float, p_pos: float) -> Sentiment:
    """Label = most probable class; score = P(pos) - P(neg) keeps the lean of a neutral post."""
    probs = {SentimentLabel.NEGATIVE: p_neg, SentimentLabel.NEUTRAL: p_neu, SentimentLabel.POSITIVE: p_pos}
    label = max(probs, key=probs.__getitem__)
    score = min(1.0, max(-1.0, p_pos - p_neg))
    # model_construct: the values are clamped here, and validation would cost more than the model.
    return Sentiment.model_construct(label=label, score=score, confidence=min(1.0, max(0.0, probs[label])))

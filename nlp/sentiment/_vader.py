"""VADER: the rule-based English baseline many analysts know; other languages get `unknown()`."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from groundswell.nlp.sentiment._base import unknown
from groundswell.records import Sentiment, SentimentLabel

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# VADER's own recommended cut-offs on the compound score.
THRESHOLD = 0.05


class VaderSentiment:
    """compound >= 0.05 positive, <= -0.05 negative; confidence is |compound| stretched to [0.5, 1]."""

    @cached_property
    def _analyzer(self) -> SentimentIntensityAnalyzer:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        return SentimentIntensityAnalyzer()

    def predict(self, texts: Sequence[str], langs: Sequence[str]) -> list[Sentiment]:
        out: list[Sentiment] = []
        for text, lang in zip(texts, langs, strict=True):
            if lang != "en":
                out.append(unknown())
                continue
            compound = float(self._analyzer.polarity_scores(text)["compound"])
            if compound >= THRESHOLD:
                label = SentimentLabel.POSITIVE
            elif compound <= -THRESHOLD:
                label = SentimentLabel.NEGATIVE
            else:
                label = SentimentLabel.NEUTRAL
            confidence = 0.5 + 0.5 * abs(compound) if label != SentimentLabel.NEUTRAL else 1 - abs(compound)
            out.append(Sentiment(label=label, score=compound, confidence=confidence))
        return out

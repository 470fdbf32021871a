"""The default backend: hashed n-gram + lexicon features and a linear model per language.

Why linear: it is trained in minutes by `scripts/train_sentiment.py`, ships as a few compressed
arrays in `nlp/models/` (no pickle, loads in well under a second) and scores thousands of posts a
second on one core, which a transformer cannot. See `nlp/MODEL_CARD.md` for data and metrics.

English is a 3-class softmax. Korean training data (NSMC) is binary, so the Korean model gives
P(pos); a post whose |P(pos) - P(neg)| is below the model's calibrated margin is labelled neutral.
There are two margins, both chosen on KOTE comments annotated "no emotion" (see the model card):
`evidence_margin` for posts that name something polar (a lexicon stem or idiom, a polar emoji),
`neutral_margin` for the rest. One band for both read short star-rated praise ("편하네요 사용하기")
as neutral as often as factual posts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from groundswell.nlp.sentiment._base import from_probs, unknown
from groundswell.nlp.sentiment.features import Flavour, counts, polar_evidence, transform
from groundswell.records import Sentiment, SentimentLabel

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


@dataclass(frozen=True)
class LinearModel:
    """Arrays of one trained language model; `classes` are label names in column order."""

    flavour: Flavour
    idf: np.ndarray
    coef: np.ndarray  # (n_classes or 1, n_features)
    intercept: np.ndarray
    classes: tuple[str, ...]
    neutral_margin: float = 0.0
    evidence_margin: float | None = None  # None: the same band as `neutral_margin` (models before 2026-12-06)

    def margins(self, texts: Sequence[str]) -> list[float]:
        """The neutral band of each (normalised, Korean) post; see the module docstring."""
        if self.evidence_margin is None or self.evidence_margin == self.neutral_margin:
            return [self.neutral_margin] * len(texts)
        return [self.evidence_margin if polar_evidence(t) else self.neutral_margin for t in texts]

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            flavour=np.array(self.flavour),
            idf=self.idf.astype(np.float32),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
            classes=np.array(self.classes),
            neutral_margin=np.array(self.neutral_margin, dtype=np.float32),
            evidence_margin=np.array(
                self.neutral_margin if self.evidence_margin is None else self.evidence_margin,
                dtype=np.float32,
            ),
        )

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                flavour=str(data["flavour"]),  # type: ignore[arg-type]
                idf=data["idf"],
                coef=data["coef"],
                intercept=data["intercept"],
                classes=tuple(str(c) for c in data["classes"]),
                neutral_margin=float(data["neutral_margin"]),
                evidence_margin=float(data["evidence_margin"]) if "evidence_margin" in data else None,
            )

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        x = transform(counts(self.flavour, texts, len(self.idf)), self.idf)
        return np.asarray(x @ self.coef.T) + self.intercept

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 3) probabilities in the order negative, neutral, positive (neutral 0 for binary models)."""
        z = self.decision(texts)
        if z.shape[1] == 1:
            p_pos = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1 - p_pos, np.zeros_like(p_pos), p_pos], axis=1)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        order = [self.classes.index(name) for name in ("negative", "neutral", "positive")]
        return p[:, order]

    def sentiments(self, texts: Sequence[str]) -> list[Sentiment]:
        probs = self.probabilities(texts)
        if self.coef.shape[0] != 1:
            return [from_probs(*map(float, row)) for row in probs]
        return [
            binary_sentiment(float(row[2]), margin)
            for row, margin in zip(probs, self.margins(texts), strict=True)
        ]


def binary_sentiment(p_pos: float, neutral_margin: float) -> Sentiment:
    """Neutral inside the margin; confidence there is how close the score is to 0."""
    score = 2 * p_pos - 1
    if abs(score) < neutral_margin:
        confidence = 1 - abs(score) / (2 * neutral_margin) if neutral_margin else 0.5
        return Sentiment.model_construct(label=SentimentLabel.NEUTRAL, score=score, confidence=confidence)
    label = SentimentLabel.POSITIVE if score > 0 else SentimentLabel.NEGATIVE
    return Sentiment.model_construct(label=label, score=score, confidence=max(p_pos, 1 - p_pos))


class LinearSentiment:
    """English and Korean linear models; every other language is `unknown()` (neutral, low confidence).

    A Korean post with many Latin letters ("배송 늦음 worst service ever") is read by both models and
    their class probabilities are averaged by the share of each script, so neither half is ignored.
    """

    def __init__(self, models_dir: Path | None = None) -> None:
        directory = Path(models_dir) if models_dir else MODELS_DIR
        self.models = {lang: LinearModel.load(directory / f"sentiment_{lang}.npz") for lang in ("en", "ko")}

    def predict(self, texts: Sequence[str], langs: Sequence[str]) -> list[Sentiment]:
        out: list[Sentiment] = [unknown()] * len(texts)
        en = [i for i, code in enumerate(langs) if code == "en" and texts[i].strip()]
        if en:
            for i, sentiment in zip(en, self.models["en"].sentiments([texts[i] for i in en]), strict=True):
                out[i] = sentiment
        ko = [i for i, code in enumerate(langs) if code == "ko" and texts[i].strip()]
        if not ko:
            return out
        ko_model = self.models["ko"]
        p_pos = ko_model.probabilities([texts[i] for i in ko])[:, 2]
        shares = [latin_share(texts[i]) for i in ko]
        mixed = [k for k, share in enumerate(shares) if share >= MIXED_SHARE]
        en_probs = self.models["en"].probabilities([texts[ko[k]] for k in mixed]) if mixed else None
        margins = ko_model.margins([texts[i] for i in ko])
        for k, i in enumerate(ko):
            out[i] = binary_sentiment(float(p_pos[k]), margins[k])
        for row, k in enumerate(mixed):
            ko_probs = _three_way(out[ko[k]], float(p_pos[k]))
            w = shares[k]
            blended = (1 - w) * ko_probs + w * en_probs[row]  # type: ignore[index]
            out[ko[k]] = from_probs(*map(float, blended))
        return out


MIXED_SHARE = 0.3
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3130-\u318f]")
_LATIN = re.compile(r"[A-Za-z]")


def latin_share(text: str) -> float:
    """Latin letters / (Latin + Hangul letters); 0 for a post without either."""
    latin = len(_LATIN.findall(text))
    total = latin + len(_HANGUL.findall(text))
    return latin / total if total else 0.0


def _three_way(sentiment: Sentiment, p_pos: float) -> np.ndarray:
    """The Korean binary output as negative/neutral/positive probabilities (neutral mass inside the band)."""
    neutral = sentiment.confidence if sentiment.label == SentimentLabel.NEUTRAL else 0.0
    return np.array([(1 - p_pos) * (1 - neutral), neutral, p_pos * (1 - neutral)])

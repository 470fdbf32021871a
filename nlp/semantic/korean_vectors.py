"""Korean meaning vectors built here: PPMI co-occurrence of Kiwi morphemes, reduced by SVD.

No Korean sentence encoder with weights installs offline, so one is built from what can: Kiwi's
morphemes (stems, so 배송이/배송은/배송도 are one word) counted in a +-4 window over real Korean
posts, weighted by positive pointwise mutual information (context distribution smoothed, alpha
0.75) and reduced to `DIM` dimensions (Levy & Goldberg 2014: as good as word2vec for similarity at
this corpus size, and deterministic). A post is the SIF-weighted mean of its morpheme vectors
(Arora et al. 2017: frequent words count less) with the corpus' common direction removed.

A deployment's own words (product names, slang, 로켓배송) are absent from the shipped corpus:
`adapt` gives each such word a vector from the known words around it in the deployment's own
posts (the "a la carte" fold-in: the PPMI-weighted mean of its context vectors), so it gets
neighbours without retraining. `scripts/train_semantic.py` builds the shipped file.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from groundswell.nlp.korean import morphemes
from groundswell.nlp.semantic import unit_rows

DIM = 128
WINDOW = 4
MIN_COUNT = 5
SIF_A = 1e-3
CONTENT_TAGS = frozenset({"NNG", "NNP", "XR", "SL", "VV", "VA", "MAG", "VX", "XSV", "XSA"})
# negation and failure words carry the complaint ("안 와요", "못 받았어요"): keep them as words
ADAPT_MIN_COUNT = 3  # an unknown word gets a vector once seen this often in the stream
MAX_TRACKED = 20_000  # unknown words tracked at once
STATE_WORDS = 3_000  # unknown words (most seen first) kept in the saved state...
STATE_CONTEXTS = 30  # ... each with its most frequent context words
STREAM_FLOOR = 10_000  # morphemes: a stream word's frequency is counted out of at least this many
KEEP_FORMS = frozenset({"안", "못", "않", "없", "왜", "또", "아직", "계속", "다시"})


def content_morphemes(texts: Sequence[str]) -> list[list[str]]:
    """The morphemes a vector is built from: content stems plus negation, lower-cased Latin."""
    out = []
    for row in morphemes(texts):
        out.append([f.lower() for f, t in row if t in CONTENT_TAGS or f in KEEP_FORMS])
    return out


class KoreanVectors:
    """Morpheme vectors (unit rows), their corpus frequencies, and the SIF common direction."""

    def __init__(
        self,
        vocab: list[str],
        vectors: np.ndarray,
        freq: np.ndarray,
        common: np.ndarray,
        own: int | None = None,
    ) -> None:
        self.vocab = vocab
        # rows [0, own) were learned from the corpus; the rest are borrowed (scripts/distil_cong.py:
        # words only Kiwi's CoNg model knew, mapped into this space). A borrowed word is still
        # learned from the stream, and its stream vector is blended with the borrowed one.
        self.own = len(vocab) if own is None else int(own)
        self.index = {w: i for i, w in enumerate(vocab)}
        self.vectors = vectors.astype(np.float32)
        self.freq = freq.astype(np.float64)
        self.common = common.astype(np.float32)
        self._weight = (SIF_A / (SIF_A + self.freq / max(self.freq.sum(), 1.0))).astype(np.float32)
        self.extra: dict[str, np.ndarray] = {}  # words learned from the deployment's own posts
        self._seen: Counter[str] = Counter()  # unknown words observed in the stream
        self._contexts: dict[str, Counter[int]] = {}  # ... and the known words around them
        self._tokens = 0  # morphemes observed in the stream, known or not

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    # -- persistence ---------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> KoreanVectors:
        data = np.load(path, allow_pickle=False)
        own = int(data["own"]) if "own" in data.files else None
        return cls(list(data["vocab"]), data["vectors"].astype(np.float32), data["freq"], data["common"], own)

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            vocab=np.array(self.vocab),
            vectors=self.vectors.astype(np.float16),
            freq=self.freq.astype(np.float32),
            common=self.common,
            own=np.int64(self.own),
        )

    # -- training ------------------------------------------------------------------------------------

    @classmethod
    def train(cls, docs: Iterable[list[str]], dim: int = DIM, min_count: int = MIN_COUNT) -> KoreanVectors:
        """PPMI + SVD over tokenised documents (lists of morphemes)."""
        from scipy import sparse
        from scipy.sparse.linalg import svds

        docs = [d for d in docs if d]
        counts = Counter(w for d in docs for w in d)
        vocab = sorted(w for w, c in counts.items() if c >= min_count)
        index = {w: i for i, w in enumerate(vocab)}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for d in docs:
            ids = [index.get(w, -1) for w in d]
            for i, a in enumerate(ids):
                if a < 0:
                    continue
                for off in range(1, WINDOW + 1):
                    if i + off >= len(ids):
                        break
                    b = ids[i + off]
                    if b >= 0 and b != a:
                        w = 1.0 / off
                        rows += (a, b)
                        cols += (b, a)
                        vals += (w, w)
        n = len(vocab)
        cooc = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n), dtype=np.float64)
        cooc.sum_duplicates()
        total = cooc.sum()
        row_sum = np.asarray(cooc.sum(axis=1)).ravel()
        ctx = np.asarray(cooc.sum(axis=0)).ravel() ** 0.75
        ctx /= ctx.sum()
        coo = cooc.tocoo()
        pmi = np.log(coo.data * 1.0 / total) - np.log(row_sum[coo.row] / total) - np.log(ctx[coo.col])
        keep = pmi > 0
        ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=(n, n))
        k = min(dim, n - 2)
        u, s, _ = svds(ppmi, k=k, random_state=0)
        order = np.argsort(-s)
        vectors = u[:, order] * np.sqrt(s[order])
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
        freq = np.array([counts[w] for w in vocab], dtype=np.float64)
        model = cls(vocab, vectors.astype(np.float32), freq, np.zeros(k, dtype=np.float32))
        sample = model._raw_embed([d for d in docs[:20000]])
        _, _, vt = np.linalg.svd(sample - sample.mean(axis=0), full_matrices=False)
        model.common = vt[0].astype(np.float32)
        return model

    # -- use -----------------------------------------------------------------------------------------

    def _vector(self, word: str) -> tuple[np.ndarray | None, float]:
        i = self.index.get(word)
        if i is not None and i < self.own:
            return self.vectors[i], float(self._weight[i])
        extra = self.extra.get(word)
        if extra is not None:
            return extra, self._stream_weight(word)
        if i is not None:  # borrowed, not (yet) taught by the stream
            return self.vectors[i], float(self._weight[i])
        return None, 0.0

    def _stream_weight(self, word: str) -> float:
        """SIF weight of a learned word from its frequency in the stream that taught it.

        A deployment's own words are absent from the shipped corpus, but some are in almost every
        post: the brand's name and its product names (벡사, 에스나인). At full weight they made any two
        posts about a new product alike (the demo's launch chatter read as one story); weighted by
        how common they are in the stream, like corpus words, they count as little as "phone"."""
        share = self._seen[word] / max(self._tokens, STREAM_FLOOR)
        return SIF_A / (SIF_A + share)

    def _raw_embed(self, docs: Sequence[list[str]]) -> np.ndarray:
        out = np.zeros((len(docs), self.vectors.shape[1]), dtype=np.float32)
        for row, doc in enumerate(docs):
            for word in doc:
                vec, weight = self._vector(word)
                if vec is not None:
                    out[row] += weight * vec
        return out

    def embed_tokens(self, docs: Sequence[list[str]]) -> np.ndarray:
        """Unit-length post vectors (zero rows for posts with no known morpheme)."""
        raw = self._raw_embed(docs)
        raw -= np.outer(raw @ self.common, self.common)
        return unit_rows(raw)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed_tokens(content_morphemes(texts))

    def similar(self, word: str, n: int = 8) -> list[tuple[str, float]]:
        vec, _ = self._vector(word)
        if vec is None:
            return []
        sims = self.vectors @ vec
        best = np.argsort(-sims)[: n + 1]
        return [(self.vocab[i], round(float(sims[i]), 3)) for i in best if self.vocab[i] != word][:n]

    # -- the deployment's own words ------------------------------------------------------------------

    def observe(self, docs: Iterable[list[str]]) -> None:
        """Count the known words around each word the shipped vocabulary lacks (see `learn`).

        Bounded: past `MAX_TRACKED` words, those seen once are forgotten first, so a stream of
        typos and one-off names cannot grow the state without limit."""
        for doc in docs:
            self._tokens += len(doc)
            for i, word in enumerate(doc):
                if self.index.get(word, self.own) < self.own:
                    continue
                self._seen[word] += 1
                around = doc[max(0, i - WINDOW) : i] + doc[i + 1 : i + 1 + WINDOW]
                ctx = self._contexts.setdefault(word, Counter())
                ctx.update(self.index[w] for w in around if w in self.index)
        if len(self._seen) > MAX_TRACKED:
            keep = {w for w, _ in self._seen.most_common(MAX_TRACKED // 2)}
            self._seen = Counter({w: c for w, c in self._seen.items() if w in keep})
            self._contexts = {w: c for w, c in self._contexts.items() if w in keep}

    def learn(self, min_count: int = ADAPT_MIN_COUNT) -> list[str]:
        """(Re)compute the vectors of observed words seen `min_count` times; returns the new ones.

        A word's vector is the weighted mean of the vectors of the known words around it (rare
        contexts weigh more), so it refines as the stream grows without retraining the model."""
        learned = []
        total = self.freq.sum()
        for word, count in self._seen.items():
            ctx = self._contexts.get(word)
            if count < min_count or not ctx:
                continue
            ids = np.fromiter(ctx.keys(), dtype=np.int64)
            weights = np.fromiter(ctx.values(), dtype=np.float64)
            weights *= np.log1p(1.0 / (self.freq[ids] / total * 1e4 + 1e-9))  # rare contexts say more
            vec = (weights[:, None] * self.vectors[ids]).sum(axis=0)
            borrowed = self.index.get(word)
            if borrowed is not None:  # what the stream says and what CoNg said, equally
                vec = vec / (np.linalg.norm(vec) + 1e-9) + self.vectors[borrowed]
            norm = float(np.linalg.norm(vec))
            if norm > 0 and math.isfinite(norm):
                if word not in self.extra:
                    learned.append(word)
                self.extra[word] = (vec / norm).astype(np.float32)
        return learned

    def adapt(self, docs: Iterable[list[str]], min_count: int = ADAPT_MIN_COUNT) -> list[str]:
        """Observe `docs` and learn from them at once; returns the words that got a vector."""
        self.observe(docs)
        return self.learn(min_count)

    def stream_state(self) -> dict[str, Any]:
        """What the stream taught: the context counts of the most seen unknown words (JSON-able)."""
        top = [w for w, _ in self._seen.most_common(STATE_WORDS)]
        return {
            "vocab": len(self.vocab),
            "tokens": self._tokens,
            "words": {
                w: [
                    self._seen[w],
                    [[int(i), c] for i, c in self._contexts.get(w, Counter()).most_common(STATE_CONTEXTS)],
                ]
                for w in top
            },
        }

    def restore_stream(self, state: dict[str, Any] | None, min_count: int = ADAPT_MIN_COUNT) -> None:
        """Take back a `stream_state` (ignored when it was made with another shipped vocabulary)."""
        if not state or state.get("vocab") != len(self.vocab):
            return
        self._tokens = max(self._tokens, int(state.get("tokens", 0)))
        for word, (seen, contexts) in state.get("words", {}).items():
            self._seen[word] = int(seen)
            self._contexts[word] = Counter(
                {int(i): int(c) for i, c in contexts if 0 <= int(i) < len(self.vocab)}
            )
        self.learn(min_count)

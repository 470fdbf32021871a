"""BERTopic (embed, reduce, HDBSCAN, c-TF-IDF), offline, with topic ids that stay the same.

BERTopic renumbers topics on every fit (users report ids shifting and new topics being missed),
and its default embedding model is a download. Here:

* the fit is the `bertopic.BERTopic` class (engine "bertopic", the default) with the embedding
  model passed explicitly (`TfidfSvd` by default, see nlp/topics/embed.py) and UMAP's algorithm in
  numpy as its `umap_model` (`GraphReducer`, nlp/topics/reduce.py: no numba compile in a fresh
  process); engine "native" runs the same steps (c-TF-IDF in `ctfidf_keywords`) without importing
  the bertopic package, which imports umap, pynndescent and sentence-transformers (5-22 s);
* new posts between refits are embedded with the frozen embedder and given the topic whose
  centre is closest (cosine), or -1 when no centre is as close as that topic's own members
  usually are: milliseconds for 10k posts, where UMAP's transform takes tens of seconds;
* every `refit_every` new posts (or when too many posts are outliers, i.e. something new is
  being talked about) the model is refitted on the recent posts it remembers, and each new
  topic is **matched to the old id whose posts it shares most** (>= half of its previously
  assigned posts); unmatched topics get fresh ids, ids are never reused;
* labels are the top c-TF-IDF keywords plus the posts closest to the topic's centre.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from groundswell.nlp.topics.embed import TfidfSvd
from groundswell.nlp.topics.tokens import tokenize
from groundswell.records import TopicRef

log = logging.getLogger(__name__)

OUTLIER = -1
MIN_DOCS = 30  # fewer posts than this cannot form topics; they are all outliers
MATCH_SHARE = 0.5  # a new topic inherits an old id when at least this share of its known posts had it
MEMORY = 10_000  # recent posts kept for refits
PCA_DIMENSIONS = 10
MIN_REDUCE = 200  # below this many posts, HDBSCAN clusters the embeddings without a reduction
UMAP_EPOCHS = 100  # half UMAP's default for large data: same clusters here, half the time
REFIT_OUTLIER_SHARE = 0.7  # refit early when this share of the posts since the last fit are outliers
REDUCERS = ("graph", "umap", "pca", "none")
DEFAULT_REDUCE = "graph"  # nlp/topics/reduce.py: UMAP's method without umap-learn's numba compile
ENGINES = ("bertopic", "native")
DEFAULT_ENGINE = "bertopic"
FIRST_FIT = 1_000  # online mode waits for this many posts before the first fit (a model of 30 is noise)
MIN_SIM_FLOOR = 0.2  # a post is never put in a topic whose centre is less similar than this


@dataclass
class FittedTopics:
    """What the last fit left: the reducer used, the corpus size, each local topic's keywords."""

    reduce: str
    docs: int
    keywords: dict[int, list[str]]


def ctfidf_keywords(
    tokens: Sequence[Sequence[str]], labels: Sequence[int], top_n: int = 10
) -> dict[int, list[str]]:
    """BERTopic's class-based TF-IDF: a topic's words by l1-normalised count x log(1 + A / f).

    A is the mean number of words per class and f a word's count over all classes (outliers are a
    class too, as in BERTopic, so words common everywhere score low).
    """
    from scipy import sparse
    from sklearn.preprocessing import normalize

    vocab: dict[str, int] = {}
    rows, cols = [], []
    classes = sorted(set(labels))
    row_of = {c: i for i, c in enumerate(classes)}
    for toks, label in zip(tokens, labels, strict=True):
        for w in toks:
            rows.append(row_of[label])
            cols.append(vocab.setdefault(w, len(vocab)))
    if not vocab:
        raise ValueError("empty vocabulary")
    counts = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(classes), len(vocab))
    )  # duplicates are summed
    freq = np.asarray(counts.sum(axis=0)).ravel()
    avg = int(counts.sum(axis=1).mean())
    idf = np.log(avg / freq + 1)
    scores = normalize(counts, norm="l1", axis=1).multiply(idf).tocsr()
    words = np.array(sorted(vocab, key=vocab.__getitem__), dtype=object)
    out: dict[int, list[str]] = {}
    for c, i in row_of.items():
        if c == OUTLIER:
            continue
        row = scores.getrow(i)
        order = np.argsort(-row.data, kind="stable")[:top_n]
        out[c] = [str(words[row.indices[k]]) for k in order if row.data[k] > 0]
    return out


@dataclass
class TopicInfo:
    id: int
    keywords: list[str]
    representative: list[str] = field(default_factory=list)
    size: int = 0

    @property
    def label(self) -> str:
        return " · ".join(self.keywords[:3])

    def ref(self) -> TopicRef:
        return TopicRef(id=self.id, label=self.label, keywords=self.keywords[:10])


class TopicModeler:
    """`fit` on a corpus, `update` with new posts, `assign` for the Enricher (online by default)."""

    # class-level defaults let snapshots pickled by an older version load
    embedding = "tfidf"
    engine = "bertopic"
    outliers_since_fit = 0

    def __init__(
        self,
        min_topic_size: int = 15,
        refit_every: int = 10_000,
        dimensions: int = 100,
        reduce: str = DEFAULT_REDUCE,
        online: bool = True,
        seed: int = 42,
        embedding: str = "tfidf",
        engine: str = DEFAULT_ENGINE,
    ) -> None:
        """reduce: graph (UMAP's method in numpy, the default) | umap (umap-learn) | pca | none.

        embedding: tfidf (Kiwi-aware LSA, the default) | minilm (English only).
        engine: bertopic (the BERTopic class, the default) | native (the same steps, no bertopic import).
        """
        if reduce not in REDUCERS:
            raise ValueError(f"unknown topic reduction {reduce!r}; use one of {', '.join(REDUCERS)}")
        if engine not in ENGINES:
            raise ValueError(f"unknown topic engine {engine!r}; use one of {', '.join(ENGINES)}")
        self.engine = engine
        self.min_topic_size = min_topic_size
        self.refit_every = refit_every
        self.dimensions = dimensions
        self.reduce = reduce
        self.embedding = embedding
        self.online = online
        self.seed = seed
        self.model: Any = None
        self.embedder: Any = None  # TfidfSvd (default) or MiniLM
        self.local_to_global: dict[int, int] = {}
        self.topics: dict[int, TopicInfo] = {}
        self.next_id = 0
        self.memory: list[tuple[str, list[str], int]] = []  # (text, tokens, global id)
        self.since_fit = 0
        self.outliers_since_fit = 0
        self.centres: np.ndarray | None = None  # one row per topic in `centre_ids`, unit length
        self.centre_ids: list[int] = []
        self.min_sim: np.ndarray | None = None

    # -- the Enricher part ---------------------------------------------------------------------------

    def assign(self, texts: Sequence[str], langs: Sequence[str]) -> list[TopicRef | None]:
        """Topic per text; online mode also learns from them (first fit once MIN_DOCS have arrived)."""
        if self.online:
            return self.update(texts, langs)
        return self._refs(self._predict(list(texts), tokenize(texts, langs)))

    # -- fitting -------------------------------------------------------------------------------------

    def fit(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> list[TopicRef | None]:
        """Fit from scratch on `texts` (keeping ids of earlier topics when their posts recur)."""
        tokens = tokenize(texts, langs)
        self.memory = (self.memory + [(t, tok, OUTLIER) for t, tok in zip(texts, tokens, strict=True)])[
            -MEMORY:
        ]
        ids = self._refit()
        return self._refs(self._whole_batch(texts, tokens, ids))

    def update(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> list[TopicRef | None]:
        """Assign new posts with the current model; refit (ids matched) when it is time."""
        if not texts:
            return []
        tokens = tokenize(texts, langs)
        ids = self._predict(list(texts), tokens)
        self.memory = (self.memory + list(zip(texts, tokens, ids, strict=True)))[-MEMORY:]
        self.since_fit += len(texts)
        self.outliers_since_fit += sum(1 for i in ids if i == OUTLIER)
        if self.model is None:
            due = len(self.memory) >= (FIRST_FIT if self.online else MIN_DOCS)
        else:
            novel = self.outliers_since_fit >= REFIT_OUTLIER_SHARE * self.since_fit
            due = self.since_fit >= self.refit_every or (novel and self.since_fit >= self.refit_every // 2)
        if due:
            ids = self._whole_batch(texts, tokens, self._refit())
        return self._refs(ids)

    def _whole_batch(self, texts: Sequence[str], tokens: list[list[str]], refit: list[int]) -> list[int]:
        """One id per post of the batch after a refit, which returns ids for the MEMORY posts kept.

        A batch larger than MEMORY (ingest --batch-size 10001, analyze --topics on a big file) had
        its oldest posts dropped from memory before the fit; they are assigned by the fitted model.
        """
        if not texts:
            return []
        head = len(texts) - len(refit)
        if head <= 0:
            return refit[-len(texts) :]
        return self._predict(list(texts[:head]), tokens[:head]) + refit

    def _predict(self, texts: list[str], tokens: list[list[str]]) -> list[int]:
        if self.embedder is None or self.centres is None or self.min_sim is None or not len(self.centre_ids):
            return [OUTLIER] * len(tokens)
        if isinstance(self.embedder, TfidfSvd):
            vectors = self.embedder.embed_tokens(tokens)
        else:
            vectors = self.embedder.embed(texts)
        sims = vectors @ self.centres.T
        best = sims.argmax(axis=1)
        close = sims[np.arange(len(tokens)), best] >= self.min_sim[best]
        return [self.centre_ids[b] if ok else OUTLIER for b, ok in zip(best, close, strict=True)]

    def _refit(self) -> list[int]:
        """Refit on memory and carry ids over; returns the new global id of every remembered post."""
        texts = [m[0] for m in self.memory]
        tokens = [m[1] for m in self.memory]
        old = [m[2] for m in self.memory]
        if len(texts) < MIN_DOCS:
            return [OUTLIER] * len(texts)
        embedder: Any
        if self.embedding == "minilm":
            from groundswell.nlp.semantic import MiniLM

            embedder = self.embedder if isinstance(self.embedder, MiniLM) else MiniLM()
            embeddings = embedder.embed(texts)
        else:
            embedder = TfidfSvd(self.dimensions)
            embeddings = embedder.fit_tokens(tokens)
        try:
            local, keywords = self._cluster(tokens, embeddings, embedder)
        except (ValueError, TypeError) as exc:  # degenerate corpus (all identical, tiny vocabulary)
            log.warning("topics: fit failed (%s); keeping the previous model", exc)
            return old
        model = FittedTopics(self.reduce if len(texts) >= MIN_REDUCE else "none", len(texts), keywords)
        self.model, self.embedder, self.since_fit, self.outliers_since_fit = model, embedder, 0, 0
        self.local_to_global = self._match(local, old)
        new = [self.local_to_global.get(x, OUTLIER) for x in local]
        self.memory = [(t, tok, g) for (t, tok, _), g in zip(self.memory, new, strict=True)]
        self._describe(model, texts, embeddings, new)
        return new

    def _reducer(self, n: int) -> Any:
        if n < MIN_REDUCE or self.reduce == "none":
            return None  # small corpora: cluster the unit-length vectors directly
        if self.reduce == "umap":  # umap-learn: numba compiles its kernels in every fresh process
            from umap import UMAP

            return UMAP(
                n_neighbors=15,
                n_components=5,
                min_dist=0.0,
                metric="cosine",
                n_epochs=UMAP_EPOCHS,
                random_state=self.seed,
                low_memory=True,
                n_jobs=1,  # a seed makes UMAP single-threaded anyway; say so instead of warning
            )
        if self.reduce == "pca":
            from sklearn.decomposition import PCA

            return PCA(n_components=PCA_DIMENSIONS, random_state=self.seed)
        if self.reduce != "graph":
            raise ValueError(f"unknown topic reduction {self.reduce!r}; use one of {', '.join(REDUCERS)}")
        from groundswell.nlp.topics.reduce import GraphReducer

        return GraphReducer(n_neighbors=15, n_components=5, n_epochs=UMAP_EPOCHS, random_state=self.seed)

    def _cluster(
        self, tokens: list[list[str]], embeddings: np.ndarray, embedder: Any = None
    ) -> tuple[list[int], dict[int, list[str]]]:
        """Reduce, HDBSCAN, topics numbered by size (0 = largest), c-TF-IDF keywords.

        engine "bertopic" runs the `bertopic.BERTopic` class with these parts plugged in (the
        embedding model passed explicitly, precomputed embeddings, our reducer as its `umap_model`);
        "native" runs the same steps without importing bertopic (which imports umap, pynndescent and
        sentence-transformers: ~5 s per process, more on a machine's first run).
        """
        from hdbscan import HDBSCAN

        n = len(tokens)
        size = max(5, min(self.min_topic_size, n // 10))
        reducer = self._reducer(n)
        hdbscan = HDBSCAN(min_cluster_size=size, min_samples=max(3, size // 3))
        if self.engine == "bertopic":
            return _fit_bertopic(tokens, embeddings, embedder, reducer, hdbscan)
        points = reducer.fit_transform(embeddings) if reducer is not None else embeddings
        labels = hdbscan.fit_predict(points)
        counts = Counter(int(x) for x in labels if x != OUTLIER)
        order = {lt: i for i, (lt, _) in enumerate(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))}
        local = [order.get(int(x), OUTLIER) for x in labels]
        return local, ctfidf_keywords(tokens, local)

    def _match(self, local: list[int], old: list[int]) -> dict[int, int]:
        """New local topic -> global id: the old id most of its previously assigned posts had."""
        votes: dict[int, Counter[int]] = {}
        for lt, og in zip(local, old, strict=True):
            if lt != OUTLIER:
                votes.setdefault(lt, Counter())[og] += 1
        claims = []
        for lt, counter in votes.items():
            known = sum(n for g, n in counter.items() if g != OUTLIER)
            best = next(((g, n) for g, n in counter.most_common() if g != OUTLIER), None)
            if best and known and best[1] >= MATCH_SHARE * known:
                claims.append((best[1], lt, best[0]))
        mapping: dict[int, int] = {}
        taken: set[int] = set()
        for _n, lt, g in sorted(claims, reverse=True):  # the biggest overlap keeps the id on a split
            if g not in taken:
                mapping[lt] = g
                taken.add(g)
        for lt in sorted(votes):
            if lt not in mapping:
                mapping[lt] = self.next_id
                self.next_id += 1
        self.next_id = max([self.next_id, *(g + 1 for g in mapping.values())])
        return mapping

    def _describe(
        self, model: FittedTopics, texts: list[str], embeddings: np.ndarray, ids: list[int]
    ) -> None:
        """Keywords (c-TF-IDF), closest posts, and the centre and radius used to assign new posts."""
        centres, centre_ids, min_sim = [], [], []
        for lt, g in self.local_to_global.items():
            words = model.keywords.get(lt, [])[:10]
            members = [i for i, x in enumerate(ids) if x == g]
            if not members:
                continue
            centre = embeddings[members].mean(axis=0)
            centre = centre / max(float(np.linalg.norm(centre)), 1e-9)
            sims = embeddings[members] @ centre
            closest = [members[i] for i in np.argsort(-sims)[:3]]
            self.topics[g] = TopicInfo(g, words, [texts[i][:280] for i in closest], len(members))
            centres.append(centre)
            centre_ids.append(g)
            min_sim.append(max(MIN_SIM_FLOOR, float(np.quantile(sims, 0.1))))
        self.centres = np.vstack(centres) if centres else None
        self.centre_ids = centre_ids
        self.min_sim = np.asarray(min_sim)

    def _refs(self, ids: list[int]) -> list[TopicRef | None]:
        out: list[TopicRef | None] = []
        for g in ids:
            info = self.topics.get(g)
            out.append(info.ref() if info is not None else TopicRef(id=OUTLIER))
        return out

    # -- persistence ---------------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        import joblib

        joblib.dump(self, Path(path))

    @classmethod
    def load(cls, path: str | Path) -> TopicModeler:
        import joblib

        return joblib.load(Path(path))

    def registry(self) -> list[dict[str, Any]]:
        """Topic ids, keywords, representative posts and sizes (for Store.set_state and the dashboard)."""
        return [
            {
                "id": t.id,
                "label": t.label,
                "keywords": t.keywords,
                "representative": t.representative,
                "size": t.size,
            }
            for t in sorted(self.topics.values(), key=lambda t: t.id)
        ]


def _fit_bertopic(
    tokens: list[list[str]], embeddings: np.ndarray, embedder: Any, reducer: Any, hdbscan: Any
) -> tuple[list[int], dict[int, list[str]]]:
    """One BERTopic fit on precomputed embeddings: (topic per post, keywords per topic)."""
    from bertopic import BERTopic
    from bertopic.backend import BaseEmbedder
    from bertopic.dimensionality import BaseDimensionalityReduction
    from sklearn.feature_extraction.text import CountVectorizer

    class ExplicitEmbedder(BaseEmbedder):
        """Our embedder in BERTopic's interface (anything else makes BERTopic load its default)."""

        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
            return self.inner.embed(documents)

    model = BERTopic(
        embedding_model=ExplicitEmbedder(embedder),  # explicit: BERTopic's default is a download
        umap_model=reducer if reducer is not None else BaseDimensionalityReduction(),
        hdbscan_model=hdbscan,
        vectorizer_model=CountVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False),
        top_n_words=10,
        calculate_probabilities=False,
    )
    topics, _ = model.fit_transform([" ".join(t) or "_" for t in tokens], embeddings)
    local = [int(x) for x in topics]
    keywords = {
        lt: [w for w, _ in (model.get_topic(lt) or []) if w][:10]
        for lt in sorted(set(local))
        if lt != OUTLIER
    }
    return local, keywords

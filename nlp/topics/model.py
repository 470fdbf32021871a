"""BERTopic (embed, reduce, HDBSCAN, c-TF-IDF), offline, with topic ids that stay the same.

BERTopic renumbers topics on every fit (users report ids shifting and new topics being missed),
and its default embedding model is a download. Here:

* each language is clustered on its own (Korean and English meaning vectors live in different
  spaces, and a topic never mixes languages anyway);
* the fit is the `bertopic.BERTopic` class (engine "bertopic", the default) with the embedding
  model passed explicitly (`Hybrid` by default: LSA word vectors joined with the meaning vectors
  of `groundswell.nlp.semantic`, see nlp/topics/embed.py) and UMAP's algorithm in
  numpy as its `umap_model` (`GraphReducer`, nlp/topics/reduce.py: no numba compile in a fresh
  process); engine "native" runs the same steps (c-TF-IDF in `ctfidf_keywords`) without importing
  the bertopic package, which imports umap, pynndescent and sentence-transformers (5-22 s);
* new posts between refits are embedded with the frozen embedder and given the topic whose
  centre is closest (cosine), or -1 when no centre is as close as that topic's own members
  usually are: milliseconds for 10k posts, where UMAP's transform takes tens of seconds;
* each time the stream has doubled while the model is young (1k, 2k, 4k, 8k posts), then every
  `refit_every` new posts (or when too many posts are outliers, i.e. something new is being
  talked about), the model is refitted on the recent posts it remembers, and each new
  topic is **matched to the old id whose posts it shares most** (>= half of its previously
  assigned posts); unmatched topics get fresh ids, ids are never reused;
* HDBSCAN's outliers of a fit join the closest topic by the same rule as new posts, so the share
  of posts without a topic does not grow with the meaning vectors;
* labels are keyphrases picked KeyBERT-style (nlp/topics/labels.py) from the topic's own words
  and phrases, never the brand's name, plus the posts closest to the topic's centre.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from groundswell.nlp.heap import settle
from groundswell.nlp.topics.embed import Hybrid, TfidfSvd
from groundswell.nlp.topics.korean_words import within
from groundswell.nlp.topics.labels import LabelMaker
from groundswell.nlp.topics.tokens import space_of, tokenize
from groundswell.records import TopicRef

if TYPE_CHECKING:
    from groundswell.nlp.semantic import Encoder

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
EMBEDDINGS = ("hybrid", "tfidf", "minilm")
DEFAULT_EMBEDDING = "hybrid"
OUTLIER_RULES = ("nearest", "keep")
MAX_TOPIC_SHARE = 0.5  # a fit's topic holding more than this share of posts is HDBSCAN's root, not a theme


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
    phrases: list[str] = field(default_factory=list)  # the readable label, picked by LabelMaker

    @property
    def label(self) -> str:
        return " · ".join((getattr(self, "phrases", None) or self.keywords)[:3])

    def ref(self) -> TopicRef:
        return TopicRef(id=self.id, label=self.label, keywords=self.keywords[:10])


class TopicModeler:
    """`fit` on a corpus, `update` with new posts, `assign` for the Enricher (online by default)."""

    # class-level defaults let snapshots pickled by an older version load
    embedding = "tfidf"
    engine = "bertopic"
    english = "auto"
    outliers = "nearest"
    outliers_since_fit = 0
    fitted_on = MEMORY  # posts the last fit saw; a snapshot from before this was counted refits every 10k

    def __init__(
        self,
        min_topic_size: int = 15,
        refit_every: int = 10_000,
        dimensions: int = 100,
        reduce: str = DEFAULT_REDUCE,
        online: bool = True,
        seed: int = 42,
        embedding: str = DEFAULT_EMBEDDING,
        engine: str = DEFAULT_ENGINE,
        english: str = "auto",
        outliers: str = "nearest",
        brand_names: Iterable[str] = (),
        encoders: Mapping[str, Encoder] | None = None,
    ) -> None:
        """reduce: graph (UMAP's method in numpy, the default) | umap (umap-learn) | pca | none.

        embedding: hybrid (LSA + meaning vectors, the default) | tfidf (LSA only) | minilm (MiniLM only).
        engine: bertopic (the BERTopic class, the default) | native (the same steps, no bertopic import).
        english: the English meaning vectors of `hybrid`, as `nlp.semantic_en` (auto: MiniLM when installed).
        outliers: nearest (a fit's outliers join the closest topic when close enough) | keep.
        brand_names: words never used in labels (the configured brands' names).
        encoders: meaning encoders by space ("en", "ko") instead of the shipped ones (not saved).
        """
        if reduce not in REDUCERS:
            raise ValueError(f"unknown topic reduction {reduce!r}; use one of {', '.join(REDUCERS)}")
        if engine not in ENGINES:
            raise ValueError(f"unknown topic engine {engine!r}; use one of {', '.join(ENGINES)}")
        if embedding not in EMBEDDINGS:
            raise ValueError(f"unknown topic embedding {embedding!r}; use one of {', '.join(EMBEDDINGS)}")
        if outliers not in OUTLIER_RULES:
            raise ValueError(f"unknown outlier rule {outliers!r}; use one of {', '.join(OUTLIER_RULES)}")
        self.engine = engine
        self.min_topic_size = min_topic_size
        self.refit_every = refit_every
        self.dimensions = dimensions
        self.reduce = reduce
        self.embedding = embedding
        self.english = english
        self.outliers = outliers
        self.online = online
        self.seed = seed
        self.labeller = LabelMaker(brand_names)
        self.encoders: dict[str, Encoder] = dict(encoders or {})
        self.model: Any = None
        self.embedders: dict[str, Any] = {}  # per space: Hybrid (default), TfidfSvd or MiniLM
        self.local_to_global: dict[int, int] = {}
        self.topics: dict[int, TopicInfo] = {}
        self.next_id = 0
        self.memory: list[tuple[str, list[str], int, str]] = []  # (text, tokens, global id, space)
        self.since_fit = 0
        self.outliers_since_fit = 0
        self.fitted_on = 0
        self.centres: dict[str, np.ndarray] = {}  # per space: one unit row per topic in `centre_ids`
        self.centre_ids: dict[str, list[int]] = {}
        self.min_sim: dict[str, np.ndarray] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "encoders": {}}  # injected encoders (a bench cache, a test's) stay out

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Snapshots of the one-space model (before languages were clustered apart) refit on load.

        Their remembered posts keep their ids (the refit matches them), their centres are dropped.
        """
        if not isinstance(state.get("centres"), dict):
            state["memory"] = [(m[0], m[1], m[2], space_of(m[0], None)) for m in state.get("memory", [])]
            state.update(model=None, embedders={}, centres={}, centre_ids={}, min_sim={})
            state["embedding"] = DEFAULT_EMBEDDING
            state.pop("embedder", None)
        state.setdefault("labeller", LabelMaker())
        state.setdefault("encoders", {})
        self.__dict__.update(state)

    @property
    def brand_names(self) -> frozenset[str]:
        return self.labeller.brands

    @brand_names.setter
    def brand_names(self, names: Iterable[str]) -> None:
        """Set after loading a snapshot too: the config, not the snapshot, says what the brands are."""
        self.labeller = LabelMaker(names)

    # -- the Enricher part ---------------------------------------------------------------------------

    def assign(self, texts: Sequence[str], langs: Sequence[str]) -> list[TopicRef | None]:
        """Topic per text; online mode also learns from them (first fit once MIN_DOCS have arrived)."""
        if self.online:
            return self.update(texts, langs)
        spaces = [space_of(t, lang) for t, lang in zip(texts, langs, strict=True)]
        return self._refs(self._predict(list(texts), tokenize(texts, langs), spaces))

    # -- fitting -------------------------------------------------------------------------------------

    def fit(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> list[TopicRef | None]:
        """Fit from scratch on `texts` (keeping ids of earlier topics when their posts recur)."""
        tokens = tokenize(texts, langs)
        spaces = _spaces(texts, langs)
        self.memory = (
            self.memory + [(t, tok, OUTLIER, s) for t, tok, s in zip(texts, tokens, spaces, strict=True)]
        )[-MEMORY:]
        ids = self._refit()
        return self._refs(self._whole_batch(texts, tokens, spaces, ids))

    def update(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> list[TopicRef | None]:
        """Assign new posts with the current model; refit (ids matched) when it is time."""
        if not texts:
            return []
        tokens = tokenize(texts, langs)
        spaces = _spaces(texts, langs)
        ids = self._predict(list(texts), tokens, spaces)
        self.memory = (self.memory + list(zip(texts, tokens, ids, spaces, strict=True)))[-MEMORY:]
        self.since_fit += len(texts)
        self.outliers_since_fit += sum(1 for i in ids if i == OUTLIER)
        if self.model is None:
            due = len(self.memory) >= (FIRST_FIT if self.online else MIN_DOCS)
        else:
            # a young model refits each time the stream has doubled (1k, 2k, 4k, 8k posts), then
            # every `refit_every`: a model fitted on the first thousand posts must not name the next
            # ten thousand (the demo's battery storm, days later, was filed under a topic about
            # switching phones and games, fitted before it)
            novel = self.outliers_since_fit >= REFIT_OUTLIER_SHARE * self.since_fit
            due = self.since_fit >= min(self.refit_every, max(self.fitted_on, FIRST_FIT)) or (
                novel and self.since_fit >= self.refit_every // 2
            )
        if due:
            ids = self._whole_batch(texts, tokens, spaces, self._refit())
        return self._refs(ids)

    def _whole_batch(
        self, texts: Sequence[str], tokens: list[list[str]], spaces: list[str], refit: list[int]
    ) -> list[int]:
        """One id per post of the batch after a refit, which returns ids for the MEMORY posts kept.

        A batch larger than MEMORY (ingest --batch-size 10001, analyze --topics on a big file) had
        its oldest posts dropped from memory before the fit; they are assigned by the fitted model.
        """
        if not texts:
            return []
        head = len(texts) - len(refit)
        if head <= 0:
            return refit[-len(texts) :]
        return self._predict(list(texts[:head]), tokens[:head], spaces[:head]) + refit

    def _embed(self, space: str, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
        embedder = self.embedders[space]
        if isinstance(embedder, Hybrid):
            return embedder.transform(texts, tokens)
        if isinstance(embedder, TfidfSvd):
            return embedder.embed_tokens(tokens)
        return np.asarray(embedder.embed(texts))

    def _predict(self, texts: list[str], tokens: list[list[str]], spaces: list[str]) -> list[int]:
        out = [OUTLIER] * len(texts)
        for space in dict.fromkeys(spaces):
            centres = self.centres.get(space)
            if centres is None or space not in self.embedders:
                continue
            rows = [i for i, s in enumerate(spaces) if s == space]
            vectors = self._embed(space, [texts[i] for i in rows], [tokens[i] for i in rows])
            ids = _nearest(vectors, centres, self.min_sim[space])
            for i, k in zip(rows, ids, strict=True):
                if k != OUTLIER:
                    out[i] = self.centre_ids[space][k]
        return out

    def _new_embedder(self, space: str) -> Any:
        if self.embedding == "tfidf":
            return TfidfSvd(self.dimensions)
        if self.embedding == "minilm":
            old = self.embedders.get(space)
            if old is not None and not isinstance(old, (Hybrid, TfidfSvd)):
                return old
            from groundswell.nlp.semantic import MiniLM

            return MiniLM()
        old_hybrid = self.embedders.get(space)
        embedder = Hybrid(space, self.dimensions, english=self.english, encoder=self.encoders.get(space))
        # the old vectors are reused only if they are in the same space: a deployment that changed
        # `nlp.semantic_en` (or a snapshot from before `auto` meant ONNX) refits with the new encoder
        if isinstance(old_hybrid, Hybrid) and old_hybrid.english == embedder.english:
            embedder.cache, embedder._encoder = old_hybrid.cache, old_hybrid._encoder or embedder._encoder
            if old_hybrid.concept_names == embedder.concept_names:  # rows of the same columns
                embedder.concept_cache = old_hybrid.concept_cache
        return embedder

    def _refit(self) -> list[int]:
        """Refit on memory and carry ids over; returns the new global id of every remembered post.

        Each language (space) is embedded and clustered on its own; local topic numbers are made
        unique across spaces before the ids are matched.
        """
        texts = [m[0] for m in self.memory]
        tokens = [m[1] for m in self.memory]
        old = [m[2] for m in self.memory]
        spaces = [m[3] for m in self.memory]
        local = [OUTLIER] * len(texts)
        keywords: dict[int, list[str]] = {}
        fitted: dict[str, tuple[list[int], np.ndarray, Any]] = {}
        for space in sorted(set(spaces)):
            rows = [i for i, s in enumerate(spaces) if s == space]
            if len(rows) < MIN_DOCS:
                continue
            embedder = self._new_embedder(space)
            part_texts, part_tokens = [texts[i] for i in rows], [tokens[i] for i in rows]
            if isinstance(embedder, Hybrid):
                embeddings = embedder.fit(part_texts, part_tokens)
            elif isinstance(embedder, TfidfSvd):
                embeddings = embedder.fit_tokens(part_tokens)
            else:
                embeddings = np.asarray(embedder.embed(part_texts))
            try:
                labels, words = self._cluster(part_tokens, embeddings, embedder, len(texts))
            except (ValueError, TypeError) as exc:  # degenerate corpus (all identical, tiny vocabulary)
                log.warning("topics: %s fit failed (%s); its posts have no topic until the next", space, exc)
                continue
            if self.outliers == "nearest":
                labels = _absorb_outliers(labels, embeddings)
            offset = max((x for x in local if x != OUTLIER), default=-1) + 1
            for i, lt in zip(rows, labels, strict=True):
                if lt != OUTLIER:
                    local[i] = lt + offset
            keywords.update({lt + offset: w for lt, w in words.items()})
            fitted[space] = (rows, embeddings, embedder)
        if not fitted and any(len([s for s in spaces if s == x]) >= MIN_DOCS for x in set(spaces)):
            return old  # every fit failed: keep the previous model
        if not fitted:
            return [OUTLIER] * len(texts)
        reduce = self.reduce if max(len(r) for r, _, _ in fitted.values()) >= MIN_REDUCE else "none"
        model = FittedTopics(reduce, len(texts), keywords)
        self.model, self.since_fit, self.outliers_since_fit = model, 0, 0
        self.fitted_on = len(texts)
        self.embedders = {space: embedder for space, (_, _, embedder) in fitted.items()}
        self.local_to_global = self._match(local, old)
        new = [self.local_to_global.get(x, OUTLIER) for x in local]
        self.memory = [(t, tok, g, s) for (t, tok, _, s), g in zip(self.memory, new, strict=True)]
        self.centres, self.centre_ids, self.min_sim = {}, {}, {}
        for space, (rows, embeddings, embedder) in fitted.items():
            self._describe(
                space, model, [texts[i] for i in rows], [tokens[i] for i in rows], embeddings,
                [new[i] for i in rows], embedder,
            )  # fmt: skip
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
        self, tokens: list[list[str]], embeddings: np.ndarray, embedder: Any = None, corpus: int = 0
    ) -> tuple[list[int], dict[int, list[str]]]:
        """Reduce, HDBSCAN, topics numbered by size (0 = largest), c-TF-IDF keywords (one space's posts).

        engine "bertopic" runs the `bertopic.BERTopic` class with these parts plugged in (the
        embedding model passed explicitly, precomputed embeddings, our reducer as its `umap_model`);
        "native" runs the same steps without importing bertopic (which imports umap, pynndescent and
        sentence-transformers: ~5 s per process, more on a machine's first run).
        """
        n = len(tokens)
        # the smallest topic follows the whole corpus: a language with few posts is not split finer
        size = max(5, min(self.min_topic_size, max(n, corpus) // 10))
        reducer = self._reducer(n)
        hdbscan = NoGiantHDBSCAN(min_cluster_size=size, min_samples=max(3, size // 3))
        if self.engine == "bertopic":
            local, keywords = _fit_bertopic(tokens, embeddings, embedder, reducer, hdbscan)
            settle("topics")  # bertopic's imports (torch, transformers) stay: keep the collector off them
            if keywords:
                return local, keywords
            reducer = None  # no topic at all: one theme, below
        points = reducer.fit_transform(embeddings) if reducer is not None else embeddings
        labels = hdbscan.fit_predict(points)
        if not (labels != OUTLIER).any():
            # one language's posts may all be one theme (a few Korean posts about one thing), and
            # HDBSCAN never returns a single cluster unless asked (asking always measured worse)
            labels = np.zeros(n, dtype=int)
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
        self,
        space: str,
        model: FittedTopics,
        texts: list[str],
        tokens: list[list[str]],
        embeddings: np.ndarray,
        ids: list[int],
        embedder: Any,
    ) -> None:
        """Per topic of one space: keywords, label phrases, closest posts, centre and radius."""
        to_local = {g: lt for lt, g in self.local_to_global.items()}
        centres, centre_ids, min_sim = [], [], []
        for g in sorted(set(ids) - {OUTLIER}):
            members = [i for i, x in enumerate(ids) if x == g]
            centre = _unit(embeddings[members].mean(axis=0))
            sims = embeddings[members] @ centre
            closest = [members[i] for i in np.argsort(-sims)[:3]]
            words = [w for w in model.keywords.get(to_local.get(g, OUTLIER), []) if self.labeller.allowed(w)]
            self.topics[g] = TopicInfo(g, words[:10], [texts[i][:280] for i in closest], len(members))
            centres.append(centre)
            centre_ids.append(g)
            min_sim.append(_radius(sims))
        if not centres:
            return
        self.centres[space] = np.vstack(centres)
        self.centre_ids[space] = centre_ids
        self.min_sim[space] = np.asarray(min_sim)
        said: dict[int, set[str]] = {}
        phrases = self.labeller.label(
            tokens,
            ids,
            dict(zip(centre_ids, centres, strict=True)),
            lambda p: _embed_phrases(embedder, p),
            texts=texts,
            said=said,
        )
        for g, labels in phrases.items():
            info = self.topics[g]
            info.phrases = labels
            # c-TF-IDF's words, less those the topic's posts say only in template sentences and the
            # pieces of a label's whole Korean word (에스나 beside 에스나인)
            words = [
                w
                for w in info.keywords
                if not any(within(w, label) for label in labels) and (g not in said or w in said[g])
            ]
            info.keywords = (labels + words)[:10]

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


def _spaces(texts: Sequence[str], langs: Sequence[str | None] | None) -> list[str]:
    langs = list(langs) if langs is not None else [None] * len(texts)
    return [space_of(t, lang) for t, lang in zip(texts, langs, strict=True)]


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


def _nearest(vectors: np.ndarray, centres: np.ndarray, min_sim: np.ndarray) -> list[int]:
    """Row of the closest centre per vector, or OUTLIER when it is less similar than that topic's radius."""
    if not len(vectors):
        return []
    sims = vectors @ centres.T
    best = sims.argmax(axis=1)
    close = sims[np.arange(len(vectors)), best] >= min_sim[best]
    return [int(b) if ok else OUTLIER for b, ok in zip(best, close, strict=True)]


def _radius(sims: np.ndarray) -> float:
    """How close a topic's members usually are to its centre: what a newcomer must match."""
    return max(MIN_SIM_FLOOR, float(np.quantile(sims, 0.1)))


def _absorb_outliers(labels: Sequence[int], embeddings: np.ndarray) -> list[int]:
    """HDBSCAN's outliers join the closest topic when as close as that topic's members usually are.

    The same rule `_predict` applies to new posts, so a post gets the same topic whether it came
    in the fit or after it; HDBSCAN on meaning vectors leaves more posts out than on words.
    """
    labels = [int(x) for x in labels]
    topics = sorted(set(labels) - {OUTLIER})
    if not topics or OUTLIER not in labels:
        return labels
    centres, radius = [], []
    for t in topics:
        rows = embeddings[[i for i, x in enumerate(labels) if x == t]]
        centre = _unit(rows.mean(axis=0))
        centres.append(centre)
        radius.append(_radius(rows @ centre))
    out_rows = [i for i, x in enumerate(labels) if x == OUTLIER]
    nearest = _nearest(embeddings[out_rows], np.vstack(centres), np.asarray(radius))
    for i, k in zip(out_rows, nearest, strict=True):
        if k != OUTLIER:
            labels[i] = topics[k]
    return labels


def _embed_phrases(embedder: Any, phrases: list[str]) -> np.ndarray:
    """Label candidates in the space of the topic centres (the embedder of the fit)."""
    if isinstance(embedder, Hybrid):
        return embedder.transform(phrases, [p.split(" ") for p in phrases])
    if isinstance(embedder, TfidfSvd):
        return embedder.embed_tokens([p.split(" ") for p in phrases])
    return np.asarray(embedder.embed(phrases))


class NoGiantHDBSCAN:
    """HDBSCAN (excess of mass) that never returns one topic holding most of the posts.

    Excess-of-mass selection sometimes keeps a cluster near the root of HDBSCAN's tree, so one
    "topic" takes 97% of the posts (seen on Korean comments with the meaning vectors: NMI 0 against
    the categories, BENCHMARKS.md "Topics by meaning"). When the largest topic holds more than
    MAX_TOPIC_SHARE of them, the fit is redone with leaf selection: the themes inside it.
    Fits BERTopic's `hdbscan_model` interface (`fit`, `labels_`).
    """

    def __init__(self, min_cluster_size: int, min_samples: int) -> None:
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples
        self.labels_: np.ndarray = np.zeros(0, dtype=int)
        self.method = "eom"

    def fit(self, points: np.ndarray, y: Any = None) -> NoGiantHDBSCAN:
        from hdbscan import HDBSCAN

        clusterer = HDBSCAN(min_cluster_size=self.min_cluster_size, min_samples=self.min_samples)
        labels = clusterer.fit_predict(points)
        counts = np.bincount(labels[labels != OUTLIER]) if (labels != OUTLIER).any() else np.zeros(1)
        self.method = "eom"
        if counts.max() > MAX_TOPIC_SHARE * len(labels):
            clusterer.cluster_selection_method = "leaf"  # the same points and tree, its leaves
            leaves = clusterer.fit_predict(points)
            if len(set(leaves.tolist()) - {OUTLIER}) > 1:
                labels, self.method = leaves, "leaf"
        self.labels_ = labels
        return self

    def fit_predict(self, points: np.ndarray, y: Any = None) -> np.ndarray:
        return self.fit(points).labels_


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

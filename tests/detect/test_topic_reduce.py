"""The numba-free UMAP stand-in: same clusters as the data's, deterministic, no heavy imports."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from groundswell.nlp.topics.reduce import GraphReducer, fuzzy_graph, knn


def blobs(n_per: int = 150, centres: int = 4, dims: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    middle = rng.normal(size=(centres, dims)) * 3
    x = np.vstack([c + rng.normal(size=(n_per, dims)) for c in middle])
    return x / np.linalg.norm(x, axis=1, keepdims=True), np.repeat(np.arange(centres), n_per)


def test_knn_is_exact_and_excludes_self() -> None:
    x, _ = blobs(30, 3)
    idx, dist = knn(x.astype(np.float32), 5, block=7)
    sims = x @ x.T
    np.fill_diagonal(sims, -np.inf)
    expected = np.argsort(-sims, axis=1)[:, :5]
    assert (idx != np.arange(len(x))[:, None]).all()
    assert np.allclose(dist, 1 - np.take_along_axis(sims, expected, axis=1), atol=1e-5)
    assert (np.diff(dist, axis=1) >= -1e-6).all()


def test_fuzzy_graph_is_symmetric_with_memberships_in_unit_interval() -> None:
    x, _ = blobs(40, 3)
    graph = fuzzy_graph(*knn(x.astype(np.float32), 10))
    assert abs(graph - graph.T).max() < 1e-9
    assert graph.data.min() > 0 and graph.data.max() <= 1 + 1e-9


def test_layout_separates_the_clusters_and_is_deterministic() -> None:
    hdbscan = pytest.importorskip("hdbscan")
    from sklearn.metrics import adjusted_rand_score

    x, labels = blobs()
    first = GraphReducer(n_epochs=60, random_state=3).fit_transform(x)
    again = GraphReducer(n_epochs=60, random_state=3).fit_transform(x)
    assert first.shape == (len(x), 5) and np.isfinite(first).all()
    assert np.array_equal(first, again)
    found = hdbscan.HDBSCAN(min_cluster_size=15).fit_predict(first)
    assert adjusted_rand_score(labels, found) > 0.9


def test_transform_returns_the_fitted_layout_and_places_new_rows_near_their_neighbours() -> None:
    x, labels = blobs(60, 2)
    reducer = GraphReducer(n_epochs=40).fit(x)
    assert np.array_equal(reducer.transform(x), reducer.embedding_)
    new = reducer.transform(x[:3] + 1e-3)
    same_cluster = reducer.embedding_[labels == labels[0]].mean(axis=0)
    other = reducer.embedding_[labels != labels[0]].mean(axis=0)
    assert all(np.linalg.norm(p - same_cluster) < np.linalg.norm(p - other) for p in new)


def test_unknown_reducer_is_refused() -> None:
    from groundswell.nlp.topics import TopicModeler

    with pytest.raises(ValueError, match="unknown topic reduction"):
        TopicModeler(reduce="svd")


def test_native_engine_does_not_import_numba_umap_or_torch() -> None:
    """engine="native" must not pay umap-learn/pynndescent's numba compile or torch's import."""
    pytest.importorskip("hdbscan")
    code = (
        "import sys, random\n"
        "from groundswell.nlp.topics import TopicModeler\n"
        "rng = random.Random(0)\n"
        "words = [f'w{i}' for i in range(60)]\n"
        "texts = [' '.join(rng.sample(words[(i % 3) * 20 : (i % 3) * 20 + 20], 6)) for i in range(300)]\n"
        # static English meaning vectors: MiniLM (english='auto' when installed) is torch by design
        "TopicModeler(online=False, engine='native', english='static').fit(texts, ['en'] * len(texts))\n"
        "heavy = {'numba', 'umap', 'pynndescent', 'bertopic', 'torch', 'sentence_transformers'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ctfidf_ranks_a_topics_own_words_above_words_every_topic_uses() -> None:
    from groundswell.nlp.topics.model import ctfidf_keywords

    tokens = [["battery", "hot", "phone"]] * 5 + [["delivery", "late", "phone"]] * 5 + [["phone", "misc"]] * 2
    labels = [0] * 5 + [1] * 5 + [-1] * 2
    words = ctfidf_keywords(tokens, labels, top_n=3)
    assert set(words) == {0, 1}  # outliers get no keywords
    assert set(words[0][:2]) == {"battery", "hot"} and words[0][-1] == "phone"
    assert set(words[1][:2]) == {"delivery", "late"}


def test_a_snapshot_from_an_older_version_loads_with_todays_reducer(tmp_path) -> None:
    from groundswell.indexer.sqlite import SQLiteStore
    from groundswell.nlp.topics import TopicModeler
    from groundswell.nlp.topics.model import DEFAULT_REDUCE, FittedTopics
    from groundswell.pipeline.topic_state import load_modeler, model_path

    store = SQLiteStore(tmp_path / "t.db")
    try:
        old = TopicModeler(reduce="umap")
        old.model = {"a": "BERTopic object"}  # what an older version pickled
        old.save(model_path(store))
        loaded = load_modeler(store)
        assert loaded.reduce == DEFAULT_REDUCE
        assert isinstance(loaded.model, FittedTopics)
    finally:
        store.close()


def test_bertopic_engine_and_native_engine_find_the_same_topics() -> None:
    """The default engine runs the BERTopic class; the native one the same steps without it."""
    pytest.importorskip("bertopic")
    import random

    from sklearn.metrics import adjusted_rand_score

    from groundswell.nlp.topics import TopicModeler

    rng = random.Random(0)
    vocab = [[f"{theme}{i}" for i in range(20)] for theme in ("battery", "delivery", "refund")]
    texts = [" ".join(rng.sample(vocab[i % 3], 6)) for i in range(300)]
    refs = {}
    for engine in ("bertopic", "native"):
        model = TopicModeler(online=False, engine=engine)
        refs[engine] = [r.id if r else -1 for r in model.fit(texts, ["en"] * len(texts))]
        assert len({i for i in refs[engine] if i != -1}) == 3
    assert adjusted_rand_score(refs["bertopic"], refs["native"]) > 0.95


def test_unknown_engine_is_refused() -> None:
    from groundswell.nlp.topics import TopicModeler

    with pytest.raises(ValueError, match="unknown topic engine"):
        TopicModeler(engine="lda")

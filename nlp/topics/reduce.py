"""UMAP's reduction in plain numpy/scipy: no numba, so nothing is compiled in a fresh process.

`umap-learn` compiles its kernels (and pynndescent's) with numba on first use: 20-45 s in every
fresh process on 2 cores (its functions are not cached), longer than the rest of a 14-day
backtest. `GraphReducer` does the same three steps for the corpus sizes the topic model sees
(<= 10k posts, `MEMORY`):

1. exact cosine k-nearest neighbours (blocked matrix products; 10k x 10k is about a second);
2. UMAP's fuzzy graph: per post, the distance to its nearest neighbour and a bandwidth found by
   bisection so that the membership strengths sum to log2(k); symmetrised by fuzzy union;
3. a spectral start (eigenvectors of the normalised graph) then UMAP's attract/repel
   optimisation (curve a, b for min_dist 0), with all edges of an epoch applied at once
   (vectorised, as GPU implementations do) instead of one at a time.

HDBSCAN then clusters the result as it would UMAP's. Quality is measured against umap-learn in
`bench/eval_topics.py` (BENCHMARKS.md, "Detection").
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import eigsh

# UMAP's curve 1 / (1 + a d^(2b)) for spread 1, min_dist 0 (umap.umap_.find_ab_params(1.0, 0.0))
CURVE_A = 1.8956
CURVE_B = 0.8006
BATCHES = 16  # steps per epoch: 1 (all edges at once) leaves loose clusters; 16 matches umap-learn


def knn(x: np.ndarray, k: int, block: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Indices and cosine distances of each row's k nearest other rows (rows are unit length)."""
    n = len(x)
    k = min(k, n - 1)
    idx = np.empty((n, k), dtype=np.int64)
    dist = np.empty((n, k), dtype=np.float32)
    for start in range(0, n, block):
        sims = x[start : start + block] @ x.T
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = -np.inf  # not its own neighbour
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(sims, part, axis=1)
        order = np.argsort(-top, axis=1)
        idx[start : start + block] = np.take_along_axis(part, order, axis=1)
        dist[start : start + block] = np.maximum(0.0, 1.0 - np.take_along_axis(top, order, axis=1))
    return idx, dist


def fuzzy_graph(idx: np.ndarray, dist: np.ndarray) -> sparse.csr_matrix:
    """UMAP's fuzzy simplicial set: exp(-(d - rho) / sigma), sigma by bisection, fuzzy union."""
    n, k = dist.shape
    target = np.log2(k)
    rho = dist[:, 0]
    excess = np.maximum(dist - rho[:, None], 0.0)
    lo, hi = np.zeros(n), np.full(n, np.inf)
    sigma = np.ones(n)
    for _ in range(64):
        total = np.exp(-excess / sigma[:, None]).sum(axis=1)
        high = total > target
        hi = np.where(high, sigma, hi)
        lo = np.where(high, lo, sigma)
        sigma = np.where(np.isinf(hi), sigma * 2, (lo + hi) / 2)
    mean = excess.mean()
    sigma = np.maximum(sigma, 1e-3 * (mean if mean > 0 else 1.0))
    weights = np.exp(-excess / sigma[:, None]).ravel()
    graph = sparse.csr_matrix((weights, (np.repeat(np.arange(n), k), idx.ravel())), shape=(n, n))
    transpose = graph.T.tocsr()
    product = graph.multiply(transpose)
    return (graph + transpose - product).tocsr()


def spectral_start(graph: sparse.csr_matrix, dim: int, rng: np.random.Generator) -> np.ndarray:
    """Leading non-trivial eigenvectors of D^-1/2 W D^-1/2 (random for tiny or stubborn graphs)."""
    n = graph.shape[0]
    components, _ = connected_components(graph, directed=False)
    if n <= dim + 2 or components > 2 * dim:
        return rng.uniform(-10, 10, size=(n, dim))
    degree = np.asarray(graph.sum(axis=1)).ravel()
    scale = sparse.diags(1.0 / np.sqrt(np.maximum(degree, 1e-12)))
    normalised = scale @ graph @ scale
    try:
        _, vectors = eigsh(normalised, k=dim + 1, which="LA", tol=1e-4, maxiter=n * 5, v0=np.ones(n))
    except Exception:  # no convergence: UMAP falls back to a random start too
        return rng.uniform(-10, 10, size=(n, dim))
    coords = vectors[:, :-1][:, ::-1]  # drop the trivial top eigenvector
    coords = coords / max(float(np.abs(coords).max()), 1e-12) * 10
    return coords + rng.normal(scale=1e-4, size=coords.shape)


def optimise(
    graph: sparse.csr_matrix,
    coords: np.ndarray,
    epochs: int,
    rng: np.random.Generator,
    negatives: int = 5,
    batches: int = BATCHES,
) -> np.ndarray:
    """UMAP's cross-entropy layout; each epoch's sampled edges are applied in `batches` vectorised steps."""
    coo = graph.tocoo()
    keep = coo.data >= coo.data.max() / max(epochs, 1)
    head, tail, weight = coo.row[keep], coo.col[keep], coo.data[keep]
    prob = weight / weight.max()  # an edge is sampled in proportion to its weight, as in UMAP
    y = coords.astype(np.float32).copy()
    n, dim = y.shape
    a, b = CURVE_A, CURVE_B
    offsets = np.arange(dim)
    for epoch in range(epochs):
        alpha = 1.0 - epoch / epochs
        chosen = np.flatnonzero(rng.random(len(prob)) < prob)
        rng.shuffle(chosen)
        for part in np.array_split(chosen, batches):
            h, t = head[part], tail[part]
            hn = np.repeat(h, negatives)
            tn = rng.integers(0, n, size=len(hn))
            diff = y[h] - y[t]
            d2 = np.maximum((diff * diff).sum(axis=1), 1e-12)
            pull = np.clip(((-2.0 * a * b) * d2 ** (b - 1.0) / (a * d2**b + 1.0))[:, None] * diff, -4, 4)
            diff_n = y[hn] - y[tn]
            d2 = (diff_n * diff_n).sum(axis=1)
            push_coeff = np.where(
                d2 > 0, (2.0 * b) / ((0.001 + d2) * (a * np.maximum(d2, 1e-12) ** b + 1.0)), 0.0
            )
            push = np.clip(push_coeff[:, None] * diff_n, -4, 4)
            rows = np.concatenate([h, t, hn])
            grads = np.concatenate([pull, -pull, push]) * alpha
            flat = (rows[:, None] * dim + offsets).ravel()
            y += (
                np.bincount(flat, weights=grads.ravel(), minlength=n * dim).reshape(n, dim).astype(np.float32)
            )
    return y


def _unit_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


class GraphReducer:
    """A numba-free stand-in for `umap.UMAP(metric="cosine", min_dist=0)` inside BERTopic."""

    def __init__(
        self, n_neighbors: int = 15, n_components: int = 5, n_epochs: int = 100, random_state: int = 42
    ) -> None:
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.n_epochs = n_epochs
        self.random_state = random_state
        self.embedding_: np.ndarray | None = None
        self._fitted_on: np.ndarray | None = None

    def fit(self, x: np.ndarray, y: np.ndarray | None = None) -> GraphReducer:
        x = _unit_rows(x)
        rng = np.random.default_rng(self.random_state)
        idx, dist = knn(x, self.n_neighbors)
        graph = fuzzy_graph(idx, dist)
        coords = spectral_start(graph, self.n_components, rng)
        self.embedding_ = optimise(graph, coords, self.n_epochs, rng)
        self._fitted_on = x
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        """The fitted layout for the fitted rows; other rows sit at their neighbours' mean."""
        if self.embedding_ is None or self._fitted_on is None:
            raise RuntimeError("GraphReducer is not fitted")
        x = _unit_rows(x)
        if x.shape == self._fitted_on.shape and np.allclose(x, self._fitted_on, atol=1e-5):
            return self.embedding_
        sims = x @ self._fitted_on.T
        k = min(self.n_neighbors, sims.shape[1])
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        return self.embedding_[part].mean(axis=1)

    def fit_transform(self, x: np.ndarray, y: np.ndarray | None = None) -> np.ndarray:
        self.fit(x, y)
        assert self.embedding_ is not None
        return self.embedding_

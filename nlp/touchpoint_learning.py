"""Touchpoints learned from the deployment's own complaints, with the config's keywords as teacher.

A touchpoint's examples and keywords are a handful of texts; the stream holds hundreds of
complaints that name one touchpoint's keyword outright ("my refund never came" -> billing). Those
posts are remembered with that touchpoint as their label, beside the config's own texts, and a
linear classifier over meaning vectors learns from them what each touchpoint's complaints read
like — wording no keyword lists ("charged me twice", "headphones won't turn on"). It then picks the
touchpoint of every complaint the meaning gate lets through, and of those it is sure of. A keyword
is a noisy label (~74% right on the complaint-reason bench), which a discriminative model with many
of them averages out: bench.eval_touchpoints --gold reasons, static vectors, first-touchpoint
macro-F1 dev 0.469 -> 0.526, test 0.468 -> 0.519.

The memory is kept per meaning space, bounded to the latest `MEMORY` labelled posts. It lives as
long as the tagger (a `run` loop, an `analyze` invocation); a deployment with a store keeps it in
a file beside the store between runs (groundswell.pipeline.touchpoint_state), so a cron `ingest`
learns as a long-running one does.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from groundswell.nlp.concepts import ConceptSet, concept_rows
from groundswell.nlp.semantic import unit_rows

MEMORY = 3000  # labelled complaints kept per space (the latest ones)
MIN_SEEDS = 20  # fewer than this, and the prototypes decide alone
C = 1.0  # chosen on the dev half of the complaint-reason bench (0.3 / 1 / 3 / 10)
# The L2 penalty pulls each touchpoint's weights towards this times its config direction, not to
# zero (`StreamLearner.prior`). Dev, first-touchpoint macro-F1, static vectors, reasons: 0 -> 0.526,
# 1 -> 0.534, 2 -> 0.537, 3 -> 0.549, 5 -> 0.544, 10 -> 0.523 (it tags nearly everything), 30 -> 0.478.
PRIOR_WEIGHT = 3.0
# A complaint below the meaning gate is on topic when the classifier is sure enough of one
# touchpoint: this share of the way from chance (1/k for k touchpoints) to certainty, so 0.25 for
# the 9 of the bench, 0.26 for 8, 0.58 for 2. Dev, 9 touchpoints, static vectors, complaints with
# no reason counted as false tags: a bar of 0.3 / 0.25 / 0.2 tags 67% / 72% / 83% of those with one
# (65% without) and 33% / 39% / 51% of those with none (33%); macro-F1 0.490 -> 0.497 / 0.508 / 0.515.
CONFIDENT = (0.25 - 1 / 9) / (1 - 1 / 9)
# The classifier also reads the complaint concepts a text names (nlp.concepts), x this, beside its
# meaning vector: "my suitcase never came" and a touchpoint whose keywords say "luggage" share the
# concept baggage, which the static vectors only half see. Dev, first-touchpoint macro-F1,
# reasons, static vectors: 0 -> 0.549, 0.15 -> 0.545, 0.2 -> 0.570, 0.25 -> 0.572, 0.3 -> 0.580,
# 0.4 -> 0.592, 0.5 -> 0.573, 1.0 -> 0.543 (brand domains 0.401 -> 0.393 at 0.3: concepts are
# kinds of failure, not industries). BENCHMARKS.md, "Touchpoints read the concepts a complaint names".
CONCEPT_WEIGHT = 0.3


def with_concepts(vectors: np.ndarray, texts: list[str], concepts: ConceptSet | None = None) -> np.ndarray:
    """The learner's input: each text's meaning vector, then its concept row x CONCEPT_WEIGHT (read
    by the deployment's `concepts`, its own words included; shipped columns only)."""
    return np.hstack([vectors.astype(np.float32), CONCEPT_WEIGHT * concept_rows(texts, concepts=concepts)])


def sure_enough(probabilities: np.ndarray) -> bool:
    """Whether the likeliest touchpoint clears CONFIDENT over chance among those the classifier knows."""
    known = int((probabilities > 0).sum())
    chance = 1.0 / max(known, 1)
    return bool(probabilities.max() >= chance + (1.0 - chance) * CONFIDENT)


class StreamLearner:
    """Keyword-labelled complaints of one meaning space, and the classifier fitted on them."""

    def __init__(self, n: int, config: np.ndarray, owners: np.ndarray, memory: int = MEMORY) -> None:
        self.n, self.memory = n, memory
        self.config, self.owners = config.astype(np.float32), owners.astype(np.int64)
        # the weights the classifier starts from and is pulled back to (`fit_softmax`'s prior): each
        # touchpoint's direction in the config's own texts, so noisy keyword labels refine what the
        # config says instead of replacing it
        self.prior = PRIOR_WEIGHT * config_centroids(self.config, self.owners, n)
        self.vectors = np.zeros((0, config.shape[1]), dtype=np.float32)
        self.labels = np.zeros(0, dtype=np.int64)

    def remember(self, vectors: np.ndarray, labels: np.ndarray) -> None:
        """Add labelled complaints, forgetting the oldest beyond `memory`."""
        if len(labels):
            self.vectors = np.vstack([self.vectors, vectors.astype(np.float32)])[-self.memory :]
            self.labels = np.concatenate([self.labels, labels.astype(np.int64)])[-self.memory :]

    def probabilities(self, vectors: np.ndarray) -> np.ndarray | None:
        """P(touchpoint | meaning) per row (0 for a touchpoint nothing taught), or None while the
        memory is too small to learn from."""
        if len(self.labels) < MIN_SEEDS:
            return None
        x = np.vstack([self.vectors, self.config])
        y = np.concatenate([self.labels, self.owners])
        classes = np.unique(y)
        if len(classes) < 2:
            return None
        ids = np.searchsorted(classes, y)
        # "balanced" classes: each weighs as much in total as every other
        weights = (len(y) / (len(classes) * np.bincount(ids)))[ids]
        coef, intercept = fit_softmax(x, ids, len(classes), C, weights, self.prior[classes].T)
        logits = vectors.astype(np.float32) @ coef + intercept
        out = np.zeros((len(vectors), self.n), dtype=np.float32)
        out[:, classes] = _softmax(logits)
        return out


def config_centroids(matrix: np.ndarray, owners: np.ndarray, n: int) -> np.ndarray:
    """Each touchpoint's unit mean of its config texts' vectors (rows by touchpoint id; zeros for a
    touchpoint with none in this space): the prototypes' centroids and the learner's prior."""
    centroids = np.zeros((n, matrix.shape[1]), dtype=np.float32)
    for c in np.unique(owners):
        centroids[c] = matrix[owners == c].mean(axis=0)
    return unit_rows(centroids)


def memory_state(
    memories: dict[str, tuple[np.ndarray, np.ndarray]], names: list[str]
) -> dict[str, dict[str, np.ndarray]]:
    """(vectors, label ids) per space as kept on disk: labels by touchpoint name (a reordered
    taxonomy still reads them), vectors as float16."""
    return {
        space: {"vectors": vectors.astype(np.float16), "labels": np.array([names[i] for i in labels])}
        for space, (vectors, labels) in memories.items()
        if len(labels)
    }


def restore_memory(
    state: dict[str, dict[str, np.ndarray]], names: list[str]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Remembered (vectors, label ids) per space for today's taxonomy: a touchpoint that is gone
    takes its complaints with it."""
    index = {name: i for i, name in enumerate(names)}
    out = {}
    for space, saved in state.items():
        keep = np.array([str(n) in index for n in saved["labels"]], dtype=bool)
        if keep.any():
            labels = np.array([index[str(n)] for n in saved["labels"][keep]], dtype=np.int64)
            out[space] = (saved["vectors"][keep].astype(np.float32), labels)
    return out


def fit_softmax(
    x: np.ndarray, y: np.ndarray, k: int, c: float, weights: np.ndarray, prior: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression, L2 on the weights' distance from `prior` (zero when None;
    not on the intercepts), by L-BFGS: with no prior, the objective of scikit-learn's
    LogisticRegression(C=c, class_weight="balanced"), without its ~1 s import on every `analyze`
    and `ingest`."""
    n, d = x.shape
    x64 = x.astype(np.float64)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        coef, intercept = theta[: d * k].reshape(d, k), theta[d * k :]
        logits = x64 @ coef + intercept
        logits -= logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits).sum(axis=1))
        off = coef if prior is None else coef - prior
        value = c * float(weights @ (log_norm - (logits * onehot).sum(axis=1))) + 0.5 * float((off**2).sum())
        residual = c * weights[:, None] * (np.exp(logits - log_norm[:, None]) - onehot)
        grad = np.concatenate([(x64.T @ residual + off).ravel(), residual.sum(axis=0)])
        return value, grad

    start = np.zeros(d * k + k) if prior is None else np.concatenate([prior.ravel(), np.zeros(k)])
    found = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return found.x[: d * k].reshape(d, k).astype(np.float32), found.x[d * k :].astype(np.float32)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)

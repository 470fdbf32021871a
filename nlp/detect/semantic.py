"""Detection by meaning: complaints that say one thing in different words count together.

A burst of "lost luggage" complaints shares no single word ("bag", "suitcase", "my stuff never
arrived"), so term keys see a few posts each and fire late. Here every complaint in the test
window is a seed: its *neighbours* are the window's complaints closer to it (cosine of meaning
vectors, `groundswell.nlp.semantic`) than `NEIGHBOUR_QUANTILE` of random pairs of the brand's
past complaints. The number of distinct authors among them is tested with the same
gamma-Poisson tail as a term key, against the share of the brand's past complaints that were
that close to the seed (a reservoir sample kept per brand and language space). A seed's key is
``~space:mention-id``; its hit carries its neighbours, and hits that share posts merge into one
cluster with the term keys (nlp.detect.clusters), so an incident found both ways is one alert.

The threshold is self-calibrating: "close" is relative to how alike the brand's complaints
usually are, in each language's space, so it needs no tuning per encoder or per brand.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from groundswell.nlp.detect.clusters import KeyHit
from groundswell.nlp.detect.keys import Post
from groundswell.nlp.detect.stats import WARM_MARGIN, surprise

NEIGHBOUR_QUANTILE = 0.95  # neighbours are closer than 95% of random pairs of past complaints (dev-tuned)
RESERVOIR = 400  # past complaint vectors kept per brand and space
MIN_RESERVOIR = 40  # fewer than this: no semantic test yet for that space
PRIOR_SHARE = 0.5  # pseudo-count of close past complaints (a never-seen kind is rare, not impossible)
PENALTY = (
    0.0  # -log10 units added to the threshold for testing many overlapping seeds (dev: 1.0 only delayed)
)
DUPLICATE = 0.98  # pairs this close are copies, not paraphrases
SEMANTIC = "~"


def is_semantic(key: str) -> bool:
    return key.startswith(SEMANTIC)


@lru_cache(maxsize=2)
def _upper(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The pairs above the diagonal of an n x n matrix (a full reservoir always asks for the same)."""
    return np.triu_indices(n, k=1)


@dataclass
class Reservoir:
    """A uniform sample of one brand's past complaint vectors in one space, and how alike they are."""

    vectors: list[np.ndarray] = field(default_factory=list)
    seen: int = 0
    _tau: float | None = None
    # the stacked vectors and their pairwise similarities, kept up to date row by row: the
    # detector asks for them three times per brand and step, and a full reservoir changes a few
    # rows per step, so restacking 400 rows and redoing the 400 x 400 product cost more than the test
    _matrix: np.ndarray | None = field(default=None, repr=False, compare=False)
    _sims: np.ndarray | None = field(default=None, repr=False, compare=False)
    _changed: set[int] = field(default_factory=set, repr=False, compare=False)

    def add(self, vectors: Sequence[np.ndarray], rng: random.Random) -> None:
        for vec in vectors:
            self.seen += 1
            if len(self.vectors) < RESERVOIR:
                self.vectors.append(vec)
                self._matrix = self._sims = None  # grows: rebuilt on the next read
            else:
                slot = rng.randrange(self.seen)
                if slot >= RESERVOIR:
                    continue  # not kept: the sample, its matrix and its tau are unchanged
                self.vectors[slot] = vec
                self._changed.add(slot)
            self._tau = None

    @property
    def ready(self) -> bool:
        return len(self.vectors) >= MIN_RESERVOIR

    def matrix(self) -> np.ndarray:
        """The vectors as rows (float32); treat as read-only: shared, and updated in place after an `add`."""
        if self._matrix is None or len(self._matrix) != len(self.vectors):
            self._matrix = np.vstack(self.vectors).astype(np.float32)
            self._sims = None
            self._changed.clear()
        elif self._changed:
            rows = sorted(self._changed)
            self._matrix[rows] = np.vstack([self.vectors[i] for i in rows]).astype(np.float32)
            if self._sims is not None:  # only the changed rows and columns are new
                fresh = self._matrix[rows] @ self._matrix.T
                self._sims[rows, :] = fresh
                self._sims[:, rows] = fresh.T
            self._changed.clear()
        return self._matrix

    def tau(self) -> float:
        """The similarity that only (1 - NEIGHBOUR_QUANTILE) of random past pairs reach.

        Copies (retweets, pasted text: similarity >= DUPLICATE) are left out, or a brand whose
        followers paste one text would set the bar at 1.0 and no paraphrase would ever count."""
        if self._tau is None:
            m = self.matrix()
            if self._sims is None:
                self._sims = m @ m.T
            sims = self._sims[_upper(len(m))]
            sims = sims[sims < DUPLICATE]
            self._tau = float(np.quantile(sims, NEIGHBOUR_QUANTILE)) if len(sims) else DUPLICATE
        return self._tau

    def to_state(self) -> dict[str, Any]:
        blob = np.vstack(self.vectors).astype(np.float16).tobytes() if self.vectors else b""
        dim = int(self.vectors[0].shape[0]) if self.vectors else 0
        return {"seen": self.seen, "dim": dim, "vectors": base64.b64encode(blob).decode("ascii")}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Reservoir:
        dim = int(state.get("dim", 0))
        raw = base64.b64decode(state.get("vectors", ""))
        rows: list[np.ndarray] = []
        if dim:
            rows = list(np.frombuffer(raw, dtype=np.float16).reshape(-1, dim).astype(np.float32))
        return cls(vectors=rows, seen=int(state.get("seen", 0)))


@dataclass
class SemanticBaseline:
    """One brand's reservoirs, one per language space."""

    spaces: dict[str, Reservoir] = field(default_factory=dict)

    def fold(self, posts: Sequence[Post], salt: str) -> None:
        """Add the complaints' vectors; `salt` (the brand) seeds the sampling.

        Each reservoir draws from its own generator, seeded by the salt, the space and how many
        vectors it has seen: a brand's sample (and so its neighbour bar) never depends on how many
        complaints other brands had, and a restored state samples as an uninterrupted one would.
        """
        for space in sorted({p.space for p in posts if p.vector is not None and p.complaint}):
            vectors = [p.vector for p in posts if p.space == space and p.vector is not None and p.complaint]
            reservoir = self.spaces.setdefault(space, Reservoir())
            reservoir.add(vectors, random.Random(f"{salt}/{space}/{reservoir.seen}"))

    def to_state(self) -> dict[str, Any]:
        return {space: r.to_state() for space, r in self.spaces.items()}

    @classmethod
    def from_state(cls, state: dict[str, Any] | None) -> SemanticBaseline:
        return cls({space: Reservoir.from_state(s) for space, s in (state or {}).items()})


def semantic_hits(
    complaints: Sequence[Post],
    base: SemanticBaseline,
    baseline_n: float,
    expected_total: float,
    threshold: float,
    min_posts: int,
    span: float,
    near: list[KeyHit] | None = None,
) -> list[KeyHit]:
    """Significant neighbourhoods among the window's complaints, strongest first, one per story.

    `near` collects the neighbourhoods that came within WARM_MARGIN of the bar without reaching it.
    """
    hits: list[KeyHit] = []
    seen_total = sum(r.seen for r in base.spaces.values()) or 1
    for space, reservoir in base.spaces.items():
        posts = [p for p in complaints if p.space == space and p.vector is not None]
        if len(posts) < min_posts or not reservoir.ready:
            continue
        window = np.vstack([p.vector for p in posts if p.vector is not None]).astype(np.float32)
        alive = np.linalg.norm(window, axis=1) > 0.5
        tau = reservoir.tau()
        close = (window @ window.T >= tau) & alive[None, :] & alive[:, None]
        sizes = close.sum(axis=1)
        if sizes.max() < min_posts:
            continue  # no seed has enough neighbours, let alone distinct authors
        n_space = baseline_n * reservoir.seen / seen_total
        order = np.argsort(-sizes, kind="stable")
        covered: set[str] = set()
        for i in order:
            if not alive[i]:
                continue
            members = [posts[j] for j in np.flatnonzero(close[i])]
            authors = {p.author for p in members}
            if len(authors) < min_posts:
                break  # sorted by neighbourhood size: no later seed has enough either
            ids = frozenset(p.mention.id for p in members)
            if len(ids & covered) >= 0.5 * len(ids):
                continue  # the same story as a stronger seed: it would merge anyway
            # the share of past complaints this close, for the few seeds that get this far
            past = float((reservoir.matrix() @ window[i] >= tau).mean())
            key_count = past * n_space + PRIOR_SHARE
            score, mean = surprise(
                len(authors), key_count, n_space + 1.0, expected_total * reservoir.seen / seen_total
            )
            hit = KeyHit(
                f"{SEMANTIC}{space}:{posts[i].mention.id}",
                span,
                len(authors),
                mean,
                score,
                ids,
                key_count < 1.5,
            )
            if score >= threshold + PENALTY:
                hits.append(hit)
                covered |= ids
            elif near is not None and score >= threshold + PENALTY - WARM_MARGIN:
                near.append(hit)
    return sorted(hits, key=lambda h: -h.score)

"""Neighbourhood keys: complaints close in meaning count together, against the brand's own spread."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import numpy as np

from groundswell.nlp.detect.keys import Post
from groundswell.nlp.detect.semantic import RESERVOIR, Reservoir, SemanticBaseline, semantic_hits
from groundswell.records import EnrichedMention

DIM = 32


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def _post(i: int, vector: np.ndarray, author: str | None = None) -> Post:
    m = EnrichedMention(
        id=f"x:{i}",
        source="x",
        native_id=str(i),
        text=f"post {i}",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return Post(m, 0.0, True, frozenset(), author or f"a{i}", "en", vector)


def _baseline(rng: np.random.Generator) -> SemanticBaseline:
    base = SemanticBaseline()
    past = [_post(10_000 + i, _unit(rng.normal(size=DIM))) for i in range(300)]
    base.fold(past, "seed0")
    return base


def test_a_burst_of_paraphrases_is_one_hit_and_noise_is_none() -> None:
    rng = np.random.default_rng(1)
    base = _baseline(rng)
    story = _unit(rng.normal(size=DIM))
    burst = [_post(i, _unit(story + 0.35 * rng.normal(size=DIM) / np.sqrt(DIM))) for i in range(6)]
    noise = [_post(100 + i, _unit(rng.normal(size=DIM))) for i in range(12)]
    hits = semantic_hits(burst + noise, base, 300.0, 3.0, 6.0, 4, 3600.0)
    assert len(hits) == 1
    assert {f"x:{i}" for i in range(6)} <= hits[0].post_ids
    assert hits[0].key.startswith("~en:")
    assert semantic_hits(noise, base, 300.0, 3.0, 6.0, 4, 3600.0) == []


def test_one_author_saying_it_six_times_is_one_voice() -> None:
    rng = np.random.default_rng(2)
    base = _baseline(rng)
    story = _unit(rng.normal(size=DIM))
    spam = [
        _post(i, _unit(story + 0.1 * rng.normal(size=DIM) / np.sqrt(DIM)), author="same") for i in range(6)
    ]
    assert semantic_hits(spam, base, 300.0, 3.0, 6.0, 4, 3600.0) == []


def test_a_kind_the_brand_always_hears_about_is_not_news() -> None:
    rng = np.random.default_rng(3)
    story = _unit(rng.normal(size=DIM))
    usual = [_post(10_000 + i, _unit(story + 0.35 * rng.normal(size=DIM) / np.sqrt(DIM))) for i in range(300)]
    base = SemanticBaseline()
    base.fold(usual, "seed0")
    burst = [_post(i, _unit(story + 0.35 * rng.normal(size=DIM) / np.sqrt(DIM))) for i in range(6)]
    assert semantic_hits(burst, base, 300.0, 3.0, 6.0, 4, 3600.0) == []  # 6 of the usual, 3 expected


def test_the_reservoir_keeps_a_bounded_uniform_sample_and_survives_a_save() -> None:
    rng = np.random.default_rng(4)
    reservoir = Reservoir()
    reservoir.add([_unit(rng.normal(size=DIM)) for _ in range(3 * RESERVOIR)], random.Random(0))
    assert len(reservoir.vectors) == RESERVOIR and reservoir.seen == 3 * RESERVOIR
    again = Reservoir.from_state(reservoir.to_state())
    assert again.seen == reservoir.seen
    assert np.allclose(again.matrix(), reservoir.matrix(), atol=1e-3)
    assert abs(again.tau() - reservoir.tau()) < 1e-2


def test_tau_kept_row_by_row_is_the_tau_of_the_whole_sample() -> None:
    rng = np.random.default_rng(6)
    reservoir = Reservoir()
    picks = random.Random(0)
    reservoir.add([_unit(rng.normal(size=DIM)) for _ in range(RESERVOIR)], picks)
    reservoir.tau()  # the similarities are built once, then follow each replaced row
    for step in range(30):
        shared = _unit(rng.normal(size=DIM))  # alike vectors move the quantile
        reservoir.add([_unit(shared + 0.5 * rng.normal(size=DIM)) for _ in range(1 + step % 4)], picks)
        fresh = Reservoir(vectors=list(reservoir.vectors), seen=reservoir.seen)
        assert np.array_equal(reservoir.matrix(), fresh.matrix())
        assert abs(reservoir.tau() - fresh.tau()) < 1e-5


def test_the_reservoir_matrix_is_built_once_and_follows_every_change() -> None:
    rng = np.random.default_rng(5)
    reservoir = Reservoir()
    reservoir.add([_unit(rng.normal(size=DIM)) for _ in range(RESERVOIR)], random.Random(0))
    first = reservoir.matrix()
    assert reservoir.matrix() is first  # asked for three times per step: stacked once
    before = first.copy()
    tau = reservoir.tau()
    reservoir.add([_unit(rng.normal(size=DIM)) for _ in range(RESERVOIR)], random.Random(1))
    assert reservoir.matrix() is first  # a full reservoir's changed rows are written in place
    assert np.array_equal(reservoir.matrix(), np.vstack(reservoir.vectors))
    assert not np.array_equal(reservoir.matrix(), before) and reservoir.tau() != tau
    kept = reservoir.matrix()
    reservoir.seen = 10**9  # a long history: a new vector is almost never sampled in
    reservoir.add([_unit(rng.normal(size=DIM)) for _ in range(5)], random.Random(2))
    assert reservoir.matrix() is kept and reservoir.seen == 10**9 + 5  # nothing to rebuild


def test_a_brands_sample_depends_on_its_own_posts_only() -> None:
    """Another brand's complaint count must not move this brand's sample (it once did, via one shared RNG)."""
    rng = np.random.default_rng(8)
    steps = [
        [_post(100 * s + i, _unit(rng.normal(size=DIM))) for i in range(RESERVOIR // 2)] for s in range(5)
    ]
    other = [
        [_post(9_000 + 100 * s + i, _unit(rng.normal(size=DIM))) for i in range(s * 37)] for s in range(5)
    ]
    alone, beside, mine_again = SemanticBaseline(), SemanticBaseline(), SemanticBaseline()
    neighbour = SemanticBaseline()
    for s, step in enumerate(steps):
        alone.fold(step, "acme")
        neighbour.fold(other[s], "globex")
        beside.fold(step, "acme")
        if s == 2:  # a restart in the middle: the saved state carries on as the running one does
            mine_again = SemanticBaseline.from_state(beside.to_state())
        elif s > 2:
            mine_again.fold(step, "acme")
    assert np.array_equal(alone.spaces["en"].matrix(), beside.spaces["en"].matrix())
    assert np.allclose(mine_again.spaces["en"].matrix(), alone.spaces["en"].matrix(), atol=1e-3)

"""The detector's tail probability is scipy's negative binomial, to the last bit, only faster."""

from __future__ import annotations

import random

from scipy.stats import nbinom

from groundswell.nlp.detect.stats import _log_sf, surprise


def test_log_sf_is_nbinom_logsf_exactly() -> None:
    rng = random.Random(0)
    for _ in range(5_000):
        k = rng.randrange(0, 80)
        n = rng.choice([0.5, rng.uniform(0.5, 5.0), rng.uniform(0.5, 800.0)])
        total = rng.uniform(1.0, 5_000.0)
        p = total / (total + max(rng.choice([0.0, rng.uniform(0.0, 60.0)]), 1e-3))
        assert _log_sf(k, n, p) == float(nbinom.logsf(k, n, p)), (k, n, p)


def test_arguments_outside_the_distribution_take_scipys_own_path() -> None:
    assert str(_log_sf(3, 0.0, 0.5)) == str(float(nbinom.logsf(3, 0.0, 0.5)))  # nan: n must be > 0
    assert _log_sf(-1, 2.0, 0.5) == float(nbinom.logsf(-1, 2.0, 0.5)) == 0.0


def test_surprise_of_a_far_tail_stays_finite() -> None:
    score, mean = surprise(400, key_count=0.5, total_count=10_000, expected_total=1.0)
    assert score > 100 and mean < 1e-3


def test_expected_complaints_follow_every_fold() -> None:
    """The ring's complaint total is kept between folds (asked for once per window): after each
    fold the expectation is the one a baseline that was never asked before gives."""
    from groundswell.nlp.detect.baseline import HOUR, BrandBaseline

    t0 = 1_700_000_000.0 // HOUR * HOUR
    first = [(t0 + 60 * i, True, frozenset({"*"})) for i in range(24)]
    second = [(t0 + 24 * HOUR + 60 * i, True, frozenset({"*"})) for i in range(48)]
    asked = BrandBaseline(lifetime_s=7 * 24 * HOUR)
    asked.fold(first, t0 + 24 * HOUR)
    before = asked.expected_complaints(t0 + 24 * HOUR, t0 + 26 * HOUR)
    asked.fold(second, t0 + 25 * HOUR)
    fresh = BrandBaseline(lifetime_s=7 * 24 * HOUR)
    fresh.fold(first, t0 + 24 * HOUR)
    fresh.fold(second, t0 + 25 * HOUR)
    after = asked.expected_complaints(t0 + 25 * HOUR, t0 + 27 * HOUR)
    assert after == fresh.expected_complaints(t0 + 25 * HOUR, t0 + 27 * HOUR) and after != before

"""Low-count significance: how surprising is k posts when the baseline says e?

The baseline rate of a key is itself estimated from a few past posts, so the count in a window is
not Poisson with a known mean but gamma-Poisson (negative binomial): a key seen 0.5 times in the
past is uncertain, one seen 500 times is not. This keeps the test honest at 3-6 posts, where a
z-score would fire on noise, and makes rare-but-known terms less alarming than truly new ones.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import nbinom

try:  # the function nbinom.logsf evaluates, without its per-call argument handling (~25x faster)
    from scipy.special._ufuncs import _nbinom_sf
except ImportError:  # a scipy that moved it: the public path gives the same numbers, slower
    _nbinom_sf = None

# A key this close to its bar (in -log10 p) makes its brand "warming": `groundswell run` then crawls
# the brand's sources every `hot_interval`, so an alert that is coming fires a step sooner.
WARM_MARGIN = 2.0
# All of a brand's complaints (`*`) warm it from further off (p < ~0.003 at the bundled bar): in a
# burst of complaints that share no word, `*` is the first series to move and among the last to
# reach its bar, and a burst that grows e-fold every 30 minutes brings posts 5 to 10 within one
# 15-minute step. On the English reason bursts (dev) margins 2 / 3 / 4 / 5 caught 11 / 11 / 12 / 13
# of 15 within 10 posts at the same false alarms; 5 warmed a brand of steady synthetic traffic on
# 18% of its steps (a faster clock, not the exception warming is meant to be), 4 on 6%
# (BENCHMARKS.md, "`*` warms a brand from further off").
ALL_WARM_MARGIN = 4.0


def surprise(
    observed: int, key_count: float, total_count: float, expected_total: float
) -> tuple[float, float]:
    """(-log10 P(X >= observed), expected X) for a key with `key_count` of `total_count` past
    complaints, in a window where `expected_total` complaints are expected."""
    expected_total = max(expected_total, 1e-3)
    p = total_count / (total_count + expected_total)
    mean = key_count * expected_total / total_count
    if observed <= 0:
        return 0.0, mean
    log_sf = _log_sf(observed - 1, key_count, p)
    if not math.isfinite(log_sf):
        log_sf = -745.0
    return -log_sf / math.log(10), mean


def _log_sf(k: int, n: float, p: float) -> float:
    """``nbinom.logsf(k, n, p)`` to the last bit (tests/detect/test_stats.py): the log of the
    same survival function, called directly. The detector asks this for every key, window and
    step, and scipy's argument handling took ~95% of its time (a third of a replay's scoring)."""
    if _nbinom_sf is None or not (k >= 0 and n > 0 and 0 < p <= 1):
        return float(nbinom.logsf(k, n, p))
    with np.errstate(divide="ignore"):
        return float(np.log(_nbinom_sf(k, n, p)))

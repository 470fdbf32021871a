"""One BLAS thread for the many small matrix products of enrichment and detection.

A batch's products are small (a few thousand posts by 256-384 dimensions, a few dozen vectors by a
400-row reservoir): OpenBLAS's other threads mostly spin, so on two cores `groundswell analyze`
took ~45% more CPU and ~20% more wall time with them (TweetEval test, 12k posts: 10.2-11.0 CPU-s
against 7.1-7.3 with one thread) and a detection step 4x the CPU. Large fits (topics, encoders)
keep their own thread pools; only the code inside `one_thread()` is limited.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from threadpoolctl import ThreadpoolController


@cache
def _controller() -> ThreadpoolController:
    """Knows the BLAS libraries loaded when it is built: built on first use rather than at import,
    it also knows those an encoder loaded in between (a limit costs ~15 µs; a fresh
    `threadpool_limits` ~1.3 ms)."""
    return ThreadpoolController()


@contextmanager
def one_thread() -> Iterator[None]:
    """Run the block with BLAS (numpy's and scipy's) on one thread."""
    with _controller().limit(limits=1, user_api="blas"):
        yield

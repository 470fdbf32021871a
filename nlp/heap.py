"""Keep CPython's cyclic garbage collector off the loaded models.

Enrichment makes many short-lived objects per post (tokens, feature ids, records), so the
collector runs often, and each of its full passes walks every object alive. Once the models have
loaded (lingua's n-gram tables, the lexicons and vocabularies, the rule and feature caches) that
is ~1M objects that never become garbage: on TweetEval test (12k tweets) four full passes took
0.44 of ~5 CPU-s after the first batch (BENCHMARKS.md, "Speed: the collector off the models").
`settle()` collects once and moves what is then alive into the permanent generation
(`gc.freeze`), so later passes walk only what enrichment made since. Objects are still freed by
reference counting as before; only cycles among the frozen objects would outlive their use, and
those are the models themselves.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_settled = False


def settle() -> bool:
    """Freeze what is alive now, once per process; True on the call that did it.

    Called after the first enrichment batch, when the models that load lazily on first use have
    loaded."""
    global _settled
    if _settled:
        return False
    with _lock:
        if _settled:
            return False
        gc.collect()
        gc.freeze()
        _settled = True
    return True

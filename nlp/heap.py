"""Keep CPython's cyclic garbage collector off what a process loads once.

Enrichment and detection make many short-lived objects per post (tokens, feature ids, records),
so the collector runs often, and each of its full passes walks every object alive. After start-up
that is mostly what never becomes garbage: the models (lingua's n-gram tables, the lexicons and
vocabularies, ONNX Runtime and Kiwi), the modules bertopic imports (torch, transformers) and the
rule caches. On a 15k-post backtest the full passes took ~2.8 of ~43 CPU-s; after the first
enrichment batch of `groundswell analyze` on 12k tweets, 0.44 of ~5 (BENCHMARKS.md, "Speed: the
collector off the models").

`settle(stage)` collects once and moves what is then alive into the permanent generation
(`gc.freeze`), so later full passes walk only what was made since. It runs once per stage and
process, where a stage has just loaded what it keeps: the first enrichment batch, the first topic
fit, the first detector step. Objects are still freed by reference counting as before; only cycles
among the frozen objects would outlive their use, and those are the loaded parts themselves.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_settled: set[str] = set()


def settle(stage: str) -> bool:
    """Freeze what is alive now, once per `stage` and process; True on the call that did it."""
    if stage in _settled:
        return False
    with _lock:
        if stage in _settled:
            return False
        gc.collect()
        gc.freeze()
        _settled.add(stage)
    return True

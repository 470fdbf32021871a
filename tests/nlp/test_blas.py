"""Enrichment and detection run their small matrix products on one BLAS thread (nlp/blas.py)."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_info

from groundswell.nlp.blas import one_thread
from groundswell.nlp.enrich import Enricher


def _blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


def test_one_thread_inside_and_the_caller_s_setting_after() -> None:
    np.ones((2, 2)) @ np.ones((2, 2))  # numpy's BLAS is loaded
    before = _blas_threads()
    with one_thread():
        assert _blas_threads() == {1}
    assert _blas_threads() == before


def test_enrichment_runs_on_one_blas_thread(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[set[int]] = []
    enricher = Enricher()
    monkeypatch.setattr(enricher, "_analyze", lambda *a: seen.append(_blas_threads()))
    enricher.analyze(["the app keeps crashing"])
    assert seen == [{1}]

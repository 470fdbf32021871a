"""The collector's full passes leave the loaded models alone once enrichment has run."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_first_enrichment_batch_freezes_what_is_alive_once() -> None:
    # a fresh interpreter: freezing is once per process, and this test process may have frozen already
    script = textwrap.dedent(
        """
        import gc
        from groundswell.nlp.enrich import Enricher
        from groundswell.nlp import heap

        enricher = Enricher()
        assert gc.get_freeze_count() == 0
        enricher.analyze(["the app crashes every time", "배송이 너무 늦어요"])
        frozen = gc.get_freeze_count()
        assert frozen > 10_000, frozen  # the models and lexicons loaded by the first batch
        enricher.analyze(["still waiting for my refund"])
        assert gc.get_freeze_count() == frozen  # once per process
        assert heap.settle("enrichment") is False
        print("ok")
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"

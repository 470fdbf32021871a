"""Report generation time on the demo store: figures (Store queries), HTML, CSV and PDF rendering.

    python -m bench.bench_reports [--db PATH] [--json]

Without --db the demo scenario is loaded into a temporary store first (about a minute). The
report is Lumio's week of 2026-11-16 in Asia/Seoul, as in docs/screenshots. Kiwi's model load
(once per process, shared with the nlp stage) is timed apart from the report itself.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.report import peak_rss_mb, write_section
from groundswell.config.loader import load_settings
from groundswell.indexer import open_store
from groundswell.reports.data import build_report
from groundswell.reports.render import render

AS_OF = datetime.fromisoformat("2026-11-23T12:00:00+09:00")
RUNS = 3


def _median(fn: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(RUNS):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="a store holding the demo scenario (default: build one)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings = load_settings(None).model_copy(update={"timezone": "Asia/Seoul"})
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "demo.db")
        store = open_store(settings, db)
        if not args.db:
            from groundswell.pipeline.demo import run_demo

            run_demo(settings, store, log=lambda _m: None)
        began = time.perf_counter()
        from groundswell.nlp.korean import morphemes

        morphemes(["배송이 늦어요"])
        kiwi = time.perf_counter() - began
        figures, data = _median(lambda: build_report(settings, store, "Lumio", "week", AS_OF, "ko"))
        out: dict[str, Any] = {"kiwi_load_s": kiwi, "figures_s": figures, "mentions": data.now.mentions}
        for fmt in ("html", "csv", "pdf"):
            seconds, body = _median(lambda fmt=fmt: render(data, fmt))
            out[f"{fmt}_s"], out[f"{fmt}_bytes"] = seconds, len(body)
        store.close()
    out["peak_rss_mb"] = peak_rss_mb()
    if args.json:
        print(json.dumps(out))
    body = (
        f"Lumio's weekly report on the demo store ({out['mentions']:,} mentions in the week, Asia/Seoul), "
        f"median of {RUNS} runs; `python -m bench.bench_reports`.\n\n"
        "| step | time | size |\n|---|---|---|\n"
        f"| Kiwi model load (once per process) | {out['kiwi_load_s']:.2f} s | |\n"
        f"| figures (Store queries, related words) | {out['figures_s']:.2f} s | |\n"
        f"| HTML with SVG charts | {out['html_s'] * 1000:.0f} ms | {out['html_bytes'] / 1024:.0f} KB |\n"
        f"| CSV | {out['csv_s'] * 1000:.0f} ms | {out['csv_bytes'] / 1024:.0f} KB |\n"
        f"| PDF (WeasyPrint, Noto CJK embedded) | {out['pdf_s']:.2f} s | {out['pdf_bytes'] / 1024:.0f} KB |\n\n"
        f"Peak memory {out['peak_rss_mb']:.0f} MB."
    )
    write_section("Reports", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Ingest throughput (mentions/s into the store, with and without enrichment) and search latency.

Runs on the bundled demo scenario, so the text mix (Korean and English, lengths, hashtags) is the
one a user meets first. Figures go to the "Ingest and search" section of BENCHMARKS.md.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.report import peak_rss_mb, write_section
from groundswell.config.loader import load_settings
from groundswell.indexer.base import MentionQuery
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.pipeline.context import bundled_demo_path
from groundswell.pipeline.ingest import ingest_file, open_lines, read_mentions
from groundswell.pipeline.process import MentionProcessor
from groundswell.records import EnrichedMention

QUERIES = [
    "배터리",
    "배송",
    "battery AND (overheat* OR hot)",
    '"customer service" NOT refund',
    "발열 OR 부풀*",
    "@lumio_kr",
    "update NEAR/3 battery",
]


def main() -> None:
    settings = load_settings(environ={})
    scenario = bundled_demo_path()
    with tempfile.TemporaryDirectory() as tmp:
        mentions = [m for _n, m in read_mentions(open_lines(scenario), lambda e: None)]
        processor = MentionProcessor(settings)
        processor(mentions[:50])  # load models before timing

        store = SQLiteStore(Path(tmp) / "full.db")
        t0 = time.perf_counter()
        report = ingest_file(scenario, settings, store, processor)
        full = time.perf_counter() - t0

        plain = [EnrichedMention.from_mention(m) for m in mentions]
        raw_store = SQLiteStore(Path(tmp) / "plain.db")
        t0 = time.perf_counter()
        for i in range(0, len(plain), 500):
            raw_store.commit_batch(plain[i : i + 500])
        store_only = time.perf_counter() - t0

        latencies: dict[str, list[float]] = {}
        for query in QUERIES:
            runs = []
            for _ in range(20):
                t0 = time.perf_counter()
                store.search(MentionQuery(text=query), limit=50)
                store.count(MentionQuery(text=query))
                runs.append((time.perf_counter() - t0) * 1000)
            latencies[query] = runs
    rows = "\n".join(
        f"| `{q}` | {statistics.median(v):.1f} | {sorted(v)[int(len(v) * 0.95) - 1]:.1f} |"
        for q, v in latencies.items()
    )
    body = f"""
Data: the bundled demo scenario, {report.read:,} posts ({report.stored:,} stored after brand matching).

| stage | mentions/s |
|---|---|
| `groundswell ingest` (parse, brand match, language, sentiment, touchpoints, SQLite upsert + FTS) | {report.read / full:,.0f} |
| SQLite upsert + FTS only (already enriched records, batches of 500) | {len(plain) / store_only:,.0f} |

Search latency on that store (search of 50 + count, 20 runs each):

| query | p50 ms | p95 ms |
|---|---|---|
{rows}

Peak memory of this benchmark process: {peak_rss_mb():,.0f} MB. Store at 1M mentions: see "Store".
The online topic model is not in the first figure: `groundswell demo` ingests the same file with
topics on, where BERTopic refits (graph reduction + HDBSCAN) dominate; topic update speed is in
"Detection speed".
"""
    write_section("Ingest and search", body)
    print(body)


if __name__ == "__main__":
    main()

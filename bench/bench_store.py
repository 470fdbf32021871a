"""Store benchmark: bulk ingest, search, histogram and facets at 1M mentions, on either backend.

    python -m bench.bench_store                         # SQLite, 1,000,000 mentions (a few minutes)
    python -m bench.bench_store --n 50000 --no-write    # a quick look, BENCHMARKS.md untouched
    GROUNDSWELL_ES_URL=https://... python -m bench.bench_store --backend elasticsearch

The same generated data (deterministic: seed, 14 days, Korean and English, 5 sources, 3 brands,
a growing battery complaint) and the same queries run against each backend, so figures compare
when they come from the same machine. Elasticsearch writes to a fresh index prefix and deletes
it afterwards unless --keep. Only store time is measured, not the generation of the records.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.report import peak_rss_mb, write_section
from groundswell.indexer.base import FACET_FIELDS, MentionQuery, Store
from groundswell.records import Author, EnrichedMention, Metrics, Sentiment, SentimentLabel, TopicRef

START = datetime(2026, 11, 1, tzinfo=UTC)
DAYS = 14
SOURCES = ["x", "reddit", "reviews", "news", "community"]
BRANDS = ["Acme", "Globex", "Initech"]
EN = ["the battery on my acme phone died again after the update", "delivery was late but support fixed it", "globex app keeps crashing when I pay", "love the camera, battery life is great", "refund took two weeks", "store staff were helpful today", "charger got hot and smelled like fire", "price went up again"]  # fmt: skip
KO = ["애크미 배터리가 또 방전됐어요", "배송이 너무 늦어요 고객센터 연결도 안 돼요", "글로벡스 앱 결제 오류", "카메라 화질 최고예요", "환불 처리가 2주나 걸렸네요", "매장 직원분이 친절했어요", "충전기가 뜨거워지고 탄 냄새가 나요", "가격이 또 올랐네요"]  # fmt: skip
TAGS = ["", "", "", " #acme", " #배터리", " @acme_help", " #globex"]
QUERIES = {
    "latin term": "battery",
    "hangul 2-syllable": "배송",
    "boolean": '(battery OR 배터리) AND NOT "battery life"',
    "wildcard + tag": "charg* OR #배터리",
    "near": "battery NEAR/5 died",
    "author handle": "@user4242",
    "mentioned handle": "@acme_help",
}


def generate(n: int, seed: int = 42) -> Iterator[list[EnrichedMention]]:
    """n mentions in batches of 5,000, spread over 14 days, the complaint growing at the end."""
    rng = random.Random(seed)
    span = DAYS * 86400
    batch: list[EnrichedMention] = []
    for i in range(n):
        at = START + timedelta(seconds=span * (i / n) + rng.random())
        ko = rng.random() < 0.45
        text = rng.choice(KO if ko else EN) + rng.choice(TAGS) + f" {rng.randrange(10_000)}"
        score = rng.uniform(-1, 1)
        label = (
            SentimentLabel.NEGATIVE
            if score < -0.3
            else SentimentLabel.POSITIVE
            if score > 0.3
            else SentimentLabel.NEUTRAL
        )
        source = rng.choice(SOURCES)
        batch.append(
            EnrichedMention(
                id=f"{source}:{i}", source=source, native_id=str(i), text=text, created_at=at,
                fetched_at=at + timedelta(minutes=10), lang="ko" if ko else "en",
                author=Author(id=f"u{rng.randrange(50_000)}", handle=f"user{rng.randrange(50_000)}",
                              followers=int(rng.paretovariate(1.2) * 50)),
                metrics=Metrics(likes=rng.randrange(100), shares=rng.randrange(10), replies=rng.randrange(10)),
                brands=[rng.choice(BRANDS)], sentiment=Sentiment(label=label, score=score, confidence=0.8),
                topic=TopicRef(id=rng.randrange(8)), touchpoints=[rng.choice(["product", "delivery", "app", "billing"])],
            )
        )  # fmt: skip
        if len(batch) == 5000:
            yield batch
            batch = []
    if batch:
        yield batch


def timed(fn: Callable[[], Any], repeat: int, store: Store | None = None) -> tuple[float, Any]:
    """Median wall time in ms of `repeat` runs and the last result.

    A first run under a second is a warm-up and is not counted; a slower one counts (the caches
    it warms matter less than the minutes another run would cost at 1M mentions). With `store`,
    a small untimed write before each run drops what the store keeps between identical queries
    (SQLite's table of a text query's hits), so a count is timed, not a cache hit.
    """

    def once() -> tuple[float, Any]:
        if store is not None:
            store.set_state("bench:fresh", time.time_ns())
        t = time.perf_counter()
        result = fn()
        return time.perf_counter() - t, result

    first, result = once()
    times = [first * 1000] if first >= 1.0 else []
    while len(times) < repeat:
        elapsed, result = once()
        times.append(elapsed * 1000)
    return statistics.median(times), result


def open_backend(backend: str, db: Path | None) -> Store:
    if backend == "sqlite":
        from groundswell.indexer.sqlite import SQLiteStore

        return SQLiteStore(db or Path(tempfile.mkdtemp(prefix="gs-bench-")) / "bench.db")
    from groundswell.indexer.elasticsearch import ElasticsearchStore

    url = os.environ.get("GROUNDSWELL_ES_URL")
    if not url:
        raise SystemExit(
            "set GROUNDSWELL_ES_URL (and GROUNDSWELL_ES_API_KEY or _PASSWORD) for --backend elasticsearch"
        )
    return ElasticsearchStore(
        url, f"gs-bench-{uuid.uuid4().hex[:8]}", api_key=os.environ.get("GROUNDSWELL_ES_API_KEY"),
        username=os.environ.get("GROUNDSWELL_ES_USERNAME"), password=os.environ.get("GROUNDSWELL_ES_PASSWORD"),
        ca_certs=os.environ.get("GROUNDSWELL_ES_CA_CERTS"), refresh=False, chunk_size=2000,
    )  # fmt: skip


def run(store: Store, n: int, repeat: int) -> tuple[list[tuple[str, str]], dict[str, float]]:
    rows: list[tuple[str, str]] = []
    ingest_s, written = 0.0, 0
    for batch in generate(n):
        t = time.perf_counter()
        store.commit_batch(batch, source="bench", cursor=batch[-1].id)
        ingest_s += time.perf_counter() - t
        written += len(batch)
        print(f"\ringest {written}/{n}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    if hasattr(store, "client"):  # Elasticsearch: make everything searchable before timing reads
        store.client.indices.refresh(index=store.names.read)  # type: ignore[attr-defined]
    rate = written / ingest_s
    rows.append(("bulk ingest (commit_batch of 5,000)", f"{rate:,.0f} mentions/s ({ingest_s:.0f} s)"))
    t = time.perf_counter()
    store.upsert(next(generate(5000)))
    rows.append(("re-upsert 5,000 unchanged", f"{(time.perf_counter() - t) * 1000:,.0f} ms"))
    last_day = MentionQuery(since=START + timedelta(days=DAYS - 1))
    acme = MentionQuery(brands=("Acme",))
    for name, text in QUERIES.items():
        q = MentionQuery(text=text)
        ms, _ = timed(lambda q=q: store.search(q, limit=50), repeat)
        rows.append((f"search {name} `{text}`, newest 50", f"{ms:,.1f} ms"))
        ms, total = timed(lambda q=q: store.count(q), repeat, store)
        rows.append((f"count {name} ({total:,} matches)", f"{ms:,.1f} ms"))
        ms, _ = timed(
            lambda q=q: store.count(q.narrow(since=last_day.since, brands=("Acme",))), repeat, store
        )
        rows.append((f"count {name}, Acme, last day", f"{ms:,.1f} ms"))
    ms, _ = timed(lambda: store.search(MentionQuery(), limit=50), repeat)
    rows.append(("search newest 50, no text", f"{ms:,.1f} ms"))
    ms, _ = timed(lambda: store.histogram(acme, timedelta(hours=1)), repeat)
    rows.append(("histogram Acme, 1 h buckets, 14 days", f"{ms:,.1f} ms"))
    ms, _ = timed(lambda: store.histogram(MentionQuery(), timedelta(days=1), group_by="source"), repeat)
    rows.append(("histogram all, 1 d buckets by source", f"{ms:,.1f} ms"))
    ms, _ = timed(lambda: store.histogram(last_day.narrow(text="배터리"), timedelta(minutes=15)), repeat)
    rows.append(("histogram `배터리`, last day, 15 min", f"{ms:,.1f} ms"))
    for field in FACET_FIELDS:
        ms, _ = timed(lambda f=field: store.facets(MentionQuery(), f, size=10), repeat)  # type: ignore[misc]
        rows.append((f"facet {field}, all mentions", f"{ms:,.1f} ms"))
    ms, _ = timed(lambda: store.facets(last_day, "touchpoint"), repeat, store)
    rows.append(("facet touchpoint, last day", f"{ms:,.1f} ms"))
    ms, _ = timed(lambda: store.top_terms(last_day.narrow(brands=("Acme",))), repeat)
    rows.append(("top terms, Acme, last day", f"{ms:,.1f} ms"))
    return rows, {"rate": rate}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backend", choices=["sqlite", "elasticsearch"], default="sqlite")
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per query (median reported)")
    ap.add_argument("--db", type=Path, help="SQLite file (default: a temporary one, deleted)")
    ap.add_argument("--keep", action="store_true", help="keep the SQLite file / ES indices")
    ap.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = ap.parse_args(argv)
    load = os.getloadavg()[0]  # the machine may be shared; say how busy it was
    store = open_backend(args.backend, args.db)
    try:
        rows, _ = run(store, args.n, args.repeat)
        size = ""
        if args.backend == "sqlite":
            path = store.path  # type: ignore[attr-defined]
            mb = sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
            size = f"SQLite file {mb:,.0f} MB (WAL included). "
    finally:
        if args.backend == "elasticsearch" and not args.keep:
            store.drop()  # type: ignore[attr-defined]
        store.close()
        if args.backend == "sqlite" and args.db is None and not args.keep:
            for p in store.path.parent.glob("*"):  # type: ignore[attr-defined]
                p.unlink()
    table = "| operation | result |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)
    print(table)
    if not args.no_write:
        title = "Store" if args.backend == "sqlite" else "Store (Elasticsearch)"
        body = (
            f"`python -m bench.bench_store --backend {args.backend} --n {args.n}`: {args.n:,} generated mentions "
            f"(14 days, Korean and English, 5 sources, 3 brands), median of {args.repeat} timed runs after a "
            f"warm-up (a first run over 1 s is counted instead). Load average {load:.1f} at start. {size}Peak RSS {peak_rss_mb():,.0f} MB. Elasticsearch: the same command with "
            "GROUNDSWELL_ES_URL set and `--backend elasticsearch` (not run here: no cluster was available).\n\n"
            + table
        )
        write_section(title, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Dashboard page latency on a large store: the queries each page runs, cold (no Streamlit cache).

    python -m bench.bench_dashboard [--mentions 1000000] [--db PATH] [--json]

Builds (once, reused when the count matches) an SQLite store of synthetic enriched mentions over
30 days: 3 brands, 6 sources, Korean and English, 20 topics, 6 touchpoints, and one alert. Then
runs, per page, exactly the dashboard.queries / dashboard.complaints calls that page makes with
its default filters (one brand, the last 7 days), several times, and reports the median and the
worst run. These are cold numbers: in the app, results are cached for 60 s (dashboard/cache.py),
so a repeated view costs only the rendering.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from groundswell.dashboard import complaints, queries, tables
from groundswell.indexer.base import MentionQuery, Store
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.records import (
    Alert,
    Author,
    EnrichedMention,
    Metrics,
    Sentiment,
    SentimentLabel,
    Severity,
    SourceRun,
    TopicRef,
)

END = datetime(2026, 3, 31, tzinfo=UTC)
DAYS = 30
BRANDS = ("Lumio", "Vexa", "Orbit")
SOURCES = ("x", "reddit", "review", "news", "clien", "naver")
TOUCHPOINTS = ("battery", "delivery", "call center", "app", "store", "billing")
WORDS_KO = [
    "배터리",
    "발열",
    "배송",
    "지연",
    "상담",
    "앱",
    "오류",
    "매장",
    "직원",
    "결제",
    "환불",
    "카메라",
    "화면",
    "충전",
    "업데이트",
    "가격",
    "품질",
    "서비스",
]
WORDS_EN = [
    "battery",
    "heat",
    "delivery",
    "late",
    "support",
    "app",
    "crash",
    "store",
    "staff",
    "billing",
    "refund",
    "camera",
    "screen",
    "charge",
    "update",
    "price",
    "quality",
]


def synthetic(count: int, seed: int = 1) -> Iterator[list[EnrichedMention]]:
    """Batches of 5,000 plausible mentions; the same seed gives the same store."""
    rng = random.Random(seed)
    topics = [
        TopicRef(
            id=i, label=f"{WORDS_KO[i % 18]} {WORDS_EN[(i * 7) % 17]}", keywords=WORDS_KO[i % 18 : i % 18 + 3]
        )
        for i in range(20)
    ]
    batch: list[EnrichedMention] = []
    span = DAYS * 86400
    for i in range(count):
        ko = rng.random() < 0.55
        words = WORDS_KO if ko else WORDS_EN
        text = " ".join(rng.choices(words, k=rng.randint(6, 18)))
        score = rng.uniform(-1, 1)
        label = (
            SentimentLabel.NEGATIVE
            if score < -0.25
            else SentimentLabel.POSITIVE
            if score > 0.25
            else SentimentLabel.NEUTRAL
        )
        source = rng.choice(SOURCES)
        created = END - timedelta(seconds=rng.randrange(span))
        batch.append(
            EnrichedMention(
                id=f"{source}:{i}",
                source=source,
                native_id=str(i),
                text=f"{rng.choice(BRANDS)} {text}",
                created_at=created,
                fetched_at=created,
                url=f"https://{source}.example.com/{i}",
                lang="ko" if ko else "en",
                author=Author(
                    id=str(i % 40_000), handle=f"user{i % 40_000}", followers=rng.randrange(50_000)
                ),
                metrics=Metrics(
                    likes=rng.randrange(200), shares=rng.randrange(30), replies=rng.randrange(40)
                ),
                brands=[rng.choices(BRANDS, weights=(6, 3, 2))[0]],
                sentiment=Sentiment(label=label, score=score, confidence=0.8),
                topic=topics[rng.randrange(20)],
                touchpoints=[rng.choice(TOUCHPOINTS)] if rng.random() < 0.4 else [],
            )
        )
        if len(batch) == 5000:
            yield batch
            batch = []
    if batch:
        yield batch


def build(db: Path, count: int) -> Store:
    store = SQLiteStore(db)
    if store.count(MentionQuery()) == count:
        return store
    began = time.perf_counter()
    done = 0
    for batch in synthetic(count):
        store.upsert(batch)
        done += len(batch)
        if done % 100_000 == 0:
            print(f"built {done:,} mentions ({time.perf_counter() - began:.0f}s)", file=sys.stderr)
    ids = [
        m.id
        for m in store.search(
            MentionQuery(brands=("Lumio",), topics=(3,), sentiments=("negative",)), limit=20
        )
    ]
    store.save_alert(
        Alert(id="bench", brand="Lumio", fired_at=END - timedelta(hours=5), updated_at=END - timedelta(hours=1),
              first_seen=END - timedelta(hours=8), severity=Severity.HIGH, rule="bench",
              topic=TopicRef(id=3, label="bench"), touchpoints=["battery"], evidence_ids=ids, growth=5.0)
    )  # fmt: skip
    for source in SOURCES:
        store.record_source_run(SourceRun(source=source, started_at=END, finished_at=END, fetched=10, new=5))
    return store


def pages(store: Store) -> dict[str, Callable[[], object]]:
    """Each page's query set, as the page issues it with the default filters."""
    f = queries.Filters(since=END - timedelta(days=7), until=END, brand="Lumio")
    alert = store.get_alert("bench")
    assert alert is not None
    owners = {t: "owner" for t in TOUCHPOINTS}

    def overview() -> None:
        store.time_range()
        queries.filter_options(store, BRANDS, f.since, f.until)
        queries.sentiment_overview(store, f)
        queries.share_of_voice(store, f, BRANDS)
        queries.top_sources(queries.volume_by(store, f, "source"))
        queries.top_authors(store, f)
        complaints.ranked_alerts(store, f)

    def emerging() -> None:
        complaints.ranked_alerts(store, f)
        complaints.alert_growth(store, alert)
        complaints.evidence(store, alert)

    def topics() -> None:
        table = queries.topic_table(
            store, f, complaints.open_alert_topics(complaints.ranked_alerts(store, f))
        )
        queries.volume_by(store, f, "topic")
        q = f.query(topics=(int(table["topic"].iloc[0]),))
        queries.top_terms(store, q)
        queries.representative_posts(store, q, 10)

    def touchpoints() -> None:
        queries.touchpoint_table(store, f, owners)
        queries.touchpoint_heatmap(store, f)
        q = f.query(touchpoints=("battery",), sentiments=("negative",))
        queries.top_terms(store, q)
        queries.representative_posts(store, q, 15)

    def explore(text: str | None) -> Callable[[], None]:
        def run() -> None:
            base = f.query(text=text)
            facets = tables.facet_counts(store, base)
            ids = [int(v) for v in facets["topic"]["value"]]
            queries.topic_labels(store, base, ids)
            tables.search(store, base, 200, "newest")

        return run

    def sources() -> None:
        tables.source_health(store.source_runs(limit=500), [(s, s, True) for s in SOURCES])

    return {
        "overview": overview,
        "emerging complaints": emerging,
        "topics": topics,
        "touchpoints": touchpoints,
        "explore (no query)": explore(None),
        "explore (배터리 AND 발열)": explore("배터리 AND 발열"),
        "explore (battery OR refund)": explore("battery OR refund"),
        "sources": sources,
    }


def pages_names(db: Path) -> list[str]:
    store = SQLiteStore(db)
    try:
        return list(pages(store))
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    db = args.db or Path(f"/tmp/groundswell-bench-dashboard-{args.mentions}.db")
    build(db, args.mentions).close()
    results = []
    for name in pages_names(db):
        times = []
        for _ in range(args.repeat):
            # a fresh connection each run: no SQLite page cache and no per-query match set carried
            # over from the previous run, so every run is a first (uncached) view of the page
            store = SQLiteStore(db)
            run = pages(store)[name]
            began = time.perf_counter()
            run()
            times.append(time.perf_counter() - began)
            store.close()
        results.append(
            {"page": name, "median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3)}
        )
    for row in results:
        if args.json:
            print(json.dumps({"mentions": args.mentions, **row}, ensure_ascii=False))
        else:
            print(f"{row['page']:<30} median {row['median_s']:.3f} s   worst {row['max_s']:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

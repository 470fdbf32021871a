"""Speed of detection and topics: `python -m bench.bench_detection [--db PATH] [--mentions N]`.

1. Detection over the latest window with 1M mentions in the embedded store: the first run builds
   baselines from the newest 10k posts (once per process, or after a restart with no saved state);
   every later run is incremental, which is what the scheduler does every step.
2. A 14-day backtest of ~15k posts at 15-minute steps: `groundswell backtest --config
   config/default.yaml` in a fresh process (as a user runs it: imports included), once as is, once
   with an empty NUMBA_CACHE_DIR (the first run on a machine) and once with topics off.
3. A topic update with 10k new posts (assignment plus the refit it triggers).
Writes the "Detection speed" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.report import peak_rss_mb, write_section
from groundswell.records import Author, EnrichedMention, Sentiment, SentimentLabel

END = datetime(2026, 3, 31, tzinfo=UTC)
BRANDS = ["Lumio", "Vexa", "Orbit", "Nadir"]
VOCAB = [f"word{i}" for i in range(3000)] + [
    "battery",
    "screen",
    "delivery",
    "refund",
    "app",
    "price",
    "store",
    "staff",
    "camera",
]


def _posts(
    rng: random.Random, n: int, start: datetime, end: datetime, first_id: int
) -> list[EnrichedMention]:
    span = (end - start).total_seconds()
    weights = [1 / (r + 1) for r in range(len(VOCAB))]
    out = []
    for i in range(first_id, first_id + n):
        t = start + timedelta(seconds=rng.random() * span)
        label = rng.choices(list(SentimentLabel), [0.35, 0.35, 0.3])[0]
        score = {"negative": -0.7, "neutral": 0.0, "positive": 0.7}[label.value]
        out.append(
            EnrichedMention(
                id=f"bench:{i}",
                source=rng.choice(["x", "reddit", "news"]),
                native_id=str(i),
                text=" ".join(rng.choices(VOCAB, weights, k=8)),
                created_at=t,
                fetched_at=t,
                brands=[rng.choice(BRANDS)],
                author=Author(id=f"u{rng.randrange(200_000)}", followers=rng.randrange(5000)),
                sentiment=Sentiment(label=label, score=score, confidence=0.8),
            )
        )
    return out


def build_store(path: Path, mentions: int, days: int = 30) -> None:
    from groundswell.indexer.sqlite import SQLiteStore

    store = SQLiteStore(path)
    rng = random.Random(1)
    chunk = 50_000
    start = END - timedelta(days=days)
    began = time.perf_counter()
    for k in range(0, mentions, chunk):
        a = start + (END - start) * (k / mentions)
        b = start + (END - start) * ((k + chunk) / mentions)
        store.upsert(_posts(rng, min(chunk, mentions - k), a, b, k))
        print(f"  {k + chunk:,} mentions ({time.perf_counter() - began:.0f}s)", file=sys.stderr)
    store.close()


def bench_detect(path: Path) -> dict[str, float]:
    from groundswell.config.settings import Brand, Settings
    from groundswell.indexer.base import MentionQuery
    from groundswell.indexer.sqlite import SQLiteStore
    from groundswell.nlp.detect import Detector

    store = SQLiteStore(path)
    settings = Settings(brands=[Brand(name=b, query=b.lower()) for b in BRANDS])
    detector = Detector.from_settings(settings)
    t = END - timedelta(hours=2)
    began = time.perf_counter()
    detector.run(store, t)
    cold = time.perf_counter() - began
    warm = []
    for _ in range(8):
        t += timedelta(minutes=15)
        began = time.perf_counter()
        detector.run(store, t)
        warm.append(time.perf_counter() - began)
    count = store.count(MentionQuery())
    store.close()
    return {"mentions": count, "cold_s": round(cold, 2), "warm_median_s": round(statistics.median(warm), 3),
            "warm_max_s": round(max(warm), 3)}  # fmt: skip


def write_backtest_input(tmp: Path, posts: int = 15_000) -> Path:
    """~15k generic posts over 14 days for 4 brands (the file `groundswell backtest --input` reads)."""
    rng = random.Random(2)
    data = tmp / "backtest.jsonl"
    start = END - timedelta(days=14)
    with data.open("w", encoding="utf-8") as out:
        for m in _posts(rng, posts, start, END, 0):
            words = m.text.split()[:5]
            mood = {"negative": "terrible awful", "positive": "great love", "neutral": "ok"}[
                m.sentiment.label.value
            ]  # type: ignore[union-attr]
            line = {"id": m.native_id, "text": f"{m.brands[0]} {' '.join(words)} {mood}",
                    "created_at": m.created_at.isoformat(), "brand": m.brands[0], "author": {"id": m.author.id}}  # fmt: skip
            out.write(json.dumps(line) + "\n")
    return data


def bench_backtest(
    tmp: Path, posts: int = 15_000, topics: bool = True, empty_numba_cache: bool = False
) -> dict[str, float]:
    """`groundswell backtest --config config/default.yaml` in a fresh process, timed from outside.

    A fresh process is what a user runs: imports and any just-in-time compilation are included.
    `empty_numba_cache` points NUMBA_CACHE_DIR at an empty folder (the first run on a machine).
    """
    import os
    import subprocess

    from groundswell.config.loader import default_config_path

    data = tmp / "backtest.jsonl"
    if not data.exists():
        write_backtest_input(tmp, posts)
    env = dict(os.environ, GROUNDSWELL_NLP__TOPICS="true" if topics else "false")
    if empty_numba_cache:
        cache = Path(tempfile.mkdtemp(dir=tmp, prefix="numba-"))
        env["NUMBA_CACHE_DIR"] = str(cache)
    command = [sys.executable, "-c", "from pipeline.cli import main; main()", "backtest",
               "--config", str(default_config_path()), "--input", str(data), "--step", "15m", "--json"]  # fmt: skip
    import resource

    began = time.perf_counter()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    total = time.perf_counter() - began
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
    if result.returncode != 0:
        return {"posts": posts, "error": (result.stderr or result.stdout)[-300:]}  # type: ignore[dict-item]
    replay = next((ln for ln in result.stderr.splitlines() if "replay" in ln), "")
    ingest = next((ln for ln in result.stderr.splitlines() if "ingested" in ln), "")
    return {
        "posts": posts,
        "topics": topics,
        "empty_numba_cache": empty_numba_cache,
        "total_s": round(total, 1),
        "cpu_s": round(cpu, 1),  # the machine is shared: CPU time is the figure that holds
        "peak_rss_mb": round(usage.ru_maxrss / 1024),  # the largest child so far (Linux: KB)
        "alerts": len(result.stdout.splitlines()),
        "log": f"{ingest} | {replay}",
    }  # type: ignore[dict-item]


def bench_topics(data_dir: Path | None) -> dict[str, float]:
    from groundswell.nlp.topics import TopicModeler

    if data_dir is not None:
        from bench.replay_data import load_pools

        pools = load_pools(data_dir, nsmc_limit=20_000)
        rng = random.Random(3)
        texts = [(p.text, p.lang) for k in pools for p in rng.sample(pools[k], min(len(pools[k]), 6000))]
        rng.shuffle(texts)
    else:
        rng = random.Random(3)
        texts = [(" ".join(rng.choices(VOCAB[:500], k=10)), "en") for _ in range(20_000)]
    model = TopicModeler(online=False, refit_every=5_000)
    began = time.perf_counter()
    model.fit([t for t, _ in texts[:10_000]], [lang for _, lang in texts[:10_000]])
    fit = time.perf_counter() - began
    began = time.perf_counter()
    model.update([t for t, _ in texts[10_000:20_000]], [lang for _, lang in texts[10_000:20_000]])
    update = time.perf_counter() - began
    return {"fit_10k_s": round(fit, 1), "update_10k_s": round(update, 1), "topics": len(model.topics)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Detection and topic speed")
    parser.add_argument("--db", type=Path, help="Reuse (or build) the 1M-mention store here")
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--skip", nargs="*", default=[], choices=["detect", "backtest", "topics"])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    from bench.replay_data import shared_data_dir

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if "detect" not in args.skip:
            db = args.db or Path(tmp) / "million.db"
            if not db.exists():
                print(f"building {args.mentions:,} mentions in {db}", file=sys.stderr)
                build_store(db, args.mentions)
            results["detect"] = bench_detect(db)
            print(results["detect"], file=sys.stderr)
        if "backtest" not in args.skip:
            results["backtest"] = bench_backtest(Path(tmp))
            results["backtest_first_run"] = bench_backtest(Path(tmp), empty_numba_cache=True)
            results["backtest_no_topics"] = bench_backtest(Path(tmp), topics=False)
            for key in ("backtest", "backtest_first_run", "backtest_no_topics"):
                print(key, results[key], file=sys.stderr)
        if "topics" not in args.skip:
            results["topics"] = bench_topics(shared_data_dir())
            print(results["topics"], file=sys.stderr)
    results["peak_rss_mb"] = {"value": round(peak_rss_mb())}
    print(json.dumps(results))
    if not args.no_write:
        write_section("Detection speed", _table(results))
    return 0


def _table(r: dict[str, dict]) -> str:
    rows = ["| what | figure | goal |", "|---|---|---|"]
    if "detect" in r:
        d = r["detect"]
        rows.append(f"| detection step, {d['mentions']:,} mentions in SQLite, warm (median / max of 8) | "
                    f"{d['warm_median_s']} s / {d['warm_max_s']} s | < 1 s |")  # fmt: skip
        rows.append(
            f"| first step after a start (baselines from the newest 10k posts) | {d['cold_s']} s | once |"
        )
    whats = {
        "backtest": "default config (topics on), fresh process",
        "backtest_first_run": "default config (topics on), fresh process, empty NUMBA_CACHE_DIR (first run on a machine)",
        "backtest_no_topics": "default config with nlp.topics off, fresh process",
    }
    for key, what in whats.items():
        if key in r:
            b = r[key]
            figure = f"{b['cpu_s']} CPU-s, {b['total_s']} s wall" if "cpu_s" in b else f"{b.get('error')}"
            rows.append(f"| `groundswell backtest`, {b['posts']:,} posts, 14 days at 15-min steps (ingest + replay), {what} | "
                        f"{figure} | < 60 s |")  # fmt: skip
            log = str(b.get("log", ""))
            ingest = re.search(r"in ([0-9.]+)s \(CPU ([0-9.]+)s\) \|", log)
            replay = re.search(r"replay ([0-9.]+)s \(CPU ([0-9.]+)s\)", log)
            if key == "backtest" and ingest and replay:
                rows.append(f"| of which ingest with online topics / detector replay (1,344 steps), CPU-s (wall s) | "
                            f"{ingest.group(2)} ({ingest.group(1)}) / {replay.group(2)} ({replay.group(1)}) | |")  # fmt: skip
                rows.append(f"| peak memory of that backtest process | {b['peak_rss_mb']} MB | |")
    if "topics" in r:
        t = r["topics"]
        rows.append(
            f"| topic fit, 10k real posts (default reducer, in this process) | {t['fit_10k_s']} s | |"
        )
        rows.append(
            f"| topic update, 10k new posts (assign + refit with id matching) | {t['update_10k_s']} s | < 60 s |"
        )
    rows.append(f"| peak memory of this benchmark | {r['peak_rss_mb']['value']} MB | |")
    return "\n".join(rows) + "\n\nProduced by `python -m bench.bench_detection` (part of `make bench`)."


if __name__ == "__main__":
    raise SystemExit(main())

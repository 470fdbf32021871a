"""What named entities cost at enrichment, and how often they are found: `python -m bench.bench_entities`.

For the "NLP" section of BENCHMARKS.md and nlp/MODEL_CARD.md. Each measurement runs in a child
process pinned to one CPU with one BLAS thread (its peak memory is its own):

- the entity readers alone: spaCy NER (tok2vec + ner) on English tweets, Kiwi NNP on Korean reviews;
- `Enricher.analyze` (normalise + language + sentiment + touchpoints) with `nlp.entities` off,
  complaints (the default) and all, on the same posts as the "NLP" speed table (TweetEval test,
  NSMC), batches of 1,000;
- on the real complaint tweets (complaints_tweets_en), the share of complaints with an entity.

Needs shared/data (GROUNDSWELL_SHARED_DATA).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench.bench_nlp import _one_core, _speed_texts
from bench.replay_data import shared_data_dir

ROOT = Path(__file__).resolve().parents[1]
BATCH = 1000


def _timed(fn, texts: list[str]) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(0, len(texts), BATCH):
        fn(texts[i : i + BATCH])
    return time.process_time() - cpu0, time.perf_counter() - wall0


def child(which: str, mode: str) -> dict[str, object]:
    """One measurement in this (pinned) process: `mode` is reader | off | complaints | all."""
    import resource

    from groundswell.nlp.enrich import Enricher
    from groundswell.nlp.entities import LinguisticEntities, english_entities, korean_entities
    from groundswell.nlp.sentiment import build
    from groundswell.nlp.touchpoints import TouchpointClassifier, default_touchpoints

    data = shared_data_dir()
    texts = _speed_texts(data, which)
    start = time.perf_counter()
    extra: dict[str, object] = {}
    if mode == "reader":
        read = english_entities if which == "en" else korean_entities
        read(texts[:200])  # loads the model
        load_s = time.perf_counter() - start
        cpu, wall = _timed(read, texts)
    else:
        sentiment = build("default")
        enricher = Enricher(
            sentiment=sentiment,
            touchpoints=TouchpointClassifier(default_touchpoints(), sentiment=sentiment),
            entities=None if mode == "off" else LinguisticEntities(mode),  # type: ignore[arg-type]
        )
        enricher.analyze(["warm up", "준비"])
        load_s = time.perf_counter() - start
        enricher.analyze(texts[:500])  # first-use caches and models, as a running pipeline has them
        langs = [("ko" if which == "ko" else "en")] * len(texts)
        cpu, wall = _timed(lambda batch: enricher.analyze(batch, langs[: len(batch)]), texts)
        parts = enricher.analyze(texts[:3000], langs[:3000])
        extra = {
            "complaint_share": round(sum(parts.complaint) / len(parts.complaint), 3),
            "with_entity_share": round(sum(bool(e) for e in parts.entities) / len(parts.entities), 3),
        }
    return {
        "set": which,
        "mode": mode,
        "posts": len(texts),
        "load_s": round(load_s, 2),
        "posts_per_cpu_s": round(len(texts) / cpu),
        "posts_per_wall_s": round(len(texts) / wall),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        **extra,
    }


def in_child(which: str, mode: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_entities", "--child", which, mode],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def complaint_coverage(data: Path) -> dict[str, object]:
    """Share of the real complaint tweets (gold complaints) in which spaCy finds an entity; top names."""
    from groundswell.nlp.entities import english_entities

    path = data / "complaints_tweets_en" / "complaints-data.csv"
    with path.open(encoding="utf-8") as handle:
        texts = [row[1] for row in csv.reader(handle) if len(row) == 4 and row[2] == "1"]
    found = english_entities(texts)
    names = Counter(n for row in found for n in row)
    return {
        "complaints": len(texts),
        "with_entity_share": round(sum(bool(r) for r in found) / len(found), 3),
        "top": names.most_common(25),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("SET", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "entities.json")
    args = parser.parse_args(argv)
    if args.child:
        _one_core()
        print(json.dumps(child(*args.child)))
        return 0
    data = shared_data_dir()
    if data is None:
        print("shared/data not found (set GROUNDSWELL_SHARED_DATA)", file=sys.stderr)
        return 2
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    results: dict[str, object] = {
        "speed": [in_child(w, m) for w in ("en", "ko") for m in ("reader", "off", "complaints", "all")],
        "complaints_tweets_en": complaint_coverage(data),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for row in results["speed"]:  # type: ignore[attr-defined]
        print(json.dumps(row, ensure_ascii=False))
    print(json.dumps(results["complaints_tweets_en"], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

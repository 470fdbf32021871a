"""The complaint flag against people's judgement: `python -m bench.eval_complaint [DATA_DIR] [--split dev|test]`.

English tweets addressed to brands, annotated complaint / not complaint (Preoțiuc-Pietro et al.
2019, `complaints_tweets_en`; evaluation only: nothing is trained on it). Each tweet goes through
the shipped enricher (language, sentiment, the one complaint rule of `groundswell/complaint.py`),
and the stored flag is scored: precision, recall, F1 and accuracy. The set is split in two by a
hash of the text (as in bench/kind_bursts.py): choices are made on `dev`, `test` is run once.
Without `--split`, the whole set.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from bench.kind_bursts import split_of
from bench.replay_data import shared_data_dir


def load(data: Path, split: str | None) -> tuple[list[str], list[bool]]:
    """Texts and gold complaint flags (rows that are not `id,text,0|1,domain` are skipped)."""
    texts: list[str] = []
    gold: list[bool] = []
    path = data / "complaints_tweets_en" / "complaints-data.csv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if len(row) != 4 or row[2] not in ("0", "1"):
                continue
            if split is not None and split_of(row[1]) != split:
                continue
            texts.append(row[1])
            gold.append(row[2] == "1")
    return texts, gold


def evaluate(data: Path, split: str | None = None) -> dict[str, float]:
    from groundswell.nlp.enrich import Enricher

    texts, gold = load(data, split)
    flags = Enricher().analyze(texts, ["en"] * len(texts)).complaint
    tp = sum(f and g for f, g in zip(flags, gold, strict=True))
    fp = sum(f and not g for f, g in zip(flags, gold, strict=True))
    fn = sum(g and not f for f, g in zip(flags, gold, strict=True))
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    return {
        "posts": len(texts),
        "complaints": sum(gold),
        "accuracy": round(sum(f == g for f, g in zip(flags, gold, strict=True)) / max(len(texts), 1), 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=shared_data_dir())
    parser.add_argument("--split", choices=("dev", "test"))
    args = parser.parse_args(argv)
    if args.data_dir is None or not (args.data_dir / "complaints_tweets_en").is_dir():
        print("no complaints_tweets_en: pass the shared data folder", file=sys.stderr)
        return 2
    print(json.dumps({"split": args.split or "all", **evaluate(args.data_dir, args.split)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

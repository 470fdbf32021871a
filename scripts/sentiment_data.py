"""Readers and leak-free splits for the sentiment training and evaluation data in shared/data.

Used by scripts/train_sentiment.py and bench/bench_nlp.py so that training and measurement agree on
what is held out. Nothing in the package imports this: the shipped model needs no data at run time.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from groundswell.nlp.normalize import normalize

EN_LABELS = ("negative", "neutral", "positive")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_KEY_DROP = re.compile(r"<url>|@user|[\"'“”‘’]|\s+")
# KOTE emotion indices (see shared/data/kote/README.md) grouped by polarity.
KOTE_POSITIVE = frozenset({1, 2, 4, 7, 8, 13, 14, 16, 28, 32, 40, 42, 43})
KOTE_NEGATIVE = frozenset({0, 3, 5, 6, 10, 12, 18, 19, 20, 21, 22, 23, 25, 26, 27, 31, 34, 35, 36, 37, 41})
KOTE_NONE = 24


def dedupe_key(text: str) -> str:
    return _KEY_DROP.sub(" ", normalize(text).lower()).strip()


def _tweeteval(data: Path, split: str) -> tuple[list[str], list[str]]:
    folder = data / "tweeteval_sentiment"
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (folder / f"{split}_labels.txt").read_text(encoding="utf-8").splitlines()
    return [t.strip() for t in texts], [EN_LABELS[int(y)] for y in labels]


def english_splits(data: Path) -> dict[str, tuple[list[str], list[str]]]:
    """train: the SemEval-2017 pool minus anything matching TweetEval val/test; dev: TweetEval val."""
    dev = _tweeteval(data, "val")
    test = _tweeteval(data, "test")
    banned = {dedupe_key(t) for t in dev[0] + test[0]}
    seen: dict[str, str] = {}
    texts: dict[str, str] = {}
    conflicted: set[str] = set()
    for path in sorted((data / "semeval2017_task4a_english").glob("twitter-*-A.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 3 or parts[1] not in EN_LABELS:
                continue
            text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), parts[2]).strip().strip('"')
            key = dedupe_key(text)
            if not key or key in banned:
                continue
            if key in seen and seen[key] != parts[1]:
                conflicted.add(key)
            seen[key] = parts[1]
            texts[key] = text
    keys = [k for k in seen if k not in conflicted]
    return {
        "train": ([texts[k] for k in keys], [seen[k] for k in keys]),
        "dev": dev,
        "test": test,
    }


def korean_splits(data: Path, seed: int = 1234) -> dict[str, tuple[list[str], list[int]]]:
    """NSMC train file split by unique text (no text in two splits): 80% train, 5% dev, 15% test."""
    by_text: dict[str, list[int]] = {}
    with (data / "nsmc" / "ratings_train.txt").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = (row["document"] or "").strip()
            if text:
                by_text.setdefault(text, []).append(int(row["label"]))
    items = sorted(by_text.items())
    random.Random(seed).shuffle(items)
    n = len(items)
    cut_dev, cut_test = int(n * 0.80), int(n * 0.85)
    out: dict[str, tuple[list[str], list[int]]] = {}
    for name, chunk in (
        ("train", items[:cut_dev]),
        ("dev", items[cut_dev:cut_test]),
        ("test", items[cut_test:]),
    ):
        texts, labels = [], []
        for text, ys in chunk:
            label = round(sum(ys) / len(ys))
            if name == "train" or len(set(ys)) == 1:  # conflicting duplicates are not gold for evaluation
                texts.append(text)
                labels.append(label)
        out[name] = (texts, labels)
    return out


def kote_polarity(data: Path) -> tuple[list[str], list[str]]:
    """KOTE comments with a 3-class label derived from the raters' emotions (see the model card).

    neutral: at most one polar emotion, or "없음" (no emotion) and at most two; positive/negative: at least
    two emotions of that polarity and at most one of the other; anything else is ambiguous and left out.
    """
    texts, labels = [], []
    with (data / "kote" / "val.tsv").open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if len(row) < 3:
                continue
            emotions = {int(x) for x in row[2].split(",") if x.strip().isdigit()}
            pos, neg = len(emotions & KOTE_POSITIVE), len(emotions & KOTE_NEGATIVE)
            if pos + neg <= 1 or (KOTE_NONE in emotions and pos + neg <= 2):
                label = "neutral"
            elif pos >= 2 and neg <= 1:
                label = "positive"
            elif neg >= 2 and pos <= 1:
                label = "negative"
            else:
                continue
            texts.append(row[1])
            labels.append(label)
    return texts, labels

"""Real labelled posts from ../shared/data, for replays with injected complaint bursts.

Each pool is a list of `Post(text, label, lang)` with label negative | neutral | positive taken
from the human labels of the data set (KOTE emotions, NSMC ratings, hate-speech toxicity,
SemEval tweet sentiment). Missing data sets are skipped; `load_pools` says which were found.
"""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

KOTE_NEGATIVE = {0, 6, 22, 3, 20, 23}  # 불평/불만, 화남/분노, 짜증, 지긋지긋, 한심함, 어이없음
KOTE_POSITIVE = {1, 2, 4, 28, 40, 42, 43}  # 환영/호의, 감동/감탄, 고마움, 즐거움, 행복, 기쁨, 안심/신뢰


@dataclass(frozen=True)
class Post:
    text: str
    label: str  # negative | neutral | positive
    lang: str
    pool: str


def shared_data_dir() -> Path | None:
    """GROUNDSWELL_SHARED_DATA, else ../shared/data beside the checkout; None when absent."""
    env = os.environ.get("GROUNDSWELL_SHARED_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"
    return path if path.is_dir() else None


def _kote(root: Path) -> list[Post]:
    out = []
    path = root / "kote" / "val.tsv"
    if not path.exists():
        return out
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 3:
                continue
            labels = {int(x) for x in row[2].split(",") if x.strip().isdigit()}
            neg, pos = len(labels & KOTE_NEGATIVE), len(labels & KOTE_POSITIVE)
            label = "negative" if neg > pos else "positive" if pos > neg else "neutral"
            out.append(Post(row[1], label, "ko", "kote"))
    return out


def _tsv_rows(path: Path) -> Iterator[list[str]]:
    """The tab-separated fields of each line after the header; nothing when the file is absent."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        next(handle, None)
        for line in handle:
            yield line.rstrip("\n").split("\t")


def _nsmc(root: Path, limit: int) -> list[Post]:
    out = []
    for parts in _tsv_rows(root / "nsmc" / "ratings_train.txt"):
        if len(parts) == 3 and parts[1].strip():
            out.append(Post(parts[1], "negative" if parts[2] == "0" else "positive", "ko", "nsmc"))
        if len(out) >= limit:
            break
    return out


def _hate(root: Path) -> list[Post]:
    return [
        Post(parts[0], "negative" if parts[3] != "none" else "neutral", "ko", "hate")
        for parts in _tsv_rows(root / "korean_hate_speech" / "train.tsv")
        if len(parts) == 4
    ]


def _semeval(root: Path) -> list[Post]:
    out, seen = [], set()
    folder = root / "semeval2017_task4a_english"
    for path in sorted(folder.glob("twitter-*-A.txt")) if folder.is_dir() else []:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3 or parts[1] not in {"negative", "neutral", "positive"}:
                    continue
                text = parts[2].strip().strip('"')
                if text and text not in seen:
                    seen.add(text)
                    out.append(Post(text, parts[1], "en", "semeval"))
    return out


def load_pools(root: Path, nsmc_limit: int = 40_000) -> dict[str, list[Post]]:
    pools = {
        "kote": _kote(root),
        "nsmc": _nsmc(root, nsmc_limit),
        "hate": _hate(root),
        "semeval": _semeval(root),
    }
    return {k: v for k, v in pools.items() if v}


def shuffled(pool: list[Post], seed: int) -> list[Post]:
    out = list(pool)
    random.Random(seed).shuffle(out)
    return out

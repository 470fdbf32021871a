"""Complaint tweets by *reason*: the touchpoint a CX manager would route each one to.

The brand-domain labels of `complaints_tweets_en` (services, software, ...) say what industry a
brand is in, not what a complaint is about, so they are a poor stand-in for touchpoints or topics:
"waited two hours and nobody answers" is the same complaint at a bank and at an airline. Here each
of the data set's 1,232 complaint tweets carries one reason of ten (`REASONS`, defined in
bench/data/complaint_reasons.md): customer-service, delay, delivery, billing, product-defect,
software, outage, availability, staff, or other (no reason can be told; left out of the scores,
as annotators' "can't tell" is in the airline data the issue names).

Provenance, stated plainly: the reasons were assigned by the development agent (an LLM), one tweet
at a time, reading the text against the written guide; no program guessed them and nothing was
tuned before they were written. They are not independent human annotations. The file keeps only an
id (the first 12 hex digits of the MD5 of the tweet's raw text) and the reason: the tweets
themselves have no licence to be redistributed, so they are read from DATA_DIR. Halves are
bench.kind_bursts.split_of's: `dev` for choices, `test` reported once.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

LABELS = Path(__file__).parent / "data" / "complaint_reasons.tsv"
REASONS = (
    "customer-service",
    "delay",
    "delivery",
    "billing",
    "product-defect",
    "software",
    "outage",
    "availability",
    "staff",
)
UNSCORED = "other"


def tweet_id(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()[:12]


def reasons() -> dict[str, str]:
    """id -> reason, from the labels shipped with the bench."""
    out: dict[str, str] = {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, reason = line.split("\t")[:2]
            out[key] = reason
    return out


def load(root: Path, scored_only: bool = True) -> dict[str, list[tuple[str, str]]]:
    """(raw text, reason) per half, each tweet once; `scored_only` leaves out `other`."""
    from bench.kind_bursts import split_of

    known = reasons()
    rows: dict[str, list[tuple[str, str]]] = {"dev": [], "test": []}
    seen: set[str] = set()
    with (root / "complaints_tweets_en" / "complaints-data.csv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if len(row) != 4 or row[2] != "1":
                continue
            key = tweet_id(row[1])
            reason = known.get(key)
            if key in seen or reason is None or (scored_only and reason == UNSCORED):
                continue
            seen.add(key)
            rows[split_of(row[1])].append((row[1], reason))
    return rows

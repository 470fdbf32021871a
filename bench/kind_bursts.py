"""Bursts whose posts share a *kind*, not a word: the harness that resembles real complaints.

Real complaints of one kind do not share one word ("bag", "luggage", "suitcase", "my stuff never
arrived"; 배송/택배/도착/안 와요). So a burst here is 40 real posts that humans put in one category,
drawn so that **no content word occurs in more than 30% of the burst's posts**:

- English: complaint tweets addressed to brands, one burst per brand domain (services, software,
  electronics, apparel, transport, retail, food, cars; Preoțiuc-Pietro et al. 2019, complaint
  label 1), or with `english="reasons"` one burst per complaint reason (bench.complaint_reasons:
  software, customer-service, product-defect, billing, delivery; the rarer reasons have too few
  tweets for 40 posts under the word cap). Evaluation only: that data has no licence and trains
  nothing shipped.
- Korean: online comments humans labelled alike: gender-biased comments and other-biased hateful
  ones (Korean hate speech), and KOTE comments labelled 불평/불만 + 짜증, 불안/걱정, 안타까움/실망 + 슬픔,
  증오/혐오.

Every pool is split in two by a hash of the text: `dev` is what detection is tuned on, `test` is
never looked at while tuning (its figures are reported as they come).
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections import Counter
from pathlib import Path

from bench.replay_data import Post
from groundswell.terms import terms_of

BURST_POSTS = 40
MAX_WORD_SHARE = 0.3
EN_DOMAINS = ("services", "software", "electronics", "apparel", "transport", "retail", "food", "cars")
KOTE_KINDS = {  # kind -> KOTE label ids that must all be present
    "불평+짜증": {0, 22},
    "불안/걱정": {41},
    "실망+슬픔": {10, 5},
    "증오/혐오": {31},
}


def split_of(text: str) -> str:
    return "dev" if hashlib.md5(text.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def _english(root: Path) -> dict[str, list[Post]]:
    path = root / "complaints_tweets_en" / "complaints-data.csv"
    kinds: dict[str, list[Post]] = {}
    if not path.exists():
        return kinds
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if len(row) == 4 and row[2] == "1" and row[3] in EN_DOMAINS:
                kinds.setdefault(f"en:{row[3]}", []).append(Post(row[1], "negative", "en", "complaints"))
    return kinds


def _korean(root: Path) -> dict[str, list[Post]]:
    kinds: dict[str, list[Post]] = {}
    hate = root / "korean_hate_speech" / "train.tsv"
    if hate.exists():
        with hate.open(encoding="utf-8") as handle:
            next(handle, None)
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 4:
                    continue
                if parts[1] == "True":
                    kinds.setdefault("ko:gender-bias", []).append(Post(parts[0], "negative", "ko", "hate"))
                elif parts[2] == "others" and parts[3] in {"hate", "offensive"}:
                    kinds.setdefault("ko:others-hate", []).append(Post(parts[0], "negative", "ko", "hate"))
    kote = root / "kote" / "val.tsv"
    if kote.exists():
        with kote.open(encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 3:
                    continue
                labels = {int(x) for x in row[2].split(",") if x.strip().isdigit()}
                for kind, need in KOTE_KINDS.items():
                    if need <= labels:
                        kinds.setdefault(f"ko:{kind}", []).append(Post(row[1], "negative", "ko", "kote"))
    return kinds


def _english_reasons(root: Path) -> dict[str, list[Post]]:
    """English complaint tweets by their reason (bench.complaint_reasons): one kind of complaint
    across brands, closer to "lost luggage at one airline" than a brand domain is."""
    from bench import complaint_reasons

    kinds: dict[str, list[Post]] = {}
    if not (root / "complaints_tweets_en").is_dir():
        return kinds
    for rows in complaint_reasons.load(root).values():
        for text, reason in rows:
            kinds.setdefault(f"en:{reason}", []).append(Post(text, "negative", "en", "complaints"))
    return kinds


def kind_pools(root: Path, split: str, english: str = "domains") -> dict[str, list[Post]]:
    """kind -> posts of that split, for both languages; English kinds are brand `domains` or
    complaint `reasons`."""
    pools = {**(_english_reasons(root) if english == "reasons" else _english(root)), **_korean(root)}
    return {k: [p for p in posts if split_of(p.text) == split] for k, posts in pools.items()}


def draw_burst(posts: list[Post], rng: random.Random, size: int = BURST_POSTS) -> list[Post] | None:
    """`size` posts of one kind in which no content word is in more than MAX_WORD_SHARE of them."""
    cap = int(MAX_WORD_SHARE * size)
    order = list(posts)
    rng.shuffle(order)
    chosen: list[Post] = []
    counts: Counter[str] = Counter()
    for post in order:
        words = set(terms_of(post.text))
        if any(counts[w] >= cap for w in words):
            continue
        chosen.append(post)
        counts.update(words)
        if len(chosen) == size:
            return chosen
    return None


def max_word_share(posts: list[Post]) -> float:
    counts = Counter(w for p in posts for w in set(terms_of(p.text)))
    return max(counts.values()) / len(posts) if counts else 0.0

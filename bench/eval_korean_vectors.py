"""Korean meaning vectors side by side: `python -m bench.eval_korean_vectors DATA_DIR [NPZ ...]`.

Each NPZ is a `KoreanVectors` file (default: the shipped nlp/models/semantic_ko.npz). Measures,
on the `dev` half by text hash unless `--split test`:

- **P@10**: same-category precision@10 of post vectors on the Korean topic sets of
  bench/eval_topics.py (subject-ko: movie reviews vs gender- vs other-group-biased comments;
  domain-ko: which corpus).
- **pairs**: per Korean kind of bench/kind_bursts.py, the share of same-kind pairs above the 97th
  percentile of random pairs of the background (the neighbour bar the detector uses is a quantile
  of the brand's own pairs, so this is what "same kind reads as neighbours" means there).
- **touchpoints**: the hand-labelled Korean posts of tests/nlp/data/touchpoints_eval.jsonl through
  the default taxonomy with meaning on (micro F1; words only for reference), and the Korean
  complaints in other words of tests/nlp/test_touchpoints_meaning.py (how many get their
  touchpoint first; how many complaints about nothing in the taxonomy get one).
- **neighbours** of app and commerce words (a sanity check, printed).

The shared Korean corpora are movie reviews and online comments: none is app or shop reviews, so
the pairs and P@10 figures measure stances and corpora, not app failures (see the model card).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path
from typing import Any

import numpy as np

from bench.kind_bursts import _korean, split_of
from bench.replay_data import load_pools, shared_data_dir

ROOT = Path(__file__).resolve().parents[1]
SANITY = ("결제", "환불", "배송", "로그인", "업데이트", "오류", "튕기", "먹통", "품절", "고객센터")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def precision_at_10(vectors: np.ndarray, labels: list[str]) -> float:
    keep = np.any(vectors, axis=1)
    vectors, lab = vectors[keep], np.array(labels)[keep]
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    top = np.argsort(-sims, axis=1)[:, :10]
    return float((lab[top] == lab[:, None]).mean())


def pair_separation(vectors: Any, kinds: dict[str, list[str]], background: list[str]) -> dict[str, float]:
    """Share of same-kind pairs whose cosine beats the 97th percentile of random background pairs."""
    rng = np.random.default_rng(0)
    bg = vectors.embed(background)
    bg = bg[np.any(bg, axis=1)]
    i, j = rng.integers(0, len(bg), 20_000), rng.integers(0, len(bg), 20_000)
    ok = i != j
    bar = float(np.quantile((bg[i[ok]] * bg[j[ok]]).sum(axis=1), 0.97))
    out = {}
    for kind, texts in kinds.items():
        vec = vectors.embed(texts[:400])
        vec = vec[np.any(vec, axis=1)]
        sims = vec @ vec.T
        upper = sims[np.triu_indices(len(vec), 1)]
        out[kind] = round(float((upper > bar).mean()), 3)
    return out


def touchpoint_figures(path: Path) -> dict[str, float]:
    from groundswell.nlp.semantic import Korean, SemanticEncoder
    from groundswell.nlp.sentiment import build
    from groundswell.nlp.touchpoints import TouchpointClassifier, default_touchpoints
    from groundswell.records import Sentiment
    from tests.nlp.test_touchpoints_meaning import KOREAN, KOREAN_ELSEWHERE, KOREAN_OTHER_WORDS

    semantic = SemanticEncoder("static", overrides={"ko": Korean(path)})
    rows = [
        json.loads(line) for line in (ROOT / "tests/nlp/data/touchpoints_eval.jsonl").open(encoding="utf-8")
    ]
    rows = [r for r in rows if _HANGUL.search(r["text"])]
    texts = [r["text"] for r in rows]
    sentiment = build("default")
    out: dict[str, float] = {}
    for name, sem in (("words", None), ("meaning", semantic)):
        tagger = TouchpointClassifier(default_touchpoints(), sentiment=sentiment, semantic=sem)
        predicted = tagger.tag(texts, sentiment.predict(texts, ["ko"] * len(texts)), ["ko"] * len(texts))
        tp = fp = fn = 0
        for pred, row in zip(predicted, rows, strict=True):
            gold, got = set(row["touchpoints"]), set(pred)
            tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        out[f"hand_ko_f1_{name}"] = round(2 * p * r / max(p + r, 1e-9), 3)
    neg = Sentiment(label="negative", score=-0.7, confidence=0.9)
    tagger = TouchpointClassifier(KOREAN, semantic=semantic)
    posts = list(KOREAN_OTHER_WORDS) + list(KOREAN_ELSEWHERE)
    tags = tagger.tag(posts, [neg] * len(posts), ["ko"] * len(posts))
    n = len(KOREAN_OTHER_WORDS)
    out["other_words_right"] = sum(
        t[:1] == [g] for t, g in zip(tags[:n], KOREAN_OTHER_WORDS.values(), strict=True)
    )
    out["other_words_of"] = n
    out["elsewhere_tagged"] = sum(bool(t) for t in tags[n:])
    out["elsewhere_of"] = len(KOREAN_ELSEWHERE)
    return out


def review_figures(vectors: Any) -> dict[str, float]:
    """Closest to the judged use, but small and hand-written: tests/nlp/data/ko_reviews_eval.jsonl
    (app vs shopping vs game reviews, P@10 of the domain) and the 12 complaints in other words
    (share whose nearest other complaint is of the same touchpoint; chance 2/11)."""
    from tests.nlp.test_touchpoints_meaning import KOREAN_OTHER_WORDS

    rows = [
        json.loads(line) for line in (ROOT / "tests/nlp/data/ko_reviews_eval.jsonl").open(encoding="utf-8")
    ]
    out = {
        "p10_reviews_domain": round(
            precision_at_10(vectors.embed([r["text"] for r in rows]), [r["domain"] for r in rows]), 3
        )
    }
    vec = vectors.embed(list(KOREAN_OTHER_WORDS))
    sims = vec @ vec.T
    np.fill_diagonal(sims, -np.inf)
    gold = list(KOREAN_OTHER_WORDS.values())
    out["other_words_nn"] = round(
        float(np.mean([gold[int(np.argmax(r))] == g for r, g in zip(sims, gold, strict=True)])), 3
    )
    return out


def evaluate(data_dir: Path, path: Path, split: str = "dev") -> dict[str, Any]:
    from bench.eval_topics import domain_set, subject_set
    from groundswell.nlp.semantic.korean_vectors import KoreanVectors

    vectors = KoreanVectors.load(path)
    rng = random.Random(7)
    pools = load_pools(data_dir, nsmc_limit=20_000)
    korean = {
        k: [p for p in pools[k] if split_of(p.text) == split] for k in ("nsmc", "kote", "hate") if k in pools
    }
    out: dict[str, Any] = {
        "vocab": len(vectors.vocab),
        "dim": vectors.dim,
        "mb": round(path.stat().st_size / 1e6, 1),
    }
    texts, _, labels = domain_set(korean, 700, rng)
    out["p10_domain"] = round(precision_at_10(vectors.embed(texts), labels), 3)
    texts, _, labels = subject_set(data_dir, split, korean["nsmc"], rng)
    out["p10_subject"] = round(precision_at_10(vectors.embed(texts), labels), 3)
    kinds = {k: [p.text for p in v if split_of(p.text) == split] for k, v in _korean(data_dir).items()}
    background = [p.text for pool in korean.values() for p in pool[:1500]]
    out["pairs"] = pair_separation(vectors, kinds, background)
    out.update(review_figures(vectors))
    out.update(touchpoint_figures(path))
    out["neighbours"] = {w: [n for n, _ in vectors.similar(w, 6)] for w in SANITY}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=shared_data_dir())
    parser.add_argument(
        "vectors", nargs="*", type=Path, default=[ROOT / "nlp" / "models" / "semantic_ko.npz"]
    )
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    args = parser.parse_args(argv)
    for path in args.vectors:
        print(
            json.dumps(
                {"vectors": str(path), **evaluate(args.data_dir, path, args.split)}, ensure_ascii=False
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

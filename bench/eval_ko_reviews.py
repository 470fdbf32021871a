"""Korean review figures per domain: `python -m bench.eval_ko_reviews [MODELS_DIR]`.

Reads tests/nlp/data/ko_reviews_eval.jsonl (a small hand-built set of app, shopping and game
reviews, both polarities; how it was written: tests/nlp/data/README.md) and prints, per domain,
the recall of each class and their mean (macro recall). The Korean model's neutral band counts as
a miss: a review that is praise or a complaint should be read as one. Also prints the six phrases
the issue reported misread (they are not in the set: the lexicon was written with them in view).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REVIEW_SET = ROOT / "tests" / "nlp" / "data" / "ko_reviews_eval.jsonl"
DOMAINS = ("app", "shopping", "game")
ISSUE_PHRASES = (
    "빠른배송", "배송짱", "로켓배송이좋아요", "쿠팡없으면 못살지경 ㅠㅠ", "쿠폰도 많아요", "저렴하고 다양한 상품이 많음",
)  # fmt: skip


def review_metrics(models_dir: Path | None = None) -> dict[str, float]:
    """{domain}_macro_recall, {domain}_posts and issue_phrases_positive for the default model (or MODELS_DIR)."""
    from groundswell.nlp.normalize import normalize
    from groundswell.nlp.sentiment._linear import LinearSentiment

    model = LinearSentiment(models_dir)
    rows = [json.loads(line) for line in REVIEW_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    predicted = model.predict([normalize(r["text"]) for r in rows], ["ko"] * len(rows))
    hits: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row, sentiment in zip(rows, predicted, strict=True):
        cell = hits[(row["domain"], row["label"])]
        cell[0] += sentiment.label.value == row["label"]
        cell[1] += 1
    out: dict[str, float] = {}
    for domain in DOMAINS:
        recalls = [hits[(domain, label)][0] / hits[(domain, label)][1] for label in ("positive", "negative")]
        out[f"{domain}_macro_recall"] = round(sum(recalls) / 2, 3)
        out[f"{domain}_posts"] = hits[(domain, "positive")][1] + hits[(domain, "negative")][1]
    issue = model.predict([normalize(t) for t in ISSUE_PHRASES], ["ko"] * len(ISSUE_PHRASES))
    out["issue_phrases_positive"] = sum(s.label.value == "positive" for s in issue)
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    print(json.dumps(review_metrics(Path(args[0]) if args else None), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

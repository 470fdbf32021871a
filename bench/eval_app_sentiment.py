"""Korean sentiment on real app-store reviews, scored by their stars: `python -m bench.eval_app_sentiment REVIEWS_DIR`.

REVIEWS_DIR is bench.app_replay's folder of ``<app>.jsonl`` Google Play reviews (evaluation only,
not in this repository, never trained on). A review of 1-2 stars should read negative, one of 4-5
stars positive (3 stars is left out: either reading is fair); the model's neutral band counts as a
miss, as in bench.eval_ko_reviews. Stars are noisy labels (a 5-star "업데이트 후 튕겨요 고쳐주세요"
exists), so this is a floor on what a reader would agree with. Prints the macro recall of the two
classes per app and over all reviews, and how many negatives (and, wrongly, positives) the complaint
rule flags.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path


def evaluate(root: Path) -> dict[str, dict[str, float]]:
    from bench.app_replay import review_rows
    from groundswell.complaint import is_complaint
    from groundswell.nlp.normalize import normalize
    from groundswell.nlp.sentiment._linear import LinearSentiment

    rows = [
        (app, "negative" if rating <= 2 else "positive", text)
        for app, text, rating, _kind, _date in review_rows(root)
        if rating != 3 and text
    ]
    texts = [normalize(t) for _, _, t in rows]
    predicted = LinearSentiment().predict(texts, ["ko"] * len(rows))
    hits: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for (app, gold, text), sentiment in zip(rows, predicted, strict=True):
        for scope in (app, "all"):
            cell = hits[(scope, gold)]
            cell[0] += sentiment.label.value == gold
            cell[1] += 1
            cell[2] += is_complaint(text, sentiment.label.value, sentiment.score)
    out: dict[str, dict[str, float]] = {}
    for scope in sorted({s for s, _ in hits}):
        pos, neg = hits[(scope, "positive")], hits[(scope, "negative")]
        recalls = [c[0] / c[1] for c in (pos, neg) if c[1]]
        out[scope] = {
            "reviews": pos[1] + neg[1],
            "positive_recall": round(pos[0] / max(pos[1], 1), 3),
            "negative_recall": round(neg[0] / max(neg[1], 1), 3),
            "macro_recall": round(sum(recalls) / max(len(recalls), 1), 3),
            "negatives_flagged_as_complaints": round(neg[2] / max(neg[1], 1), 3),
            "positives_flagged_as_complaints": round(pos[2] / max(pos[1], 1), 3),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or not any(Path(args[0]).glob("*.jsonl")):
        print(
            "usage: python -m bench.eval_app_sentiment REVIEWS_DIR (a folder of <app>.jsonl)", file=sys.stderr
        )
        return 2
    print(json.dumps(evaluate(Path(args[0])), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

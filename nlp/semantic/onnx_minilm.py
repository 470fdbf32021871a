"""MiniLM (all-MiniLM-L6-v2) with int8 weights in ONNX Runtime: MiniLM's meaning without torch.

`nlp/models/semantic_en_onnx/` holds the graph exported from the installed MiniLM and quantised
to int8 (`python scripts/export_minilm_onnx.py nlp/models/semantic_en_onnx`, byte-identical on
re-runs; 22.9 MB) and MiniLM's tokenizer. Measured against MiniLM in torch (bench/eval_semantic.py,
nlp/semantic/MODEL_CARD.md): same-domain precision@10 on real complaint tweets 0.402 vs 0.410,
~2.5x the texts per CPU-second, 0.5 s to load instead of 4-9 s, a third of the memory. Chosen
with `nlp.semantic_en: onnx`; needs `onnxruntime` (the `onnx` extra).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ONNX_DIR = Path(__file__).resolve().parent.parent / "models" / "semantic_en_onnx"
MODEL_FILE = "minilm.int8.onnx"
MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length
RECENT_TEXTS = 20_000  # vectors remembered by text (~31 MB at 384 float32)
DIM = 384


def has_onnx(path: Path = ONNX_DIR) -> bool:
    """Whether onnxruntime is installed and the model files are there."""
    return importlib.util.find_spec("onnxruntime") is not None and (path / MODEL_FILE).is_file()


class OnnxMiniLM:
    """Texts -> unit-length MiniLM vectors: the `tokenizers` tokenizer, the ONNX graph, mean pooling.

        One thread by default: a text runs alone (see `encode`), too small a job to split, and ONNX
    Runtime's pool spins while it waits, which on a busy core (the pipeline, a backtest) doubled the
    CPU time of a replay. `threads=0` lets it use every core.
    """

    def __init__(self, path: Path = ONNX_DIR, model_file: str = MODEL_FILE, threads: int = 1) -> None:
        try:
            import onnxruntime as ort
        except ModuleNotFoundError as exc:
            raise ModuleNotFoundError(
                "nlp.semantic_en: onnx needs ONNX Runtime: pip install 'groundswell[onnx]'"
            ) from exc
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(
            str(path / model_file), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()  # tokenizer.json pads to a fixed length; each text runs alone
        self._recent: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One text per run: int8 activations are quantised over the whole input, so a batch would
        make a vector depend on its batch-mates (and their padding); alone it is also fastest.

        The newest RECENT_TEXTS vectors are remembered by text: one instance serves the topic model
        (every English post, at enrichment) and the detector (the complaints among them, minutes
        later), so a complaint is run through the model once."""
        # the remembered vectors are taken first: another thread's `_remember` may evict them
        found = {t: v for t in dict.fromkeys(texts) if (v := self._recent.get(t)) is not None}
        fresh = [t for t in dict.fromkeys(texts) if t not in found]
        for text, enc in zip(fresh, self.tokenizer.encode_batch(fresh), strict=True):
            ids = np.asarray([enc.ids], dtype=np.int64)
            (hidden,) = self.session.run(
                None,
                {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)},
            )
            pooled = hidden[0].mean(axis=0)
            norm = float(np.linalg.norm(pooled))
            found[text] = (pooled / norm if norm > 1e-9 else np.zeros(DIM)).astype(np.float32)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = found[text]
        for text in fresh:
            self._remember(text, found[text])
        return out

    def _remember(self, text: str, vector: np.ndarray) -> None:
        if len(self._recent) >= RECENT_TEXTS:
            for old in list(self._recent)[: RECENT_TEXTS // 4]:  # the oldest quarter (insertion order)
                self._recent.pop(old, None)  # another thread may have dropped it
        self._recent[text] = vector

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        """The topic model's embedder interface (nlp.topics.embed), same vectors as `encode`."""
        return self.encode(documents)

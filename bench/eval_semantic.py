"""English meaning vectors side by side: quality and speed of MiniLM (torch), MiniLM in ONNX Runtime
(float32 and int8) and the shipped static vectors: `python -m bench.eval_semantic [--onnx DIR]`.

Quality is same-domain precision@10 among the real complaint tweets addressed to brands
(complaints_tweets_en, the 1,232 gold complaints of 9 domains, "other" included): for each
complaint, the share of its 10 nearest others (cosine) that address a brand of the same domain.
Handles are removed first (`@united`); with handles, the brand's own name decides most neighbours.
`p_at_10_dev` / `p_at_10_test` are the same on each half (bench.kind_bursts.split_of) of the posts
normalised as the pipeline hands them over (`<url>`, `@user`, then handles removed): the figures
settings are chosen by (dev) and reported by (test).
Speed is texts per CPU-second (and per wall-second) on one core with one thread, over the 3,448
tweets of the file, in batches of 64, after a warm-up.

`onnx-int8` is the shipped nlp/models/semantic_en_onnx (or DIR's copy with --onnx DIR); the
float32 row needs `python scripts/export_minilm_onnx.py DIR --fp32` and --onnx DIR. Each encoder
runs in its own pinned child process. Figures: nlp/semantic/MODEL_CARD.md and BENCHMARKS.md ("NLP").
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.bench_nlp import _one_core
from bench.kind_bursts import split_of
from bench.replay_data import shared_data_dir

ROOT = Path(__file__).resolve().parents[1]
HANDLE = re.compile(r"@\w+")
K = 10


def tweets(data: Path) -> tuple[list[str], list[str], list[bool]]:
    """(text, domain, is_complaint) of every row of complaints-data.csv."""
    with (data / "complaints_tweets_en" / "complaints-data.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle) if len(r) == 4]
    return [r[1] for r in rows], [r[3] for r in rows], [r[2] == "1" for r in rows]


def precision_at_k(vectors: np.ndarray, labels: Sequence[str], k: int = K) -> float:
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    sims = unit @ unit.T
    np.fill_diagonal(sims, -np.inf)
    top = np.argpartition(-sims, k, axis=1)[:, :k]
    same = np.asarray(labels)[top] == np.asarray(labels)[:, None]
    return float(same.mean())


def encoder(name: str, onnx_dir: Path | None):  # type: ignore[no-untyped-def]
    if name == "minilm":
        import torch

        torch.set_num_threads(1)
        from groundswell.nlp.semantic import MiniLM

        return MiniLM()
    if name == "static":
        from groundswell.nlp.semantic import StaticEnglish

        return StaticEnglish()
    from groundswell.nlp.semantic.onnx_minilm import ONNX_DIR, OnnxMiniLM

    if name == "onnx-fp32":
        assert onnx_dir is not None
        return OnnxMiniLM(onnx_dir, "minilm.onnx", threads=1)
    return OnnxMiniLM(onnx_dir or ONNX_DIR, threads=1)


def child(name: str, onnx_dir: Path | None) -> dict[str, object]:
    import resource

    from groundswell.nlp.normalize import normalize

    data = shared_data_dir()
    assert data is not None
    texts, domains, complaint = tweets(data)
    start = time.perf_counter()
    model = encoder(name, onnx_dir)
    model.encode(texts[:64])
    load_s = time.perf_counter() - start
    cpu0, wall0 = time.process_time(), time.perf_counter()
    model.encode(texts)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    idx = [i for i, c in enumerate(complaint) if c]
    labels = [domains[i] for i in idx]
    p_plain = precision_at_k(model.encode([HANDLE.sub(" ", texts[i]) for i in idx]), labels)
    p_handles = precision_at_k(model.encode([texts[i] for i in idx]), labels)
    halves = {}
    for half in ("dev", "test"):
        rows = [i for i in idx if split_of(texts[i]) == half]
        normalised = [HANDLE.sub(" ", normalize(texts[i])) for i in rows]
        halves[f"p_at_10_{half}"] = round(
            precision_at_k(model.encode(normalised), [domains[i] for i in rows]), 3
        )
    return {
        "encoder": name,
        "complaints": len(idx),
        "p_at_10": round(p_plain, 3),
        "p_at_10_with_handles": round(p_handles, 3),
        **halves,
        "texts_per_cpu_s": round(len(texts) / cpu),
        "texts_per_wall_s": round(len(texts) / wall),
        "load_s": round(load_s, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def chance(data: Path) -> float:
    """Expected P@10 of random neighbours: the mean share of a complaint's own domain among the others."""
    _, domains, complaint = tweets(data)
    labels = [d for d, c in zip(domains, complaint, strict=True) if c]
    counts = {d: labels.count(d) for d in set(labels)}
    return round(sum((counts[d] - 1) / (len(labels) - 1) for d in labels) / len(labels), 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onnx", type=Path, help="folder written by scripts/export_minilm_onnx.py")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "semantic_en.json")
    args = parser.parse_args(argv)
    if args.child:
        _one_core()
        print(json.dumps(child(args.child, args.onnx)))
        return 0
    data = shared_data_dir()
    if data is None:
        print("shared/data not found (set GROUNDSWELL_SHARED_DATA)", file=sys.stderr)
        return 2
    fp32 = args.onnx is not None and (args.onnx / "minilm.onnx").is_file()
    names = ["static", "minilm", "onnx-int8"] + (["onnx-fp32"] if fp32 else [])
    rows = []
    for name in names:
        cmd = [sys.executable, "-m", "bench.eval_semantic", "--child", name]
        if args.onnx:
            cmd += ["--onnx", str(args.onnx)]
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]))
    result = {"chance": chance(data), "encoders": rows}
    print(json.dumps({"chance": result["chance"]}))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The complaint bench reads the annotated CSV, splits it by text hash and scores the shipped rule."""

from __future__ import annotations

from pathlib import Path

from bench.eval_complaint import evaluate, load
from bench.kind_bursts import split_of

ROWS = [
    '1,"@acme my parcel never arrived, three weeks now",1,retail',
    '2,"@acme thanks, the new jacket fits perfectly",0,apparel',
    '3,"@acme the app keeps crashing since the update",1,software',
    '4,"lovely sunny morning in the park",0,other',
    "id,text,label,domain",
]


def _data(tmp_path: Path) -> Path:
    folder = tmp_path / "complaints_tweets_en"
    folder.mkdir()
    (folder / "complaints-data.csv").write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    return tmp_path


def test_rows_and_splits(tmp_path: Path) -> None:
    data = _data(tmp_path)
    texts, gold = load(data, None)
    assert len(texts) == 4 and gold == [True, False, True, False]  # the header row is skipped
    dev, _ = load(data, "dev")
    test, _ = load(data, "test")
    assert sorted(dev + test) == sorted(texts)
    assert all(split_of(t) == "dev" for t in dev)


def test_scores_the_shipped_rule(tmp_path: Path) -> None:
    figures = evaluate(_data(tmp_path))
    assert figures["posts"] == 4 and figures["complaints"] == 2
    assert figures["recall"] == 1.0  # both plain complaints are flagged
    assert figures["accuracy"] >= 0.75

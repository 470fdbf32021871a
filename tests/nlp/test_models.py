"""Shipped artefacts stay small and loadable; the training script runs end to end on a tiny data dir."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from groundswell.nlp.sentiment._linear import MODELS_DIR, LinearModel, LinearSentiment

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_models_are_small_and_consistent() -> None:
    for path in sorted(MODELS_DIR.glob("*.npz")):
        assert path.stat().st_size < 25 * 1024 * 1024, path
    en = LinearModel.load(MODELS_DIR / "sentiment_en.npz")
    ko = LinearModel.load(MODELS_DIR / "sentiment_ko.npz")
    assert en.classes == ("negative", "neutral", "positive") and en.coef.shape[0] == 3
    assert ko.coef.shape[0] == 1 and 0 < ko.neutral_margin < 1
    assert np.isfinite(en.coef).all() and np.isfinite(ko.coef).all()


def test_models_load_from_a_directory(tmp_path: Path) -> None:
    model = LinearSentiment(MODELS_DIR)
    assert set(model.models) == {"en", "ko"}


def _tiny_data(root: Path) -> None:
    en = {
        "positive": [
            "love it so much",
            "great day :)",
            "best phone ever",
            "awesome service thanks",
            "so happy",
        ],
        "negative": ["hate this", "worst service ever", "terrible app :(", "so angry right now", "awful"],
        "neutral": [
            "the store opens at 9",
            "new version today",
            "meeting on monday",
            "see the link",
            "it is blue",
        ],
    }
    semeval = root / "semeval2017_task4a_english"
    semeval.mkdir(parents=True)
    lines = [
        f"{i}\t{label}\t{text} {k}"
        for i, (label, texts) in enumerate(en.items())
        for k in range(4)
        for text in texts
    ]
    (semeval / "twitter-2016train-A.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    te = root / "tweeteval_sentiment"
    te.mkdir()
    names = ["negative", "neutral", "positive"]
    for split in ("val", "test"):
        rows = [(text + " again", names.index(label)) for label, texts in en.items() for text in texts]
        (te / f"{split}_text.txt").write_text("\n".join(t for t, _ in rows) + "\n", encoding="utf-8")
        (te / f"{split}_labels.txt").write_text("\n".join(str(y) for _, y in rows) + "\n", encoding="utf-8")
    ko_pos = ["정말 재밌어요", "최고의 영화", "감동적이에요", "강력 추천", "너무 좋아요"]
    ko_neg = ["너무 지루해요", "최악의 영화", "돈 아까워요", "별로예요", "시간 낭비"]
    nsmc = root / "nsmc"
    nsmc.mkdir()
    rows = ["id\tdocument\tlabel"]
    rows += [f"{k}{i}\t{t} {k}\t1" for k in range(20) for i, t in enumerate(ko_pos)]
    rows += [f"9{k}{i}\t{t} {k}\t0" for k in range(20) for i, t in enumerate(ko_neg)]
    (nsmc / "ratings_train.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    kote = root / "kote"
    kote.mkdir()
    kote_rows = [f"{i}\t{t}\t1,2,40" for i, t in enumerate(ko_pos)] + [
        f"1{i}\t{t}\t0,6,22" for i, t in enumerate(ko_neg)
    ]
    kote_rows += ["99\t내일 회의가 있어요\t24", "98\t주문번호 알려주세요\t24,15"]
    (kote / "val.tsv").write_text("\n".join(kote_rows) + "\n", encoding="utf-8")


def test_training_script_end_to_end(tmp_path: Path) -> None:
    data, out = tmp_path / "data", tmp_path / "models"
    _tiny_data(data)
    cmd = [
        sys.executable,
        str(ROOT / "scripts" / "train_sentiment.py"),
        str(data),
        str(out),
        "--en-c",
        "1",
        "--ko-c",
        "1",
    ]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    model = LinearSentiment(out)
    labels = [s.label.value for s in model.predict(["I love it", "최악의 영화"], ["en", "ko"])]
    assert labels == ["positive", "negative"]

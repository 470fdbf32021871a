"""The detector teaches the Korean meaning vectors a deployment's own words, and keeps them.

Real SQLite store, the shipped Korean vectors, the real detector: complaints that use slang the
shipped corpus never saw (튕기다: an app "bouncing" = crashing) give that word a vector from the
words around it, the vector is saved with the detector's state, a new process gets it back, and a
backtest (reset) starts from the shipped vocabulary again.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np

from groundswell.config.settings import Brand, Settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp.detect import Detector
from groundswell.nlp.detect.detector import WORDS_KEY
from groundswell.nlp.semantic import Korean
from groundswell.records import Author, EnrichedMention, Sentiment
from tests.detect.synthetic import START

CRASHES = [
    "앱이 실행하자마자 튕겨요",
    "업데이트 후 계속 튕기고 꺼져요",
    "결제하려고 하면 튕겨서 오류가 나요",
    "로그인하면 바로 튕김 짜증나요",
    "실행 중에 자꾸 튕기네요 오류 수정 좀",
]


def _post(i: int, text: str, hours: float) -> EnrichedMention:
    at = START + timedelta(hours=hours)
    return EnrichedMention(
        id=f"k:{i}", source="k", native_id=str(i), text=text, clean_text=text, created_at=at, fetched_at=at,
        lang="ko", brands=["앱코"], author=Author(id=f"u{i}"),
        sentiment=Sentiment(label="negative", score=-0.8, confidence=0.9),
    )  # fmt: skip


def _korean(detector: Detector) -> Korean:
    korean = detector._korean()
    assert korean is not None
    return korean


def test_stream_words_are_learned_saved_and_reset(tmp_path: Path) -> None:
    settings = Settings(brands=[Brand(name="앱코", query="앱코")])
    store = SQLiteStore(tmp_path / "ko.db")
    try:
        store.upsert([_post(i, text, 1 + i) for i, text in enumerate(CRASHES * 2)])
        shipped = Korean()
        assert "튕기" not in shipped.vectors.index and "튕기" not in shipped.vectors.extra

        detector = Detector.from_settings(settings)
        detector.run(store, START + timedelta(hours=14))
        learned = _korean(detector).vectors.extra
        assert "튕기" in learned
        # its vector comes from its contexts: closer to app words than to an unrelated one
        vectors = _korean(detector).vectors
        crash = learned["튕기"]
        assert crash @ vectors.vectors[vectors.index["오류"]] > crash @ vectors.vectors[vectors.index["배우"]]
        detector.flush(store)
        assert "튕기" in store.get_state(WORDS_KEY)["words"]

        again = Detector.from_settings(settings)
        again.run(store, START + timedelta(hours=15))
        assert np.allclose(_korean(again).vectors.extra["튕기"], crash, atol=1e-3)

        again.reset(store)
        assert store.get_state(WORDS_KEY) is None
    finally:
        store.close()

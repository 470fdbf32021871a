"""A replay embeds its complaints ahead in large batches, and detects exactly what it did step by step.

Real SQLite store, the real detector and encoders; the English encoder is wrapped only to record
the batches it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from groundswell.config.settings import AlertRule, Brand, Settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp.detect import Detector
from groundswell.nlp.semantic import Encoder, Korean, SemanticEncoder
from groundswell.pipeline.replay import replay_detection
from groundswell.records import Alert, Author, EnrichedMention, Sentiment
from tests.detect.synthetic import START
from tests.semantic.test_detect_by_meaning import _stream

KOREAN = ["배송이 너무 늦어요", "택배가 아직 안 와요", "앱이 자꾸 꺼져요", "로그인이 안 돼요"]


class Recording:
    """The real English encoder, remembering every batch it encodes."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.batches: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.batches.append(list(texts))
        return self.inner.encode(texts)

    def posts(self, texts: set[str]) -> list[int]:
        """Sizes of the batches of post texts (alert labels embed their candidate words too)."""
        return [len(b) for b in self.batches if texts.intersection(b)]


def _korean(i: int) -> EnrichedMention:
    at = START + timedelta(days=1, minutes=37 * i)
    return EnrichedMention(
        id=f"k:{i}", source="t", native_id=f"k{i}", text=KOREAN[i % 4], clean_text=KOREAN[i % 4],
        created_at=at, fetched_at=at, lang="ko", brands=["skyair"], author=Author(id=f"k{i}"),
        sentiment=Sentiment(label="negative", score=-0.7, confidence=0.9),
    )  # fmt: skip


def _replay(tmp_path: Path, prefetch: bool) -> tuple[list[tuple], Recording, Detector]:
    posts, burst = _stream()
    settings = Settings(
        brands=[Brand(name="skyair", query="skyair")],
        alert_rules=[AlertRule(name="emerging", window=timedelta(hours=1), min_posts=4)],
    )
    english = Recording(SemanticEncoder("auto").encoder("en"))  # MiniLM where installed
    detector = Detector(
        settings, encoder=SemanticEncoder("auto", overrides={"en": english, "ko": Korean(learning=True)})
    )
    store = SQLiteStore(tmp_path / f"prefetch-{prefetch}.db")
    out: list[tuple] = []
    try:
        store.upsert(posts + burst + [_korean(i) for i in range(12)])
        t, last = START + timedelta(minutes=15), START + timedelta(days=3)
        if prefetch:
            detector.prefetch(store, START, last)
        while t <= last:
            out.extend(_summary(a) for a in detector.run(store, t))
            t += timedelta(minutes=15)
    finally:
        store.close()
    return out, english, detector


def _summary(alert: Alert) -> tuple:
    return (alert.id, alert.fired_at, alert.observed, tuple(alert.evidence_ids), alert.topic)


def test_prefetch_embeds_in_large_batches_and_changes_no_alert(tmp_path: Path) -> None:
    stepped, by_step, _ = _replay(tmp_path, prefetch=False)
    ahead, by_prefetch, detector = _replay(tmp_path, prefetch=True)
    assert stepped and ahead == stepped
    posts, burst = _stream()
    texts = {m.text for m in posts + burst}
    complaints = sum(by_step.posts(texts))
    assert complaints == sum(1 for m in posts + burst if m.complaint)  # each embedded once ...
    assert len(by_step.posts(texts)) > 10  # ... step by step in small batches
    assert by_prefetch.posts(texts) == [complaints]  # ... or in one batch ahead, none at the steps
    # the learning Korean encoder is not used ahead: it reads its posts in stream order, at the steps
    assert sum(1 for space, _ in detector._vectors.values() if space == "ko") == len(KOREAN) * 3


def test_a_replay_prefetches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`replay_detection` (backtest, demo) embeds ahead, over the whole history it will read."""
    posts, burst = _stream()
    settings = Settings(brands=[Brand(name="skyair", query="skyair")])
    store = SQLiteStore(tmp_path / "replay.db")
    seen: list[Detector] = []
    original = Detector.prefetch

    def recorded(self: Detector, *args: Any) -> int:  # the real prefetch, remembering its detector
        seen.append(self)
        return original(self, *args)

    monkeypatch.setattr(Detector, "prefetch", recorded)
    try:
        store.upsert(posts + burst)
        replay_detection(settings, store, START, START + timedelta(hours=6), timedelta(minutes=15))
    finally:
        store.close()
    complaints = sum(1 for m in posts + burst if m.complaint and m.created_at < START + timedelta(hours=6))
    assert len(seen) == 1 and len(seen[0]._vectors) == complaints

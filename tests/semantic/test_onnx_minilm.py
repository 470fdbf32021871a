"""The shipped int8 MiniLM in ONNX Runtime: the same space as MiniLM in torch, and meaning kept."""

from __future__ import annotations

import numpy as np
import pytest

from groundswell.config.settings import NlpSettings, Settings
from groundswell.nlp.semantic import SemanticEncoder, has_minilm
from groundswell.nlp.semantic.onnx_minilm import ONNX_DIR, OnnxMiniLM, has_onnx

pytestmark = pytest.mark.skipif(not has_onnx(), reason="onnxruntime (the `onnx` extra) is not installed")

TEXTS = [
    "my suitcase never arrived at baggage claim",
    "the airline lost my luggage on the way to Denver",
    "the app crashes every time I open it",
    "since the update the app closes by itself",
    "",
]


@pytest.fixture(scope="module")
def onnx() -> OnnxMiniLM:
    return OnnxMiniLM(threads=1)


def test_vectors_are_unit_rows_in_input_order(onnx: OnnxMiniLM) -> None:
    vectors = onnx.encode(TEXTS)
    assert vectors.shape == (len(TEXTS), 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    one_by_one = np.vstack([onnx.encode([t]) for t in TEXTS])
    assert np.allclose(vectors, one_by_one, atol=1e-4)  # batching by length does not change a vector
    assert onnx.encode([]).shape == (0, 384)


def test_same_story_in_other_words_is_closer_than_another_story(onnx: OnnxMiniLM) -> None:
    v = onnx.encode(TEXTS[:4])
    sims = v @ v.T
    assert sims[0, 1] > sims[0, 2] + 0.2 and sims[2, 3] > sims[2, 0] + 0.2


@pytest.mark.skipif(not has_minilm(), reason="torch MiniLM (the `topics` extra) is not installed")
def test_int8_stays_in_minilms_space(onnx: OnnxMiniLM) -> None:
    from groundswell.nlp.semantic import MiniLM

    torch_vectors = MiniLM().encode(TEXTS[:4])
    cosines = np.sum(torch_vectors * onnx.encode(TEXTS[:4]), axis=1)
    assert cosines.min() > 0.95, cosines


def test_chosen_by_setting() -> None:
    assert Settings(nlp=NlpSettings(semantic_en="onnx")).nlp.semantic_en == "onnx"
    assert isinstance(SemanticEncoder("onnx").encoder("en"), OnnxMiniLM)
    assert (ONNX_DIR / "tokenizer.json").is_file()


def test_a_text_seen_recently_is_not_run_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Topics embed every English post, the detector then the complaints among them: once."""
    import groundswell.nlp.semantic.onnx_minilm as module

    model = OnnxMiniLM(threads=1)
    first = model.encode(TEXTS[:3])
    runs = []
    real_run = model.session.run
    monkeypatch.setattr(
        model, "session", type("S", (), {"run": lambda _, *a: runs.append(1) or real_run(*a)})()
    )
    again = model.encode([TEXTS[1], TEXTS[0], TEXTS[3], TEXTS[3]])
    assert runs == [1], "only the one new text ran, once though asked twice"
    assert np.array_equal(again[0], first[1]) and np.array_equal(again[1], first[0])
    monkeypatch.setattr(module, "RECENT_TEXTS", 4)
    model.encode([f"complaint number {i}" for i in range(6)])
    assert len(model._recent) <= 4, "the memory is bounded, the oldest forgotten first"
    assert np.allclose(model.encode([TEXTS[0]])[0], first[0], atol=1e-6), "forgotten, recomputed the same"


def test_ingest_topics_use_minilm_only_when_asked_for_by_name() -> None:
    from groundswell.pipeline.process import topic_english

    assert topic_english("auto") == "static", "every post at ingest: the fast vectors by default"
    assert topic_english("onnx") == "onnx" and topic_english("minilm") == "minilm"
    assert isinstance(SemanticEncoder("auto").encoder("en"), OnnxMiniLM), "auto elsewhere: int8 MiniLM"

"""scripts/train_semantic.py::tune on real parts: the shipped rows, MiniLM as the teacher."""

from __future__ import annotations

import numpy as np
import pytest

from groundswell.nlp.semantic import ENGLISH_DIR, MiniLM, has_minilm
from scripts.train_semantic import teacher_targets, tune

pytestmark = pytest.mark.skipif(not has_minilm(), reason="MiniLM (the teacher) needs the topics extra")

TWEETS = [
    "my flight was delayed three hours and nobody told us why",
    "the plane left late and the crew said nothing",
    "lost my bag on the way to denver, still no word",
    "suitcase never showed up at baggage claim",
    "love the new phone, the camera is amazing",
    "battery dies by lunchtime since the update",
    "the app logs me out every time I open it",
    "can't sign in to my account, password reset link is broken",
    "pizza arrived cold and an hour late",
    "waited 40 minutes for a burger that was wrong",
    "great service at the store today, thanks",
    "the dress I ordered came in the wrong size",
] * 4


def agreement(model, targets: np.ndarray) -> float:  # type: ignore[no-untyped-def]
    posts = np.asarray(model.encode(TWEETS, show_progress_bar=False), dtype=np.float64)
    posts /= np.maximum(np.linalg.norm(posts, axis=1, keepdims=True), 1e-9)
    return float((posts * targets).sum(axis=1).mean())


def test_tune_moves_posts_toward_the_teacher_and_nothing_else() -> None:
    from model2vec import StaticModel

    shipped = StaticModel.from_pretrained(str(ENGLISH_DIR))
    teacher = MiniLM().encode(TWEETS)
    tuned = tune(shipped, TWEETS, teacher)
    again = tune(shipped, TWEETS, teacher)

    targets = teacher_targets(teacher)
    assert agreement(tuned, targets) > agreement(shipped, targets) + 0.05
    before = np.asarray(shipped.embedding, dtype=np.float32)
    after = np.asarray(tuned.embedding, dtype=np.float32)
    seen = {i for e in shipped.tokenizer.encode_batch(TWEETS, add_special_tokens=False) for i in e.ids}
    unseen = np.setdiff1d(np.arange(len(before)), sorted(seen))
    assert np.array_equal(before[unseen], after[unseen])  # only the tweets' own tokens move
    assert not np.array_equal(before[sorted(seen)], after[sorted(seen)])
    special = [i for t, i in tuned.tokenizer.get_vocab().items() if t.startswith("[") and t.endswith("]")]
    assert not after[special].any()
    assert np.array_equal(after, np.asarray(again.embedding, dtype=np.float32))  # deterministic

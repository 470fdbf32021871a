"""The shipped static English vectors: the batch path gives model2vec's own vectors, and they read posts."""

from __future__ import annotations

import numpy as np

from groundswell.nlp.semantic import StaticEnglish, unit_rows

TEXTS = [
    "my flight was delayed three hours and nobody told us why",
    "the plane left late and the crew said nothing",
    "love the new phone, the camera is amazing",
    "",  # no token: the zero vector, never anyone's neighbour
    "😀😀😀",  # only [UNK], which model2vec drops
    "refund " * 600,  # longer than the 512 tokens model2vec reads
]


def test_batch_encoding_is_model2vecs_mean() -> None:
    static = StaticEnglish()
    ours = static.encode(TEXTS)
    theirs = unit_rows(np.asarray(static.model.encode(TEXTS, show_progress_bar=False), dtype=np.float32))
    assert ours.shape == (len(TEXTS), static.model.dim) and ours.dtype == np.float32
    assert np.allclose(ours, theirs, atol=1e-3)  # float32 sums against model2vec's float16 means
    assert not ours[3].any() and not ours[4].any()
    assert np.isclose(np.linalg.norm(ours[0]), 1.0)
    assert static.encode([]).shape == (0, static.model.dim)


def test_the_same_complaint_in_other_words_is_closer_than_praise() -> None:
    delayed, late, praise = StaticEnglish().encode(TEXTS[:3])
    assert float(delayed @ late) > float(delayed @ praise)


def test_no_padding_and_no_weight_on_special_tokens() -> None:
    """The shipped tokenizer does not pad (a short post was 128 tokens, mostly [PAD]) and special
    tokens have zero rows, so a post is the mean of its own words only (scripts/train_semantic.py)."""
    static = StaticEnglish()
    assert static.model.tokenizer.padding is None
    special = [
        i for t, i in static.model.tokenizer.get_vocab().items() if t.startswith("[") and t.endswith("]")
    ]
    assert special and not static.rows[special].any()


def test_the_static_model_loads_as_model2vec_loads_it_without_the_hub() -> None:
    import subprocess
    import sys

    from model2vec import StaticModel

    from groundswell.nlp.semantic import ENGLISH_DIR, load_static

    ours, theirs = load_static(ENGLISH_DIR), StaticModel.from_pretrained(str(ENGLISH_DIR))
    texts = ["my package never arrived", "the app crashes on login", "", "ok", "refund pls!!! 😡"]
    assert np.array_equal(ours.encode(texts), theirs.encode(texts))
    assert ours.tokenize(texts) == theirs.tokenize(texts)
    probe = (
        "import sys; from groundswell.nlp.semantic import StaticEnglish; StaticEnglish().encode(['late again']);"
        "print('huggingface_hub' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "False"  # the hub only downloads; this model is on disk

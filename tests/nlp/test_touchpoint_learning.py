"""Touchpoints learned from the stream's keyword-labelled complaints (nlp.touchpoint_learning)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from groundswell.config.settings import Settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp import touchpoint_learning, touchpoints
from groundswell.nlp.touchpoint_learning import MIN_SEEDS, StreamLearner, with_concepts
from groundswell.pipeline.process import MentionProcessor
from groundswell.pipeline.touchpoint_state import state_path
from groundswell.records import Author, Mention


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _around(direction: int, n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed + direction)
    rows = rng.normal(scale=0.3, size=(n, dim))
    rows[:, direction] += 1.0
    return _unit(rows)


def _learner(n: int = 3) -> StreamLearner:
    config = np.vstack([_around(c, 2) for c in range(n)])
    return StreamLearner(n, config, np.repeat(np.arange(n), 2))


def test_waits_for_enough_labelled_complaints() -> None:
    learner = _learner()
    learner.remember(_around(0, MIN_SEEDS - 1), np.zeros(MIN_SEEDS - 1, dtype=np.int64))
    assert learner.probabilities(_around(0, 3)) is None
    learner.remember(_around(1, 1), np.ones(1, dtype=np.int64))
    assert learner.probabilities(_around(0, 3)) is not None


def test_learns_a_touchpoint_s_wording_from_the_stream() -> None:
    """The config says touchpoint 2 reads like direction 2; its complaints in the stream read like
    direction 5 (wording the config never used). A new post worded so is touchpoint 2's."""
    learner = _learner()
    stream = np.vstack([_around(0, 30, seed=1), _around(1, 30, seed=1), _around(5, 30, seed=1)])
    learner.remember(stream, np.repeat(np.arange(3), 30))
    p = learner.probabilities(_around(5, 10, seed=9))
    assert p is not None
    assert (p.argmax(axis=1) == 2).all()
    assert np.allclose(p.sum(axis=1), 1.0, atol=1e-5)


def test_memory_keeps_the_latest() -> None:
    learner = StreamLearner(2, _around(0, 2), np.array([0, 1]), memory=50)
    learner.remember(_around(0, 40), np.zeros(40, dtype=np.int64))
    learner.remember(_around(1, 30), np.ones(30, dtype=np.int64))
    assert len(learner.labels) == 50
    assert (learner.labels[-30:] == 1).all() and (learner.labels[:20] == 0).all()


def test_a_touchpoint_nothing_taught_gets_no_probability() -> None:
    learner = StreamLearner(4, _around(0, 2), np.array([0, 1]))
    learner.remember(_around(0, 30), np.zeros(30, dtype=np.int64))
    p = learner.probabilities(_around(1, 5))
    assert p is not None and (p[:, 2:] == 0).all()


def test_learning_beats_the_config_alone_on_real_complaint_reasons(data_dir: Path) -> None:
    """Dev half of the complaint-reason bench (bench.complaint_reasons), static vectors, first
    touchpoint: the shipped learner against the config's prototypes alone (0.469 -> 0.526 when
    written; 0.549 with the config prior)."""
    from bench import eval_touchpoints
    from groundswell.nlp.semantic import SemanticEncoder
    from groundswell.records import Sentiment

    data = eval_touchpoints.load(data_dir, "reasons")
    tax = eval_touchpoints.taxonomy(data["dev"], eval_touchpoints.REASON_KEYWORDS)
    examples = {ex for tp in tax for ex in tp.examples}
    rows = [(t, r) for t, r in data["dev"] if t not in examples]
    texts, gold = [t for t, _ in rows], [r for _, r in rows]
    negative = [Sentiment(label="negative", score=-0.6, confidence=0.9)] * len(texts)
    semantic = SemanticEncoder("static")
    scores = {}
    for learn in (False, True):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(touchpoints, "LEARN_FROM_STREAM", learn)
            tagger = touchpoints.TouchpointClassifier(tax, semantic=semantic)
            predicted = tagger.tag(texts, negative, ["en"] * len(texts))
        scores[learn] = eval_touchpoints.macro_f1(gold, [p[:1] for p in predicted], [tp.name for tp in tax])
    assert scores[True] >= scores[False] + 0.03
    assert scores[True] >= 0.58


def test_a_complaint_naming_a_touchpoint_s_concept_teaches_it() -> None:
    """No keyword: the concept a complaint names teaches the one touchpoint that names it (by
    keyword or name), unless its meaning is far from it or two touchpoints name that concept."""
    from groundswell.config.settings import Touchpoint
    from groundswell.nlp.concepts import concept_rows

    tagger = touchpoints.TouchpointClassifier(
        [
            Touchpoint(name="bags", keywords=["baggage"]),
            Touchpoint(name="money", keywords=["refund", "billing"]),
            Touchpoint(name="cash", keywords=["billing"]),
        ]
    )
    texts = ["my suitcase never came", "my suitcase never came", "charged twice", "nothing here", "bag"]
    words: list[set[int]] = [set(), set(), set(), set(), {2}]
    z = np.array([[1.0, 0, 0], [-1.0, 0, 0], [0, 1.0, 1.0], [1.0, 1.0, 1.0], [0, 0, 0]])
    labels = tagger._teachers(words, concept_rows(texts), z)
    assert labels.tolist() == [0, -1, -1, -1, 2]  # meaning far; billing is two touchpoints'; none; keyword


def test_a_deployment_s_own_concept_words_teach_too() -> None:
    """Words a config adds to a shipped concept (`concepts:`) mark that concept in the learner's
    input and teach its touchpoint; a concept of the config's own has no column to mark."""
    from groundswell.config.settings import ConceptWords, Touchpoint
    from groundswell.nlp.concepts import concept_rows, for_config, shipped_concepts

    mine = for_config(
        [ConceptWords(name="baggage", words=["duffel"]), ConceptWords(name="pets", words=["dog"])]
    )
    texts = ["my duffel went to Denver without me", "they would not take my dog"]
    assert not concept_rows(texts).any()  # the shipped words do not know either
    rows = concept_rows(texts, concepts=mine)
    assert rows[0, shipped_concepts().index("baggage")] == 1.0 and not rows[1].any()
    tagger = touchpoints.TouchpointClassifier([Touchpoint(name="bags", keywords=["baggage"])], concepts=mine)
    block = with_concepts(np.zeros((2, 4)), texts, tagger.concepts)[:, 4:]
    assert tagger._teachers([set(), set()], block, np.ones((2, 1))).tolist() == [0, -1]


def test_concepts_carry_a_touchpoint_to_words_no_keyword_names() -> None:
    """Meaning vectors that say nothing (noise): keyword-labelled luggage and billing complaints
    teach the classifier their concepts, so "my suitcase" (baggage) and "overcharged" (billing)
    find their touchpoints through the concept block alone."""
    rng = np.random.default_rng(0)
    bags = ["lost my bag again", "my luggage never arrived", "where is my baggage"] * 10
    bills = ["charged twice on my card", "this bill is wrong", "a payment I never made"] * 10
    config = with_concepts(_unit(rng.normal(size=(2, 16))), ["luggage, bag", "bill, charge"])
    learner = StreamLearner(2, config, np.array([0, 1]))
    learner.remember(with_concepts(_unit(rng.normal(size=(60, 16))), bags + bills), np.repeat([0, 1], 30))
    new = ["a suitcase missing since Monday", "you overcharged me"]
    p = learner.probabilities(with_concepts(_unit(rng.normal(size=(2, 16))), new))
    assert p is not None and p[0].argmax() == 0 and p[1].argmax() == 1
    with pytest.MonkeyPatch.context() as patch:  # without the block the same noise decides nothing
        patch.setattr(touchpoint_learning, "CONCEPT_WEIGHT", 0.0)
        blind = with_concepts(_unit(rng.normal(size=(2, 16))), new)
    assert not blind[:, 16:].any()


REFUNDS = [
    "where is my refund, it has been three weeks",
    "refund denied for a faulty item, unbelievable",
    "still no refund after I returned the order",
    "they promised a refund and never paid it",
    "my refund was cancelled without a reason",
]
CRASHES = [
    "the app crashes every time I open it",
    "app keeps crashing since the update",
    "your app crashed and lost my basket",
    "app crash on login again",
    "the app just crashes on start",
]


def _settings(names: tuple[str, str] = ("billing", "app")) -> Settings:
    return Settings.model_validate(
        {
            "nlp": {"topics": False},
            "touchpoints": [
                {"name": names[0], "keywords": ["refund", "charge"], "examples": ["charged twice"]},
                {"name": names[1], "keywords": ["app", "crash"], "examples": ["the app is broken"]},
            ],
        }
    )


def _complaints(n: int) -> list[Mention]:
    texts = [t for pair in zip(REFUNDS, CRASHES, strict=True) for t in pair] * (n // 10)
    return [
        Mention(
            id=f"t:{i}",
            source="t",
            native_id=str(i),
            text=text,
            lang="en",
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
            author=Author(id=f"u{i}"),
        )
        for i, text in enumerate(texts)
    ]


def test_the_learned_memory_outlives_the_process(tmp_path: Path) -> None:
    """A cron `ingest` keeps what the last one learned: the memory is a file beside the store,
    read back for the same taxonomy and encoder, by touchpoint name."""
    store = SQLiteStore(tmp_path / "s.db")
    first = MentionProcessor(_settings(), store)
    first(_complaints(30))
    first.checkpoint()
    assert state_path(store).exists()
    remembered = first.tagger.learned_state()
    assert sorted(remembered) == ["en/static"]
    assert len(remembered["en/static"]["labels"]) == 30

    again = MentionProcessor(_settings(), store)
    state = again.tagger.learned_state()  # read back, before any batch
    assert (state["en/static"]["labels"] == remembered["en/static"]["labels"]).all()
    assert np.allclose(state["en/static"]["vectors"], remembered["en/static"]["vectors"])

    renamed = MentionProcessor(_settings(("billing", "mobile-app")), store)  # app's complaints are gone
    assert set(renamed.tagger.learned_state()["en/static"]["labels"]) == {"billing"}
    onnx = _settings().model_copy(update={"nlp": _settings().nlp.model_copy(update={"semantic_en": "onnx"})})
    assert MentionProcessor(onnx, store).tagger.learned_state() == {}  # another encoder: afresh


def test_fit_softmax_is_scikit_learns_balanced_logistic_regression() -> None:
    """Same objective as LogisticRegression(C, class_weight="balanced"), fitted without importing
    scikit-learn on the enrichment path: the same probabilities to a few thousandths."""
    from sklearn.linear_model import LogisticRegression

    from groundswell.nlp.touchpoint_learning import fit_softmax

    x = np.vstack([_around(0, 60), _around(1, 25), _around(2, 10)]).astype(np.float32)
    y = np.repeat([0, 1, 2], [60, 25, 10])
    counts = np.bincount(y)
    coef, intercept = fit_softmax(x, y, 3, 1.0, (len(y) / (3 * counts))[y])
    logits = x @ coef + intercept
    ours = np.exp(logits - logits.max(axis=1, keepdims=True))
    ours /= ours.sum(axis=1, keepdims=True)
    theirs = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(x, y).predict_proba(x)
    assert np.abs(ours - theirs).max() < 0.01


def test_the_penalty_pulls_towards_the_prior_not_zero() -> None:
    """With little weight on the data the weights stay at the prior (the config's directions); with
    no prior they shrink to zero."""
    from groundswell.nlp.touchpoint_learning import fit_softmax

    x = np.vstack([_around(0, 20), _around(1, 20)]).astype(np.float32)
    y = np.repeat([0, 1], 20)
    prior = np.random.default_rng(3).normal(size=(x.shape[1], 2)).astype(np.float32)
    coef, _ = fit_softmax(x, y, 2, 1e-6, np.ones(len(y)), prior)
    assert np.abs(coef - prior).max() < 1e-3
    coef, _ = fit_softmax(x, y, 2, 1e-6, np.ones(len(y)))
    assert np.abs(coef).max() < 1e-3


def test_sure_enough_is_measured_from_chance() -> None:
    """0.25 of nine touchpoints is sure enough; 0.55 of two is a coin toss, not a tag."""
    from groundswell.nlp.touchpoint_learning import sure_enough

    nine = np.full(9, 0.75 / 8)
    nine[0] = 0.25
    assert sure_enough(nine)
    assert not sure_enough(np.array([0.55, 0.45]))
    assert sure_enough(np.array([0.6, 0.4]))
    assert not sure_enough(np.array([0.2, 0.2, 0.2, 0.2, 0.2, 0.0]))  # an untaught sixth is not chance

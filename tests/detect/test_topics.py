"""Topic ids stay stable as new posts arrive and the model is refitted; new themes get new ids."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

pytest.importorskip("hdbscan")  # the `topics` extra

from groundswell.nlp.topics import OUTLIER, TopicModeler, fit_topics

THEMES = {
    "battery": "battery overheating charger swelling hot charging burn explode",
    "delivery": "delivery courier parcel late tracking shipping arrived package",
    "배송": "배송 택배 기사 도착 지연 주문 상자 반품",
}
FILLER = ["today", "really", "again", "phone", "still", "just"]


def corpus(rng: random.Random, per_theme: int) -> tuple[list[str], list[str], list[str]]:
    texts, langs, labels = [], [], []
    for name, vocab in THEMES.items():
        words = vocab.split()
        for _ in range(per_theme):
            texts.append(" ".join(rng.sample(words, 5) + rng.sample(FILLER, 2)))
            langs.append("ko" if name == "배송" else "en")
            labels.append(name)
    order = list(range(len(texts)))
    rng.shuffle(order)
    return [texts[i] for i in order], [langs[i] for i in order], [labels[i] for i in order]


def majority(ids: list[int], labels: list[str]) -> dict[str, int]:
    votes: dict[str, Counter[int]] = {}
    for i, label in zip(ids, labels, strict=True):
        votes.setdefault(label, Counter())[i] += 1
    return {label: c.most_common(1)[0][0] for label, c in votes.items()}


def test_ids_survive_updates_and_refits_and_new_theme_gets_new_id() -> None:
    rng = random.Random(1)
    # ids are the subject here: words only (themes of random word draws have no meaning structure
    # beyond their words); reducers and embeddings are compared in bench/eval_topics.py
    model = TopicModeler(min_topic_size=10, refit_every=10**9, online=False, reduce="none", embedding="tfidf")
    texts, langs, labels = corpus(rng, 60)
    first = majority([r.id for r in model.fit(texts, langs)], labels)
    assert len(set(first.values())) == 3 and OUTLIER not in first.values()
    assert any("battery" in t.keywords or "overheating" in t.keywords for t in model.topics.values())

    texts2, langs2, labels2 = corpus(rng, 20)
    assert majority([r.id for r in model.update(texts2, langs2)], labels2) == first  # assigned, no refit

    model.refit_every = 1  # the next update refits on everything remembered
    extra = [
        " ".join(rng.sample(["refund", "money", "back", "return", "policy", "denied", "waiting"], 5))
        for _ in range(40)
    ]
    refs = model.update(texts2 + extra, langs2 + ["en"] * len(extra))
    after = majority([r.id for r in refs], labels2 + ["refund"] * len(extra))
    kept = sum(1 for r, label in zip(refs, labels2, strict=False) if r.id == first[label]) / len(labels2)
    assert kept >= 0.6, f"only {kept:.0%} of known posts kept their topic id after the refit"
    assert after["refund"] not in first.values() and after["refund"] != OUTLIER


def test_fit_topics_adds_a_topic_to_every_mention() -> None:
    from datetime import UTC, datetime

    from groundswell.records import EnrichedMention

    texts, langs, _ = corpus(random.Random(2), 15)
    mentions = [
        EnrichedMention(
            id=f"t:{i}", source="t", native_id=str(i), text=t, lang=lang, created_at=datetime.now(UTC)
        )
        for i, (t, lang) in enumerate(zip(texts, langs, strict=True))
    ]
    out = fit_topics(mentions)
    assert all(m.topic is not None for m in out)
    assert len({m.topic.id for m in out if m.topic and m.topic.id != OUTLIER}) >= 2
    tiny = fit_topics(mentions[:3])
    assert [m.topic.id for m in tiny if m.topic] == [OUTLIER] * 3


def test_no_topic_swallows_most_posts_when_themes_sit_close_together() -> None:
    """Three close themes of 60 posts and a far one of 20: HDBSCAN's excess-of-mass selection
    returns the three as one topic of 90%; the guard takes the tree's leaves instead."""
    import numpy as np
    from hdbscan import HDBSCAN

    from groundswell.nlp.topics.model import MAX_TOPIC_SHARE, NoGiantHDBSCAN

    rng = np.random.default_rng(0)
    centres = [(0.0, 0.0), (0.4, 0.0), (0.0, 0.4), (10.0, 10.0)]
    points = np.vstack([rng.normal(c, 0.1, size=(60 if i < 3 else 20, 2)) for i, c in enumerate(centres)])
    plain = HDBSCAN(min_cluster_size=15, min_samples=5).fit_predict(points)
    assert np.bincount(plain[plain != OUTLIER]).max() > MAX_TOPIC_SHARE * len(points)  # the failure

    guarded = NoGiantHDBSCAN(min_cluster_size=15, min_samples=5).fit(points)
    labels = guarded.labels_
    assert guarded.method == "leaf"
    assert len(set(labels.tolist()) - {OUTLIER}) >= 4
    assert np.bincount(labels[labels != OUTLIER]).max() <= MAX_TOPIC_SHARE * len(points)
    # well-separated themes keep the default selection
    apart = np.vstack([rng.normal(c, 0.1, size=(40, 2)) for c in [(0, 0), (5, 0), (0, 5)]])
    assert NoGiantHDBSCAN(min_cluster_size=15, min_samples=5).fit(apart).method == "eom"


def test_a_refit_after_the_english_encoder_changed_does_not_reuse_the_old_vectors() -> None:
    from groundswell.nlp.topics.embed import Hybrid

    model = TopicModeler(english="static")
    old = model._new_embedder("en")
    old.cache["late again"] = np.ones(4, dtype=np.float32)
    model.embedders["en"] = old
    assert model._new_embedder("en").cache is old.cache, "same encoder: nothing to embed again"
    model.english = "onnx"  # `auto` now means int8 MiniLM where installed; a saved model was static
    fresh = model._new_embedder("en")
    assert isinstance(fresh, Hybrid) and fresh.english == "onnx" and fresh.cache == {}


KOREAN_COMPLAINTS = [
    "앱이 좋아요 편해요", "앱이 느려요 답답해요", "배송이 빨라요 좋아요", "배송이 느려요 답답해요",
    "비번 오류가 나요 답답해요", "로그인이 안 돼요 답답해요", "택배가 안 와요 답답해요", "앱이 좋아요 편리해요",
]  # fmt: skip


def test_korean_posts_naming_one_complaint_concept_sit_closer_in_topic_space() -> None:
    """'비번 오류' and '로그인이 안 돼요' share no word; both name the login concept."""
    from groundswell.nlp.topics.embed import Hybrid
    from groundswell.nlp.topics.tokens import tokenize

    def similarities(concept_weight: float) -> tuple[float, float]:
        embedder = Hybrid("ko", dimensions=4)
        embedder.concept_weight = concept_weight
        v = embedder.fit(KOREAN_COMPLAINTS, tokenize(KOREAN_COMPLAINTS))
        return float(v[4] @ v[5]), float(v[4] @ v[6])  # login vs login, login vs delivery

    same_before, other_before = similarities(0.0)
    same, other = similarities(Hybrid("ko").concept_weight)
    assert same > same_before + 0.05 and same > other + 0.1
    assert other <= other_before


ENGLISH_COMPLAINTS = [
    "love the new store layout", "great prices this week", "the app is slow again", "staff were lovely",
    "I was charged twice for one order", "overcharged again this month", "my package never arrived",
    "the app is great now", "lovely staff and great prices", "slow checkout and slow app",
]  # fmt: skip


def test_english_complaints_naming_one_concept_sit_closer_in_topic_space() -> None:
    """'charged twice' and 'overcharged' share no token; both name billing, not delivery."""
    from groundswell.nlp.topics.embed import Hybrid
    from groundswell.nlp.topics.tokens import tokenize

    def similarities(concept_weight: float) -> tuple[float, float]:
        embedder = Hybrid("en", dimensions=4, english="static")
        embedder.concept_weight = concept_weight
        v = embedder.fit(ENGLISH_COMPLAINTS, tokenize(ENGLISH_COMPLAINTS))
        return float(v[4] @ v[5]), float(v[5] @ v[6])  # billing vs billing, billing vs delivery

    same_before, other_before = similarities(0.0)
    same, other = similarities(Hybrid("en").concept_weight)
    assert same > same_before + 0.05 and same > other
    assert other <= other_before + 1e-6


def test_a_hybrid_saved_before_the_concept_block_keeps_its_vectors() -> None:
    from groundswell.nlp.topics.embed import Hybrid
    from groundswell.nlp.topics.tokens import tokenize

    embedder = Hybrid("ko", dimensions=4)
    del embedder.__dict__["concept_weight"]  # as unpickled from a model saved before it existed
    v = embedder.fit(KOREAN_COMPLAINTS, tokenize(KOREAN_COMPLAINTS))
    words, meaning = (
        embedder.lsa.embed_tokens(tokenize(KOREAN_COMPLAINTS)),
        embedder.meaning(KOREAN_COMPLAINTS),
    )
    assert v.shape[1] == words.shape[1] + meaning.shape[1]


def test_a_hybrid_pickled_before_the_concept_cache_refits() -> None:
    """A snapshot from before the concept rows were cached has no `concept_cache`: unpickling gives
    it an empty one, and a refit fills it."""
    import pickle

    from groundswell.nlp.topics.embed import Hybrid
    from groundswell.nlp.topics.tokens import tokenize

    embedder = Hybrid("ko", dimensions=4)
    state = embedder.__getstate__()
    del state["concept_cache"]
    old = Hybrid.__new__(Hybrid)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    v = old.fit(KOREAN_COMPLAINTS, tokenize(KOREAN_COMPLAINTS))
    assert v.shape[0] == len(KOREAN_COMPLAINTS) and set(old.concept_cache) == set(KOREAN_COMPLAINTS)


def test_a_young_topic_model_refits_each_time_the_stream_doubles() -> None:
    """Fitted on the first 1,000 posts only, a model named the next 7,000 with that year's topics."""
    from groundswell.nlp.topics import model as topics_model

    modeler = TopicModeler()
    fits: list[int] = []

    def fake_refit() -> list[int]:
        fits.append(len(modeler.memory))
        modeler.model, modeler.since_fit, modeler.outliers_since_fit = object(), 0, 0
        modeler.fitted_on = len(modeler.memory)
        return [topics_model.OUTLIER] * len(modeler.memory)

    modeler._refit = fake_refit  # type: ignore[method-assign]
    modeler._predict = lambda texts, tokens, spaces: [0] * len(texts)  # type: ignore[method-assign]
    rng = random.Random(3)
    for _ in range(44):
        modeler.update([f"post {rng.random()}" for _ in range(500)], ["en"] * 500)
    assert fits == [1000, 2000, 4000, 8000, 10_000], "1k, 2k, 4k, 8k, then every refit_every (10k)"


def test_a_hybrid_saved_before_a_concept_was_added_keeps_its_columns() -> None:
    """A model pickled while 22 concepts shipped transforms new posts into the space it was fitted
    in: the concept block keeps 22 columns when a release adds concepts."""
    import pickle

    from groundswell.nlp.concepts import shipped_concepts
    from groundswell.nlp.topics.embed import Hybrid
    from groundswell.nlp.topics.tokens import tokenize

    assert len(shipped_concepts()) > 22
    embedder = Hybrid("ko", dimensions=4)
    fitted = embedder.fit(KOREAN_COMPLAINTS, tokenize(KOREAN_COMPLAINTS))
    state = embedder.__getstate__()
    del state["concept_names"]
    old = Hybrid.__new__(Hybrid)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    v = old.transform(KOREAN_COMPLAINTS, tokenize(KOREAN_COMPLAINTS))
    assert v.shape[1] == fitted.shape[1] - (len(shipped_concepts()) - 22)
    assert old.concept_names == shipped_concepts()[:22]

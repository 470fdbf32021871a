"""Korean review language: the praise the issue saw read as complaints, and per-domain floors on the
hand-built review set (a regression guard; the figures themselves are in nlp/MODEL_CARD.md)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bench.eval_ko_reviews import ISSUE_PHRASES, review_metrics
from groundswell.complaint import is_complaint
from groundswell.nlp.sentiment import build
from groundswell.nlp.sentiment._linear import MODELS_DIR, LinearModel, binary_sentiment
from groundswell.nlp.sentiment.features import polar_evidence
from groundswell.nlp.sentiment.korean_lexicon import lexicon_features


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return build("default")


def test_review_praise_is_positive(model) -> None:  # type: ignore[no-untyped-def]
    texts = [*ISSUE_PHRASES, "빠른 배송", "배송 빨라요 포장도 꼼꼼", "존맛탱 재구매 각", "가성비 갑"]
    labels = [s.label.value for s in model.predict(texts, ["ko"] * len(texts))]
    assert labels == ["positive"] * len(texts), list(zip(texts, labels, strict=True))


def test_review_complaints_stay_complaints(model) -> None:  # type: ignore[no-untyped-def]
    texts = [
        "배송이 일주일째 안 와요",
        "업데이트 후 계속 튕겨요",
        "현질 유도 너무 심함",
        "렉 때문에 못 하겠네요",
    ]
    labels = [s.label.value for s in model.predict(texts, ["ko"] * len(texts))]
    assert labels == ["negative"] * len(texts), list(zip(texts, labels, strict=True))


@pytest.mark.parametrize(
    "text",
    [
        "빠른 배송이라더니 일주일 걸림",
        "빠르댔는데 일주일째 안옴",
        "친절은 개뿔 완전 불친절",
        "재밌다더니 완전 노잼",
    ],
)
def test_a_broken_promise_is_a_complaint(model, text: str) -> None:  # type: ignore[no-untyped-def]
    (score,) = model.predict([text], ["ko"])
    assert score.label.value != "positive"
    assert is_complaint(text, score.label.value, score.score), score


def test_a_confirmed_claim_stays_praise(model) -> None:  # type: ignore[no-untyped-def]
    texts = ["좋다더니 역시 좋네요", "친구가 좋다고 해서 샀는데 만족해요"]
    labels = [s.label.value for s in model.predict(texts, ["ko"] * len(texts))]
    assert labels == ["positive"] * len(texts), list(zip(texts, labels, strict=True))


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("빠른 배송이라더니 일주일 걸림", True),
        ("친절은 개뿔", True),
        ("편하다더니 더 불편함", True),
        ("좋다더니 역시 좋네요", False),
        ("배송 빠르고 좋아요", False),
    ],
)
def test_a_denied_claim_negates_its_praise(text: str, denied: bool) -> None:
    features = lexicon_features(text.split(), text)
    assert ("__ko_lex_pos_negated" in features) is denied, features
    assert ("__ko_lex_pos" in features) is not denied, features


@pytest.mark.parametrize(
    ("text", "feature"),
    [
        ("배송짱", "__ko_lex_pos"),
        ("불편한 점 없어요", "__ko_lex_pos"),
        ("광고 없어서 쾌적해요", "__ko_lex_pos"),
        ("쿠폰도 많아요", "__ko_lex_pos"),
        ("광고가 너무 많아요", "__ko_lex_neg"),
        ("다시는 여기서 안 삽니다", "__ko_lex_neg"),
    ],
)
def test_review_idioms_have_their_polarity(text: str, feature: str) -> None:
    features = lexicon_features(text.split(), text)
    other = "__ko_lex_neg" if feature == "__ko_lex_pos" else "__ko_lex_pos"
    assert features.count(feature) > features.count(other), features


def test_per_domain_floors_on_the_hand_built_set() -> None:
    figures = review_metrics()
    for domain in ("app", "shopping", "game"):
        assert figures[f"{domain}_macro_recall"] >= 0.85, figures


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("불편한게 없네요", "positive"),  # a fault said to be absent
        ("렉 하나도 없고 쾌적해요", "positive"),
        ("좋은 점이 없어요", "negative"),  # a merit said to be absent
        ("빠르지 않아요", "negative"),
        ("도움이 많이 됩니다", "positive"),  # formal praise of a service
        ("잘 사용하고 있습니다", "positive"),
    ],
)
def test_absence_and_formal_praise(model, text: str, label: str) -> None:  # type: ignore[no-untyped-def]
    (score,) = model.predict([text], ["ko"])
    assert score.label.value == label, score


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("좋아요", True),
        ("앱이 계속 튕겨요", True),
        ("불편한게 없네요", True),
        ("👍", True),
        ("주문번호는 12345입니다", False),
        ("매장은 오전 10시에 열어요", False),
    ],
)
def test_polar_evidence(text: str, evidence: bool) -> None:
    assert polar_evidence(text) is evidence


def test_the_neutral_band_is_narrower_for_posts_that_name_something_polar() -> None:
    shipped = LinearModel.load(MODELS_DIR / "sentiment_ko.npz")
    assert shipped.evidence_margin is not None and shipped.evidence_margin < shipped.neutral_margin
    model = replace(shipped, neutral_margin=0.3, evidence_margin=0.0)
    assert model.margins(["좋아요", "주문번호는 12345입니다"]) == [0.0, 0.3]
    # the same score is polar with evidence and neutral without
    assert binary_sentiment(0.55, model.margins(["좋아요"])[0]).label.value == "positive"
    assert binary_sentiment(0.55, model.margins(["주문번호는 12345입니다"])[0]).label.value == "neutral"


def test_a_model_file_from_before_the_evidence_band_keeps_one_band(tmp_path: Path) -> None:
    shipped = LinearModel.load(MODELS_DIR / "sentiment_ko.npz")
    path = tmp_path / "old.npz"
    np.savez_compressed(
        path,
        flavour=np.array("ko"),
        idf=shipped.idf,
        coef=shipped.coef,
        intercept=shipped.intercept,
        classes=np.array(shipped.classes),
        neutral_margin=np.array(0.3, dtype=np.float32),
    )
    old = LinearModel.load(path)
    assert old.evidence_margin is None
    assert old.margins(["좋아요", "주문번호는 12345입니다"]) == pytest.approx([0.3, 0.3])

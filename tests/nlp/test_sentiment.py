"""Behaviour of the default sentiment model on the cases the issue names.

Sarcasm is a known weakness of a bag-of-n-grams model; the sarcasm test documents what happens
(xfail, strict=False) rather than pretending otherwise. See nlp/MODEL_CARD.md.
"""

from __future__ import annotations

import pytest

from groundswell.nlp.enrich import Enricher
from groundswell.nlp.sentiment._base import UNKNOWN_CONFIDENCE
from groundswell.records import SentimentLabel

NEG, NEU, POS = SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE


def one(enricher: Enricher, text: str, lang: str | None = None):  # type: ignore[no-untyped-def]
    parts = enricher.analyze([text], [lang])
    return parts.lang[0], parts.sentiment[0]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("This phone is great, I love it", POS),
        ("Worst customer service ever. Never again.", NEG),
        ("The store opens at 9am on Monday", NEU),
        ("배송 빠르고 품질도 좋아요 최고", POS),
        ("최악이에요 환불해 주세요", NEG),
    ],
)
def test_clear_cases(enricher: Enricher, text: str, label: SentimentLabel) -> None:
    assert one(enricher, text)[1].label == label


@pytest.mark.parametrize(
    ("plain", "negated"),
    [
        ("good", "not good"),
        ("I like it", "I don't like it"),
        ("좋아요", "안 좋아요"),
        ("맛있어요", "맛있지 않아요"),
    ],
)
def test_negation_flips_the_score(enricher: Enricher, plain: str, negated: str) -> None:
    assert one(enricher, negated)[1].score < one(enricher, plain)[1].score
    assert one(enricher, negated)[1].label != POS


def test_not_bad_is_not_negative(enricher: Enricher) -> None:
    assert one(enricher, "not bad at all")[1].score > one(enricher, "bad")[1].score


@pytest.mark.parametrize(
    ("text", "sign"), [("😍😍😍", 1), ("👍", 1), ("😡😡", -1), ("ㅠㅠ", -1), (":)", 1), (":(", -1)]
)
def test_emoji_only_posts(enricher: Enricher, text: str, sign: int) -> None:
    _, sentiment = one(enricher, text, "en" if text.isascii() or sign else None)
    assert sentiment.score * sign > 0


def test_emoji_only_post_gets_a_language_and_sentiment(enricher: Enricher) -> None:
    lang, sentiment = one(enricher, "😡😡😡")
    assert lang == "und"
    assert sentiment.label == NEU and sentiment.confidence <= UNKNOWN_CONFIDENCE


def test_mixed_korean_english(enricher: Enricher) -> None:
    lang, sentiment = one(enricher, "배송 너무 늦어요 worst service ever")
    assert lang == "ko"
    assert sentiment.label == NEG
    lang, sentiment = one(enricher, "iPhone 카메라 진짜 좋아요 love it")
    assert lang == "ko" and sentiment.label == POS


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_posts(enricher: Enricher, text: str) -> None:
    lang, sentiment = one(enricher, text)
    assert lang == "und" and sentiment.label == NEU and sentiment.score == 0.0


def test_100kb_post(enricher: Enricher) -> None:
    text = ("The battery died again and support never answered. " * 2000)[:100_000]
    lang, sentiment = one(enricher, text)
    assert lang == "en" and sentiment.label == NEG
    _, ko = one(enricher, "배터리가 또 나갔고 고객센터는 답이 없네요. " * 4000)
    assert ko.label == NEG


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Das ist wirklich schrecklich, ich bin sehr enttäuscht", "de"),
        ("Este producto es horrible y nadie responde", "es"),
        ("C'est vraiment nul, je suis déçu", "fr"),
        ("Isso é muito ruim, estou decepcionado", "pt"),
        ("最悪のサービスです", "ja"),
        ("这个产品太差了", "zh"),
    ],
)
def test_other_languages_are_neutral_low_confidence(enricher: Enricher, text: str, lang: str) -> None:
    detected, sentiment = one(enricher, text)
    assert detected == lang
    assert sentiment.label == NEU and sentiment.score == 0.0 and sentiment.confidence <= UNKNOWN_CONFIDENCE


def test_score_sign_and_bounds(enricher: Enricher) -> None:
    texts = ["love love love", "hate this", "ok", "그냥 그래요", "별로", "완전 강추"]
    for sentiment in enricher.analyze(texts).sentiment:
        assert -1.0 <= sentiment.score <= 1.0 and 0.0 <= sentiment.confidence <= 1.0
        if sentiment.label == POS:
            assert sentiment.score > 0
        if sentiment.label == NEG:
            assert sentiment.score < 0


@pytest.mark.xfail(reason="sarcasm is a known weakness of the n-gram model (see MODEL_CARD.md)", strict=False)
@pytest.mark.parametrize(
    "text",
    [
        "Oh great, my flight is delayed again. Just what I needed.",
        "Wow, thanks for losing my luggage, amazing service",
        "참 잘~한다 배송 3주 걸리는 거 실화냐",
    ],
)
def test_sarcasm(enricher: Enricher, text: str) -> None:
    assert one(enricher, text)[1].label == NEG


def test_korean_neutral_band(enricher: Enricher) -> None:
    """Korean models are binary; factual posts should mostly land in (or near) the neutral band.

    A documented weakness: the band is calibrated on KOTE, and some factual posts still lean polar.
    """
    factual = [
        "내일 오후 3시에 매장 방문 예정입니다",
        "주문번호는 12345입니다",
        "오늘 새 버전이 출시되었습니다",
        "배송 조회는 앱에서 할 수 있나요?",
        "매장은 오전 10시에 열어요",
    ]
    polar = [
        "정말 최고예요 강력 추천합니다",
        "최악이에요 다시는 안 삽니다",
        "너무 만족스러워요",
        "완전 실망했어요 환불해주세요",
    ]
    got = enricher.analyze(factual + polar, ["ko"] * 9).sentiment
    assert sum(s.label == NEU for s in got[:5]) >= 2
    assert all(s.label != NEU for s in got[5:])
    assert max(abs(s.score) for s in got[:5]) < min(abs(s.score) for s in got[5:])

"""Korean polarity priors (nlp/sentiment/korean_lexicon.py) and what they do to product posts.

The unit tests pin the priors themselves, whatever model is trained on them; the model tests check
the behaviour the priors exist for: launch hype and shopping praise are not complaints, and
service failures in words movie reviews never use are.
"""

from __future__ import annotations

import pytest

from groundswell.nlp.enrich import Enricher
from groundswell.nlp.sentiment.features import tokens
from groundswell.nlp.sentiment.korean_lexicon import NOT_NEGATION, lexicon_features, token_polarity
from groundswell.records import SentimentLabel

NEG, POS = SentimentLabel.NEGATIVE, SentimentLabel.POSITIVE


@pytest.mark.parametrize(
    ("token", "polarity", "negated"),
    [
        ("좋아요", 1, False),
        ("안좋아요", 1, True),
        ("최악", -1, False),
        ("꼼꼼하게", 1, False),
        ("튕겨요", -1, False),
        ("안돼요", -1, False),  # "doesn't work": negative itself, not a negated verb
        ("못받았어요", -1, False),
        ("갑자기", 0, False),
        ("운동하자", 0, False),  # 하자 (a defect) is left out: it is also "let's do"
        ("사기로", 0, False),  # 사기 (fraud) is left out: it is also "to buy"
        ("불편해요", -1, False),  # 편해 (comfortable) inside 불편 (uncomfortable) must not win
    ],
)
def test_token_polarity(token: str, polarity: int, negated: bool) -> None:
    assert token_polarity(token) == (polarity, negated)


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("실물 미쳤다", 1),
        ("색감 진짜 실화냐", 1),
        ("이건 못 참지", 1),
        ("이건 사야돼", 1),
        ("가격 미쳤네", -1),
        ("전화 연결이 안 돼요", -1),
        ("두 번 다시 안 사요", -1),
    ],
)
def test_idioms_read_the_right_way(text: str, sign: int) -> None:
    def count(name: str) -> int:
        return lexicon_features(tokens(text), text).count(name)

    assert (count("__ko_lex_pos") - count("__ko_lex_neg")) * sign > 0


def test_cant_resist_is_not_a_negation() -> None:
    assert NOT_NEGATION.search("보상판매까지? 이건 못 참지")
    assert not NOT_NEGATION.search("배터리가 하루도 못 가요")


HYPE_AND_PRAISE = [
    "벡사 S9 블루 실물 미쳤다 #벡사S9챌린지",
    "벡사 라이브 방송 봤는데 S9 블루 색감 실화냐",
    "야간모드 진짜 미쳤음",
    "포장도 꼼꼼하고 배송도 빨라요",
    "인생템 등극",
    "재구매 의사 있어요",
    "완전 취저",
]
SERVICE_FAILURES = [
    "배송이 일주일째 안 와요",
    "고객센터 전화 연결이 안 됨",
    "불량품 받았어요",
    "결제 오류 나서 두 번 결제됨",
    "액정 깨짐",
    "상담원이 너무 불친절해요",
]


def test_hype_and_praise_are_not_complaints(enricher: Enricher) -> None:
    got = enricher.analyze(HYPE_AND_PRAISE, ["ko"] * len(HYPE_AND_PRAISE)).sentiment
    assert [s.label for s in got if s.label == NEG] == []


def test_service_failures_are_complaints(enricher: Enricher) -> None:
    got = enricher.analyze(SERVICE_FAILURES, ["ko"] * len(SERVICE_FAILURES)).sentiment
    assert all(s.label == NEG for s in got), [
        (t, s.label.value) for t, s in zip(SERVICE_FAILURES, got, strict=True)
    ]

"""One definition of "complaint" (architecture issue): computed at enrichment, stored, read everywhere."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from groundswell.complaint import FAINT, NEUTRAL_LEAN, WEAK_PRAISE, is_complaint
from groundswell.config.settings import Touchpoint
from groundswell.nlp.enrich import Enricher
from groundswell.nlp.touchpoints import TouchpointClassifier
from groundswell.records import EnrichedMention, Mention, Sentiment


@pytest.mark.parametrize(
    ("text", "label", "score", "expected"),
    [
        ("the battery died", "negative", -0.8, True),
        ("ok", "neutral", NEUTRAL_LEAN, True),  # leaning negative enough
        ("로켓배송이좋아요", "neutral", -0.09, False),  # praise read as barely negative is not a complaint
        ("still waiting for my parcel", "neutral", 0.1, True),  # names a failure
        ("아직 안 와요", "neutral", 0.0, True),
        ("still love it, never disappoints", "positive", 0.8, False),
        ("the app keeps crashing since the update", "neutral", -0.09, True),  # a breakdown, read as neutral
        ("Internet has been out for hours.... send help", "positive", 0.2, True),  # mildly positive reading
        ("no crashes at all since the update, great", "positive", 0.9, False),  # clearly praise
        ("앱이 계속 튕겨요", "positive", 0.1, True),
        ("배송이 늦었지만 만족해요", "positive", 0.35, False),  # a late parcel, and praise: not a breakdown
        ("결제가 자꾸 취소돼요", "positive", 0.1, True),  # faint praise naming a failure
        ("@support i need help! please reply to my messages!", "positive", 0.25, True),  # asking, faint
        ("any update on the 20:07 to Liverpool?", "neutral", 0.0, True),
        ("what's going on with your on demand programming", "neutral", 0.05, True),
        ("one week anniversary, one week no internet and TV", "positive", 0.3, True),  # a service gone
        ("my earbuds keep turning off on their own", "positive", 0.4, True),
        ("what a great update, thanks for the help", "positive", 0.4, False),  # thanks is not asking
        ("Internet has been down all day in Malden", "neutral", -0.08, True),  # a service down (stop 36)
        ("the site is down again, great job", "positive", 0.4, True),  # a breakdown under mild praise
        ("prices are down this week", "neutral", 0.0, False),  # only a service is "down"
        ("not able to view mails on my laptop for days", "neutral", 0.05, True),
        ("your website no longer remembers that I'm a subscriber", "neutral", -0.08, True),
        ("thanks for ignoring me for three days", "neutral", -0.02, True),
        ("it should have been dispatched on the same day", "neutral", -0.03, True),
        ("2.5 hours since we ordered our pizza", "neutral", 0.1, True),
        ("they say i cant return the clothes", "neutral", -0.05, True),  # can't without its apostrophe
        ("we waited an hour, worth it", "positive", 0.6, False),  # clearly praise
        ("my order never arrived", None, None, True),  # no sentiment: the cue alone
        ("nice weather", None, None, False),
    ],
)
def test_the_rule(text: str, label: str | None, score: float | None, expected: bool) -> None:
    assert is_complaint(text, label, score) is expected


def test_a_faint_reading_is_judged_as_neutral_whatever_its_label() -> None:
    assert not is_complaint("사전예약 성공 ㅋㅋ", "negative", -0.03)  # a polar label on a faint score
    assert is_complaint("사전예약 성공 ㅋㅋ", "negative", -FAINT)
    assert is_complaint("결제가 자꾸 취소돼요", "positive", FAINT - 0.01)
    assert not is_complaint("결제가 자꾸 취소돼요", "positive", FAINT)


def test_only_mild_praise_yields_to_a_breakdown() -> None:
    assert is_complaint("the app crashed twice", "positive", WEAK_PRAISE - 0.01)
    assert not is_complaint("the app crashed twice", "positive", WEAK_PRAISE)


def test_enrichment_stores_the_flag_the_tagger_and_detector_read() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    posts = [
        Mention(id=f"x:{i}", source="x", native_id=str(i), text=t, created_at=at)
        for i, t in enumerate(
            ["My parcel still hasn't arrived, two weeks now", "Great phone, love the camera"]
        )
    ]
    taxonomy = [Touchpoint(name="delivery", keywords=["parcel", "delivery"])]
    enricher = Enricher(touchpoints=TouchpointClassifier(taxonomy))
    late, praise = enricher.enrich(posts)
    assert late.complaint and not praise.complaint
    assert late.touchpoints == ["delivery"]  # tagged because (and only because) it is a complaint
    assert praise.touchpoints == []
    assert late.complaint == is_complaint(late.clean_text, late.sentiment.label.value, late.sentiment.score)


def test_records_without_the_flag_derive_it_from_their_sentiment() -> None:
    doc = {
        "id": "x:1",
        "source": "x",
        "native_id": "1",
        "text": "meh",
        "created_at": "2026-01-01T00:00:00Z",
        "sentiment": {"label": "negative", "score": -0.6, "confidence": 0.8},
    }
    assert EnrichedMention.model_validate(doc).complaint is True
    assert EnrichedMention.model_validate({**doc, "complaint": False}).complaint is False  # stored wins
    neutral = {**doc, "sentiment": Sentiment(label="neutral", score=0.2, confidence=0.5)}
    assert EnrichedMention.model_validate(neutral).complaint is False


def test_only_short_posts_are_remembered() -> None:
    """The rule is cached for the tagger's second question, but a 1 MB post must not be held."""
    from groundswell import complaint

    long_post = "still waiting for my parcel " * 100
    assert len(long_post) > complaint.CACHED_TEXT
    before = complaint._remembered.cache_info().currsize
    assert is_complaint(long_post, "neutral", 0.0) is True
    assert complaint._remembered.cache_info().currsize == before
    assert is_complaint("still waiting for my parcel", "neutral", 0.0) is True
    assert is_complaint("still waiting for my parcel", "neutral", 0.0) is True
    assert complaint._remembered.cache_info().hits >= 1

"""The stars rule of nlp/sentiment/rated.py: 1-2 stars never praise, 4-5 stars never a complaint
unless the words name a fault, unrated posts untouched."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from groundswell.nlp.sentiment.rated import rated_sentiment, star_prior, with_ratings
from groundswell.records import Sentiment, SentimentLabel


def _s(score: float) -> Sentiment:
    label = "negative" if score < -0.25 else "positive" if score > 0.25 else "neutral"
    return Sentiment(label=SentimentLabel(label), score=score, confidence=0.8)


def test_unrated_posts_keep_the_text_reading() -> None:
    text = _s(-0.52)
    assert rated_sentiment(text, None, "빠른배송") is text
    assert with_ratings([text], None, ["빠른배송"]) == [text]


def test_praise_misread_by_the_words_is_positive_with_five_stars() -> None:
    assert rated_sentiment(_s(-0.52), 5, "빠른배송").label == SentimentLabel.POSITIVE
    assert rated_sentiment(_s(-0.9), 5, "쿠팡없으면 못살지경 ㅠㅠ").label != SentimentLabel.NEGATIVE


def test_five_stars_with_a_named_fault_stay_a_complaint() -> None:
    for words in [
        "별 다섯 개 주고 싶지만 업데이트 후 계속 튕겨요",
        "love it but it crashes on login",
        "결제가 안 돼요",
    ]:
        assert rated_sentiment(_s(-0.8), 5, words).label == SentimentLabel.NEGATIVE, words
    assert rated_sentiment(_s(-0.3), 5, "결제가 안 돼요").label != SentimentLabel.NEGATIVE  # words unsure


def test_three_stars_follow_clear_words() -> None:
    assert rated_sentiment(_s(-0.9), 3, "최악").label == SentimentLabel.NEGATIVE
    assert rated_sentiment(_s(0.2), 3, "그냥 그래요").label == SentimentLabel.NEUTRAL


@given(
    st.floats(min_value=-1, max_value=1),
    st.sampled_from([1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]),
    st.sampled_from(["", "앱이 튕겨요", "great", "환불 해주세요"]),
)
def test_the_rule_holds_for_every_score_and_rating(score: float, stars: float, words: str) -> None:
    out = rated_sentiment(_s(score), stars, words)
    assert -1 <= out.score <= 1 and 0 <= out.confidence <= 1
    if stars <= 2:
        assert out.label != SentimentLabel.POSITIVE
    if stars >= 4 and out.label == SentimentLabel.NEGATIVE:
        assert words in ("앱이 튕겨요", "환불 해주세요") and out.score == score


def test_the_prior_is_monotone_in_stars() -> None:
    priors = [star_prior(1 + k / 4) for k in range(17)]
    assert priors == sorted(priors) and priors[0] == -1 and priors[-1] == 1 and star_prior(3) == 0

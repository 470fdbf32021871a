"""A rated post's sentiment takes its stars into account.

The text model reads words; a reviewer's stars say what they meant. On 14.7k real Google Play
reviews, 1,099 of the 1,923 posts the Korean model read as negative had 4-5 stars ("빠른배송",
"배송짱": praise in words a movie-review model never saw). Stars alone are not enough either: a
5-star review can still report a crash, and a 1-star review can begin with praise. The rule:

1. Blend: `score = STAR_WEIGHT * prior(stars) + (1 - STAR_WEIGHT) * text score`, where the prior is
   -1, -0.6, 0, +0.6, +1 for 1-5 stars (a 3-star review leans on its words alone). The label is
   neutral inside `NEUTRAL_BAND`, else the sign of the blend.
2. 1-2 stars are never positive: at best neutral.
3. 4-5 stars are never negative (never a complaint) unless the text clearly names a failure: the
   text model reads it as negative (score at or below `-FAILURE`) and it names a concrete fault
   (`FAILURE_WORDS`: crashes, errors, refunds, "doesn't work", 튕김, 먹통, 오류, 환불, 안 돼요 ...);
   then the text model's reading is kept, so "별 다섯 개 주고 싶지만 업데이트 후 계속 튕겨요" still
   reaches the complaint pipeline, while "쿠팡없으면 못살지경 ㅠㅠ" (5 stars; no fault named) does not.

Unrated posts keep the text model's sentiment unchanged. This runs inside the sentiment step
(`Enricher.analyze`), before touchpoints and the complaint flag read the sentiment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from groundswell.records import Sentiment, SentimentLabel

STAR_WEIGHT = 0.6
NEUTRAL_BAND = 0.2
FAILURE = 0.5
# Concrete faults, not moods: "why", "still" or "늦" alone do not overrule five stars.
FAILURE_WORDS = re.compile(
    r"\b(?:crash\w*|freez\w*|bug\w*|error\w*|broken|refund\w*|scam|defect\w*|"
    r"(?:doesn't|does not|don't|won't|can't|cannot|not) (?:work|load|open|log ?in|sign in|connect|charge)\w*)\b|"
    r"튕기|튕겨|튕김|튕겼|먹통|오류|에러|버그|고장|불량|파손|누락|오배송|환불|결제\s?(?:가\s?)?안|"
    r"로그인\s?(?:이\s?)?안|접속\s?(?:이\s?)?안|안\s?(?:돼|되|됨|됐)|안\s?(?:와|옴|왔)|렉\s?(?:이|걸|심)|끊기|끊겨|끊김|"
    r"강제\s?종료|멈춰|멈춤|먹튀|사기",
    re.IGNORECASE,
)
_PRIOR = {1: -1.0, 2: -0.6, 3: 0.0, 4: 0.6, 5: 1.0}


def star_prior(stars: float) -> float:
    """The prior score of a 1-5 rating, interpolated for half stars (4.5 -> 0.8)."""
    stars = min(5.0, max(1.0, stars))
    low = int(stars)
    if low == stars:
        return _PRIOR[low]
    return _PRIOR[low] + (stars - low) * (_PRIOR[low + 1] - _PRIOR[low])


def rated_sentiment(text: Sentiment, stars: float | None, words: str = "") -> Sentiment:
    """The text model's sentiment of `words` adjusted by the post's stars (unchanged when unrated)."""
    if stars is None:
        return text
    if stars >= 4 and text.score <= -FAILURE and FAILURE_WORDS.search(words):
        return text  # the words clearly name a failure: a complaint despite the stars
    score = STAR_WEIGHT * star_prior(stars) + (1 - STAR_WEIGHT) * text.score
    if stars <= 2:
        score = min(score, 0.0)
    elif stars >= 4:
        score = max(score, 0.0)
    if abs(score) < NEUTRAL_BAND:
        label = SentimentLabel.NEUTRAL
        confidence = 1 - abs(score) / (2 * NEUTRAL_BAND)
    else:
        label = SentimentLabel.POSITIVE if score > 0 else SentimentLabel.NEGATIVE
        confidence = 0.5 + abs(score) / 2
    return Sentiment.model_construct(
        label=label, score=min(1.0, max(-1.0, score)), confidence=min(1.0, max(0.0, confidence))
    )


def with_ratings(
    sentiments: Sequence[Sentiment], ratings: Sequence[float | None] | None, texts: Sequence[str]
) -> list[Sentiment]:
    """`rated_sentiment` over a batch; `ratings` None (no post rated) returns the batch as it is."""
    if ratings is None:
        return list(sentiments)
    return [rated_sentiment(s, r, t) for s, r, t in zip(sentiments, ratings, texts, strict=True)]

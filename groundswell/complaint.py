"""What counts as a complaint: defined once, computed at enrichment, stored with each mention.

The detector, the touchpoint tagger, the dashboard and the reports all read the stored flag
(`EnrichedMention.complaint`, `MentionQuery.complaint`), so an alert, its touchpoint and a chart
can never disagree, and swapping the sentiment model moves one rule, not three thresholds.

A post is a complaint when its sentiment is negative, or neutral but leaning negative
(score <= NEUTRAL_LEAN), or neutral and naming a failure ("still waiting", "아직 안 와요"): sentiment
models read dry complaints as neutral. Measured on 3,448 English tweets addressed to brands and
annotated complaint/not (Preoțiuc-Pietro et al. 2019; evaluation only), with the shipped model:
negative only P 0.59 R 0.60; this rule P 0.56 R 0.81 (F1 0.593 -> 0.660). Praise read as slightly
negative (`로켓배송이좋아요` at -0.09) is no longer a complaint.
"""

from __future__ import annotations

import re

NEUTRAL_LEAN = -0.1  # a neutral post scored at or below this leans negative enough to count

FAILURE_CUE = re.compile(
    r"\b(?:still|never|waiting|waited|hasn't|haven't|didn't|doesn't|won't|can't|cannot|nobody|no one|"
    r"why|when will|how long|again|cancel\w*|problem\w*|issue\w*|broken|missing|late|charged|wrong|"
    r"error\w*|fail\w*|refund\w*|complain\w*)\b|아직|언제|왜|안\s?와|안\s?되|안\s?됨|문제|오류|에러|고장|"
    r"환불|취소|연락|답변|불만|불편|늦|짜증|최악",
    re.IGNORECASE,
)


def is_complaint(text: str, label: str | None, score: float | None) -> bool:
    """The one rule (see the module docstring); `label`/`score` are the post's sentiment."""
    if label is None:
        return bool(FAILURE_CUE.search(text))
    if label == "negative":
        return True
    if label == "neutral":
        return (score is not None and score <= NEUTRAL_LEAN) or bool(FAILURE_CUE.search(text))
    return False

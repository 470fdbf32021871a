"""What counts as a complaint: defined once, computed at enrichment, stored with each mention.

The detector, the touchpoint tagger, the dashboard and the reports all read the stored flag
(`EnrichedMention.complaint`, `MentionQuery.complaint`), so an alert, its touchpoint and a chart
can never disagree, and swapping the sentiment model moves one rule, not three thresholds.

A post is a complaint when its sentiment is negative, or neutral but leaning negative
(score <= NEUTRAL_LEAN), or neutral and naming a failure ("still waiting", "아직 안 와요"): sentiment
models read dry complaints as neutral. Measured on 3,448 English tweets addressed to brands and
annotated complaint/not (Preoțiuc-Pietro et al. 2019; evaluation only), with the shipped model:
negative only P 0.59 R 0.60; this rule P 0.56 R 0.81 (F1 0.593 -> 0.660). Praise read as slightly
negative (`로켓배송이좋아요` at -0.09) is no longer a complaint. A post read as mildly positive
(score < WEAK_PRAISE) that names a breakdown outright ("Internet has been out for hours.... send
help" at +0.2) is one too. `python -m bench.eval_complaint DATA_DIR --split dev|test` measures the
rule on the halves of that set: with the breakdown cue and the longer failure list (chosen on dev,
test run once; WEAK_PRAISE 0.3 gives the same dev figures) dev accuracy 0.703 -> 0.706 (F1 0.659
-> 0.664), test 0.704 -> 0.706 (F1 0.661 -> 0.665). Asking for help or an answer ("please reply
to my messages!", "any update on the 20:07?"), "what's going on with", a service gone ("one week
no internet") and a device switching itself off name a failure too (2026-12-07, chosen on dev:
accuracy 0.709 -> 0.713, recall 0.828 -> 0.846; "couldn't" alone lowered dev and was left out).
So do a service that is down ("internet has been down all day"), being unable to do something or
a thing that no longer works, being ignored or hung up on, what should have happened already or
hours since it was asked, and can't / won't written without the apostrophe (2026-12-07, stop 36,
chosen on dev: accuracy 0.713 -> 0.717, recall 0.846 -> 0.858; test run once: 0.706 -> 0.707,
recall 0.826 -> 0.829). Most remaining false positives are negative tweets about something else
than a brand, which posts collected for a brand rarely are.

Since the Korean model gives no neutral band to a post that names a polar word (2026-12-06,
nlp/MODEL_CARD.md), a faint reading (|score| < FAINT) gets a polar label where it used to be
neutral: "사전예약 성공 ㅋㅋ" at -0.03 became negative, so a complaint, and the demo's launch hype
raised a false alert again. A faint reading is therefore judged as a neutral one, whatever its
label: a complaint when it leans negative enough or names a failure (or a breakdown). Figures
(dev half of the real app reviews, English complaint tweets, the demo): BENCHMARKS.md, "Korean
sentiment and detection, 2026-12-06".
"""

from __future__ import annotations

import re
from functools import lru_cache

WEAK_PRAISE = 0.5  # a positive post scored below this that names a breakdown is a complaint
FAINT = 0.3  # |score| below this is a faint reading, judged as neutral whatever its label
NEUTRAL_LEAN = -0.1  # a neutral post scored at or below this leans negative enough to count

_UNANSWERED = (
    r"(?:please |pls )?(?:reply|respond|answer)(?:ed)? (?:to )?(?:my|me|us)"
    r"|any (?:answer|reply|response|update|news)|no (?:answer|reply|response)"
)
_WHAT_IS_WRONG = r"what'?s (?:happening|going on)|what is (?:happening|going on)|what happened"
_GONE = r"no (?:internet|service|signal|power|wifi|wi-fi|tv|connection|network)"
_SWITCHES_OFF = r"(?:powers?|powering|turns?|turning|shuts?|shutting) (?:itself )?off"
_SERVICE_DOWN = (
    r"(?:internet|service|site|website|app|server|network|system|broadband|wifi|phones?|lines?)"
    r" (?:is |are |has been |have been |was |were |went |goes )?down\b"
)
_UNABLE = r"unable to|not able to|no longer (?:works?|working|loads?|opens?|shows?|remembers?|syncs?)"
_IGNORED = r"ignor(?:ing|ed|es) (?:me|us|my|our)|hung up|hangs? up on"
_OVERDUE = (
    r"should have (?:been|arrived|received|got|gotten|come)"
    r"|(?:\d+(?:\.\d+)?|an?) ?(?:hours?|hrs?|mins?|minutes|days|weeks) (?:since|to (?:get|take|answer|respond))"
    r"|\d+ ?(?:mins?|minutes|hours?|hrs?) wait"
)
FAILURE_CUE = re.compile(
    r"\b(?:still|never|waiting|waited|hasn't|haven't|didn't|doesn't|won't|can't|cannot|nobody|no one|"
    r"hasnt|havent|didnt|doesnt|wont|cant|"
    r"why|when will|how long|again|cancel\w*|problem\w*|issue\w*|broken|missing|late|charged|wrong|"
    r"error\w*|fail\w*|refund\w*|complain\w*|crash\w*|freez\w*|froze|stuck|outage|down for|"
    r"not working|stopped working|doesn't work|don't work|won't (?:load|open|work|start)|"
    r"lost|damaged|delayed|overcharged|unacceptable|disappoint\w*|waste of)\b|"
    # asking to be helped or answered, a service gone or down, ignored, overdue (2026-12-07; see above)
    rf"\b(?:(?:need|please|pls) help|help(?: me)?!|help\?|{_UNANSWERED}|{_WHAT_IS_WRONG}|{_GONE}|{_SWITCHES_OFF})|"
    rf"\b(?:{_SERVICE_DOWN}|{_UNABLE}|{_IGNORED}|{_OVERDUE})|"
    r"아직|언제|왜|안\s?와|안\s?되|안\s?됨|문제|오류|에러|고장|"
    r"환불|취소|연락|답변|불만|불편|늦|짜증|최악",
    re.IGNORECASE,
)
# A breakdown named outright: the cue that outweighs a mildly positive reading ("Internet has been
# out for hours.... send help" scores +0.2; "the app keeps crashing" reads as neutral).
BREAKDOWN = re.compile(
    rf"\b(?:{_GONE}|{_SWITCHES_OFF}|{_SERVICE_DOWN})\b|"
    r"\b(?:broken|crash\w*|freez\w*|froze|outage|error\w*|not working|stopped working|doesn't work|"
    r"won't (?:load|open|work|start)|damaged|overcharged|charged (?:me )?twice|unacceptable|"
    r"out for (?:hours|days)|never (?:arrived|came|received))\b|오류|에러|고장|먹통|튕기|튕겨|튕김|파손|"
    r"안\s?와요|안\s?옴|결제\s?오류",
    re.IGNORECASE,
)


CACHED_TEXT = 2_000  # characters: the rule is remembered for posts this short (memory stays bounded)


def is_complaint(text: str, label: str | None, score: float | None) -> bool:
    """The one rule (see the module docstring); `label`/`score` are the post's sentiment.

    Remembered for short posts: enrichment flags a batch's posts and the touchpoint tagger asks
    again for the same posts right after (its own clauses are other texts). A post may be up to
    1 MB, so only posts of at most CACHED_TEXT characters are kept (4,096 of them: ~32 MB at most).
    """
    if len(text) <= CACHED_TEXT:
        return _remembered(text, label, score)
    return _rule(text, label, score)


@lru_cache(maxsize=1 << 12)
def _remembered(text: str, label: str | None, score: float | None) -> bool:
    return _rule(text, label, score)


def _rule(text: str, label: str | None, score: float | None) -> bool:
    if label is None:
        return bool(FAILURE_CUE.search(text))
    if score is not None and abs(score) < FAINT:
        return score <= NEUTRAL_LEAN or bool(FAILURE_CUE.search(text) or BREAKDOWN.search(text))
    if label == "negative":
        return True
    if label == "neutral":
        return (score is not None and score <= NEUTRAL_LEAN) or bool(FAILURE_CUE.search(text))
    if label == "positive":
        return score is not None and score < WEAK_PRAISE and bool(BREAKDOWN.search(text))
    return False

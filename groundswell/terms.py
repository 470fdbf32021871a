"""Top terms of a set of posts: words that carry meaning, in Korean and English."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

from groundswell.addresses import AT_TAIL, HANDLE, AddressRegex
from groundswell.query import normalize

_LATIN = re.compile(r"[a-z][a-z0-9']{2,}")
# Links and account handles are addresses, not words: "@kfc_uki" or "t.co/caxi1xqgwo" must not
# become the terms "uki" or "caxi1xqgwo" (a series key, an alert label, a dashboard top term).
# A handle's dotted tail goes with it (@afonso.dan, as Instagram spells them): a word lost to a missing
# space (@bob.Great) costs less than a handle's part counted as a term.
_ADDRESS = AddressRegex(rf"{HANDLE}(?:\.\w+)*|{AT_TAIL}")
_HANGUL = re.compile(r"[\uac00-\ud7af]{2,}")
# Korean particles and endings stripped from the end of a word (longest first).
_JOSA = sorted(
    [
        "은",
        "는",
        "이",
        "가",
        "을",
        "를",
        "의",
        "에",
        "에서",
        "에게",
        "께",
        "로",
        "으로",
        "와",
        "과",
        "도",
        "만",
        "까지",
        "부터",
        "이나",
        "나",
        "이랑",
        "랑",
        "한테",
        "보다",
        "처럼",
        "이에요",
        "예요",
        "입니다",
        "이다",
        "에요",
        "해요",
        "했어요",
        "네요",
        "어요",
        "아요",
        "요",
        "고",
        "지",
        "죠",
        "는데",
        "인데",
    ],
    key=len,
    reverse=True,
)
_ENGLISH_EXTRA = [
    "anymore",
    "really",
    "got",
    "just",
    "thing",
    "things",
    "im",
    "i'm",
    "dont",
    "don't",
    "cant",
    "can't",
    "ive",
    "i've",
    "youre",
    "you're",
    "theyre",
    "it's",
    "thats",
    "that's",
    "lol",
    "omg",
    "gonna",
    "wanna",
    "via",
    "amp",
    "http",
    "https",
    "www",
    "com",
    "yeah",
    "yes",
    "okay",
    "ok",
    "guys",
    "like",
    "literally",
]
_KOREAN = "그리고 그런데 하지만 너무 진짜 정말 그냥 이거 저거 그거 이건 저는 제가 우리 오늘 지금 근데 이번 그래서 완전"


@cache
def stopwords() -> frozenset[str]:
    """English (scikit-learn's list) and Korean filler words.

    Imported on first use: scikit-learn takes ~0.7 s to import, which every CLI call would pay.
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | frozenset(_ENGLISH_EXTRA) | frozenset(_KOREAN.split())


def _stem_ko(word: str) -> str:
    for josa in _JOSA:
        if word.endswith(josa) and len(word) - len(josa) >= 2:
            return word[: -len(josa)]
    return word


def terms_of(text: str) -> list[str]:
    norm = _ADDRESS.sub(" ", normalize(text))
    stop = stopwords()
    words = [w for w in _LATIN.findall(norm) if w not in stop]
    words += [s for s in (_stem_ko(w) for w in _HANGUL.findall(norm)) if s not in stop]
    return words


def count_terms(rows: Iterable[tuple[str, str | None]]) -> Counter[str]:
    """Document frequency of each term (a word repeated in one post counts once)."""
    counts: Counter[str] = Counter()
    for text, _lang in rows:
        counts.update(set(terms_of(text)))
    return counts

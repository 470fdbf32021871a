"""When a short Hangul keyword counts as found: at a word start, or at a word end before a particle.

Korean keywords match inside words because particles and compounds attach (배송 -> 배송이,
로켓배송). A keyword of one or two syllables is short enough to sit inside an unrelated word as
well: `페이` (pay) inside `상세페이지` (product page). For such keywords a match must begin a
Hangul word (`페이가 안 돼요`) or end one, followed only by a noun particle (`카카오페이로`,
`로켓배송이`); `상세페이지` has `지` after `페이`, which is no particle, so it is not a match.
Longer keywords keep matching anywhere, spaces ignored.
"""

from __future__ import annotations

import re

SHORT_SYLLABLES = 2  # keywords of this many Hangul syllables or fewer follow the word rule
_SYLLABLES = re.compile(r"[\uac00-\ud7a3]+")
_GAP = re.compile(r"(?<=[\uac00-\ud7a3])\s+(?=[\uac00-\ud7a3])")
# Particles that follow a noun (not verb endings such as 지, 고, 요, which also end other nouns).
NOUN_PARTICLES = frozenset(
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
        "이요",
        "이에요",
        "예요",
        "이야",
        "야",
        "이고",
        "이라",
        "라",
        "이라도",
        "라도",
        "에도",
        "으로도",
        "로도",
        "에서도",
        "만큼",
        "마다",
        "밖에",
        "들",
        "들이",
        "들은",
        "들을",
        "들도",
        "들의",
    ]
)


def is_short_hangul(keyword: str) -> bool:
    """One or two Hangul syllables and nothing else (spaces ignored): `페이`, `앱`, `배송`."""
    squashed = keyword.replace(" ", "")
    return bool(squashed) and _SYLLABLES.fullmatch(squashed) is not None and len(squashed) <= SHORT_SYLLABLES


def short_keyword_found(keyword: str, text: str) -> bool:
    """Whether a short Hangul keyword occurs in `text` (lower-cased) as a word start or noun end."""
    keyword = keyword.replace(" ", "")
    joined = _GAP.sub("", text)  # spacing is loose: 배 송 이 늦어요 has 배송이
    words = _SYLLABLES.findall(text) + (_SYLLABLES.findall(joined) if joined != text else [])
    for word in words:
        start = word.find(keyword)
        while start != -1:
            rest = word[start + len(keyword) :]
            if start == 0 or not rest or rest in NOUN_PARTICLES:
                return True
            start = word.find(keyword, start + 1)
    return False

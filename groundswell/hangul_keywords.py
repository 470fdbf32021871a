"""Short Hangul keywords: the longest keyword of a taxonomy wins where two overlap.

Korean keywords match inside words because particles and compounds attach (배송 -> 배송이,
로켓배송), and reviews are often written without spaces (`카드로결제하고`), so a keyword cannot be
required to start a word. A keyword of one or two syllables is short enough to sit inside an
unrelated word, though: `페이` (pay) inside `상세페이지` (product page). The rule here: where a
longer keyword of the taxonomy (`상세페이지`, of the website touchpoint) covers the short one's
occurrence, that occurrence is the longer keyword's, not the short one's. A taxonomy fixes a
collision by listing the longer word; loading one with short keywords prints a warning saying so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

SHORT_SYLLABLES = 2  # keywords of this many Hangul syllables or fewer are "short"
_SYLLABLES = re.compile(r"[\uac00-\ud7a3]+")


def is_short_hangul(keyword: str) -> bool:
    """One or two Hangul syllables and nothing else (spaces ignored): `페이`, `앱`, `배송`."""
    squashed = keyword.replace(" ", "")
    return bool(squashed) and _SYLLABLES.fullmatch(squashed) is not None and len(squashed) <= SHORT_SYLLABLES


def covering(keyword: str, keywords: Iterable[str]) -> tuple[str, ...]:
    """The longer keywords (spaces removed) that contain `keyword`: `상세페이지` for `페이`."""
    short = keyword.replace(" ", "")
    return tuple(
        sorted(
            {
                k.replace(" ", "")
                for k in keywords
                if short in k.replace(" ", "") and len(k.replace(" ", "")) > len(short)
            }
        )
    )


def short_keyword_found(keyword: str, squashed: str, longer: Sequence[str] = ()) -> bool:
    """Whether `keyword` occurs in `squashed` (lower-cased, spaces removed) outside every
    occurrence of a `longer` keyword that contains it."""
    keyword = keyword.replace(" ", "")
    if keyword not in squashed:
        return False
    for word in longer:
        squashed = squashed.replace(word, "\x00")
    return keyword in squashed

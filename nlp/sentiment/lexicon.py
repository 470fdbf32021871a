"""Polarity priors the models learn from as features: VADER's English lexicon, emoji and emoticons.

The priors are features, not rules: the trained model decides how much each is worth, and they let a
small training set generalise to words and emoji it rarely saw.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

# Emoji whose sentiment is clear in reviews and complaints; the rest stay as plain unigram features.
POSITIVE_EMOJI = frozenset(
    "😀😁😂😃😄😅😆😉😊😋😍😎😘😙😚🙂🤗🤩🥰🥳👍👏🙌💪🎉❤💕💖💗💘💙💚💛💜🧡🖤😻✨🔥💯🌟⭐☺♥"
)
NEGATIVE_EMOJI = frozenset("😞😟😠😡🤬😢😣😤😥😦😧😨😩😪😫😭😰😱😒😓😔😕🙁☹👎💔🤮🤢😖😬🙄💩😿")
EMOTICON = re.compile(
    r"(?:[:;=8][-o'^]?[)(\]\[dDpP/\\|@*3oO])|(?:[)(][-o]?[:;=])|</?3|\^[_.]?\^|[Tㅠㅜ][_.]?[Tㅠㅜ]|ㅋㅋ|ㅎㅎ|xD|XD"
)
POSITIVE_EMOTICONS = frozenset(
    {
        ":)",
        ":-)",
        ":d",
        ":-d",
        ";)",
        ";-)",
        "=)",
        ":]",
        ":p",
        ":-p",
        "<3",
        "^^",
        "^_^",
        "xd",
        "ㅋㅋ",
        "ㅎㅎ",
        ":3",
        "(:",
        "(-:",
    }
)
NEGATIVE_EMOTICONS = frozenset(
    {
        ":(",
        ":-(",
        ":/",
        ":-/",
        ":[",
        ":'(",
        "):",
        ")-:",
        "</3",
        "t_t",
        "tt",
        "ㅠㅠ",
        "ㅜㅜ",
        "ㅠㅜ",
        "ㅜㅠ",
        "ㅠ_ㅠ",
        "ㅜ_ㅜ",
        ":|",
        ":\\",
        "=(",
    }
)


@cache
def vader_lexicon() -> dict[str, float]:
    """word -> mean valence in [-4, 4], read from the vaderSentiment package's own file."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    lexicon: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            try:
                lexicon[parts[0]] = float(parts[1])
            except ValueError:
                continue
    return lexicon


def emoticon_polarity(token: str) -> int:
    low = token.lower()
    if low in POSITIVE_EMOTICONS:
        return 1
    if low in NEGATIVE_EMOTICONS:
        return -1
    return 0


def emoji_polarity(char: str) -> int:
    if char in POSITIVE_EMOJI:
        return 1
    if char in NEGATIVE_EMOJI:
        return -1
    return 0

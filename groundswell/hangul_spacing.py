"""Korean spacing is loose: `로켓배송` and `로켓 배송` are the same words, written two ways.

Used by groundswell.query (matching), indexer.fts (the SQLite index) and indexer.es_mappings (the
Elasticsearch document), so all three agree on what "across a space" means: a *chain* is a run of
words separated only by whitespace, each gap lying between two Hangul syllables (`로켓 배송이`, not
`로켓, 배송`). A Hangul pattern found in a chain's joined words, crossing a gap, is a match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

SYLLABLE = re.compile(r"[\uac00-\ud7af]")
GAP = re.compile(r"(?<=[\uac00-\ud7af])\s+(?=[\uac00-\ud7af])")


class Chain(NamedTuple):
    first: int  # index of its first word in the document's words
    ends: list[int]  # end offset of each word in `joined`
    joined: str  # the words without the spaces between them


def joined_text(norm: str) -> str:
    """The normalised text with every Hangul-to-Hangul space removed (a quick superset test)."""
    return GAP.sub("", norm)


def chains(norm: str, spans: Sequence[tuple[int, int]], words: Sequence[str]) -> list[Chain]:
    """The chains of two or more words; `spans` are the words' spans in `norm` (marks included)."""
    out: list[Chain] = []
    i = 0
    while i < len(spans):
        j = i
        while (
            j + 1 < len(spans)
            and SYLLABLE.match(norm[spans[j][1] - 1])
            and SYLLABLE.match(norm[spans[j + 1][0]])
            and norm[spans[j][1] : spans[j + 1][0]].isspace()
        ):
            j += 1
        if j > i:
            ends, length = [], 0
            for k in range(i, j + 1):
                length += len(words[k])
                ends.append(length)
            out.append(Chain(i, ends, "".join(words[i : j + 1])))
        i = j + 1
    return out


def crossing_positions(found_in: Sequence[Chain], pattern: str) -> list[int]:
    """Word positions where `pattern` starts a match that crosses a gap (not inside one word)."""
    found: list[int] = []
    for chain in found_in:
        start = chain.joined.find(pattern)
        while start != -1:
            word = next(i for i, end in enumerate(chain.ends) if start < end)
            if start + len(pattern) > chain.ends[word]:
                found.append(chain.first + word)
            start = chain.joined.find(pattern, start + 1)
    return found

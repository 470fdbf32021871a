"""Which concept patterns could match a text, found in one pass, so that few are searched one by one.

A post is checked against ~46 concept patterns (nlp.concepts: one English and one Korean per
concept) at enrichment, detection and topic fitting, and most posts name no concept at all. With
`google-re2` installed, one RE2 set search (a single automaton over every pattern, ~3 µs a post)
says which patterns *could* match; only those are then searched with Python's `re`, which stays the
definition of a match. Without it, one alternation per language says whether any could (~20 µs).

The RE2 patterns only have to be supersets of the Python ones: lookarounds, which RE2 lacks, are
dropped (a condition removed can only match more), and RE2's ASCII-only ``\\b`` sees a word
boundary wherever Python's Unicode one does next to the ASCII letters these patterns start and end
with. ``\\d`` is read as ``\\p{Nd}`` (Python's meaning: any Unicode digit); a pattern with a class
RE2 reads differently (``\\s``, ``\\w`` are ASCII there) or that RE2 rejects is always searched in
Python. tests/detect/test_concepts.py holds both filters to the answers of a search of every
pattern.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

try:
    import re2
except ImportError:  # optional speed: the pure-Python filter gives the same answers
    re2 = None

log = logging.getLogger(__name__)
_LOOKAROUND = re.compile(r"\(\?<?[!=](?:[^()]|\([^()]*\))*\)")
_UNICODE_CLASSES = re.compile(r"\\[swDSW]")  # \d has an exact RE2 spelling: \p{Nd}
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def build(patterns: Sequence[str | None], word_start: Sequence[bool]) -> Re2Filter | AlternationFilter:
    """A filter over `patterns` (None: no pattern at that index); `word_start` marks those searched
    after ``\\b`` (the English ones)."""
    if re2 is not None:
        try:
            return Re2Filter(patterns, word_start)
        except Exception as exc:  # RE2's memory budget: a deployment's word lists too large for one set
            log.warning(
                "concepts: RE2 could not compile the concept patterns (%s); using the slower filter", exc
            )
    return AlternationFilter(patterns, word_start)


def _superset(pattern: str) -> str | None:
    """The pattern without its lookarounds, or None when RE2 would read it differently."""
    if _UNICODE_CLASSES.search(pattern):
        return None
    pattern = re.sub(r"(?<!\\)((?:\\\\)*)\\d", r"\1\\p{Nd}", pattern)  # Python's \d: any Unicode digit
    previous = None
    while previous != pattern:
        previous, pattern = pattern, _LOOKAROUND.sub("", pattern)
    return None if "(?<" in pattern or "(?=" in pattern or "(?!" in pattern else pattern


class Re2Filter:
    """Candidates from one RE2 set search, plus the patterns RE2 cannot stand in for."""

    def __init__(self, patterns: Sequence[str | None], word_start: Sequence[bool]) -> None:
        assert re2 is not None
        self._set = re2.Set.SearchSet(re2.Options())
        self._index: list[int] = []  # RE2 set entry -> pattern index
        always = []
        for at, (pattern, bounded) in enumerate(zip(patterns, word_start, strict=True)):
            if pattern is None:
                continue
            simple = _superset(pattern)
            if simple is None or not self._add(rf"\b(?:{simple})" if bounded else f"(?:{simple})"):
                always.append(at)
                continue
            self._index.append(at)
        self._always = frozenset(always)
        self._set.Compile()

    def _add(self, pattern: str) -> bool:
        try:
            self._set.Add(pattern)
        except Exception:  # re2.error, or a ValueError from its wrapper: Python searches it instead
            return False
        return True

    def candidates(self, text: str) -> frozenset[int]:
        found = self._set.Match(text)
        if not found:
            return self._always
        return self._always.union(self._index[i] for i in found)


class AlternationFilter:
    """Without RE2: one alternation per kind of pattern says whether any of them could match, and
    Korean-only patterns are not tried on text without Hangul."""

    def __init__(self, patterns: Sequence[str | None], word_start: Sequence[bool]) -> None:
        self._groups = []
        for bounded in (True, False):
            members = [i for i, p in enumerate(patterns) if p is not None and word_start[i] == bounded]
            if not members:
                continue
            joined = "|".join(f"(?:{patterns[i]})" for i in members)
            any_of = re.compile(rf"\b(?:{joined})" if bounded else joined)
            needs_hangul = all(_HANGUL.search(alt) for i in members for alt in _alternatives(patterns[i]))
            self._groups.append((any_of, needs_hangul, frozenset(members)))

    def candidates(self, text: str) -> frozenset[int]:
        out: frozenset[int] = frozenset()
        for any_of, needs_hangul, members in self._groups:
            if needs_hangul and not _HANGUL.search(text):
                continue
            if any_of.search(text):
                out |= members
        return out


def _alternatives(pattern: str | None) -> list[str]:
    """A pattern's top-level alternatives (split at ``|`` outside groups and character classes)."""
    out, depth, in_class, escaped, start = [], 0, False, False, 0
    pattern = pattern or ""
    for at, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            out.append(pattern[start:at])
            start = at + 1
    return [*out, pattern[start:]] if pattern else []

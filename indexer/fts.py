"""Full-text indexing helpers for SQLite FTS5, Korean included.

FTS5's unicode61 tokenizer keeps a Hangul word with its particles as one token (`배송이`), so a
search for the 2-syllable noun `배송` would miss it, and the trigram tokenizer cannot match
2-syllable words at all. The indexed text therefore carries, after the words, the syllable
bigrams of each Hangul run, runs separated only by spaces joined: `배송이 늦어요` indexes
`배송이 늦어요 배송 송이 이늦 늦어 어요`. A Hangul query term becomes the phrase of its bigrams,
which finds it inside any word and across spaces.

The FTS expression built here is a *superset* prefilter; the exact query semantics are applied
afterwards by groundswell.query (`gs_match`), so both stores agree on what matches.
The author of a post is not in the body: `@handle` also matches it, so the SQLite store joins
FTS with its author index for handles (indexer.sqlite_query).
"""

from __future__ import annotations

import re

from groundswell.hangul_spacing import joined_text
from groundswell.query import And, Near, Node, Not, Or, Phrase, Tagged, Term, normalize

_HANGUL_RUN = re.compile(r"[\uac00-\ud7af]{2,}")
# The same test as groundswell.query: any Hangul (syllables or jamo) makes a term match inside words.
_HANGUL_ANY = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


_LATIN_HEAD = re.compile(r"(?<!\w)(\w*[0-9a-z])[\uac00-\ud7af]+(?!\w)")


def index_text(text: str) -> str:
    """The words, then the bigrams of Hangul runs joined across spaces, then Latin heads.

    Joining across spaces lets `로켓배송` find `로켓 배송` (groundswell.query matches Hangul across
    spaces); a Latin head is the name in `lumio의`, which unicode61 keeps as one token.
    Changing this formula needs a schema migration that rebuilds the FTS tables.
    """
    norm = normalize(text)
    joined = joined_text(norm)
    extra = [run[i : i + 2] for run in _HANGUL_RUN.findall(joined) for i in range(len(run) - 1)]
    extra += _LATIN_HEAD.findall(norm)
    return norm + ("\n" + " ".join(extra) if extra else "")


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def word_to_fts(word: str) -> str | None:
    """FTS5 expression for one query word, or None when FTS cannot narrow it."""
    if _HANGUL_ANY.search(word):
        runs = _HANGUL_RUN.findall(word.replace("*", " "))
        if not runs:
            return None  # one syllable or jamo (ㅋㅋ): found by the exact pass only
        parts = [_quote(" ".join(run[i : i + 2] for i in range(len(run) - 1))) for run in runs]
        return " AND ".join(parts)
    if "*" in word:
        head = word.split("*", 1)[0]
        return f"{_quote(head)} *" if len(head) >= 2 and head.isalnum() else None
    if not any(ch.isalnum() for ch in word):
        return None  # '_' alone: unicode61 keeps no token of it, so FTS could only miss
    return _quote(word)


def to_fts(node: Node) -> str | None:
    """A superset FTS5 MATCH expression for the query, or None if FTS cannot narrow it."""
    if isinstance(node, Term):
        return word_to_fts(node.text)
    if isinstance(node, Tagged):
        # @handle also matches the post's author, which is not in the FTS body: no narrowing here
        # (the SQLite store adds the author index, see indexer.sqlite_query.candidates).
        return word_to_fts(node.name) if node.kind == "#" else None
    if isinstance(node, Phrase):
        return _combine([word_to_fts(w) for w in node.words], " AND ")
    if isinstance(node, Near):
        return _combine([to_fts(node.left), to_fts(node.right)], " AND ")
    if isinstance(node, And):
        return _combine([to_fts(c) for c in node.children], " AND ")
    if isinstance(node, Or):
        parts = [to_fts(c) for c in node.children]
        return None if any(p is None for p in parts) else "(" + " OR ".join(parts) + ")"  # type: ignore[arg-type]
    if isinstance(node, Not):
        return None  # excluding a superset would drop true matches; the exact pass does it
    return None


def _combine(parts: list[str | None], joiner: str) -> str | None:
    kept = [p for p in parts if p]
    if not kept:
        return None
    return "(" + joiner.join(kept) + ")"

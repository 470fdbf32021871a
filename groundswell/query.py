"""The boolean query language for brands and search, parsed once and evaluated on text.

    "acme" OR 애크미 NOT "acme corp"      batter* NEAR/3 (fire OR explod*)      @acme_help #애크미

Grammar (operators are upper-case; juxtaposition means AND):

    query := or ;  or := and ("OR" and)* ;  and := unary ("AND"? unary)*
    unary := "NOT" unary | near ;  near := atom ("NEAR/" n atom)*
    atom  := "(" query ")" | '"phrase"' | term | @handle | #hashtag

Text and query are NFKC-normalised and case-folded, so full-width `ＡＣＭＥ` is `acme`. Latin terms
match whole words (`*` is a wildcard) or a word followed only by Hangul, a Korean particle written
after a Latin name (`acme의`, `acme가`); terms containing Hangul match inside a word, because Korean
attaches particles and compounds to nouns (`애크미가`, `애크미폰`), and across spaces between
Hangul, because Korean spacing is loose (`로켓배송` finds `로켓 배송`; the phrase `"로켓 배송"` finds
`로켓배송`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from groundswell.errors import QuerySyntaxError
from groundswell.hangul_spacing import Chain, chains, crossing_positions, joined_text
from groundswell.limits import MAX_QUERY_CHARS, MAX_QUERY_DEPTH, MAX_QUERY_TERMS

_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_WORD = re.compile(r"([@#]?)(\w+(?:\*\w*)*|\*\w*)")
_DOC_WORD = re.compile(r"([@#]?)(\w+)")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class Token(NamedTuple):
    """A NamedTuple, not a dataclass: millions are built when a text count scans a large store."""

    word: str
    kind: str  # "" word, "@" handle, "#" hashtag


def tokenize(text: str) -> list[Token]:
    """Words of a document, with @/# marks kept, after normalisation."""
    return [Token(m.group(2), m.group(1)) for m in _DOC_WORD.finditer(normalize(text))]


# --- AST -----------------------------------------------------------------------------------------


class Node:
    def evaluate(self, doc: Document) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class Term(Node):
    text: str  # normalised; may contain '*'

    def __str__(self) -> str:
        return self.text

    @property
    def is_hangul(self) -> bool:
        return bool(_HANGUL.search(self.text))

    def positions(self, doc: Document) -> list[int]:
        found = doc.positions(_word_matcher(self.text), kind=None)
        if self.is_hangul and "*" not in self.text:
            return _merge(found, doc.spaced_positions(self.text))
        return found

    def evaluate(self, doc: Document) -> bool:
        if doc.positions(_word_matcher(self.text), kind=None):
            return True
        return self.is_hangul and "*" not in self.text and bool(doc.spaced_positions(self.text))


@dataclass(frozen=True)
class Phrase(Node):
    words: tuple[str, ...]

    def __str__(self) -> str:
        return '"' + " ".join(self.words) + '"'

    def positions(self, doc: Document) -> list[int]:
        if not self.words:
            return []
        matchers = [_word_matcher(w) for w in self.words]
        starts = doc.positions(matchers[0], kind=None)
        n = len(doc.tokens)
        found = [
            s
            for s in starts
            if s + len(matchers) <= n and all(m(doc.tokens[s + i].word) for i, m in enumerate(matchers))
        ]
        if all(_HANGUL.search(w) and "*" not in w for w in self.words):  # "로켓 배송" finds 로켓배송
            joined = "".join(self.words)
            return _merge(
                found, doc.positions(_word_matcher(joined), kind=None), doc.spaced_positions(joined)
            )
        return found

    def evaluate(self, doc: Document) -> bool:
        return bool(self.positions(doc))


@dataclass(frozen=True)
class Tagged(Node):
    """@handle or #hashtag: the marked word in the text; a handle also matches the post's author."""

    kind: str
    name: str

    def __str__(self) -> str:
        return self.kind + self.name

    def positions(self, doc: Document) -> list[int]:
        return doc.positions(_word_matcher(self.name), kind=self.kind)

    def evaluate(self, doc: Document) -> bool:
        if self.kind == "@" and doc.author_handle and _word_matcher(self.name)(doc.author_handle):
            return True
        return bool(self.positions(doc))


@dataclass(frozen=True)
class Not(Node):
    child: Node

    def __str__(self) -> str:
        return f"NOT {_wrap(self.child)}"

    def evaluate(self, doc: Document) -> bool:
        return not self.child.evaluate(doc)


@dataclass(frozen=True)
class And(Node):
    children: tuple[Node, ...]

    def __str__(self) -> str:
        return " AND ".join(_wrap(c) for c in self.children)

    def evaluate(self, doc: Document) -> bool:
        return all(c.evaluate(doc) for c in self.children)


@dataclass(frozen=True)
class Or(Node):
    children: tuple[Node, ...]

    def __str__(self) -> str:
        return " OR ".join(_wrap(c) for c in self.children)

    def evaluate(self, doc: Document) -> bool:
        return any(c.evaluate(doc) for c in self.children)


@dataclass(frozen=True)
class Near(Node):
    left: Term | Phrase | Tagged
    right: Term | Phrase | Tagged
    distance: int

    def __str__(self) -> str:
        return f"{self.left} NEAR/{self.distance} {self.right}"

    def evaluate(self, doc: Document) -> bool:
        right = self.right.positions(doc)
        if not right:
            return False
        left_len = len(self.left.words) if isinstance(self.left, Phrase) else 1
        right_len = len(self.right.words) if isinstance(self.right, Phrase) else 1
        for a in self.left.positions(doc):
            for b in right:
                gap = b - (a + left_len) if b >= a else a - (b + right_len)
                if gap <= self.distance:
                    return True
        return False


def _wrap(node: Node) -> str:
    return f"({node})" if isinstance(node, And | Or) else str(node)


@lru_cache(maxsize=4096)
def _word_matcher(pattern: str):  # type: ignore[no-untyped-def]
    hangul = bool(_HANGUL.search(pattern))
    if "*" not in pattern:
        if hangul:
            return lambda word: pattern in word
        if pattern[-1:].isascii() and pattern[-1:].isalnum():
            # a Latin name with a Korean particle attached: `lumio` matches `lumio의`, `lumio가`
            return lambda word: (
                word == pattern or (word.startswith(pattern) and _is_hangul_tail(word, pattern))
            )
        return lambda word: word == pattern
    body = ".*".join(re.escape(part) for part in pattern.split("*"))
    regex = re.compile(body if hangul else f"^{body}{_PARTICLE_TAIL}$")
    return lambda word: regex.search(word) is not None


_PARTICLE_TAIL = "(?:(?<=[0-9a-z])[\uac00-\ud7af]+)?"


def _is_hangul_tail(word: str, head: str) -> bool:
    tail = word[len(head) :]
    return bool(tail) and all("\uac00" <= ch <= "\ud7af" for ch in tail)


def _merge(*lists: list[int]) -> list[int]:
    return sorted(set().union(*lists)) if any(lists[1:]) else lists[0]


class Document:
    """A text prepared once for evaluating many queries against it."""

    __slots__ = ("_chains", "_joined", "_norm", "author_handle", "tokens")

    def __init__(self, text: str, author_handle: str | None = None) -> None:
        self._norm = normalize(text)
        self.tokens = [Token(m.group(2), m.group(1)) for m in _DOC_WORD.finditer(self._norm)]
        self.author_handle = normalize(author_handle).lstrip("@") if author_handle else None
        self._chains: list[Chain] | None = None
        self._joined: str | None = None

    def spaced_positions(self, pattern: str) -> list[int]:
        """Where a Hangul pattern is found across spaces (로켓배송 in `로켓 배송`), reported at the
        position of its first word (groundswell.hangul_spacing)."""
        if self._joined is None:
            self._joined = joined_text(self._norm)
        if pattern not in self._joined:  # the usual case, decided at C speed
            return []
        return crossing_positions(self._get_chains(), pattern)

    def spaced_words(self) -> list[str]:
        """Each run of words joined across its Hangul-to-Hangul spaces (`로켓 배송` -> `로켓배송`)."""
        return [chain.joined for chain in self._get_chains()]

    def _get_chains(self) -> list[Chain]:
        if self._chains is None:
            spans = [m.span() for m in _DOC_WORD.finditer(self._norm)]
            self._chains = chains(self._norm, spans, [t.word for t in self.tokens])
        return self._chains

    def positions(self, matcher, kind: str | None) -> list[int]:  # type: ignore[no-untyped-def]
        return [i for i, t in enumerate(self.tokens) if (kind is None or t.kind == kind) and matcher(t.word)]


# --- parser --------------------------------------------------------------------------------------

_LEX = re.compile(
    r'\s+|(?P<lp>\()|(?P<rp>\))|(?P<phrase>"[^"]*"?)|(?P<near>NEAR/\S*)|(?P<op>(?:AND|OR|NOT)(?=[\s()"]|$))|(?P<word>[^\s()"]+)'
)


@dataclass(frozen=True)
class _Lexeme:
    kind: str
    text: str
    pos: int


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        if len(query) > MAX_QUERY_CHARS:
            raise QuerySyntaxError(f"query longer than {MAX_QUERY_CHARS} characters", query, MAX_QUERY_CHARS)
        self.items: list[_Lexeme] = []
        terms = 0
        for m in _LEX.finditer(query):
            if m.lastgroup:
                self.items.append(_Lexeme(m.lastgroup, m.group(), m.start()))
                terms += m.lastgroup in ("word", "phrase")
                if terms > MAX_QUERY_TERMS:
                    raise self.error(f"query has more than {MAX_QUERY_TERMS} words and phrases", m.start())
        self.i = 0
        self.depth = 0

    def enter(self, item: _Lexeme) -> None:
        """One level deeper ('(' or NOT); bounded so a hostile query is an error, not a RecursionError."""
        self.depth += 1
        if self.depth > MAX_QUERY_DEPTH:
            raise self.error(f"query nested deeper than {MAX_QUERY_DEPTH} levels", item.pos)

    def error(self, message: str, pos: int | None = None) -> QuerySyntaxError:
        if pos is None:
            pos = self.items[self.i].pos if self.i < len(self.items) else len(self.query)
        return QuerySyntaxError(message, self.query, pos)

    def peek(self) -> _Lexeme | None:
        return self.items[self.i] if self.i < len(self.items) else None

    def take(self) -> _Lexeme:
        item = self.items[self.i]
        self.i += 1
        return item

    def parse(self) -> Node:
        if not self.items:
            raise self.error("empty query", 0)
        node = self.parse_or()
        if self.peek() is not None:
            raise self.error(f"unexpected {self.peek().text!r}")  # type: ignore[union-attr]
        if _only_negative(node):
            raise self.error("a query needs at least one positive term (NOT alone matches everything)", 0)
        return node

    def parse_or(self) -> Node:
        """OR of AND groups; a NOT excludes from its whole group, as in Lucene query strings."""
        groups = [self.parse_and_parts()]
        while (item := self.peek()) and item.kind == "op" and item.text == "OR":
            self.take()
            groups.append(self.parse_and_parts())
        if len(groups) == 1:
            return _and(groups[0])
        positives: list[Node] = []
        excluded: list[Node] = []
        for parts in groups:
            kept = [p for p in parts if not isinstance(p, Not)]
            excluded += [p for p in parts if isinstance(p, Not)]
            if kept:
                positives.append(_and(kept))
        if not positives:
            return _and(excluded)
        core = positives[0] if len(positives) == 1 else Or(tuple(positives))
        return _and([core, *excluded]) if excluded else core

    def parse_and_parts(self) -> list[Node]:
        parts = [self.parse_unary()]
        while (item := self.peek()) and not (item.kind == "rp" or (item.kind == "op" and item.text == "OR")):
            if item.kind == "op" and item.text == "AND":
                self.take()
            parts.append(self.parse_unary())
        return parts

    def parse_unary(self) -> Node:
        item = self.peek()
        if item and item.kind == "op" and item.text == "NOT":
            self.enter(self.take())
            node = Not(self.parse_unary())
            self.depth -= 1
            return node
        return self.parse_near()

    def parse_near(self) -> Node:
        left = self.parse_atom()
        while (item := self.peek()) and item.kind == "near":
            self.take()
            distance = item.text[len("NEAR/") :]
            if not distance.isdigit() or not 0 <= int(distance) <= 1000:
                raise self.error("NEAR needs a distance in words, e.g. NEAR/5", item.pos)
            right = self.parse_atom()
            if not isinstance(left, Term | Phrase | Tagged) or not isinstance(right, Term | Phrase | Tagged):
                raise self.error("NEAR joins two words or phrases", item.pos)
            left = Near(left, right, int(distance))
        return left

    def parse_atom(self) -> Node:
        item = self.peek()
        if item is None:
            raise self.error("the query ends where a word, phrase or '(' was expected")
        if item.kind == "lp":
            self.enter(self.take())
            node = self.parse_or()
            closing = self.peek()
            if closing is None or closing.kind != "rp":
                raise self.error("missing ')' for the '(' here", item.pos)
            self.take()
            self.depth -= 1
            return node
        if item.kind == "phrase":
            self.take()
            if len(item.text) < 2 or not item.text.endswith('"'):
                raise self.error('unclosed quote: a phrase needs a closing "', item.pos)
            words = tuple(m.group(2) for m in _WORD.finditer(normalize(item.text[1:-1])))
            if not words:
                raise self.error("empty phrase", item.pos)
            return Phrase(words)
        if item.kind == "word":
            self.take()
            return self._word(item)
        if item.kind == "rp":
            raise self.error("unexpected ')' with no matching '('")
        raise self.error(f"{item.text} needs a word or phrase on each side")

    def _word(self, item: _Lexeme) -> Node:
        text = normalize(item.text)
        mark = text[0] if text[0] in "@#" else ""
        body = text[len(mark) :]
        words = [m.group(2) for m in _WORD.finditer(body)]
        if not words:
            raise self.error(f"{item.text!r} has no letters or digits to search for", item.pos)
        if any(w.strip("*") == "" for w in words):
            raise self.error("a wildcard needs at least one letter beside it", item.pos)
        if len(words) > 1:  # acme's, wi-fi: the words in order, as a phrase
            return Phrase(tuple(words))
        if mark:
            return Tagged(mark, words[0])
        return Term(words[0])


def _and(parts: list[Node]) -> Node:
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def _only_negative(node: Node) -> bool:
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(_only_negative(c) for c in node.children)
    if isinstance(node, Or):
        return any(_only_negative(c) for c in node.children)
    return False


@lru_cache(maxsize=1024)
def parse_query(query: str) -> Node:
    """Parse a query string; raises QuerySyntaxError naming the position of the problem."""
    return _Parser(query).parse()


def matches(query: str | Node, text: str, author_handle: str | None = None) -> bool:
    node = parse_query(query) if isinstance(query, str) else query
    return node.evaluate(Document(text, author_handle))

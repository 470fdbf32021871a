"""MentionQuery and the boolean query language as Elasticsearch query DSL (plain dicts).

Translation is exact wherever the DSL can say the same thing as groundswell.query, on the
Python-derived fields of es_mappings (`gs.words` positions equal Python token positions):

    Latin word        term, or regexp word+Hangul (a particle: `acme가`), on gs.words
    Latin word*       wildcard on gs.words        2-syllable Hangul  term on gs.ko_bigrams
    other Hangul      wildcard *word* on gs.words, or on gs.spaced (words joined across Hangul
                      spaces: `로켓배송` finds `로켓 배송`); ko_bigrams include bigrams across spaces
    "a b c"           span_near (slop 0, ordered) #tag / @handle   gs.tags (+ gs.author_norm for @)
    AND / OR / NOT    bool filter / should / must_not

`NEAR/n` is the one operator translated as a superset (both sides present), because Lucene's
span distance is not guaranteed to equal Python's in every overlap case. `translate` reports
whether its DSL is exact; when it is not, the store gathers the candidates and keeps those that
`groundswell.query` accepts (the "exact post-filter"), so both backends return the same set.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from groundswell.indexer.base import MentionQuery
from groundswell.query import And, Near, Node, Not, Or, Phrase, Tagged, Term, parse_query

WORDS = "gs.words"
TAGS = "gs.tags"
BIGRAMS = "gs.ko_bigrams"
SPACED = "gs.spaced"
AUTHOR = "gs.author_norm"
MATCH_NONE: dict[str, Any] = {"bool": {"must_not": [{"match_all": {}}]}}
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_SYLLABLES2 = re.compile(r"^[\uac00-\ud7af]{2}$")


def _escape(pattern: str) -> str:
    """Wildcard syntax: keep `*`, make `?` and `\\` literal."""
    return pattern.replace("\\", "\\\\").replace("?", "\\?")


def _wildcard_value(pattern: str) -> str | None:
    """Wildcard value for a word pattern, or None when a plain term is exact.

    Latin patterns match whole tokens; Hangul ones match inside a token (groundswell.query).
    """
    if _HANGUL.search(pattern):
        return "*" + _escape(pattern).strip("*") + "*"
    return _escape(pattern) if "*" in pattern else None


_PARTICLE = "[\uac00-\ud7af]+"  # a Korean particle after a Latin name: `acme가`
_HANGUL_RUN2 = re.compile(r"[\uac00-\ud7af]{2,}")


def _takes_particle(pattern: str) -> bool:
    """A plain Latin word, which groundswell.query also matches followed by Hangul only."""
    return (
        "*" not in pattern
        and not _HANGUL.search(pattern)
        and pattern[-1:].isascii()
        and pattern[-1:].isalnum()
    )


def _regexp_literal(text: str) -> str:
    """Lucene regexp syntax: every character that is not a letter or digit escaped."""
    return "".join(ch if ch.isalnum() else "\\" + ch for ch in text)


def word_clause(pattern: str, field: str = WORDS, prefix: str = "") -> dict[str, Any]:
    """Documents with one token matching `pattern` the way groundswell.query matches a word."""
    if field == WORDS and _SYLLABLES2.match(pattern):
        return {"term": {BIGRAMS: pattern}}
    value = _wildcard_value(pattern)
    if value is None:
        term = {"term": {field: prefix + pattern}}
        if not _takes_particle(pattern):
            return term
        particle = {"regexp": {field: {"value": _regexp_literal(prefix + pattern) + _PARTICLE}}}
        return {"bool": {"should": [term, particle], "minimum_should_match": 1}}
    return {"wildcard": {field: {"value": prefix + value}}}


def _spaced(pattern: str) -> dict[str, Any] | None:
    """The posts where a Hangul pattern crosses a space (`로켓배송` in `로켓 배송`): inside a run of
    words joined across those spaces (`gs.spaced`); None when it cannot cross one."""
    if "*" in pattern or _SYLLABLES2.match(pattern) or not _HANGUL_RUN2.search(pattern):
        return None  # wildcards do not cross spaces; a 2-syllable term is one bigram (which may)
    return {"wildcard": {SPACED: {"value": "*" + _escape(pattern) + "*"}}}


def _span(pattern: str) -> dict[str, Any]:
    value = _wildcard_value(pattern)
    if value is None:
        if _takes_particle(pattern):
            regexp = _regexp_literal(pattern) + f"({_PARTICLE})?"
            return {"span_multi": {"match": {"regexp": {WORDS: {"value": regexp}}}}}
        return {"span_term": {WORDS: pattern}}
    return {"span_multi": {"match": {"wildcard": {WORDS: {"value": value}}}}}


def _tagged(node: Tagged) -> dict[str, Any]:
    in_text = word_clause(node.name, TAGS, prefix=node.kind)
    if node.kind != "@":
        return in_text
    return {"bool": {"should": [in_text, word_clause(node.name, AUTHOR)], "minimum_should_match": 1}}


def _either(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return {"bool": {"should": [a, b], "minimum_should_match": 1}}


def _atom(node: Term | Phrase | Tagged) -> tuple[dict[str, Any], bool]:
    if isinstance(node, Tagged):
        return _tagged(node), True
    if isinstance(node, Phrase) and len(node.words) > 1:
        span = {"span_near": {"clauses": [_span(w) for w in node.words], "slop": 0, "in_order": True}}
        if all(_HANGUL.search(w) and "*" not in w for w in node.words):  # "로켓 배송" also finds 로켓배송
            return _either(span, _atom(Term("".join(node.words)))[0]), True
        return span, True
    word = node.text if isinstance(node, Term) else node.words[0]
    clause = word_clause(word)
    spaced = _spaced(word) if _HANGUL.search(word) else None
    return (clause, True) if spaced is None else (_either(clause, spaced), True)


def translate(node: Node) -> tuple[dict[str, Any], bool]:
    """(DSL query, exact). When not exact, the DSL matches a superset of the true matches."""
    if isinstance(node, Term | Phrase | Tagged):
        return _atom(node)
    if isinstance(node, Near):
        return {"bool": {"filter": [_atom(node.left)[0], _atom(node.right)[0]]}}, False
    if isinstance(node, And):
        parts = [translate(c) for c in node.children]
        return {"bool": {"filter": [p for p, _ in parts]}}, all(e for _, e in parts)
    if isinstance(node, Or):
        parts = [translate(c) for c in node.children]
        return {"bool": {"should": [p for p, _ in parts], "minimum_should_match": 1}}, all(
            e for _, e in parts
        )
    if isinstance(node, Not):
        child, exact = translate(node.child)
        if not exact:  # NOT of a superset would be a subset: do not narrow, let the post-filter decide
            return {"match_all": {}}, False
        return {"bool": {"must_not": [child]}}, True
    raise TypeError(f"cannot translate {type(node).__name__}")


def _iso(value: datetime) -> str:
    return value.isoformat()


def filters(q: MentionQuery) -> list[dict[str, Any]]:
    """Every MentionQuery constraint except the text, as filter clauses."""
    clauses: list[dict[str, Any]] = []
    if q.since is not None or q.until is not None:
        bounds: dict[str, str] = {}
        if q.since is not None:
            bounds["gte"] = _iso(q.since)
        if q.until is not None:
            bounds["lt"] = _iso(q.until)
        clauses.append({"range": {"created_at": bounds}})
    for field, values in (
        ("brands", q.brands),
        ("source", q.sources),
        ("lang", q.langs),
        ("sentiment.label", q.sentiments),
        ("topic.id", q.topics),
        ("touchpoints", q.touchpoints),
        ("entities", q.entities),
        ("id", q.ids),
    ):
        if values:
            clauses.append({"terms": {field: list(values)}})
    if q.complaint is not None:
        clauses.append({"term": {"complaint": q.complaint}})
    if q.rated:
        clauses.append({"exists": {"field": "rating"}})
    return clauses


def build(q: MentionQuery) -> tuple[dict[str, Any], bool]:
    """(query, exact) for a MentionQuery; raises QuerySyntaxError for a bad text query."""
    clauses = filters(q)
    exact = True
    if q.text:
        text, exact = translate(parse_query(q.text))
        clauses.append(text)
    if not clauses:
        return {"match_all": {}}, True
    return {"bool": {"filter": clauses}}, exact


def ids_query(ids: list[str], chunk: int = 60_000) -> dict[str, Any]:
    """The exact ids after a post-filter; chunked under index.max_terms_count (65,536)."""
    if not ids:
        return MATCH_NONE
    parts = [{"terms": {"id": ids[i : i + chunk]}} for i in range(0, len(ids), chunk)]
    return parts[0] if len(parts) == 1 else {"bool": {"should": parts, "minimum_should_match": 1}}


SORTS: dict[str, list[dict[str, Any]]] = {
    "newest": [{"created_at": "desc"}, {"id": "asc"}],
    "oldest": [{"created_at": "asc"}, {"id": "asc"}],
    "reach": [{"gs.followers": "desc"}, {"id": "asc"}],
    "engagement": [{"gs.engagement": "desc"}, {"id": "asc"}],
}


def histogram_aggs(interval_ms: int, group_field: str | None, missing: bool, after: Any = None) -> dict:
    """A composite aggregation: every (time bucket, group) pair, paged with `after`."""
    sources: list[dict[str, Any]] = [
        {"t": {"date_histogram": {"field": "created_at", "fixed_interval": f"{interval_ms}ms"}}}
    ]
    if group_field is not None:
        sources.append({"k": {"terms": {"field": group_field, "missing_bucket": missing}}})
    composite: dict[str, Any] = {"size": 1000, "sources": sources}
    if after is not None:
        composite["after"] = after
    return {
        "h": {
            "composite": composite,
            "aggs": {
                "sent": {"sum": {"field": "sentiment.score"}},
                "reach": {"sum": {"field": "gs.followers"}},
            },
        }
    }


def facet_aggs(field: str, size: int) -> dict[str, Any]:
    return {
        "f": {
            "terms": {
                "field": field,
                "size": size,
                "shard_size": max(size * 5, 100),
                "order": [{"_count": "desc"}, {"_key": "asc"}],
            }
        }
    }


def significant_aggs(size: int) -> dict[str, Any]:
    """What is unusual in the matching posts against the whole index, English and Korean fields."""

    def sig(field: str) -> dict[str, Any]:
        return {
            "significant_text": {
                "field": field,
                "source_fields": ["text"],
                "size": size,
                "filter_duplicate_text": True,
            }
        }

    return {"sample": {"sampler": {"shard_size": 500}, "aggs": {"en": sig("text"), "ko": sig("text.ko")}}}

"""The query language as Elasticsearch DSL: request bodies as data, and their meaning in a model.

No Elasticsearch runs here. `run` below is a small MODEL of how Elasticsearch evaluates the
handful of clauses es_query emits (term, wildcard, regexp, span_near, bool) over the fields to_doc
derives; with it, hypothesis checks that the translation means what groundswell.query means
(exactly, or as a superset where `translate` says it is not exact). A real cluster is checked by
the conformance suite when GROUNDSWELL_ES_URL is set.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings

from groundswell.errors import QuerySyntaxError
from groundswell.indexer.base import MentionQuery
from groundswell.indexer.es_mappings import to_doc
from groundswell.indexer.es_query import build, filters, translate
from groundswell.query import matches, parse_query
from tests.indexer.builders import mention
from tests.indexer.test_store_properties import CORPUS, queries


def _t(query: str) -> tuple[dict[str, Any], bool]:
    return translate(parse_query(query))


def _latin(word: str, field: str = "gs.words", escaped: str | None = None) -> dict[str, Any]:
    """A Latin word's clause: the word, or the word with a Korean particle attached (`acme가`)."""
    particle = {"regexp": {field: {"value": (escaped or word) + "[\uac00-\ud7af]+"}}}
    return {"bool": {"should": [{"term": {field: word}}, particle], "minimum_should_match": 1}}


def test_words_become_exact_term_wildcard_and_bigram_clauses() -> None:
    assert _t("ACME") == (_latin("acme"), True)
    assert _t("ＡＣＭＥ") == (_latin("acme"), True)
    assert _t("batter*") == ({"wildcard": {"gs.words": {"value": "batter*"}}}, True)
    assert _t("배송") == ({"term": {"gs.ko_bigrams": "배송"}}, True)
    assert _t("배송지연")[0]["bool"]["should"][0] == {"wildcard": {"gs.words": {"value": "*배송지연*"}}}
    assert _t("애*폰") == ({"wildcard": {"gs.words": {"value": "*애*폰*"}}}, True)
    assert _t("#배송") == ({"wildcard": {"gs.tags": {"value": "#*배송*"}}}, True)
    handle = {"bool": {"should": [_latin("@acme_help", "gs.tags", "\\@acme\\_help"),
                                  _latin("acme_help", "gs.author_norm", "acme\\_help")],
                       "minimum_should_match": 1}}  # fmt: skip
    assert _t("@acme_help") == (handle, True)


def test_korean_spacing_variants_are_a_superset_checked_exactly() -> None:
    dsl, exact = _t("로켓배송")
    assert exact
    assert dsl == {"bool": {"should": [{"wildcard": {"gs.words": {"value": "*로켓배송*"}}},
                                       {"wildcard": {"gs.spaced": {"value": "*로켓배송*"}}}],
                            "minimum_should_match": 1}}  # fmt: skip
    doc = to_doc(mention("s", "쿠팡 로켓 배송이 늦어요"))
    assert (
        doc["gs"]["spaced"] == "쿠팡로켓배송이늦어요" and "켓배" in doc["gs"]["ko_bigrams"] and run(dsl, doc)
    )
    assert run(_t('"로켓 배송"')[0], to_doc(mention("j", "로켓배송 최고")))


def test_phrases_are_ordered_spans_and_near_is_a_superset() -> None:
    spaced, exact = _t('"배송이 너무 늦어"')
    assert exact  # Hangul words of a phrase are also found written together: 배송이너무늦어
    phrase = spaced["bool"]["should"][0]
    assert phrase == {"span_near": {"slop": 0, "in_order": True, "clauses": [
        {"span_multi": {"match": {"wildcard": {"gs.words": {"value": "*배송이*"}}}}},
        {"span_multi": {"match": {"wildcard": {"gs.words": {"value": "*너무*"}}}}},
        {"span_multi": {"match": {"wildcard": {"gs.words": {"value": "*늦어*"}}}}}]}}  # fmt: skip
    assert _t('"battery life"')[0]["span_near"]["clauses"] == [
        {"span_multi": {"match": {"regexp": {"gs.words": {"value": w + "([\uac00-\ud7af]+)?"}}}}}
        for w in ("battery", "life")
    ]  # fmt: skip
    near, exact = _t("battery NEAR/3 fire")
    assert not exact
    assert near == {"bool": {"filter": [_latin("battery"), _latin("fire")]}}


def test_not_of_an_inexact_part_does_not_narrow() -> None:
    dsl, exact = _t("acme NOT (battery NEAR/2 fire)")
    assert not exact
    assert dsl == {"bool": {"filter": [_latin("acme"), {"match_all": {}}]}}
    dsl, exact = _t('"acme" NOT "acme corp"')
    assert exact and dsl["bool"]["filter"][1]["bool"]["must_not"][0]["span_near"]["in_order"]


def test_mention_query_filters() -> None:
    q = MentionQuery(sources=("x",), langs=("ko",), sentiments=("negative",), topics=(3,), touchpoints=("app",),
                     entities=("Delta", "쿠팡"), ids=("x:1",), brands=("Acme",))  # fmt: skip
    assert filters(q) == [
        {"terms": {"brands": ["Acme"]}}, {"terms": {"source": ["x"]}}, {"terms": {"lang": ["ko"]}},
        {"terms": {"sentiment.label": ["negative"]}}, {"terms": {"topic.id": [3]}},
        {"terms": {"touchpoints": ["app"]}}, {"terms": {"entities": ["Delta", "쿠팡"]}}, {"terms": {"id": ["x:1"]}},
    ]  # fmt: skip
    assert build(MentionQuery()) == ({"match_all": {}}, True)
    assert filters(MentionQuery(rated=True)) == [{"exists": {"field": "rating"}}]


# -- a model of the Elasticsearch clauses es_query uses -----------------------------------------


def _values(doc: dict[str, Any], field: str) -> list[str]:
    gs = doc["gs"]
    if field in ("gs.words", "gs.spaced"):  # the whitespace analyzer
        value = gs[field.removeprefix("gs.")]
        return value.split(" ") if value else []
    value = gs[field.removeprefix("gs.")]
    return value if isinstance(value, list) else [value] if value else []


def _wildcard(pattern: str, value: str) -> bool:
    parts = re.findall(r"\\.|.", pattern, re.DOTALL)  # `\x` is a literal x
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c[-1]) for c in parts)
    return re.fullmatch(rx, value, re.DOTALL) is not None


def _span(clause: dict[str, Any], token: str) -> bool:
    if "span_term" in clause:
        return token == clause["span_term"]["gs.words"]
    ((kind, spec),) = clause["span_multi"]["match"].items()
    value = spec["gs.words"]["value"]
    return _wildcard(value, token) if kind == "wildcard" else re.fullmatch(value, token) is not None


def run(q: dict[str, Any], doc: dict[str, Any]) -> bool:
    """What Elasticsearch would answer for these clauses (term, wildcard, regexp, span_near, bool)."""
    ((kind, body),) = q.items()
    if kind == "match_all":
        return True
    if kind == "bool":
        ok = all(run(c, doc) for c in body.get("filter", []) + body.get("must", []))
        ok = ok and not any(run(c, doc) for c in body.get("must_not", []))
        if "should" in body:
            ok = ok and sum(run(c, doc) for c in body["should"]) >= body.get("minimum_should_match", 1)
        return ok
    if kind == "term":
        ((field, value),) = body.items()
        return value in _values(doc, field)
    if kind == "wildcard":
        ((field, spec),) = body.items()
        return any(_wildcard(spec["value"], v) for v in _values(doc, field))
    if kind == "regexp":  # the subset es_query emits (escaped literals, classes, groups) is Python's too
        ((field, spec),) = body.items()
        return any(re.fullmatch(spec["value"], v) is not None for v in _values(doc, field))
    if kind == "span_near":
        tokens, clauses = _values(doc, "gs.words"), body["clauses"]
        return any(
            all(_span(c, tokens[i + j]) for j, c in enumerate(clauses))
            for i in range(len(tokens) - len(clauses) + 1)
        )
    raise AssertionError(f"the model does not know {kind}")


DOCS = [(m, to_doc(m)) for m in CORPUS]


@settings(max_examples=200, deadline=None)
@given(query=queries)
def test_translation_means_what_the_query_means(query: str) -> None:
    try:
        node = parse_query(query)
    except QuerySyntaxError:
        return
    dsl, exact = translate(node)
    for m, doc in DOCS:
        python = matches(node, m.text, m.author.handle or m.author.id)
        es = run(dsl, doc)
        assert es == python if exact else (es or not python), (query, m.text)


def test_model_agrees_on_tricky_documents() -> None:
    m = mention("t", "ＡＣＭＥ가 배송이 늦어요 #배송지연 ㅋㅋㅋ wi-fi café_bar", handle="@애크미_공식")
    doc = to_doc(m)
    for query in [
        "acme",
        "acme가",
        "배송",
        "ㅋㅋ",
        '"wi fi"',
        "wi-fi",
        "café*",
        "@애크미",
        "#배송",
        "#acme",
        "지연",
    ]:
        assert run(translate(parse_query(query))[0], doc) == matches(query, m.text, "@애크미_공식"), query

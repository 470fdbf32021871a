"""The boolean query language: examples from the docs, errors with positions, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groundswell.errors import QuerySyntaxError
from groundswell.query import And, Near, Not, Or, Phrase, Tagged, Term, matches, parse_query

BRAND = '"acme" OR "애크미" NOT "acme corp"'


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        (BRAND, "Just bought an ACME phone", True),
        (BRAND, "애크미가 또 사고쳤네", True),  # particle attached to the Hangul brand
        (BRAND, "Acme Corp announced layoffs", False),
        (BRAND, "ＡＣＭＥ full-width works", True),
        ("battery AND (fire OR 발열)", "battery caught fire", True),
        ("battery AND (fire OR 발열)", "battery 발열이 심해요", True),
        ("battery AND (fire OR 발열)", "battery is fine", False),
        ("batter*", "batteries included", True),
        ("batter*", "a battered box", True),
        ("batter*", "bat", False),
        ("overheat* NEAR/3 charging", "it overheats badly while charging", True),
        ("overheat* NEAR/1 charging", "it overheats badly while charging", False),
        ("charging NEAR/3 overheat*", "it overheats badly while charging", True),
        ('"customer service" NOT refund', "customer service was great", True),
        ('"customer service" NOT refund', "customer service refused my refund", False),
        ("@acme_help", "thanks @acme_help!", True),
        ("@acme_help", "acme_help is a word here", False),
        ("#배터리", "#배터리폭발 실화냐", True),
        ("#배터리", "배터리 괜찮아요", False),
        ("배송", "배송이 일주일째 안 와요", True),
        ("배송 AND 환불", "배송 늦고 환불도 안 됨", True),
        ("acme's", "I love acme's camera", True),
        ("lumio", "Lumio의 배터리가 빨리 닳아요", True),  # a Korean particle after a Latin name
        ("lumio", "lumio가", True),
        ("lumio", "lumios", False),
        ("lumio", "lumio2의", False),
        ('"lumio 배터리"', "Lumio의 배터리가", True),
        ("lumi*", "Lumio의", True),
        ("로켓배송", "쿠팡 로켓 배송이 늦어요", True),  # Korean spacing is loose
        ('"로켓 배송"', "로켓배송이 늦어요", True),
        ("로켓배송", "로켓, 배송", False),  # punctuation is not a spacing variant
        ("로켓배송 NEAR/1 늦어", "로켓 배송 늦어요", True),
    ],
)
def test_examples(query: str, text: str, expected: bool) -> None:
    assert matches(query, text) is expected


def test_handle_matches_author() -> None:
    assert matches("@lumio_kr", "공지사항입니다", author_handle="@Lumio_KR")


def test_not_excludes_from_its_whole_group() -> None:
    assert str(parse_query(BRAND)) == '("acme" OR "애크미") AND NOT "acme corp"'


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ("(acme", 0),
        ("acme OR", 7),
        ("NOT acme", 0),
        ('"abc', 0),
        ("a NEAR/x b", 2),
        (")", 0),
        ("", 0),
        ("a *", 2),
    ],
)
def test_errors_name_the_position(query: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(query)
    assert info.value.position == position
    assert f"position {position}" in str(info.value)


words = st.text(alphabet="abcxyz가나다배송", min_size=1, max_size=6)


def _leaf() -> st.SearchStrategy:
    return st.one_of(
        words.map(Term),
        st.lists(words, min_size=1, max_size=3).map(lambda w: Phrase(tuple(w))),
        st.tuples(st.sampled_from("@#"), words).map(lambda t: Tagged(*t)),
    )


def _tree() -> st.SearchStrategy:
    return st.recursive(
        _leaf(),
        lambda inner: st.one_of(
            st.lists(inner, min_size=2, max_size=3).map(lambda c: Or(tuple(c))),
            st.tuples(inner, inner).map(lambda c: And((c[0], Not(c[1])))),
            st.tuples(_leaf(), _leaf(), st.integers(0, 5)).map(lambda t: Near(*t)),
        ),
        max_leaves=6,
    )


@settings(max_examples=200, deadline=None)
@given(_tree(), st.lists(words, max_size=8))
def test_printed_query_means_the_same(node, doc_words) -> None:  # type: ignore[no-untyped-def]
    """str(ast) parses back to a query that matches exactly the same documents."""
    reparsed = parse_query(str(node))
    text = " ".join(doc_words)
    assert matches(reparsed, text) == matches(node, text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_input_parses_or_raises_a_syntax_error(query: str) -> None:
    try:
        parse_query(query)
    except QuerySyntaxError as exc:
        assert 0 <= exc.position <= len(query)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdefg가나다라마", min_size=1, max_size=5), min_size=1, max_size=6), st.data()
)
def test_a_word_of_the_text_is_found(doc_words, data) -> None:  # type: ignore[no-untyped-def]
    word = data.draw(st.sampled_from(doc_words))
    text = " ".join(doc_words)
    assert matches(word, text)
    assert not matches(f"{word} AND NOT {word}", text)


_syllables = st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=4)


@given(words=st.lists(_syllables, min_size=2, max_size=6), data=st.data())
def test_korean_written_with_or_without_spaces_is_found_both_ways(words, data) -> None:  # type: ignore[no-untyped-def]
    """Any run of adjacent words, joined, is found in the spaced text, and the spaced phrase in the joined text."""
    i = data.draw(st.integers(0, len(words) - 2))
    j = data.draw(st.integers(i + 2, len(words)))
    spaced, together = " ".join(words), "".join(words)
    assert matches("".join(words[i:j]), spaced)
    assert matches('"' + " ".join(words[i:j]) + '"', together)
    assert not matches("".join(words[i:j]), ", ".join(words)) or "".join(words[i:j]) in ", ".join(words)

"""`@handle` queries against the Python reference, on every backend, with and without a period.

`@name` matches the marked word in the text or the post's author (groundswell.query.Tagged); the
SQLite store finds authors through its mention_authors index rather than by reading every row,
so these tests check that index against `parse_query(q).evaluate(Document(text, author))` on
authors that differ only by case, full-width letters, a leading '@' or Hangul inside a handle.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundswell.indexer.base import MentionQuery, Store
from groundswell.query import Document, parse_query
from groundswell.records import EnrichedMention
from tests.indexer.author_corpus import AUTHOR_QUERIES, author_corpus
from tests.indexer.builders import T0

CORPUS = author_corpus()
SUPPRESS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def reference(query: str, mentions: list[EnrichedMention] = CORPUS) -> set[str]:
    node = parse_query(query)
    return {m.id for m in mentions if node.evaluate(Document(m.text, m.author.handle or m.author.id))}


@pytest.fixture
def loaded(store: Store) -> Store:
    store.commit_batch(CORPUS)
    return store


@pytest.mark.parametrize("query", AUTHOR_QUERIES)
def test_author_query_equals_python_reference(loaded: Store, query: str) -> None:
    expected = reference(query)
    q = MentionQuery(text=query)
    assert {m.id for m in loaded.search(q, limit=500)} == expected
    assert loaded.count(q) == len(expected)


ATOMS = [q for q in AUTHOR_QUERIES if " " not in q] + ["battery", "배송", "#acme", "acme*", '"acme battery"']


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return (
        st.builds(lambda a, b: f"{a} AND {b}", children, children)
        | st.builds(lambda a, b: f"({a} OR {b})", children, children)
        | st.builds(lambda a, b: f"{a} NOT {b}", children, children)
        | st.builds(
            lambda a, b, n: f"{a} NEAR/{n} {b}",
            st.sampled_from(ATOMS),
            st.sampled_from(ATOMS),
            st.integers(0, 3),
        )
    )


author_queries = st.recursive(st.sampled_from(ATOMS), _combine, max_leaves=4)
periods = st.none() | st.integers(0, 90 * 41).map(lambda m: T0 + timedelta(minutes=m))


@settings(max_examples=120, deadline=None, suppress_health_check=SUPPRESS)
@given(query=author_queries, since=periods, until=periods)
def test_generated_author_queries_equal_python_reference(loaded: Store, query: str, since, until) -> None:  # type: ignore[no-untyped-def]
    try:
        parse_query(query)
    except Exception:  # NEAR over a group, a lone NOT: not what this test is about
        return
    in_period = [
        m
        for m in CORPUS
        if (since is None or m.created_at >= since) and (until is None or m.created_at < until)
    ]
    expected = reference(query, in_period)
    q = MentionQuery(text=query, since=since, until=until)
    assert {m.id for m in loaded.search(q, limit=500)} == expected, query
    assert loaded.count(q) == len(expected), query
    newest = [m.id for m in loaded.search(q, limit=5, offset=2, order="newest")]
    ordered = sorted(
        (m for m in in_period if m.id in expected), key=lambda m: (-m.created_at.timestamp(), m.id)
    )
    assert newest == [m.id for m in ordered[2:7]], query


def test_reobserved_mention_is_found_by_its_new_author_only(loaded: Store) -> None:
    first = next(m for m in CORPUS if m.author.handle == "globex")
    moved = first.model_copy(
        update={"author": first.author.model_copy(update={"handle": "Initech"}), "text": "battery"}
    )
    loaded.upsert([moved])
    assert first.id in {m.id for m in loaded.search(MentionQuery(text="@initech"))}
    assert first.id not in {m.id for m in loaded.search(MentionQuery(text="@globex"), limit=500)}

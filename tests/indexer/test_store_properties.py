"""Property tests: for generated queries and filters, the store agrees with a Python reference.

The reference for text is `groundswell.query.matches` (the one definition of the query language);
for filters it is a plain loop over the same records. The corpus mixes English, Korean with
particles, full-width letters, jamo, handles and hashtags, so index tricks (FTS bigrams, ES
analyzers) are checked against the exact semantics rather than against hand-picked examples.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundswell.errors import QuerySyntaxError
from groundswell.indexer.base import MentionQuery, Store
from groundswell.query import matches, parse_query
from groundswell.records import EnrichedMention
from tests.indexer.builders import T0, mention

LATIN = [
    "acme",
    "battery",
    "batteries",
    "batter",
    "delivery",
    "fast",
    "phone",
    "service",
    "call",
    "great",
    "globex",
    "fire",
    "charging",
    "acme_help",
    "wi",
    "fi",
    "café",
    "Ｂａｔｔｅｒｙ",
    "ACME",
]
HANGUL = [
    "배송이",
    "배송",
    "배송지연",
    "늦어요",
    "애크미",
    "애크미가",
    "애크미폰",
    "배터리",
    "폭발",
    "고객센터",
    "최고",
    "별로",
    "ㅋㅋㅋ",
    "폰",
    "acme가",
    "로켓",
    "acme의",
    "x2로",
]
MARKED = ["#acme", "#배송", "#배송지연", "@acme_help", "@globex", "@애크미"]
PUNCT = ["", "", "", "!", ",", ".", "?", "...", " -"]
HANDLES = ["acme_fan", "민수", "globex", None, "애크미_공식"]  # fmt: skip

Q_WORDS = [
    "acme",
    "battery",
    "batter*",
    "bat*y",
    "*ery",
    "deliver*",
    "café",
    "caf*",
    "wi",
    "acme_help",
    "배송",
    "송이",
    "애크",
    "크미",
    "배*",
    "*폰",
    "애*폰",
    "ㅋㅋ",
    "폭발",
    "acme가",
    "ＡＣＭＥ",
    "@acme_help",
    "@acme_fan",
    "@민수",
    "@애크미",
    "#배송",
    "#acme",
    "#배*",
    "nothing",
    "로켓배송",
    "배송늦어요",
    "x2",
]
Q_PHRASES = ['"acme battery"', '"배송이 늦어요"', '"애크미 폰"', '"battery fire"', '"wi fi"', '"acme*"',
             '"로켓 배송"', '"배송 지연"']  # fmt: skip


def _corpus(n: int = 120, seed: int = 7) -> list[EnrichedMention]:
    rng = random.Random(seed)
    vocab = LATIN + HANGUL + MARKED
    docs = []
    for i in range(n):
        words = [rng.choice(vocab) + rng.choice(PUNCT) for _ in range(rng.randint(2, 9))]
        docs.append(
            mention(
                str(i),
                " ".join(words),
                at=timedelta(minutes=37 * i),
                source=rng.choice(["x", "reddit", "news", "community"]),
                lang=rng.choice(["en", "ko", None]),
                handle=rng.choice(HANDLES),
                followers=rng.choice([None, 0, 10, 5000]),
                brands=tuple(rng.sample(["Acme", "Globex", "Initech"], rng.randint(0, 2))),
                sentiment=rng.choice([None, -0.9, -0.1, 0.0, 0.6]),
                topic=rng.choice([None, 0, 1, 2]),
                touchpoints=tuple(rng.sample(["delivery", "app", "billing"], rng.randint(0, 2))),
            )
        )
    return docs


CORPUS = _corpus()


def _near(pair: tuple[str, str], n: int) -> str:
    return f"{pair[0]} NEAR/{n} {pair[1]}"


atoms = st.sampled_from(Q_WORDS + Q_PHRASES) | st.builds(
    _near,
    st.tuples(st.sampled_from(Q_WORDS + Q_PHRASES), st.sampled_from(Q_WORDS + Q_PHRASES)),
    st.integers(0, 4),
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return (
        st.builds(lambda a, b: f"{a} AND {b}", children, children)
        | st.builds(lambda a, b: f"({a} OR {b})", children, children)
        | st.builds(lambda a, b: f"{a} {b}", children, children)
        | st.builds(lambda a, b: f"{a} NOT {b}", children, children)
        | st.builds(lambda a, b: f"{a} AND NOT ({b})", children, children)
    )


queries = st.recursive(atoms, _combine, max_leaves=5)

SUPPRESS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@pytest.fixture
def loaded(store: Store) -> Store:
    """The store with the corpus; examples only read it, so sharing it across examples is sound."""
    store.commit_batch(CORPUS)
    return store


def _python(query: str) -> set[str]:
    return {m.id for m in CORPUS if matches(query, m.text, m.author.handle or m.author.id)}


@settings(max_examples=150, deadline=None, suppress_health_check=SUPPRESS)
@given(query=queries)
def test_store_search_equals_python_matches(loaded: Store, query: str) -> None:
    try:
        parse_query(query)
    except QuerySyntaxError:
        with pytest.raises(QuerySyntaxError):
            loaded.count(MentionQuery(text=query))
        return
    expected = _python(query)
    q = MentionQuery(text=query)
    assert {m.id for m in loaded.search(q, limit=500)} == expected, query
    assert loaded.count(q) == len(expected), query


def _filter_ref(q: MentionQuery, m: EnrichedMention) -> bool:
    return (
        (not q.brands or bool(set(q.brands) & set(m.brands)))
        and (q.since is None or m.created_at >= q.since)
        and (q.until is None or m.created_at < q.until)
        and (not q.sources or m.source in q.sources)
        and (not q.langs or m.lang in q.langs)
        and (not q.sentiments or (m.sentiment is not None and m.sentiment.label.value in q.sentiments))
        and (not q.topics or (m.topic is not None and m.topic.id in q.topics))
        and (not q.touchpoints or bool(set(q.touchpoints) & set(m.touchpoints)))
        and (not q.ids or m.id in q.ids)
        and (q.text is None or matches(q.text, m.text, m.author.handle or m.author.id))
    )


def _subset(values: list) -> st.SearchStrategy[tuple]:  # type: ignore[type-arg]
    return st.lists(st.sampled_from(values), max_size=2, unique=True).map(tuple)


offsets = st.none() | st.integers(0, 80 * 37).map(lambda m: T0 + timedelta(minutes=m))
filters = st.builds(
    MentionQuery,
    text=st.none() | st.sampled_from(["acme", "배송", "battery OR 폭발", "#배*", "@민수"]),
    brands=_subset(["Acme", "Globex", "Initech", "Nobody"]),
    since=offsets,
    until=offsets,
    sources=_subset(["x", "reddit", "news", "community"]),
    langs=_subset(["en", "ko"]),
    sentiments=_subset(["negative", "neutral", "positive"]),
    topics=_subset([0, 1, 2, 9]),
    touchpoints=_subset(["delivery", "app", "billing"]),
    ids=st.just(()) | _subset([m.id for m in CORPUS[:20]] + ["x:missing"]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=SUPPRESS)
@given(q=filters)
def test_filters_equal_python_reference(loaded: Store, q: MentionQuery) -> None:
    expected = [m for m in CORPUS if _filter_ref(q, m)]
    assert loaded.count(q) == len(expected)
    newest = [m.id for m in sorted(expected, key=lambda m: (-m.created_at.timestamp(), m.id))]
    assert [m.id for m in loaded.search(q, limit=500)] == newest
    buckets = loaded.histogram(q, timedelta(hours=6))
    assert sum(b.count for b in buckets) == len(expected)
    for field in ("source", "brand", "touchpoint"):
        per_value = {f.value: f.count for f in loaded.facets(q, field, size=50)}  # type: ignore[arg-type]
        ref: dict[str, int] = {}
        for m in expected:
            values = {"source": [m.source], "brand": m.brands, "touchpoint": m.touchpoints}[field]
            for v in set(values):
                ref[v] = ref.get(v, 0) + 1
        assert per_value == ref, field


@settings(max_examples=25, deadline=None, suppress_health_check=SUPPRESS)
@given(order=st.permutations(list(range(12))), repeats=st.integers(1, 3))
def test_any_upsert_order_and_repetition_stores_each_id_once(
    store: Store, order: list[int], repeats: int
) -> None:
    before = store.count(MentionQuery())
    batch = [CORPUS[i] for i in order] * repeats
    store.upsert(batch)
    assert store.count(MentionQuery()) == max(before, 12)
    assert {m.id for m in store.get([m.id for m in CORPUS[:12]])} == {m.id for m in CORPUS[:12]}


@pytest.mark.parametrize("order", ["newest", "oldest", "reach", "engagement"])
def test_pages_of_a_text_search_add_up_to_the_whole(loaded: Store, order: str) -> None:
    for text in ["acme OR 배송", "배*", "battery NEAR/3 acme"]:
        q = MentionQuery(text=text)
        whole = [m.id for m in loaded.search(q, limit=500, order=order)]
        assert len(whole) == len(_python(text))
        pages = [
            m.id
            for start in range(0, len(whole) + 7, 7)
            for m in loaded.search(q, limit=7, offset=start, order=order)
        ]
        assert pages == whole, text

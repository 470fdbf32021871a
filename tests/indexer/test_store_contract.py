"""The Store conformance suite: what every backend must do, run against each of them.

Backends come from tests/indexer/conftest.py (`store` is parametrised over fixture names), so a
new backend joins by adding one fixture. Query semantics are those of groundswell.query: the store
must return exactly the mentions that `matches` accepts, no more, no fewer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from groundswell.errors import QuerySyntaxError, StoreError
from groundswell.indexer.base import FACET_FIELDS, AlertFilter, FacetCount, MentionQuery, Store
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.query import matches
from groundswell.records import Alert, AlertState, Metrics, Severity, SourceRun
from tests.indexer.builders import T0, mention

H = timedelta(hours=1)

CORPUS = [
    mention("1", "Acme battery exploded while charging", at=0 * H, handle="acme_fan", followers=100,
            metrics=Metrics(likes=5, shares=1), brands=("Acme",), sentiment=-0.8, topic=1,
            touchpoints=("product",), entities=("Acme", "Seoul")),
    mention("2", "배송이 너무 늦어요 애크미 진짜", at=1 * H, source="community", lang="ko", handle="민수",
            followers=10, brands=("Acme",), sentiment=-0.6, touchpoints=("delivery",)),
    mention("3", "Love the new Acme phone! #acmephone @acme_help", at=2 * H, handle="happy",
            followers=5000, metrics=Metrics(likes=50, shares=20, replies=3), brands=("Acme",),
            sentiment=0.9, topic=2),
    mention("4", "Globex delivery was fast", at=3 * H, source="reddit", handle="g_user", followers=50,
            brands=("Globex",), sentiment=0.5, touchpoints=("delivery",), entities=("Globex",)),
    mention("5", "ＡＣＭＥ customer service never answered the call", at=4 * H, source="review",
            followers=0, brands=("Acme",), sentiment=-0.7, touchpoints=("call_center", "staff"),
            entities=("Acme",)),
    mention("6", "애크미폰 배터리 폭발 사고", at=5 * H, source="news", lang="ko", followers=90000,
            metrics=Metrics(likes=900, shares=300), brands=("Acme",), sentiment=-0.9, topic=1,
            entities=("애크미폰",)),
    mention("7", "acme corp announces earnings", at=6 * H, source="news", brands=("Acme",), sentiment=0.0),
    mention("8", "The battery life is great, batteries last long", at=7 * H, source="reddit",
            handle="r_fan", sentiment=0.8, topic=2),
    mention("9", "#배송지연 또 늦네 ㅋㅋㅋ", at=26 * H, source="community", lang="ko", handle="지수",
            sentiment=-0.4, touchpoints=("delivery",)),
    mention("10", "batter up: baseball season", at=27 * H, lang=None, handle="ball"),
]  # fmt: skip

QUERIES: list[tuple[str, set[str]]] = [
    ("acme", {"1", "3", "5", "7"}),
    ('"acme" NOT "acme corp"', {"1", "3", "5"}),
    ("ACME AND service", {"5"}),
    ("ＡＣＭＥ service", {"5"}),
    ("batter*", {"1", "8", "10"}),
    ("batter", {"10"}),
    ("*ies", {"8"}),
    ("배송", {"2", "9"}),
    ("애크미", {"2", "6"}),
    ("크미폰", {"6"}),
    ("배*", {"2", "6", "9"}),
    ("ㅋㅋ", {"9"}),
    ("늦", {"2", "9"}),
    ('"battery life"', {"8"}),
    ('"life battery"', set()),
    ('"배송이 너무"', {"2"}),
    ("battery NEAR/2 charging", {"1"}),
    ("battery NEAR/1 charging", set()),
    ("charging NEAR/3 battery", {"1"}),
    ("@acme_help", {"3"}),
    ("@acme_fan", {"1"}),
    ("@민수", {"2"}),
    ("#acmephone", {"3"}),
    ("#acme", set()),
    ("#배송", {"9"}),
    ("(delivery OR 배송) AND NOT globex", {"2", "9"}),
    ("배터리 OR explod*", {"1", "6"}),
    ("acme OR globex NOT corp", {"1", "3", "4", "5"}),
    ("NOT acme AND battery", {"8"}),
    ("acme_help", {"3"}),
    ("nothing_matches_this", set()),
]


def load(store: Store) -> None:
    store.commit_batch(CORPUS)


def ids(mentions: list) -> set[str]:  # type: ignore[type-arg]
    return {m.native_id for m in mentions}


# -- writes ----------------------------------------------------------------------------------------


def test_upsert_is_idempotent_by_id(store: Store) -> None:
    first = store.upsert(CORPUS[:3])
    assert (first.new, first.updated, first.unchanged) == (3, 0, 0)
    again = store.upsert(CORPUS[:3])
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    assert store.count(MentionQuery()) == 3


def test_reobservation_updates_and_keeps_metrics_history(store: Store) -> None:
    original = CORPUS[0]
    store.upsert([original])
    later = original.model_copy(
        update={"metrics": Metrics(likes=50, shares=9), "fetched_at": original.fetched_at + H}
    )
    result = store.upsert([later])
    assert (result.new, result.updated, result.unchanged) == (0, 1, 0)
    (stored,) = store.get([original.id])
    assert stored.metrics.likes == 50
    history = store.metrics_history(original.id)
    assert [h.metrics.likes for h in history] == [5, 50]
    assert [h.observed_at for h in history] == [original.fetched_at, later.fetched_at]
    assert all(h.observed_at.tzinfo is not None for h in history)
    assert store.metrics_histories([original.id, "nope:1"]) == {original.id: history, "nope:1": []}
    assert store.metrics_histories([original.id], last=1) == {original.id: history[-1:]}
    stale = original.model_copy(update={"fetched_at": original.fetched_at - H})
    store.upsert([stale])  # an older look arriving late must not roll the counters back
    (stored,) = store.get([original.id])
    assert stored.metrics.likes == 50
    assert store.count(MentionQuery()) == 1


def test_reobservation_unites_brands_and_keeps_enrichment(store: Store) -> None:
    store.upsert([CORPUS[0]])
    bare = CORPUS[0].model_copy(update={"brands": ["Globex"], "sentiment": None, "touchpoints": []})
    store.upsert([bare])
    (stored,) = store.get([CORPUS[0].id])
    assert sorted(stored.brands) == ["Acme", "Globex"]
    assert stored.sentiment == CORPUS[0].sentiment
    assert stored.touchpoints == ["product"]
    assert store.count(MentionQuery(brands=("Globex",))) == 1


def test_commit_batch_saves_cursor_with_mentions(store: Store) -> None:
    assert store.get_cursor("x") is None
    result = store.commit_batch(CORPUS[:2], source="x", cursor="page-2")
    assert result.new == 2
    assert store.get_cursor("x") == "page-2"
    store.commit_batch([], source="x", cursor="page-3")
    assert store.get_cursor("x") == "page-3"
    assert store.get_cursor("reddit") is None


def test_failed_batch_saves_no_cursor_and_retry_doubles_nothing(store: Store) -> None:
    store.commit_batch(CORPUS[:1], source="x", cursor="c1")
    broken = [CORPUS[1], None]  # a bad record mid-batch stands for any failure during the write
    with pytest.raises(Exception):  # noqa: B017 - any error, as long as the cursor stays put
        store.commit_batch(broken, source="x", cursor="c2")  # type: ignore[list-item]
    assert store.get_cursor("x") == "c1"
    if isinstance(store, SQLiteStore):  # one transaction: nothing of the failed batch is there
        assert store.count(MentionQuery()) == 1
    store.commit_batch(CORPUS[1:3], source="x", cursor="c2")
    assert store.get_cursor("x") == "c2"
    assert store.count(MentionQuery()) == 3


def test_source_runs_round_trip(store: Store) -> None:
    for i, name in enumerate(["x", "reddit", "x"]):
        start = T0 + i * H
        store.record_source_run(
            SourceRun(source=name, started_at=start, finished_at=start + timedelta(seconds=5), fetched=i)
        )
    runs = store.source_runs()
    assert [r.started_at for r in runs] == [T0 + 2 * H, T0 + H, T0]
    assert [r.fetched for r in store.source_runs("x")] == [2, 0]
    assert len(store.source_runs(limit=1)) == 1


# -- reads -----------------------------------------------------------------------------------------


def test_get_keeps_order_skips_missing_and_returns_raw(store: Store) -> None:
    with_raw = mention("r1", "raw kept", raw={"platform": {"likes": "12", "nested": [1, 2]}})
    store.upsert([*CORPUS[:3], with_raw])
    got = store.get(["x:3", "missing", "x:1", "x:r1"])
    assert [m.id for m in got] == ["x:3", "x:1", "x:r1"]
    assert got[0] == CORPUS[2].model_copy(update={"raw": None})
    assert got[2].raw == {"platform": {"likes": "12", "nested": [1, 2]}}
    assert store.get([]) == []


def test_times_are_utc_aware(store: Store) -> None:
    kst = timezone(timedelta(hours=9))
    local = mention("kst", "seoul time", at=datetime(2026, 3, 2, 18, 0, tzinfo=kst))
    naive = mention("naive", "naive time", at=datetime(2026, 3, 2, 10, 0))
    store.upsert([local, naive])
    (got,) = store.get(["x:kst"])
    assert got.created_at == T0 and got.created_at.utcoffset() == timedelta(0)
    (got,) = store.get(["x:naive"])
    assert got.created_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert store.count(MentionQuery(since=datetime(2026, 3, 2, 17, 0, tzinfo=kst))) == 2
    assert store.count(MentionQuery(until=datetime(2026, 3, 2, 18, 30, tzinfo=kst))) == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (MentionQuery(), {str(i) for i in range(1, 11)}),
        (MentionQuery(brands=("Acme",)), {"1", "2", "3", "5", "6", "7"}),
        (MentionQuery(brands=("Acme", "Globex")), {"1", "2", "3", "4", "5", "6", "7"}),
        (MentionQuery(since=T0 + 2 * H, until=T0 + 4 * H), {"3", "4"}),  # until is exclusive
        (MentionQuery(sources=("news", "reddit")), {"4", "6", "7", "8"}),
        (MentionQuery(langs=("ko",)), {"2", "6", "9"}),
        (MentionQuery(sentiments=("negative",)), {"1", "2", "5", "6", "9"}),
        (MentionQuery(complaint=True), {"1", "2", "5", "6", "9"}),
        (MentionQuery(complaint=False, brands=("Acme",)), {"3", "7"}),
        (MentionQuery(topics=(1,)), {"1", "6"}),
        (MentionQuery(touchpoints=("delivery",)), {"2", "4", "9"}),
        (MentionQuery(touchpoints=("staff", "product")), {"1", "5"}),
        (MentionQuery(entities=("Acme",)), {"1", "5"}),
        (MentionQuery(entities=("Globex", "애크미폰"), since=T0 + H), {"4", "6"}),
        (MentionQuery(ids=("x:1", "news:6", "x:nope")), {"1", "6"}),
        (MentionQuery(text="배송", langs=("ko",), touchpoints=("delivery",), since=T0 + 2 * H), {"9"}),
        (MentionQuery(text="acme", brands=("Acme",), sources=("x",), sentiments=("positive",)), {"3"}),
    ],
)
def test_every_filter_narrows_count_and_search(store: Store, query: MentionQuery, expected: set[str]) -> None:
    load(store)
    assert ids(store.search(query, limit=100)) == expected
    assert store.count(query) == len(expected)


def test_query_language_matches_python_semantics(store: Store) -> None:
    load(store)
    wrong = []
    for text, expected in QUERIES:
        python = {m.native_id for m in CORPUS if matches(text, m.text, m.author.handle or m.author.id)}
        found = ids(store.search(MentionQuery(text=text), limit=100))
        counted = store.count(MentionQuery(text=text))
        if not (python == expected == found and counted == len(expected)):
            wrong.append((text, sorted(expected), sorted(python), sorted(found), counted))
    assert not wrong, wrong


def test_bad_query_raises_with_position(store: Store) -> None:
    load(store)
    with pytest.raises(QuerySyntaxError) as err:
        store.search(MentionQuery(text='"unclosed phrase'))
    assert err.value.position == 0
    with pytest.raises(QuerySyntaxError):
        store.count(MentionQuery(text="NOT acme"))


def test_search_orders_pages_and_rejects_unknown_order(store: Store) -> None:
    load(store)
    newest = store.search(MentionQuery(), limit=3)
    assert [m.native_id for m in newest] == ["10", "9", "8"]
    assert [m.native_id for m in store.search(MentionQuery(), limit=2, order="oldest")] == ["1", "2"]
    assert [m.native_id for m in store.search(MentionQuery(), limit=3, order="reach")] == ["6", "3", "1"]
    assert [m.native_id for m in store.search(MentionQuery(), limit=2, order="engagement")] == ["6", "3"]
    page2 = store.search(MentionQuery(), limit=3, offset=3)
    assert [m.native_id for m in page2] == ["7", "6", "5"]
    with pytest.raises(ValueError):
        store.search(MentionQuery(), order="random")


def test_histogram_counts_sentiment_and_reach(store: Store) -> None:
    load(store)
    buckets = store.histogram(MentionQuery(), timedelta(days=1))
    assert [(b.start, b.key, b.count) for b in buckets] == [
        (datetime(2026, 3, 2, tzinfo=UTC), None, 8),
        (datetime(2026, 3, 3, tzinfo=UTC), None, 2),
    ]
    assert buckets[0].reach == 100 + 10 + 5000 + 50 + 90000
    assert buckets[0].sentiment_sum == pytest.approx(-0.8 - 0.6 + 0.9 + 0.5 - 0.7 - 0.9 + 0.0 + 0.8)
    hourly = store.histogram(MentionQuery(text="acme"), H)
    assert [(b.start - T0) // H for b in hourly] == [0, 2, 4, 6]
    assert all(b.start.tzinfo is not None for b in hourly)
    with pytest.raises(ValueError):
        store.histogram(MentionQuery(), timedelta(0))


@pytest.mark.parametrize("group_by", FACET_FIELDS)
def test_histogram_group_by_agrees_with_facets(store: Store, group_by: str) -> None:
    load(store)
    buckets = store.histogram(MentionQuery(), timedelta(days=7), group_by=group_by)  # type: ignore[arg-type]
    totals: dict[str, int] = {}
    for b in buckets:
        if b.key is not None:
            totals[b.key] = totals.get(b.key, 0) + b.count
    facets = {f.value: f.count for f in store.facets(MentionQuery(), group_by, size=100)}  # type: ignore[arg-type]
    assert totals == facets


def test_histogram_by_brand_splits_buckets(store: Store) -> None:
    load(store)
    rows = [(b.start, b.key, b.count) for b in store.histogram(MentionQuery(), timedelta(days=1), "brand")]
    assert rows == [
        (datetime(2026, 3, 2, tzinfo=UTC), "Acme", 6),
        (datetime(2026, 3, 2, tzinfo=UTC), "Globex", 1),
    ]


FACETS = {
    "source": [("x", 3), ("community", 2), ("news", 2), ("reddit", 2), ("review", 1)],
    "lang": [("en", 6), ("ko", 3)],
    "sentiment": [("negative", 5), ("positive", 3), ("neutral", 1)],
    "brand": [("Acme", 6), ("Globex", 1)],
    "topic": [("1", 2), ("2", 2)],
    "touchpoint": [("delivery", 3), ("call_center", 1), ("product", 1), ("staff", 1)],
    "entity": [("Acme", 2), ("Globex", 1), ("Seoul", 1), ("애크미폰", 1)],
}


@pytest.mark.parametrize("field", FACET_FIELDS)
def test_facets_for_every_field(store: Store, field: str) -> None:
    load(store)
    got = [(f.value, f.count) for f in store.facets(MentionQuery(), field, size=10)]  # type: ignore[arg-type]
    if field == "author":
        assert ("acme_fan", 1) in got and ("u-5", 1) in got and len(got) == 10
    else:
        assert got == FACETS[field]
    assert len(store.facets(MentionQuery(), field, size=1)) == 1  # type: ignore[arg-type]


def test_facets_follow_the_query_and_reject_unknown_fields(store: Store) -> None:
    load(store)
    assert store.facets(MentionQuery(text="배송"), "source") == [FacetCount("community", 2)]
    with pytest.raises(ValueError):
        store.facets(MentionQuery(), "colour")  # type: ignore[arg-type]


def _python_facet(field: str, mentions: list) -> dict[str, int]:  # type: ignore[type-arg]
    counts: dict[str, int] = {}
    for m in mentions:
        values = {
            "source": [m.source],
            "lang": [m.lang],
            "sentiment": [m.sentiment.label.value if m.sentiment else None],
            "topic": [str(m.topic.id) if m.topic else None],
            "author": [m.author.handle or m.author.id],
            "brand": m.brands,
            "touchpoint": m.touchpoints,
            "entity": m.entities,
        }[field]
        for v in values:
            if v is not None:
                counts[v] = counts.get(v, 0) + 1
    return counts


@pytest.mark.parametrize("text", ["acme", "배송 OR delivery", "battery OR 배터리", "nothing_matches_this"])
def test_text_query_count_and_every_facet_agree_with_python(store: Store, text: str) -> None:
    """Explore asks one text query for its count and seven facets: all exact, in any order."""
    load(store)
    window = MentionQuery(text=text, since=T0, until=T0 + 30 * H)
    hits = [m for m in CORPUS if matches(text, m.text, m.author.handle or m.author.id)]
    for field in (*FACET_FIELDS, *reversed(FACET_FIELDS)):
        got = {f.value: f.count for f in store.facets(window, field, size=100)}  # type: ignore[arg-type]
        assert got == _python_facet(field, hits), field
        assert store.count(window) == len(hits)


@pytest.mark.parametrize(
    "query",
    [
        MentionQuery(brands=("Acme",)),
        MentionQuery(brands=("Acme", "Globex"), since=T0 + H, until=T0 + 30 * H),
        MentionQuery(touchpoints=("delivery",), since=T0),
        MentionQuery(text="acme", brands=("Acme",), touchpoints=("product", "staff")),
        MentionQuery(entities=("Acme", "Globex"), since=T0),
    ],
)
def test_linked_filter_facets_agree_with_python(store: Store, query: MentionQuery) -> None:
    load(store)
    hits = [
        m
        for m in CORPUS
        if (not query.brands or set(m.brands) & set(query.brands))
        and (not query.touchpoints or set(m.touchpoints) & set(query.touchpoints))
        and (not query.entities or set(m.entities) & set(query.entities))
        and (query.since is None or m.created_at >= query.since)
        and (query.until is None or m.created_at < query.until)
        and (not query.text or matches(query.text, m.text, m.author.handle or m.author.id))
    ]
    assert hits
    for field in FACET_FIELDS:
        got = {f.value: f.count for f in store.facets(query, field, size=100)}  # type: ignore[arg-type]
        assert got == _python_facet(field, hits), field
    assert store.count(query) == len(hits)
    store.upsert([mention("11", "acme again", brands=("Acme", "Globex"), touchpoints=("delivery", "staff"),
                          entities=("Globex",), at=2 * H)])  # fmt: skip
    assert store.count(query) == len(hits) + 1
    assert sum(f.count for f in store.facets(query, "source", size=100)) == len(hits) + 1


def test_text_query_count_and_facets_follow_writes(store: Store, tmp_path: Path) -> None:
    load(store)
    query = MentionQuery(text="acme")
    assert store.count(query) == 4
    assert store.facets(query, "source") == [
        FacetCount("x", 2),
        FacetCount("news", 1),
        FacetCount("review", 1),
    ]
    store.upsert([mention("11", "acme again", source="news", brands=("Acme",))])
    assert store.count(query) == 5
    assert store.facets(query, "source")[0] == FacetCount("news", 2)
    assert {f.value: f.count for f in store.facets(query, "brand")} == {"Acme": 5}
    if isinstance(store, SQLiteStore):  # a write through another connection (the pipeline's)
        reader = SQLiteStore(store.path, read_only=True)
        try:
            assert reader.count(query) == 5
            store.upsert([mention("12", "acme once more", source="news")])
            assert reader.count(query) == 6
            assert reader.facets(query, "source")[0] == FacetCount("news", 3)
        finally:
            reader.close()


def test_top_terms_in_korean_and_english(store: Store) -> None:
    load(store)
    store.upsert([mention(f"b{i}", f"battery fire again {i} 배송이 늦어요", at=i * H) for i in range(4)])
    terms = {t.value: t.count for t in store.top_terms(MentionQuery(), size=50)}
    assert terms["battery"] == 6  # document frequency: 'battery' twice in one post counts once
    assert terms["배송"] == 5  # the particle is stripped: 배송이 -> 배송
    assert "the" not in terms
    narrowed = store.top_terms(MentionQuery(langs=("ko",)), size=3)
    assert all(t.value not in {"battery", "fire"} for t in narrowed)


def test_time_range(store: Store) -> None:
    assert store.time_range() is None
    load(store)
    assert store.time_range() == (T0, T0 + 27 * H)


def _alert(i: int, brand: str = "Acme", state: AlertState = AlertState.NEW, kind: str = "complaint") -> Alert:
    at = T0 + i * H
    return Alert(id=f"a{i}", brand=brand, fired_at=at, updated_at=at, first_seen=at - H,
                 severity=Severity.HIGH, rule="emerging-complaint", state=state, kind=kind,
                 evidence_ids=[f"x:{i}"], summary=f"배터리 complaint {i}")  # fmt: skip


def test_alerts_save_get_list_and_filter(store: Store) -> None:
    store.save_alert(_alert(1))
    store.save_alert(_alert(2, brand="Globex"))
    store.save_alert(_alert(3, state=AlertState.ACKNOWLEDGED))
    store.save_alert(_alert(4, kind="operational"))
    assert store.get_alert("a1") == _alert(1)
    assert store.get_alert("nope") is None
    assert [a.id for a in store.list_alerts()] == ["a4", "a3", "a2", "a1"]
    assert [a.id for a in store.list_alerts(AlertFilter(brands=("Acme",)))] == ["a4", "a3", "a1"]
    assert [a.id for a in store.list_alerts(AlertFilter(states=(AlertState.ACKNOWLEDGED,)))] == ["a3"]
    assert [a.id for a in store.list_alerts(AlertFilter(kinds=("operational",)))] == ["a4"]
    assert [a.id for a in store.list_alerts(AlertFilter(since=T0 + 2 * H))] == ["a4", "a3", "a2"]
    assert [a.id for a in store.list_alerts(AlertFilter(limit=1))] == ["a4"]
    grown = _alert(1).model_copy(update={"updated_at": T0 + 9 * H, "state": AlertState.RESOLVED})
    store.save_alert(grown)  # one incident is one alert that updates
    assert store.list_alerts()[0] == grown
    assert len(store.list_alerts()) == 4


def test_state_round_trips_json_values(store: Store) -> None:
    assert store.get_state("detector") is None
    store.set_state("detector", {"baseline": [1.5, 2], "brand": "애크미", "ok": True})
    assert store.get_state("detector") == {"baseline": [1.5, 2], "brand": "애크미", "ok": True}
    store.set_state("detector", 3)
    assert store.get_state("detector") == 3
    store.set_state("list", ["a", None])
    assert store.get_state("list") == ["a", None]


def test_sqlite_locked_database_is_a_store_error(tmp_path: Path) -> None:
    """A writer holding the lock makes the others fail with one clear StoreError, not a masked one."""
    path = tmp_path / "locked.db"
    holder, other = SQLiteStore(path), SQLiteStore(path)
    other._conn.execute("PRAGMA busy_timeout = 50")
    holder._conn.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="database is locked"):
            other.set_state("k", 1)
        with pytest.raises(StoreError, match="database is locked"):
            other.commit_batch(CORPUS[:1], source="x", cursor="c")
    finally:
        holder._conn.execute("ROLLBACK")
    other.commit_batch(CORPUS[:1], source="x", cursor="c")
    assert holder.get_cursor("x") == "c"

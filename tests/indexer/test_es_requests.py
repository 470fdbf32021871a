"""Elasticsearch store requests, checked as data against a FAKE server (tests/indexer/fake_es.py).

No Elasticsearch runs here. The official client builds and sends every request to a local HTTP
server that records it and returns canned answers, so these tests show what the store asks for
(mappings, bulk actions, queries, aggregations) and that the client accepts those arguments;
they say nothing about how a real cluster answers. The conformance suite covers that when
GROUNDSWELL_ES_URL is set.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from groundswell.errors import StoreError
from groundswell.indexer.base import MentionQuery, Store
from groundswell.indexer.elasticsearch import ElasticsearchStore
from groundswell.indexer.es_mappings import to_doc
from groundswell.records import Metrics
from tests.indexer.builders import T0, mention
from tests.indexer.fake_es import FakeES, Request, bulk_response, search_response


def open_store(url: str, **kw: Any) -> ElasticsearchStore:
    return ElasticsearchStore(url, "gs", initial_backoff=0.01, request_timeout=5, **kw)


def test_setup_installs_policy_template_and_first_index(fake: tuple[FakeES, str]) -> None:
    es, url = fake
    store = open_store(url, retention=timedelta(days=90))
    (policy,) = es.find("PUT", "/_ilm/policy/gs-mentions-policy")
    assert policy.body["policy"]["phases"]["delete"] == {"min_age": "90d", "actions": {"delete": {}}}
    assert policy.body["policy"]["phases"]["hot"]["actions"]["rollover"]["max_age"] == "30d"
    (tpl,) = es.find("PUT", "/_index_template/gs-mentions")
    body = tpl.body
    assert body["index_patterns"] == ["gs-mentions-0*"]
    settings, props = body["template"]["settings"], body["template"]["mappings"]["properties"]
    assert settings["index.lifecycle.rollover_alias"] == "gs-mentions-write"
    assert body["template"]["aliases"] == {"gs-mentions": {}}
    assert settings["analysis"]["analyzer"]["gs_korean"]["filter"] == ["cjk_width", "lowercase", "cjk_bigram"]
    assert props["gs"]["properties"]["words"]["analyzer"] == "gs_words"
    assert props["text"]["fields"]["ko"]["analyzer"] == "gs_korean"
    assert {props[k]["type"] for k in ("id", "source", "lang", "brands", "touchpoints", "entities")} == {
        "keyword"
    }
    assert props["raw"] == {"type": "object", "enabled": False}
    (first,) = es.find("PUT", "/gs-mentions-000001")
    assert first.body["aliases"] == {"gs-mentions-write": {"is_write_index": True}}
    assert {r.path for r in es.find("PUT", "/gs-(metrics|alerts|runs|meta)")} == {
        "/gs-metrics", "/gs-alerts", "/gs-runs", "/gs-meta"
    }  # fmt: skip
    assert store.nori is False
    assert isinstance(store, Store)  # every method of the protocol is there


def test_nori_is_used_when_every_node_has_it(fake: tuple[FakeES, str]) -> None:
    es, url = fake
    es.nori = True
    open_store(url)
    (tpl,) = es.find("PUT", "/_index_template/gs-mentions")
    analysis = tpl.body["template"]["settings"]["analysis"]
    assert analysis["tokenizer"]["gs_nori"]["type"] == "nori_tokenizer"
    assert analysis["analyzer"]["gs_korean"]["tokenizer"] == "gs_nori"


def test_existing_setup_is_not_recreated(fake: tuple[FakeES, str]) -> None:
    es, url = fake
    es.existing |= {"gs-mentions-write", "gs-metrics", "gs-alerts", "gs-runs", "gs-meta"}
    open_store(url)
    assert es.find("PUT", "/gs-mentions-000001") == [] and es.find("PUT", "/gs-metrics") == []


def test_new_mentions_are_created_through_the_write_alias_then_the_cursor(fake: tuple[FakeES, str]) -> None:
    es, url = fake
    store = open_store(url)
    batch = [mention("1", "배송이 늦어요 #배송 @acme_help", handle="민수"), mention("2", "battery fire")]
    result = store.commit_batch(batch, source="x", cursor="c9")
    assert (result.new, result.updated, result.unchanged) == (2, 0, 0)
    (lookup,) = es.find("POST", "/gs-mentions/_search")
    assert lookup.body["query"] == {"terms": {"id": ["x:1", "x:2"]}}
    (bulk,) = es.find("(PUT|POST)", "/_bulk")
    assert bulk.params["refresh"] == "wait_for"
    actions = bulk.ndjson[0::2]
    creates = [a["create"] for a in actions if "create" in a]
    assert sorted((c["_index"], c["_id"]) for c in creates) == [
        ("gs-mentions-write", "x:1"),
        ("gs-mentions-write", "x:2"),
    ]
    metrics = [a["index"]["_index"] for a in actions if "index" in a]
    assert metrics == ["gs-metrics", "gs-metrics"]
    doc = bulk.ndjson[bulk.ndjson.index({"create": creates[0]}) + 1]
    assert doc["gs"]["words"] == "배송이 늦어요 배송 acme_help"
    assert doc["gs"]["tags"] == ["#배송", "@acme_help"]
    assert doc["gs"]["ko_bigrams"] == ["늦어", "배송", "송이", "어요", "이늦"]  # 이늦: across the space
    assert doc["gs"]["author_norm"] == "민수"
    cursor_writes = [i for i, r in enumerate(es.requests) if r.path == "/gs-meta/_doc/cursor:x"]
    assert cursor_writes and cursor_writes[0] > es.requests.index(bulk)
    assert es.requests[cursor_writes[0]].body["cursor"] == "c9"


def test_reobservation_updates_in_place_with_optimistic_concurrency(fake: tuple[FakeES, str]) -> None:
    es, url = fake
    old = mention("1", "battery fire", metrics=Metrics(likes=1))
    es.route("POST", "/gs-mentions/_search", lambda r: (200, search_response([to_doc(old)])))
    store = open_store(url)
    newer = old.model_copy(
        update={"metrics": Metrics(likes=9), "fetched_at": old.fetched_at + timedelta(hours=1)}
    )
    result = store.upsert([newer, old])  # the late, older look is folded in without rolling back
    assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
    (bulk,) = es.find("(PUT|POST)", "/_bulk")
    (update,) = [a["index"] for a in bulk.ndjson[0::2] if a.get("index", {}).get("_id") == "x:1"]
    assert update == {"_id": "x:1", "_index": "gs-mentions-000001", "if_seq_no": 3, "if_primary_term": 1}
    body = bulk.ndjson[bulk.ndjson.index({"index": update}) + 1]
    assert body["metrics"]["likes"] == 9


def test_failed_documents_are_reported_kept_and_resent_and_block_the_cursor(fake: tuple[FakeES, str]) -> None:
    es, url = fake

    def fail_x2(op: str, meta: dict) -> tuple[int, dict] | None:
        if meta.get("_id") == "x:2" and op == "create":
            return 400, {"type": "mapper_parsing_exception", "reason": "bad field"}
        return None

    es.route("(PUT|POST)", "/_bulk", lambda r: (200, bulk_response(r.ndjson, fail_x2)))
    store = open_store(url)
    with pytest.raises(
        StoreError, match=r"x:2 \(400 mapper_parsing_exception: bad field\).*cursor was not saved"
    ):
        store.commit_batch([mention("1", "a"), mention("2", "b")], source="x", cursor="c1")
    assert es.find("PUT", "/gs-meta/_doc/cursor:x") == []
    assert list(store.writer.pending_mentions) == ["x:2"]
    assert [f.doc_id for f in store.writer.failures] == ["x:2"]
    es.route("(PUT|POST)", "/_bulk", lambda r: (200, bulk_response(r.ndjson)))
    store.commit_batch([mention("3", "c")], source="x", cursor="c2")
    resent = es.find("(PUT|POST)", "/_bulk")[-1]
    assert [a["create"]["_id"] for a in resent.ndjson[0::2] if "create" in a] == ["x:2", "x:3"]
    assert store.writer.pending_mentions == {}
    assert es.find("PUT", "/gs-meta/_doc/cursor:x")[0].body["cursor"] == "c2"


def test_rejections_429_are_retried_with_backoff(fake: tuple[FakeES, str]) -> None:
    es, url = fake
    calls: list[int] = []

    def busy_once(req: Request) -> tuple[int, Any]:
        calls.append(len(req.ndjson))
        first = len(calls) == 1

        def reject(op: str, meta: dict) -> tuple[int, dict] | None:
            return (
                (429, {"type": "es_rejected_execution_exception"}) if first and meta["_id"] == "x:1" else None
            )

        return 200, bulk_response(req.ndjson, reject)

    es.route("(PUT|POST)", "/_bulk", busy_once)
    store = open_store(url)
    assert store.upsert([mention("1", "a"), mention("2", "b")]).new == 2
    assert calls == [8, 2]  # 2 creates + 2 metrics docs, then only the rejected document again


def test_unreachable_cluster_is_one_clear_error() -> None:
    with pytest.raises(StoreError, match=r"cannot reach Elasticsearch at http://127.0.0.1:9"):
        ElasticsearchStore("http://127.0.0.1:9", request_timeout=1)


def test_wrong_credentials_and_wrong_product(fake: tuple[FakeES, str]) -> None:
    es, url = fake
    es.route(
        "GET",
        "/",
        lambda r: (401, {"error": {"type": "security_exception", "reason": "unable to authenticate"}}),
    )
    with pytest.raises(StoreError, match="rejected the credentials"):
        open_store(url, password="wrong")
    es.routes.clear()
    es.product_header = False
    with pytest.raises(StoreError, match="not Elasticsearch"):
        open_store(url)


def test_search_request_carries_filters_sort_and_paging(fake: tuple[FakeES, str]) -> None:
    es, url = fake
    found = mention("7", "배송 지연", at=T0)
    store = open_store(url)
    es.route("POST", "/gs-mentions/_search", lambda r: (200, search_response([to_doc(found)])))
    q = MentionQuery(text="배송 OR delivery", brands=("Acme",), since=T0, until=T0 + timedelta(days=1))
    (got,) = store.search(q, limit=20, offset=40, order="reach")
    assert got.id == "x:7" and got.created_at == T0
    body = es.find("POST", "/gs-mentions/_search")[-1].body
    assert body["size"] == 20 and body["from"] == 40
    assert body["sort"] == [{"gs.followers": "desc"}, {"id": "asc"}]
    assert es.find("POST", "/gs-mentions/_search")[-1].params["_source_excludes"] == "gs,raw"
    filters = body["query"]["bool"]["filter"]
    assert {"terms": {"brands": ["Acme"]}} in filters
    assert {
        "range": {"created_at": {"gte": "2026-03-02T09:00:00+00:00", "lt": "2026-03-03T09:00:00+00:00"}}
    } in filters
    delivery = {"bool": {"should": [{"term": {"gs.words": "delivery"}},
                                    {"regexp": {"gs.words": {"value": "delivery[\uac00-\ud7af]+"}}}],
                         "minimum_should_match": 1}}  # fmt: skip
    assert {"bool": {"should": [{"term": {"gs.ko_bigrams": "배송"}}, delivery],
                     "minimum_should_match": 1}} in filters  # fmt: skip


def test_histogram_pages_through_the_composite_aggregation(fake: tuple[FakeES, str]) -> None:
    es, url = fake
    store = open_store(url)
    day = int(datetime(2026, 3, 2, tzinfo=UTC).timestamp() * 1000)
    pages = [
        {"after_key": {"t": day, "k": "x"}, "buckets": [
            {"key": {"t": day, "k": None}, "doc_count": 2, "sent": {"value": -1.5}, "reach": {"value": 10.0}},
            {"key": {"t": day, "k": "x"}, "doc_count": 3, "sent": {"value": 0.0}, "reach": {"value": 0.0}}]},
        {"buckets": []},
    ]  # fmt: skip
    es.route(
        "POST", "/gs-mentions/_search", lambda r: (200, search_response([], aggregations={"h": pages.pop(0)}))
    )
    buckets = store.histogram(MentionQuery(), timedelta(hours=1), group_by="source")
    assert [(b.key, b.count, b.sentiment_sum, b.reach) for b in buckets] == [
        (None, 2, -1.5, 10),
        ("x", 3, 0.0, 0),
    ]
    assert buckets[0].start == datetime(2026, 3, 2, tzinfo=UTC)
    bodies = [r.body for r in es.find("POST", "/gs-mentions/_search")]
    sources = bodies[0]["aggs"]["h"]["composite"]["sources"]
    assert sources[0]["t"]["date_histogram"] == {"field": "created_at", "fixed_interval": "3600000ms"}
    assert sources[1]["k"]["terms"] == {"field": "source", "missing_bucket": True}
    assert bodies[1]["aggs"]["h"]["composite"]["after"] == {"t": day, "k": "x"}


def test_near_is_post_filtered_exactly_over_scanned_candidates(fake: tuple[FakeES, str]) -> None:
    es, url = fake
    store = open_store(url)
    near = mention("1", "battery caught fire")
    far = mention("2", "battery is fine but the charger caught fire")
    es.route(
        "POST",
        "/gs-mentions/_search",
        lambda r: (200, search_response([to_doc(near), to_doc(far)], _scroll_id="s1")),
    )
    es.route("POST", "/_search/scroll", lambda r: (200, search_response([], _scroll_id="s1")))
    es.route("POST", "/gs-mentions/_count", lambda r: (200, {"count": 1}))
    assert store.count(MentionQuery(text="battery NEAR/2 fire")) == 1
    scan = es.find("POST", "/gs-mentions/_search")[-1]
    both = scan.body["query"]["bool"]["filter"][0]["bool"]["filter"]
    assert scan.params.get("scroll") and [c["bool"]["should"][0] for c in both] == [
        {"term": {"gs.words": "battery"}}, {"term": {"gs.words": "fire"}}
    ]  # fmt: skip
    (count,) = es.find("POST", "/gs-mentions/_count")
    assert count.body["query"] == {"terms": {"id": ["x:1"]}}


def test_state_alerts_and_facets_requests(fake: tuple[FakeES, str]) -> None:
    es, url = fake
    store = open_store(url)
    store.set_state("k", {"a": [1, "둘"]})
    (put,) = es.find("PUT", "/gs-meta/_doc/state:k")
    assert put.body == {"kind": "state", "value": '{"a": [1, "둘"]}'}
    es.route(
        "POST",
        "/gs-mentions/_search",
        lambda r: (200, search_response([], aggregations={"f": {"buckets": [{"key": 2, "doc_count": 4}]}})),
    )
    assert [(f.value, f.count) for f in store.facets(MentionQuery(), "topic", size=3)] == [("2", 4)]
    terms = es.find("POST", "/gs-mentions/_search")[-1].body["aggs"]["f"]["terms"]
    assert terms["field"] == "topic.id" and terms["size"] == 3
    assert terms["order"] == [{"_count": "desc"}, {"_key": "asc"}]


def test_from_settings_reads_secrets_from_the_environment(
    fake: tuple[FakeES, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from groundswell.config.settings import Settings, StoreSettings

    es, url = fake
    monkeypatch.setenv("MY_ES_KEY", "c2VjcmV0")
    settings = Settings(
        store=StoreSettings(backend="elasticsearch", url=url, index_prefix="team", api_key_env="MY_ES_KEY")
    )
    store = ElasticsearchStore.from_settings(settings)
    assert store.names.read == "team-mentions"
    assert es.requests[0].headers["authorization"] == "ApiKey c2VjcmV0"
    monkeypatch.delenv("GROUNDSWELL_ES_URL", raising=False)
    with pytest.raises(StoreError, match="no URL"):
        ElasticsearchStore.from_settings(Settings(store=StoreSettings(backend="elasticsearch")))


def test_missing_client_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import groundswell.indexer.elasticsearch as module
    from groundswell.errors import NotInstalled

    monkeypatch.setattr(module, "Elasticsearch", None)
    with pytest.raises(NotInstalled, match=r"pip install 'groundswell\[es\]'"):
        module.ElasticsearchStore("http://127.0.0.1:9200")


def test_significant_terms_time_range_and_metrics_history_requests(fake: tuple[FakeES, str]) -> None:
    es, url = fake
    store = open_store(url)
    sig = {"sample": {"doc_count": 9, "en": {"buckets": [{"key": "battery", "doc_count": 7, "score": 2.5}]},
                      "ko": {"buckets": [{"key": "배터리", "doc_count": 5, "score": 3.0},
                                         {"key": "battery", "doc_count": 7, "score": 1.0}]}}}  # fmt: skip
    es.route("POST", "/gs-mentions/_search", lambda r: (200, search_response([], aggregations=sig)))
    terms = store.significant_terms(MentionQuery(brands=("Acme",)), size=5)
    assert [(t.value, t.count) for t in terms] == [("배터리", 5), ("battery", 7)]
    aggs = es.find("POST", "/gs-mentions/_search")[-1].body["aggs"]["sample"]
    assert aggs["sampler"] == {"shard_size": 500}
    assert aggs["aggs"]["ko"]["significant_text"]["field"] == "text.ko"
    assert aggs["aggs"]["ko"]["significant_text"]["source_fields"] == ["text"]
    lo, hi = T0.timestamp() * 1000, (T0 + timedelta(hours=5)).timestamp() * 1000
    es.route(
        "POST",
        "/gs-mentions/_search",
        lambda r: (200, search_response([], aggregations={"lo": {"value": lo}, "hi": {"value": hi}})),
    )
    assert store.time_range() == (T0, T0 + timedelta(hours=5))
    obs = {
        "mention_id": "x:1",
        "observed_at": "2026-03-02T09:05:00Z",
        "metrics": {"likes": 3, "shares": 0, "replies": 0, "views": 0},
    }
    es.route("POST", "/gs-metrics/_search", lambda r: (200, search_response([obs])))
    (got,) = store.metrics_history("x:1")
    assert got.metrics.likes == 3 and got.observed_at == T0 + timedelta(minutes=5)
    body = es.find("POST", "/gs-metrics/_search")[-1].body
    assert body["query"] == {"terms": {"mention_id": ["x:1"]}} and body["sort"] == [{"observed_at": "asc"}]
    many = store.metrics_histories(["x:1", "x:2"])  # one search for a whole batch
    assert [o.metrics.likes for o in many["x:1"]] == [3] and many["x:2"] == []
    body = es.find("POST", "/gs-metrics/_search")[-1].body
    assert body["query"] == {"terms": {"mention_id": ["x:1", "x:2"]}}
    newest = {"post": {"buckets": [{"key": "x:1", "doc_count": 9, "newest": {"hits": {"hits": [
        {"_source": {**obs, "observed_at": "2026-03-02T11:05:00Z"}}, {"_source": obs}]}}}]}}  # fmt: skip
    es.route("POST", "/gs-metrics/_search", lambda r: (200, search_response([], aggregations=newest)))
    last = store.metrics_histories(["x:1", "x:2"], last=2)  # enrichment's read: newest per post
    assert [o.observed_at for o in last["x:1"]] == [
        T0 + timedelta(minutes=5),
        T0 + timedelta(hours=2, minutes=5),
    ]
    assert last["x:2"] == []
    aggs = es.find("POST", "/gs-metrics/_search")[-1].body["aggs"]["post"]
    assert aggs["terms"]["size"] == 2 and aggs["aggs"]["newest"]["top_hits"]["size"] == 2


def test_a_history_read_too_large_for_one_response_is_reported_not_truncated() -> None:
    from groundswell.indexer import es_history

    doc = {"mention_id": "x:1", "observed_at": "2026-03-02T09:05:00Z", "metrics": {"likes": 1}}
    response = search_response([doc])
    response["hits"]["total"] = {"value": 12_000, "relation": "eq"}
    assert es_history.parse(response, None) is None  # the store then reads post by post
    assert [o.metrics.likes for o in (es_history.parse(response, None, whole=False) or {})["x:1"]] == [1]

"""The Elasticsearch store: the same `Store` behaviour as SQLite, for a cluster and many workers.

Built by `from_settings` (store.url or GROUNDSWELL_ES_URL; the API key or password from the
environment variables that StoreSettings names). It connects at once, so a wrong URL, CA or
password is one clear StoreError at start, and installs its ILM policy, index template and first
rollover index if missing (es_mappings). Writes go through `helpers.streaming_bulk` (es_bulk);
queries are built in es_query. Requires `pip install 'groundswell[es]'`.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from groundswell.errors import NotInstalled, StoreError
from groundswell.indexer import es_history, es_query
from groundswell.indexer.base import AlertFilter, Bucket, FacetCount, FacetField, MentionQuery, UpsertResult
from groundswell.indexer.es_bulk import BulkWriter, es_errors
from groundswell.indexer.es_mappings import FACET_COLUMNS, IndexNames, Layout, from_source, has_nori
from groundswell.query import Document, parse_query
from groundswell.records import Alert, EnrichedMention, MetricsObservation, SourceRun
from groundswell.terms import count_terms

try:  # optional extra: the module imports without it, the store says what to install
    from elasticsearch import Elasticsearch, NotFoundError, helpers
except ModuleNotFoundError:  # pragma: no cover - exercised only without the extra
    Elasticsearch = None  # type: ignore[assignment,misc]

HIDDEN = ["gs", "raw"]  # derived and raw fields stay out of search results


def _quiet_transport_logs() -> None:
    """The client logs each retry with a traceback; unless debugging, the StoreError line suffices."""
    transport = logging.getLogger("elastic_transport")
    if transport.level == logging.NOTSET and logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        transport.setLevel(logging.ERROR)


def _dt(millis: float) -> datetime:
    return datetime.fromtimestamp(millis / 1000, UTC)


class ElasticsearchStore:
    """`Store` on Elasticsearch 8/9. `refresh=True` makes every write visible at once (tests, CLI)."""

    def __init__(
        self,
        url: str,
        index_prefix: str = "groundswell",
        *,
        api_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
        ca_certs: str | os.PathLike[str] | None = None,
        verify_certs: bool = True,
        refresh: bool | str = "wait_for",
        shards: int = 1,
        replicas: int | None = None,
        ilm: bool = True,
        retention: timedelta | None = None,
        rollover_max_age: timedelta = timedelta(days=30),
        rollover_max_size: str = "30gb",
        chunk_size: int = 500,
        max_retries: int = 5,
        initial_backoff: float = 1.0,
        max_exact_candidates: int = 500_000,
        request_timeout: float = 30.0,
        client: Any = None,
    ) -> None:
        if Elasticsearch is None:
            raise NotInstalled("the Elasticsearch store", "es")
        self.url = url
        self.names = IndexNames(index_prefix)
        self.refresh = refresh
        self.max_exact_candidates = max_exact_candidates
        client_options: dict[str, Any] = {}
        if api_key:
            client_options["api_key"] = api_key
        elif password:
            client_options["basic_auth"] = (username or "elastic", password)
        if ca_certs:
            client_options["ca_certs"] = str(ca_certs)
        self.client = client or Elasticsearch(
            url,
            verify_certs=verify_certs,
            request_timeout=request_timeout,
            retry_on_timeout=True,
            max_retries=3,
            **client_options,
        )
        self.layout = Layout(
            self.names, shards=shards, replicas=replicas, ilm=ilm, retention=retention,
            rollover_max_age=rollover_max_age, rollover_max_size=rollover_max_size,
        )  # fmt: skip
        self.writer = BulkWriter(
            self.client,
            self.names,
            chunk_size=chunk_size,
            max_retries=max_retries,
            initial_backoff=initial_backoff,
        )
        self.writer.refresh = "wait_for" if refresh == "wait_for" else None
        _quiet_transport_logs()
        with es_errors(self.url, "connect"):
            self.info = self.client.options(max_retries=1).info()  # a wrong URL fails in seconds
            self.nori = has_nori(self.client)
            self.layout.install(self.client, nori=self.nori)

    @classmethod
    def from_settings(cls, settings: Any, db_path: object = None) -> ElasticsearchStore:
        """The cluster named by `store.url`; `db_path` (the SQLite --db) does not apply here."""
        store = settings.store
        url = store.url or os.environ.get("GROUNDSWELL_ES_URL")
        if not url:
            raise StoreError(
                "store.backend is elasticsearch but no URL is set: set store.url or GROUNDSWELL_ES_URL"
            )
        extra = {k: getattr(store, k) for k in ("retention", "rollover_max_age", "shards", "replicas")}
        return cls(
            url,
            store.index_prefix,
            api_key=os.environ.get(store.api_key_env),
            username=store.username,
            password=os.environ.get(store.password_env),
            ca_certs=store.ca_certs,
            verify_certs=store.verify_certs,
            **extra,
        )

    # -- setup --------------------------------------------------------------------------------------

    def drop(self) -> None:
        """Delete every index, the template and the policy of this prefix (tests, re-migration)."""
        with es_errors(self.url, "drop indices"):
            self.layout.uninstall(self.client)

    def _refresh_now(self) -> None:
        if self.refresh is True:
            self.client.indices.refresh(index=f"{self.names.read},{','.join(self.names.side)}")

    # -- writes -------------------------------------------------------------------------------------

    def commit_batch(
        self, mentions: Sequence[EnrichedMention], source: str | None = None, cursor: str | None = None
    ) -> UpsertResult:
        with es_errors(self.url, "write mentions"):
            result = self.writer.write(list(mentions))  # raises StoreError listing failed docs
            if source is not None and cursor is not None:
                self.client.index(
                    index=self.names.meta,
                    id=f"cursor:{source}",
                    document={
                        "kind": "cursor",
                        "source": source,
                        "cursor": cursor,
                        "at": datetime.now(UTC).isoformat(),
                    },
                    refresh=self._refresh_param(),
                )
            self._refresh_now()
            return result

    def upsert(self, mentions: Sequence[EnrichedMention]) -> UpsertResult:
        return self.commit_batch(mentions)

    def add_metrics_history(self, observations: Iterable[MetricsObservation]) -> None:
        """Copy earlier observations (migration); idempotent by (mention, time)."""
        with es_errors(self.url, "write metrics history"):
            self.writer.write_observations(list(observations))
            self._refresh_now()

    def get_cursor(self, source: str) -> str | None:
        doc = self._get(self.names.meta, f"cursor:{source}")
        return doc["cursor"] if doc else None

    def record_source_run(self, run: SourceRun) -> None:
        with es_errors(self.url, "record a source run"):
            self.client.index(
                index=self.names.runs,
                id=f"{run.source}|{run.started_at.timestamp()}",
                document={
                    "source": run.source,
                    "started_at": run.started_at.isoformat(),
                    "run": run.model_dump(mode="json"),
                },
                refresh=self._refresh_param(),
            )

    def source_runs(self, source: str | None = None, limit: int = 50) -> list[SourceRun]:
        query = {"term": {"source": source}} if source is not None else {"match_all": {}}
        hits = self._search(self.names.runs, query=query, size=limit, sort=[{"started_at": "desc"}])
        return [SourceRun.model_validate(h["_source"]["run"]) for h in hits["hits"]["hits"]]

    def _refresh_param(self) -> str | None:
        """Single-document writes: visible at once (True), by the next refresh, or whenever."""
        return {True: "true", "wait_for": "wait_for"}.get(self.refresh)

    # -- reads --------------------------------------------------------------------------------------

    def _search(self, index: str, **body: Any) -> Any:
        with es_errors(self.url, f"search {index}"):
            return self.client.search(index=index, **body)

    def _get(self, index: str, doc_id: str) -> dict[str, Any] | None:
        with es_errors(self.url, f"read {index}"):
            try:
                return self.client.get(index=index, id=doc_id)["_source"]
            except NotFoundError:
                return None

    def _query(self, q: MentionQuery) -> dict[str, Any]:
        """An exact query for q: the DSL itself, or the post-filtered ids when NEAR needs it."""
        dsl, exact = es_query.build(q)
        if exact:
            return dsl
        return es_query.ids_query(self._post_filter(dsl, q.text or ""))

    def _post_filter(self, superset: dict[str, Any], text: str) -> list[str]:
        node = parse_query(text)
        kept: list[str] = []
        with es_errors(self.url, "scan candidates"):
            for n, hit in enumerate(
                helpers.scan(
                    self.client,
                    index=self.names.read,
                    query={"query": superset},
                    _source=["id", "text", "gs.author"],
                    size=2000,
                )
            ):
                if n >= self.max_exact_candidates:
                    raise StoreError(
                        f"the query {text!r} needs an exact NEAR check on more than {self.max_exact_candidates} "
                        "candidates; narrow it with a time range, brand or source"
                    )
                src = hit["_source"]
                if node.evaluate(Document(src["text"], src.get("gs", {}).get("author"))):
                    kept.append(src["id"])
        return kept

    def get(self, ids: Iterable[str]) -> list[EnrichedMention]:
        wanted = list(ids)
        found: dict[str, EnrichedMention] = {}
        for i in range(0, len(wanted), 1000):
            part = wanted[i : i + 1000]
            hits = self._search(
                self.names.read, query={"terms": {"id": part}}, size=len(part), source_excludes=["gs"]
            )
            for hit in hits["hits"]["hits"]:
                m = from_source(hit["_source"])
                found[m.id] = m
        return [found[i] for i in wanted if i in found]

    def count(self, query: MentionQuery) -> int:
        q = self._query(query)
        with es_errors(self.url, "count"):
            return int(self.client.count(index=self.names.read, query=q)["count"])

    def search(
        self, query: MentionQuery, limit: int = 50, offset: int = 0, order: str = "newest"
    ) -> list[EnrichedMention]:
        if order not in es_query.SORTS:
            raise ValueError(f"unknown order {order!r}; use one of {', '.join(es_query.SORTS)}")
        hits = self._search(
            self.names.read,
            query=self._query(query),
            size=limit,
            from_=offset,
            sort=es_query.SORTS[order],
            source_excludes=HIDDEN,
            track_total_hits=False,
        )
        return [from_source(h["_source"]) for h in hits["hits"]["hits"]]

    def histogram(
        self, query: MentionQuery, interval: timedelta, group_by: FacetField | None = None
    ) -> list[Bucket]:
        step_ms = int(interval.total_seconds() * 1000)
        if step_ms <= 0:
            raise ValueError("histogram interval must be positive")
        if group_by is not None and group_by not in FACET_COLUMNS:
            raise ValueError(f"cannot group by {group_by!r}")
        field = FACET_COLUMNS[group_by] if group_by else None
        missing = group_by not in {
            "brand",
            "touchpoint",
            "entity",
        }  # rows without a brand join to nothing, as in SQL
        q, after, out = self._query(query), None, []
        while True:
            aggs = es_query.histogram_aggs(step_ms, field, missing, after)
            res = self._search(self.names.read, query=q, size=0, aggs=aggs)["aggregations"]["h"]
            for b in res["buckets"]:
                key = b["key"].get("k")
                out.append(
                    Bucket(
                        _dt(b["key"]["t"]),
                        None if key is None else str(key),
                        int(b["doc_count"]),
                        float(b["sent"]["value"] or 0.0),
                        int(b["reach"]["value"] or 0),
                    )
                )
            after = res.get("after_key")
            if not res["buckets"] or after is None:
                return out

    def facets(self, query: MentionQuery, field: FacetField, size: int = 10) -> list[FacetCount]:
        if field not in FACET_COLUMNS:
            raise ValueError(f"unknown facet {field!r}; use one of {', '.join(FACET_COLUMNS)}")
        res = self._search(
            self.names.read,
            query=self._query(query),
            size=0,
            aggs=es_query.facet_aggs(FACET_COLUMNS[field], size),
        )
        return [FacetCount(str(b["key"]), int(b["doc_count"])) for b in res["aggregations"]["f"]["buckets"]]

    def top_terms(self, query: MentionQuery, size: int = 20) -> list[FacetCount]:
        """Document frequency over the newest 5,000 matches, counted like the SQLite store."""
        hits = self._search(
            self.names.read,
            query=self._query(query),
            size=5000,
            sort=es_query.SORTS["newest"],
            source_includes=["text", "lang"],
        )
        rows = ((h["_source"]["text"], h["_source"].get("lang")) for h in hits["hits"]["hits"])
        return [FacetCount(t, n) for t, n in count_terms(rows).most_common(size)]

    def significant_terms(self, query: MentionQuery, size: int = 20) -> list[FacetCount]:
        """What is unusual in these posts against the whole index (significant_text; ES only)."""
        res = self._search(
            self.names.read, query=self._query(query), size=0, aggs=es_query.significant_aggs(size)
        )
        sample = res["aggregations"]["sample"]
        merged = sorted(sample["en"]["buckets"] + sample["ko"]["buckets"], key=lambda b: -b.get("score", 0))
        seen: dict[str, int] = {}
        for b in merged:
            seen.setdefault(b["key"], int(b["doc_count"]))
        return [FacetCount(k, n) for k, n in list(seen.items())[:size]]

    def metrics_history(self, mention_id: str) -> list[MetricsObservation]:
        return self.metrics_histories([mention_id])[mention_id]

    def metrics_histories(
        self, mention_ids: Sequence[str], last: int | None = None
    ) -> dict[str, list[MetricsObservation]]:
        """One search per 500 posts instead of one per post (es_history.py builds and reads it)."""
        out: dict[str, list[MetricsObservation]] = {i: [] for i in mention_ids}
        ids = list(out)
        for start in range(0, len(ids), es_history.CHUNK):
            chunk = ids[start : start + es_history.CHUNK]
            res = self._search(self.names.metrics, **es_history.request(chunk, last))
            found = es_history.parse(res, last)
            if found is None:  # too many for one response: post by post, each its own search
                for mid in chunk:
                    res = self._search(self.names.metrics, **es_history.request([mid], None))
                    out[mid] = (es_history.parse(res, None, whole=False) or {}).get(mid, [])
                continue
            out.update(found)
        return out

    def time_range(self) -> tuple[datetime, datetime] | None:
        aggs = {"lo": {"min": {"field": "created_at"}}, "hi": {"max": {"field": "created_at"}}}
        res = self._search(self.names.read, size=0, aggs=aggs)["aggregations"]
        if res["lo"]["value"] is None:
            return None
        return _dt(res["lo"]["value"]), _dt(res["hi"]["value"])

    # -- alerts and state ---------------------------------------------------------------------------

    def save_alert(self, alert: Alert) -> None:
        doc = {"id": alert.id, "brand": alert.brand, "kind": alert.kind, "state": alert.state.value,
               "updated_at": alert.updated_at.isoformat(), "alert": alert.model_dump(mode="json")}  # fmt: skip
        with es_errors(self.url, "save an alert"):
            self.client.index(
                index=self.names.alerts, id=alert.id, document=doc, refresh=self._refresh_param()
            )

    def get_alert(self, alert_id: str) -> Alert | None:
        doc = self._get(self.names.alerts, alert_id)
        return Alert.model_validate(doc["alert"]) if doc else None

    def list_alerts(self, flt: AlertFilter | None = None) -> list[Alert]:
        flt = flt or AlertFilter()
        clauses: list[dict[str, Any]] = []
        for field, values in (
            ("brand", flt.brands),
            ("state", [s.value for s in flt.states]),
            ("kind", flt.kinds),
        ):
            if values:
                clauses.append({"terms": {field: list(values)}})
        if flt.since is not None:
            clauses.append({"range": {"updated_at": {"gte": flt.since.isoformat()}}})
        hits = self._search(
            self.names.alerts,
            query={"bool": {"filter": clauses}},
            size=flt.limit,
            sort=[{"updated_at": "desc"}, {"id": "asc"}],
        )
        return [Alert.model_validate(h["_source"]["alert"]) for h in hits["hits"]["hits"]]

    def get_state(self, key: str) -> Any:
        doc = self._get(self.names.meta, f"state:{key}")
        return json.loads(doc["value"]) if doc else None

    def set_state(self, key: str, value: Any) -> None:
        with es_errors(self.url, "save state"):
            self.client.index(
                index=self.names.meta,
                id=f"state:{key}",
                document={"kind": "state", "value": json.dumps(value, ensure_ascii=False)},
                refresh=self._refresh_param(),
            )

    def close(self) -> None:
        self.client.close()

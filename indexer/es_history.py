"""Metrics-history reads for many posts in one Elasticsearch search, and their answers as records.

With `last`, a terms aggregation keeps each post's newest `last` observations (top_hits), so a
post with a long history cannot crowd another out of the response. Without it, one search
returns every observation of the chunk, oldest first; a chunk whose observations do not fit in
one response (10,000 hits) is reported as such, and the store reads it post by post.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from groundswell.records import Metrics, MetricsObservation

CHUNK = 500  # posts per search
MAX_HITS = 10_000  # Elasticsearch's default index.max_result_window


def request(mention_ids: Sequence[str], last: int | None) -> dict[str, Any]:
    """Keyword arguments of the search for these posts' observations."""
    query = {"terms": {"mention_id": list(mention_ids)}}
    if last is None:
        return {"query": query, "size": MAX_HITS, "sort": [{"observed_at": "asc"}], "track_total_hits": True}
    newest = {"top_hits": {"size": last, "sort": [{"observed_at": "desc"}]}}
    terms = {"field": "mention_id", "size": len(mention_ids)}
    return {"query": query, "size": 0, "aggs": {"post": {"terms": terms, "aggs": {"newest": newest}}}}


def parse(
    response: Any, last: int | None, *, whole: bool = True
) -> dict[str, list[MetricsObservation]] | None:
    """Observations per post, oldest first; None when a full read did not fit in one response
    (unless `whole` is off: then the oldest 10,000, for a single post with a longer history)."""
    out: dict[str, list[MetricsObservation]] = {}
    if last is not None:
        for bucket in response["aggregations"]["post"]["buckets"]:
            hits = bucket["newest"]["hits"]["hits"]
            out[str(bucket["key"])] = [observation(h["_source"]) for h in reversed(hits)]
        return out
    hits = response["hits"]["hits"]
    if whole and response["hits"]["total"]["value"] > len(hits):
        return None
    for h in hits:
        out.setdefault(h["_source"]["mention_id"], []).append(observation(h["_source"]))
    return out


def observation(doc: dict[str, Any]) -> MetricsObservation:
    """A metrics-index document as a record."""
    return MetricsObservation(
        mention_id=doc["mention_id"], observed_at=doc["observed_at"], metrics=Metrics(**doc["metrics"])
    )

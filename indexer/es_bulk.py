"""Writes to Elasticsearch: idempotent upserts through `helpers.streaming_bulk`, and clear errors.

One batch: look the ids up on the read alias (a mention stays in the rollover index that first
took it, so re-observations never double it), merge each re-observation exactly as SQLite does,
then stream `create` actions for new ids (to the write alias) and `index` actions guarded by
`if_seq_no`/`if_primary_term` for existing ones, plus one metrics-history document per
observation. 429s are retried with exponential backoff by the helper (back-pressure); a version
conflict (another writer got there first) is re-merged and retried at once; any other per-document
failure is kept in `pending`, re-sent first by the next write, and reported in a StoreError, so
the caller never saves a cursor past it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from groundswell.errors import StoreError
from groundswell.indexer.base import UpsertResult
from groundswell.indexer.es_mappings import IndexNames, from_source, record_json, to_doc
from groundswell.indexer.sqlite import merge_mention
from groundswell.records import EnrichedMention, MetricsObservation

with suppress(ModuleNotFoundError):  # optional extra; the store raises NotInstalled first
    from elasticsearch import (
        ApiError,
        AuthenticationException,
        AuthorizationException,
        SSLError,
        UnsupportedProductError,
        helpers,
    )
    from elasticsearch import ConnectionError as TransportConnectionError

AUTH_HINT = "set GROUNDSWELL_ES_API_KEY, or GROUNDSWELL_ES_PASSWORD with store.username"


def _reason(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        cause = (error.get("root_cause") or [error])[0]
        return f"{cause.get('type', 'error')}: {cause.get('reason', '')}".strip()
    return str(exc)


@contextmanager
def es_errors(url: str, what: str, auth_hint: str = AUTH_HINT) -> Iterator[None]:
    """Client exceptions as one StoreError line: what failed, why, what to do next."""
    try:
        yield
    except StoreError:
        raise
    except SSLError as exc:
        raise StoreError(
            f"TLS with Elasticsearch at {url} failed ({exc}): set store.ca_certs to the cluster's CA file"
        ) from None
    except TransportConnectionError as exc:
        raise StoreError(
            f"cannot reach Elasticsearch at {url} to {what} ({exc}): check store.url / GROUNDSWELL_ES_URL "
            "and that the cluster is up"
        ) from None
    except AuthenticationException:
        raise StoreError(f"Elasticsearch at {url} rejected the credentials (401): {auth_hint}") from None
    except AuthorizationException as exc:
        raise StoreError(f"the Elasticsearch user may not {what} (403): {_reason(exc)}") from None
    except UnsupportedProductError:
        raise StoreError(f"{url} answered, but it is not Elasticsearch (8 or 9)") from None
    except ApiError as exc:
        raise StoreError(f"Elasticsearch could not {what} ({exc.meta.status}): {_reason(exc)}") from None


@dataclass
class Failure:
    """One document Elasticsearch did not take: kept for the next write and for the report."""

    doc_id: str
    index: str
    status: int
    reason: str


def _observation_action(names: IndexNames, obs: MetricsObservation) -> dict[str, Any]:
    return {
        "_op_type": "index",
        "_index": names.metrics,
        "_id": f"{obs.mention_id}|{obs.observed_at.timestamp()}",
        "_source": {
            "mention_id": obs.mention_id,
            "observed_at": obs.observed_at.isoformat(),
            "metrics": obs.metrics.model_dump(),
        },
    }


def _observe(m: EnrichedMention) -> MetricsObservation:
    return MetricsObservation(mention_id=m.id, observed_at=m.fetched_at, metrics=m.metrics)


class BulkWriter:
    def __init__(
        self, client: Any, names: IndexNames, *, chunk_size: int, max_retries: int, initial_backoff: float
    ) -> None:
        self.client, self.names = client, names
        self.chunk_size, self.max_retries, self.initial_backoff = chunk_size, max_retries, initial_backoff
        self.refresh: str | None = None
        self.pending_mentions: dict[str, EnrichedMention] = {}
        self.pending_actions: dict[str, dict[str, Any]] = {}
        self.failures: list[Failure] = []

    def _lookup(self, ids: list[str]) -> dict[str, tuple[dict[str, Any], EnrichedMention]]:
        """Existing copies by id: where they live (index, seq_no, primary_term) and the record."""
        found: dict[str, tuple[dict[str, Any], EnrichedMention]] = {}
        for i in range(0, len(ids), 1000):
            part = ids[i : i + 1000]
            res = self.client.search(
                index=self.names.read,
                query={"terms": {"id": part}},
                size=len(part),
                source_excludes=["gs"],
                seq_no_primary_term=True,
            )
            for hit in res["hits"]["hits"]:
                where = {
                    "_index": hit["_index"],
                    "_if_seq_no": hit["_seq_no"],
                    "_if_primary_term": hit["_primary_term"],
                }
                found[hit["_id"]] = (where, from_source(hit["_source"]))
        return found

    def _plan(
        self, mentions: list[EnrichedMention]
    ) -> tuple[UpsertResult, dict[str, dict[str, Any]], dict[str, EnrichedMention]]:
        """Fold the batch over what is stored: counts, bulk actions by key, and the records written."""
        existing = self._lookup(list(dict.fromkeys(m.id for m in mentions)))
        state = {k: rec for k, (_, rec) in existing.items()}
        result = UpsertResult()
        changed: dict[str, EnrichedMention] = {}
        actions: dict[str, dict[str, Any]] = {}
        for m in mentions:
            old = state.get(m.id)
            if old is None or old.metrics != m.metrics:  # SQLite records the same observations
                obs = _observation_action(self.names, _observe(m))
                actions[f"metrics:{obs['_id']}"] = obs
            if old is None:
                state[m.id] = changed[m.id] = m
                result.new += 1
                continue
            merged = merge_mention(old, m)
            if merged.raw is None:
                merged.raw = old.raw
            if record_json(merged) == record_json(old):
                result.unchanged += 1
                continue
            state[m.id] = changed[m.id] = merged
            result.updated += 1
        for doc_id, record in changed.items():
            if doc_id in existing:
                where = existing[doc_id][0]
                actions[f"mention:{doc_id}"] = {
                    "_op_type": "index",
                    "_id": doc_id,
                    **where,
                    "_source": to_doc(record),
                }
            else:
                actions[f"mention:{doc_id}"] = {"_op_type": "create", "_index": self.names.write, "_id": doc_id,
                                                "_source": to_doc(record)}  # fmt: skip
        return result, actions, changed

    def _stream(self, actions: dict[str, dict[str, Any]]) -> list[tuple[str, Failure]]:
        """Send the actions; return (key, failure) for each one Elasticsearch did not take."""
        by_id = {(a["_id"], a["_op_type"]): key for key, a in actions.items()}
        failed: list[tuple[str, Failure]] = []
        for ok, item in helpers.streaming_bulk(
            self.client,
            list(actions.values()),
            chunk_size=self.chunk_size,
            max_retries=self.max_retries,
            initial_backoff=self.initial_backoff,
            max_backoff=60,
            raise_on_error=False,
            raise_on_exception=False,
            yield_ok=False,
            refresh=self.refresh,
        ):
            if ok:
                continue
            op, info = next(iter(item.items()))
            key = by_id.get((info.get("_id"), op), f"?:{info.get('_id')}")
            error = info.get("error")
            reason = f"{error.get('type')}: {error.get('reason')}" if isinstance(error, dict) else str(error)
            failed.append(
                (
                    key,
                    Failure(
                        str(info.get("_id")), str(info.get("_index")), int(info.get("status") or 0), reason
                    ),
                )
            )
        return failed

    def write(self, mentions: list[EnrichedMention]) -> UpsertResult:
        for m in mentions:
            if not isinstance(m, EnrichedMention):
                raise StoreError(
                    f"expected EnrichedMention records, got {type(m).__name__}; nothing was written"
                )
        batch = [*self.pending_mentions.values(), *mentions]
        result, actions, records = self._plan(batch)
        actions = {**self.pending_actions, **actions}
        failed = self._stream(actions)
        for _ in range(2):  # a version conflict means someone else wrote first: merge again, resend
            conflicts = [
                records[k.split(":", 1)[1]] for k, f in failed if f.status == 409 and k.startswith("mention:")
            ]
            if not conflicts:
                break
            _, again, more = self._plan(conflicts)
            records.update(more)
            actions.update(again)
            failed = [(k, f) for k, f in failed if not (f.status == 409 and k.startswith("mention:"))]
            failed += self._stream(again)
        failed_keys = {k for k, _ in failed}
        self.pending_mentions = {
            k.split(":", 1)[1]: records[k.split(":", 1)[1]] for k in failed_keys if k.startswith("mention:")
        }
        self.pending_actions = {
            k: actions[k] for k in failed_keys if k.startswith("metrics:") and k in actions
        }
        self.failures = [f for _, f in failed]
        if failed:
            shown = "; ".join(f"{f.doc_id} ({f.status} {f.reason})" for f in self.failures[:5])
            raise StoreError(
                f"Elasticsearch did not take {len(failed)} of {len(actions)} documents: {shown}. They are kept "
                "and sent again with the next write; the source cursor was not saved"
            )
        return result

    def write_observations(self, observations: list[MetricsObservation]) -> None:
        actions = {
            f"metrics:{a['_id']}": a for a in (_observation_action(self.names, o) for o in observations)
        }
        failed = self._stream(actions)
        if failed:
            raise StoreError(
                f"Elasticsearch did not take {len(failed)} metrics observations: {failed[0][1].reason}"
            )

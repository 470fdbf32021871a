"""Process and commit one batch so that a poison mention costs only itself.

Parsers refuse what they can see (groundswell.limits, the record bounds), but a mention that
still breaks enrichment or the store (a value no check foresaw) would fail its whole batch; the
cursor would then never move past it and every later post would be lost for good. So a batch
that fails with a data error is retried one mention at a time: the bad ones are counted and
skipped, the good ones committed, and only then the cursor that covers them all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from groundswell.indexer.base import Store, UpsertResult
from groundswell.records import EnrichedMention, Mention

log = logging.getLogger(__name__)

# What bad data raises inside enrichment or the store (OverflowError: an INTEGER column;
# UnicodeError: text SQLite cannot encode; RecursionError: a nested raw payload). StoreError,
# a full disk or a locked file, is not here: that is the store's failure, not the mention's.
DATA_ERRORS = (ValueError, TypeError, OverflowError, UnicodeError, RecursionError, KeyError, IndexError)


@dataclass
class CommitOutcome:
    result: UpsertResult = field(default_factory=UpsertResult)
    kept: int = 0  # mentions the processing step returned (the rest it dropped, counted by it)
    poisoned: list[str] = field(default_factory=list)  # "id: error" of each mention refused here


def commit_isolating(
    mentions: Sequence[Mention],
    process: Callable[[list[Mention]], list[EnrichedMention]],
    store: Store,
    source: str | None = None,
    cursor: str | None = None,
) -> CommitOutcome:
    """`process` then `store.commit_batch` with the cursor; on a data error, one mention at a time."""
    outcome = CommitOutcome()
    try:
        enriched = process(list(mentions))
        outcome.result = store.commit_batch(enriched, source, cursor)
        outcome.kept = len(enriched)
        return outcome
    except DATA_ERRORS as exc:
        if len(mentions) <= 1 and source is None:
            outcome.poisoned.extend(f"{m.id}: {type(exc).__name__}: {exc}" for m in mentions)
            return outcome
        log.warning("a batch of %d failed (%s: %s); retrying one at a time", len(mentions),
                    type(exc).__name__, str(exc)[:200])  # fmt: skip
    for mention in mentions:
        try:
            enriched = process([mention])
            outcome.result += store.commit_batch(enriched)
            outcome.kept += len(enriched)
        except DATA_ERRORS as exc:
            reason = f"{mention.id}: {type(exc).__name__}: {str(exc)[:200]}"
            log.warning("skipped one mention that cannot be stored: %s", reason)
            outcome.poisoned.append(reason)
    if source is not None and cursor is not None:
        store.commit_batch([], source, cursor)
    return outcome

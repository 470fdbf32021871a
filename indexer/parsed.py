"""Parsed mention documents kept by row, so that a window read again is not validated again.

The detector reads the last two hours of posts at every step: a 14-day replay at 15-minute
steps reads each post ~10 times, and validating its JSON into an `EnrichedMention` (~0.1 ms)
was the largest cost of the store in a replay. A row whose document text is unchanged gets a
copy of the mention parsed before; a changed document (an upsert, a migration) is parsed anew.
"""

from __future__ import annotations

from groundswell.records import EnrichedMention

PARSED_LIMIT = 20_000  # documents kept (~40 MB of 2 KB documents); all dropped when full


class ParsedDocs:
    """rid -> (document text, mention parsed from it).

    Each read gets its own shallow copy: assigning a field never reaches the cache, and the nested
    values are shared (records' small values are frozen; its lists are not changed in place
    anywhere in the code, and must not be)."""

    def __init__(self, limit: int = PARSED_LIMIT) -> None:
        self.limit = limit
        self._docs: dict[int, tuple[str, EnrichedMention]] = {}

    def mention(self, rid: int, doc: str) -> EnrichedMention:
        known = self._docs.get(rid)
        if known is None or known[0] != doc:
            if len(self._docs) >= self.limit:
                self._docs.clear()
            known = (doc, EnrichedMention.model_validate_json(doc))
            self._docs[rid] = known
        return known[1].model_copy()

"""The per-batch processing step shared by ingest, the scheduler and the demo.

brand match -> drop what no brand matches -> enrich. Drops are counted per reason (Scrapy-style
stats), never silent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from config.settings import Settings
from groundswell.brands import BrandMatcher
from groundswell.records import EnrichedMention, Mention


class MentionProcessor:
    def __init__(self, settings: Settings, enricher: object | None = None) -> None:
        from nlp.enrich import Enricher

        self.matcher = BrandMatcher(settings.brands)
        self.require_brand = bool(settings.brands)
        self.enricher = enricher or Enricher.from_settings(settings)
        self.dropped: Counter[str] = Counter()

    @classmethod
    def from_settings(cls, settings: Settings) -> MentionProcessor:
        return cls(settings)

    def __call__(self, mentions: Sequence[Mention]) -> list[EnrichedMention]:
        kept = []
        for mention in mentions:
            self.matcher.assign(mention)
            if self.require_brand and not mention.brands:
                self.dropped["no brand matched"] += 1
                continue
            kept.append(mention)
        return self.enricher.enrich(kept) if kept else []  # type: ignore[attr-defined]

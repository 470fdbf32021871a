"""The per-batch processing step shared by ingest, the scheduler and the demo.

brand match -> drop what no brand matches -> enrich (language, sentiment, touchpoints and, when
`nlp.topics` is on and a store is given, the online topic model kept beside that store) ->
per-post virality from the store's earlier observations of the same post. Drops are counted per
reason (Scrapy-style stats), never silent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from groundswell.brands import BrandMatcher
from groundswell.config.settings import Settings
from groundswell.indexer.base import Store
from groundswell.nlp.enrich import Enricher
from groundswell.nlp.semantic import resolve_english
from groundswell.records import EnrichedMention, Mention

NO_BRAND = "no brand matched"


def topic_english(choice: str) -> str:
    """The English meaning vectors topics embed every post with: `auto` is int8 MiniLM in ONNX
    Runtime where installed (~350 posts per CPU-second; English topic NMI 0.38 against 0.09 with
    the static vectors, BENCHMARKS.md "Topics by meaning"), and the detector, which embeds the
    same complaints with the same instance, then finds them remembered. torch MiniLM (~130 posts
    per CPU-second) only when asked for by name; else the static vectors."""
    resolved = resolve_english(choice)
    return resolved if resolved in {"minilm", "onnx"} else "static"


class MentionProcessor:
    def __init__(
        self, settings: Settings, store: Store | None = None, enricher: Enricher | None = None
    ) -> None:
        self.matcher = BrandMatcher(settings.brands)
        self.require_brand = bool(settings.brands)
        self.store = store
        self.modeler = None
        if enricher is None:
            enricher = Enricher.from_settings(settings)
            if settings.nlp.topics and store is not None:
                from groundswell.pipeline.topic_state import load_modeler

                self.modeler = load_modeler(store)
                # labels never name the brands themselves (every post of a brand does)
                self.modeler.brand_names = [t for b in settings.brands for t in (b.name, b.query)]
                self.modeler.english = topic_english(settings.nlp.semantic_en)
                enricher.topics = self.modeler
        self.enricher = enricher
        self.dropped: Counter[str] = Counter()
        self.on_drop: Callable[[Mention, str], None] | None = None  # e.g. ingest --unmatched

    @classmethod
    def from_settings(cls, settings: Settings, store: Store | None = None) -> MentionProcessor:
        return cls(settings, store)

    def __call__(self, mentions: Sequence[Mention]) -> list[EnrichedMention]:
        kept = []
        for mention in mentions:
            self.matcher.assign(mention)
            if self.require_brand and not mention.brands:
                self.dropped[NO_BRAND] += 1
                if self.on_drop is not None:
                    self.on_drop(mention, NO_BRAND)
                continue
            kept.append(mention)
        enriched = self.enricher.enrich(kept) if kept else []
        if self.store is not None and enriched:
            from groundswell.nlp.virality import with_virality

            enriched = with_virality(self.store, enriched)  # velocity from earlier observations
        return enriched

    def checkpoint(self) -> None:
        """Persist what the topic model learnt (after the batches it saw are committed)."""
        if self.modeler is not None and self.store is not None:
            from groundswell.pipeline.topic_state import save_modeler

            save_modeler(self.store, self.modeler)

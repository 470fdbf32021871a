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
from groundswell.nlp.touchpoints import TouchpointClassifier
from groundswell.records import EnrichedMention, Mention

NO_BRAND = "no brand matched"


def topic_brand_names(settings: Settings) -> list[str]:
    """The configured brands' names and queries: topic labels never name the brands themselves
    (every post of a brand does), at ingest and in `analyze --topics` alike."""
    return [t for b in settings.brands for t in (b.name, b.query)]


def topic_english(choice: str) -> str:
    """The English meaning vectors topics embed every post with at ingest: MiniLM (int8 in ONNX
    Runtime, or torch) only when asked for by name (`nlp.semantic_en: onnx | minilm`), else the
    static vectors. int8 MiniLM lifts English topic NMI on complaint tweets from 0.17 to 0.21 on
    the held-out half (BENCHMARKS.md, "English static vectors, weighted for posts") but costs
    ~1.7-2.5 ms of a core per English post: a 15k-post backtest went from 45 to 59-63 CPU-s, past
    its 60 s goal, so `auto` keeps ingest on the static vectors. With `onnx` the detector then
    finds the complaints' vectors already computed (one instance)."""
    return choice if choice in {"minilm", "onnx"} else "static"


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
                self.modeler.brand_names = topic_brand_names(settings)
                self.modeler.english = topic_english(settings.nlp.semantic_en)
                enricher.topics = self.modeler
        self.enricher = enricher
        self.tagger = enricher.touchpoints if isinstance(enricher.touchpoints, TouchpointClassifier) else None
        if self.tagger is not None and store is not None:
            from groundswell.pipeline.touchpoint_state import restore

            restore(store, self.tagger)
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
        """Persist what the topic model and the touchpoints learnt (after the batches they saw are committed)."""
        if self.modeler is not None and self.store is not None:
            from groundswell.pipeline.topic_state import save_modeler

            save_modeler(self.store, self.modeler)
        if self.tagger is not None and self.store is not None:
            from groundswell.pipeline.touchpoint_state import save

            save(self.store, self.tagger)

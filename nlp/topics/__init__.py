"""Topics: BERTopic offline, stable ids, readable labels.

- `TopicModeler` is the Enricher's topics part (`assign(texts, langs)`), with `fit` and `update`;
- `fit_topics(mentions)` is what `groundswell analyze --topics` calls on one batch.
Topics over time are the store's histogram grouped by `topic` (ids are stable, so series are too).
BERTopic and HDBSCAN (the `topics` extra) are imported only when a model is fitted. The default
reduction (`nlp/topics/reduce.py`) is numpy/scipy, so umap-learn never runs (importing bertopic
still imports umap, whose cached numba kernels compile once per machine); `engine="native"`
imports neither bertopic nor umap.
"""

from __future__ import annotations

from collections.abc import Sequence

from groundswell.nlp.topics.model import OUTLIER, TopicModeler
from groundswell.records import EnrichedMention, TopicRef


def fit_topics(
    mentions: Sequence[EnrichedMention], modeler: TopicModeler | None = None
) -> list[EnrichedMention]:
    """Fit (or update, when a fitted `modeler` is given) topics on a batch; id -1 marks outliers."""
    modeler = modeler or TopicModeler(online=False)
    texts = [m.clean_text or m.text for m in mentions]
    langs = [m.lang or "und" for m in mentions]
    refs = modeler.update(texts, langs) if modeler.model is not None else modeler.fit(texts, langs)
    return [
        m.model_copy(update={"topic": ref or TopicRef(id=OUTLIER)})
        for m, ref in zip(mentions, refs, strict=True)
    ]


__all__ = ["OUTLIER", "TopicModeler", "fit_topics"]

"""Topics: BERTopic offline, stable ids, readable labels, topics over time.

- `TopicModeler` is the Enricher's topics part (`assign(texts, langs)`), with `fit` and `update`;
- `fit_topics(mentions)` is what `groundswell analyze --topics` calls on one batch;
- `topics_over_time(store, ...)` reads per-topic counts from the store.
BERTopic and HDBSCAN (the `topics` extra) are imported only when a model is fitted. The default
reduction (`nlp/topics/reduce.py`) is numpy/scipy, so umap-learn never runs (importing bertopic
still imports umap, whose cached numba kernels compile once per machine); `engine="native"`
imports neither bertopic nor umap.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from groundswell.indexer.base import MentionQuery, Store
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


def topics_over_time(
    store: Store,
    since: datetime,
    until: datetime,
    interval: timedelta = timedelta(hours=1),
    brand: str | None = None,
) -> dict[int, list[tuple[datetime, int]]]:
    """Posts per topic per interval, from the store's topic column (ids are stable, so series are too)."""
    query = MentionQuery(since=since, until=until, brands=(brand,) if brand else ())
    series: dict[int, list[tuple[datetime, int]]] = {}
    for bucket in store.histogram(query, interval, group_by="topic"):
        if bucket.key is not None:
            series.setdefault(int(bucket.key), []).append((bucket.start, bucket.count))
    return series


__all__ = ["OUTLIER", "TopicModeler", "fit_topics", "topics_over_time"]

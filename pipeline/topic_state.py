"""Where the live topic model is kept between runs, so topic ids stay stable across restarts.

The fitted model is a file beside the SQLite store (or in the data dir for Elasticsearch). The
dashboard and the alerts never read it: each mention carries its topic id and label (`topic`).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from groundswell.indexer.base import Store
from groundswell.indexer.paths import data_dir
from groundswell.nlp.topics import TopicModeler
from groundswell.nlp.topics.model import DEFAULT_REDUCE, FittedTopics

log = logging.getLogger("groundswell.topics")


def model_path(store: Store) -> Path:
    path = getattr(store, "path", None)
    if path is not None:
        return Path(path).with_suffix(".topics.joblib")
    prefix = re.sub(r"[^\w.-]", "_", str(getattr(store, "index_prefix", "elasticsearch")))
    return data_dir() / f"topics-{prefix}.joblib"


def load_modeler(store: Store) -> TopicModeler:
    path = model_path(store)
    if path.exists():
        try:
            modeler = TopicModeler.load(path)
        except Exception as exc:  # an unreadable snapshot is rebuilt from new posts, not fatal
            log.warning("topic model %s could not be read (%s); starting a new one", path, exc)
        else:
            # a snapshot from an older version refits with today's reducer, the one backtest uses,
            # and drops its BERTopic object (only "is it fitted" is read from it between refits)
            modeler.reduce = DEFAULT_REDUCE
            if modeler.model is not None and not isinstance(modeler.model, FittedTopics):
                modeler.model = FittedTopics(DEFAULT_REDUCE, len(modeler.memory), {})
            return modeler
    return TopicModeler()


def save_modeler(store: Store, modeler: TopicModeler) -> None:
    path = model_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    modeler.save(tmp)
    tmp.replace(path)  # atomic: a kill mid-save keeps the previous snapshot

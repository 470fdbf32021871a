"""Where the touchpoints learned from the stream are kept between runs (nlp.touchpoint_learning).

A file beside the SQLite store (or in the data dir for Elasticsearch), next to the topic model's:
the complaints' meaning vectors (float16) and the touchpoint names their keywords gave them. A
run reads it back before its first batch, so a cron `ingest` keeps learning as `run` does.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from groundswell.indexer.base import Store
from groundswell.nlp.touchpoints import TouchpointClassifier
from groundswell.pipeline.topic_state import model_path

log = logging.getLogger("groundswell.touchpoints")


def state_path(store: Store) -> Path:
    return model_path(store).with_suffix("").with_suffix(".touchpoints.npz")


def restore(store: Store, tagger: TouchpointClassifier) -> None:
    path = state_path(store)
    if not path.exists():
        return
    try:
        with np.load(path, allow_pickle=False) as saved:
            state: dict[str, dict[str, np.ndarray]] = {}
            for name in saved.files:
                key, _, part = name.rpartition(":")
                state.setdefault(key, {})[part] = saved[name]
    except (OSError, ValueError) as exc:  # an unreadable memory is relearned from new posts, not fatal
        log.warning("touchpoint memory %s could not be read (%s); starting a new one", path, exc)
        return
    tagger.restore_learned(state)


def save(store: Store, tagger: TouchpointClassifier) -> None:
    state = tagger.learned_state()
    if not state:
        return
    arrays: dict[str, Any] = {
        f"{key}:{part}": value for key, saved in state.items() for part, value in saved.items()
    }
    path = state_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(path)  # atomic: a kill mid-save keeps the previous memory

"""Per-post velocity is computed from the observation being written, with one read per batch.

Enrichment runs before the store writes the batch; it used to read only the stored history, so
the velocity it stored lagged one observation (likes 0/100/300 an hour apart stored 0 then
100/h, while the truth at the third look is 200/h) and it cost one store query per post.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from groundswell.config.settings import Settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.pipeline.process import MentionProcessor
from groundswell.records import Mention, Metrics

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _look(i: int, hour: int, likes: int) -> Mention:
    return Mention(
        id=f"t:{i}",
        source="t",
        native_id=str(i),
        text=f"the battery dies after an hour {i}",
        created_at=T0,
        fetched_at=T0 + timedelta(hours=hour),
        metrics=Metrics(likes=likes),
    )


def test_stored_velocity_is_the_current_one_and_histories_are_read_once_per_batch(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "v.db")
    process = MentionProcessor(Settings.model_validate({"nlp": {"topics": False}}), store)
    reads: list[str] = []
    store._conn.set_trace_callback(lambda sql: reads.append(sql) if "FROM metrics_history" in sql else None)
    velocities = []
    for hour, likes in enumerate((0, 100, 300)):
        batch = process([_look(i, hour, likes) for i in range(20)])
        store.upsert(batch)
        (stored,) = store.get(["t:0"])
        velocities.append(stored.virality.engagement_velocity)
    store.close()
    assert velocities == [0.0, 100.0, 200.0]
    assert len(reads) == 3  # one read per batch of 20 posts, not 20


def test_a_post_seen_again_unchanged_keeps_its_velocity(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "v.db")
    process = MentionProcessor(Settings.model_validate({"nlp": {"topics": False}}), store)
    for hour, likes in ((0, 0), (1, 100), (2, 100)):
        store.upsert(process([_look(0, hour, likes)]))
    (stored,) = store.get(["t:0"])
    store.close()
    assert [o.metrics.likes for o in SQLiteStore(tmp_path / "v.db").metrics_history("t:0")] == [0, 100]
    assert stored.virality.engagement_velocity == 100.0  # unchanged counters: no new observation

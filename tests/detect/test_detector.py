"""The detector on synthetic Poisson streams with a daily rhythm: quiet when steady, early on growth."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from groundswell.config.settings import Settings
from groundswell.indexer.base import MentionQuery
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp.detect import Detector
from groundswell.records import Alert, AlertState
from tests.detect.synthetic import START, burst, steady

STEP = timedelta(minutes=15)


def replay(
    detector: Detector, store: SQLiteStore, start: datetime, end: datetime
) -> list[tuple[datetime, Alert]]:
    out = []
    t = start
    while t <= end:
        out.extend((t, a) for a in detector.run(store, t))
        t += STEP
    return out


def test_no_alert_on_steady_rhythmic_stream(store: SQLiteStore, settings: Settings) -> None:
    store.upsert(steady(random.Random(7), ["acme", "beta"], days=4, per_hour=8))
    fired = replay(Detector.from_settings(settings), store, START + STEP, START + timedelta(days=4))
    assert fired == []


def test_growing_complaint_fires_early_as_one_updating_alert(store: SQLiteStore, settings: Settings) -> None:
    rng = random.Random(11)
    onset = START + timedelta(days=2, hours=14)
    posts = burst(rng, "acme", onset)
    store.upsert(steady(rng, ["acme", "beta"], days=3, per_hour=8) + posts)
    fired = replay(Detector.from_settings(settings), store, START + STEP, START + timedelta(days=3))
    assert fired, "the burst was not detected"
    first_at, first = fired[0]
    seen = sum(1 for p in posts if p.created_at <= first_at)
    assert seen <= 8, f"fired only after {seen} of 40 posts"
    assert {a.id for _, a in fired} == {first.id}, "one incident must be one alert that updates"
    assert first.brand == "acme"
    assert first.evidence_ids[0].startswith("syn:burst-acme")
    assert {"battery", "overheating"} & set(first.topic.keywords)
    assert first.touchpoints == ["product_quality"]
    assert first.owners == ["quality@example.com"]
    assert first.playbook == "Check the evidence posts."
    assert first.first_seen >= onset and first.first_seen <= first_at
    assert first.growth > 1 and 0 <= first.spread_risk <= 1
    last = store.get_alert(first.id)
    assert last is not None and last.observed >= first.observed and last.fired_at == first.fired_at
    assert len(last.evidence_ids) > len(first.evidence_ids)
    # the chart's data: the incident's own posts per hour, and the window its expectation is over
    assert last.window_s in (1800.0, 3600.0, 7200.0)
    hours = dict(last.timeline)
    assert all(at.minute == 0 for at in hours) and sum(hours.values()) >= len(last.evidence_ids)
    burst_hours = {
        p.created_at.replace(minute=0, second=0, microsecond=0) for p in posts if p.created_at <= fired[-1][0]
    }
    assert set(hours) <= burst_hours | {min(burst_hours) - timedelta(hours=1)}, "only the incident's posts"


def test_restart_continues_the_same_incident_and_keeps_acknowledgement(
    store: SQLiteStore, settings: Settings
) -> None:
    rng = random.Random(5)
    onset = START + timedelta(days=2, hours=12)
    store.upsert(steady(rng, ["acme"], days=3, per_hour=8) + burst(rng, "acme", onset))
    first = Detector.from_settings(settings)
    fired = replay(first, store, START + STEP, onset + timedelta(minutes=90))
    assert fired
    alert_id = fired[0][1].id
    acked = store.get_alert(alert_id)
    assert acked is not None
    store.save_alert(acked.model_copy(update={"state": AlertState.ACKNOWLEDGED, "assignee": "kim"}))
    first.flush(store)
    again = replay(
        Detector.from_settings(settings), store, onset + timedelta(minutes=105), onset + timedelta(hours=3)
    )
    assert {a.id for _, a in again} <= {alert_id}
    saved = store.get_alert(alert_id)
    assert saved is not None and saved.state == AlertState.ACKNOWLEDGED and saved.assignee == "kim"


def test_lower_sensitivity_fires_later(store: SQLiteStore, settings: Settings) -> None:
    rng = random.Random(3)
    onset = START + timedelta(days=2, hours=13)
    posts = burst(rng, "acme", onset)
    store.upsert(steady(rng, ["acme"], days=3, per_hour=8) + posts)
    dull = settings.model_copy(
        update={"brands": [settings.brands[0].model_copy(update={"sensitivity": 0.4}), settings.brands[1]]}
    )
    normal = replay(Detector.from_settings(settings), store, START + STEP, onset + timedelta(hours=3))
    store2 = SQLiteStore(store.path.with_name("other.db"))
    store2.upsert(store.search(MentionQuery(), limit=100_000))
    late = replay(Detector.from_settings(dull), store2, START + STEP, onset + timedelta(hours=3))
    store2.close()
    assert normal and late
    assert late[0][0] > normal[0][0]


def test_single_author_flood_is_not_a_spreading_complaint(store: SQLiteStore, settings: Settings) -> None:
    rng = random.Random(9)
    onset = START + timedelta(days=2, hours=12)
    flood = [
        p.model_copy(update={"author": p.author.model_copy(update={"id": "spammer"})})
        for p in burst(rng, "acme", onset)
    ]
    store.upsert(steady(rng, ["acme"], days=3, per_hour=8) + flood)
    assert replay(Detector.from_settings(settings), store, START + STEP, onset + timedelta(hours=3)) == []


def test_looking_at_a_past_moment_saves_nothing(store: SQLiteStore, settings: Settings) -> None:
    rng = random.Random(13)
    onset = START + timedelta(days=2, hours=12)
    store.upsert(steady(rng, ["acme"], days=3, per_hour=8) + burst(rng, "acme", onset))
    live = Detector.from_settings(settings)
    replay(live, store, START + STEP, START + timedelta(days=3))
    live.flush(store)
    saved = {a.id: a.updated_at for a in store.list_alerts()}
    assert saved
    past = Detector.from_settings(settings).run(store, onset + timedelta(hours=2))
    assert past, "the what-if run still computes the alert"
    assert {a.id: a.updated_at for a in store.list_alerts()} == saved


def test_a_topic_id_born_at_a_refit_is_not_a_new_subject(store: SQLiteStore, settings: Settings) -> None:
    """Its series has no history yet: a handful of unrelated complaints the topic model happened to
    group under a fresh id must not read as 'never seen before' (the demo's 'refund' false alarm)."""
    from groundswell.records import TopicRef
    from tests.detect.synthetic import WORDS, _mention

    rng = random.Random(5)
    old = [
        m.model_copy(update={"topic": TopicRef(id=rng.randrange(3), label="old")})
        for m in steady(rng, ["acme"], days=3, per_hour=8)
    ]
    onset = START + timedelta(days=2, hours=14)
    fresh = [
        _mention(f"fresh-{i}", "acme", onset + timedelta(minutes=6 * i), WORDS[60 + 4 * i : 64 + 4 * i], True, f"f{i}")
        .model_copy(update={"topic": TopicRef(id=99, label="born at a refit")})
        for i in range(6)
    ]  # fmt: skip
    store.upsert(old + fresh)
    fired = replay(Detector.from_settings(settings), store, START + STEP, START + timedelta(days=3))
    assert not [a for _, a in fired if set(a.evidence_ids) & {m.id for m in fresh}]

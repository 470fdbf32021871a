"""Date-only sources (reviews at 00:00): tested per day, warm-up in observed days, no flood."""

from __future__ import annotations

import random
from datetime import timedelta

from groundswell.config.settings import Settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp.detect import Detector
from groundswell.nlp.detect.daily import MIN_SEEN, Granularity
from groundswell.nlp.detect.keys import Post
from groundswell.records import EnrichedMention
from tests.detect.synthetic import START, WORDS, _mention
from tests.detect.test_detector import replay

DAY = timedelta(days=1)


def reviews(
    rng: random.Random, days: int, per_day: int, burst_day: int | None = None
) -> list[EnrichedMention]:
    """App-store style reviews: every post of a day stamped 00:00; a burst of one complaint on `burst_day`."""
    out = []
    for d in range(days):
        when = START + d * DAY
        for k in range(per_day):
            words = rng.choices(WORDS[:120], k=6)
            negative = rng.random() < 0.4
            out.append(_mention(f"r{d}-{k}", "acme", when, words, negative, f"u{d}-{k}"))
        if d == burst_day:
            for k in range(12):
                words = ["refund", "charged", "twice", *rng.choices(WORDS[:120], k=3)]
                out.append(_mention(f"b{d}-{k}", "acme", when, words, True, f"b{k}"))
    return [m.model_copy(update={"source": "reviews"}) for m in out]


def test_granularity_is_learnt_from_the_data() -> None:
    rng = random.Random(1)
    day = [Post(m, m.created_at.timestamp(), True, frozenset(), "a") for m in reviews(rng, 2, MIN_SEEN)]
    timed = [
        Post(m.model_copy(update={"source": "x"}), m.created_at.timestamp() + 37 * i, True, frozenset(), "a")
        for i, m in enumerate(reviews(rng, 2, MIN_SEEN))
    ]
    g = Granularity()
    g.learn(day[:5] + timed, (START + 3 * DAY).timestamp())
    assert not g.is_daily("reviews"), "too few posts to decide"
    g.learn(day, (START + 3 * DAY).timestamp())
    assert not g.is_daily("reviews"), "posts already counted are not counted twice"
    g2 = Granularity()
    g2.learn(day + timed, (START + 3 * DAY).timestamp())
    assert g2.is_daily("reviews") and not g2.is_daily("x")
    assert g2.daily_sources == ["reviews"]
    seoul = [  # dates stored as midnight in Seoul: 15:00 UTC the day before
        Post(p.mention.model_copy(update={"source": "kr"}), p.ts - 9 * 3600, True, frozenset(), "a")
        for p in day
    ]
    g3 = Granularity()
    g3.learn(seoul, (START + 3 * DAY).timestamp())
    assert g3.is_daily("kr")


def test_review_data_neither_floods_nor_starves(store: SQLiteStore, settings: Settings) -> None:
    rng = random.Random(4)
    store.upsert(reviews(rng, 14, per_day=30, burst_day=10))
    fired = replay(Detector.from_settings(settings), store, START + timedelta(minutes=15), START + 14 * DAY)
    ids = {a.id for _, a in fired}
    assert len(ids) == 1, [(t, a.topic.label if a.topic else "") for t, a in fired]
    when, alert = fired[0]
    assert START + 11 * DAY <= when < START + 11 * DAY + timedelta(hours=1), "tested once the day is complete"
    assert alert.topic is not None and {"refund", "charged"} <= set(alert.topic.keywords)
    assert all(i.startswith("syn:b10-") for i in alert.evidence_ids[:10])
    assert "1 day" in alert.history[0].note and "0.0 expected" not in alert.history[0].note
    assert alert.summary.startswith("12 people on reviews complained about acme")


def test_day_sources_stay_quiet_during_their_warm_up(store: SQLiteStore, settings: Settings) -> None:
    """A burst on the third observed day is not judged against two days of history."""
    rng = random.Random(8)
    store.upsert(reviews(rng, 6, per_day=30, burst_day=2))
    fired = replay(Detector.from_settings(settings), store, START + timedelta(minutes=15), START + 6 * DAY)
    assert fired == []


def test_a_story_told_over_two_days_is_one_alert(store: SQLiteStore, settings: Settings) -> None:
    """Day one's surge is found by "update"; day two's by "crash", since "update" is no longer rare
    once day one is folded into the baseline, but five of its twelve posts still say "update"."""
    rng = random.Random(6)
    posts = reviews(rng, 14, per_day=30)
    for d, lead in ((10, "update"), (11, "crash")):
        for k in range(12):
            words = [lead, "broken", *rng.choices(WORDS[:120], k=3)]
            if d == 11 and k < 5:
                words.append("update")
            posts.append(
                _mention(f"s{d}-{k}", "acme", START + d * DAY, words, True, f"s{d}-{k}").model_copy(
                    update={"source": "reviews"}
                )
            )
    store.upsert(posts)
    fired = replay(Detector.from_settings(settings), store, START + timedelta(minutes=15), START + 14 * DAY)
    assert len({a.id for _, a in fired}) == 1, [(t, a.topic.label if a.topic else "") for t, a in fired]
    last = store.get_alert(fired[0][1].id)
    assert last is not None and any(i.startswith("syn:s11-") for i in last.evidence_ids)

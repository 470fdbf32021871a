"""Evidence posts come most representative first (closest to the cluster), not newest first."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from groundswell.config.settings import Settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp.detect import Detector
from groundswell.nlp.detect.clusters import representative_order
from groundswell.records import Author, EnrichedMention
from tests.detect.synthetic import START, WORDS, _mention, burst, steady

STEP = timedelta(minutes=15)


def _post(pid: str, minute: int, followers: int = 10) -> EnrichedMention:
    t = datetime(2026, 3, 2, 12, tzinfo=UTC) + timedelta(minutes=minute)
    return EnrichedMention(
        id=pid, source="t", native_id=pid, text=pid, created_at=t, author=Author(id=pid, followers=followers)
    )


def test_central_posts_first_then_reach_then_earliest() -> None:
    keys = {
        "central-old": {"*", "battery", "overheating", "@product_quality"},
        "central-loud": {"*", "battery", "overheating", "@product_quality"},
        "central-new": {"*", "battery", "overheating", "@product_quality"},
        "partial": {"*", "battery", "overheating", "sale", "coupon", "weekend"},
        "one-word": {"*", "battery", "cat", "garden"},
        "newest-off-topic": {"*", "battery", "holiday", "beach", "sunset", "music"},
    }
    posts = {
        "central-old": _post("central-old", 0),
        "central-loud": _post("central-loud", 10, followers=50_000),
        "central-new": _post("central-new", 20),
        "partial": _post("partial", 30),
        "one-word": _post("one-word", 40),
        "newest-off-topic": _post("newest-off-topic", 50, followers=1_000_000),
    }
    order = representative_order(list(posts), posts, {k: frozenset(v) for k, v in keys.items()})
    assert order == ["central-loud", "central-old", "central-new", "partial", "one-word", "newest-off-topic"]


def test_a_post_without_keys_goes_last_and_duplicates_are_dropped() -> None:
    posts = {p: _post(p, i) for i, p in enumerate(["a", "b", "c"])}
    keys = {"a": frozenset({"*"}), "b": frozenset({"x", "y"}), "c": frozenset({"x", "y"})}
    assert representative_order(["a", "b", "c", "b"], posts, keys) == ["b", "c", "a"]


def test_alert_evidence_leads_with_the_story_not_the_latest_posts(
    store: SQLiteStore, settings: Settings
) -> None:
    rng = random.Random(11)
    onset = START + timedelta(days=2, hours=14)
    story = burst(rng, "acme", onset)
    end = max(p.created_at for p in story)
    # complaints that share only "battery" with the story, and are the newest posts each step
    stray = [
        _mention(f"stray-{k}", "acme", onset + timedelta(minutes=14 + 15 * k), ["battery", *rng.sample(WORDS[200:], 4)],
                 True, f"s{k}", ["product_quality"])
        for k in range(12)
    ]  # fmt: skip
    store.upsert(steady(rng, ["acme", "beta"], days=3, per_hour=8) + story + stray)
    detector = Detector.from_settings(settings)
    fired = []
    t = START + STEP
    while t <= end + timedelta(hours=2):
        fired.extend(detector.run(store, t))
        t += STEP
    assert fired, "the burst was not detected"
    story_ids = {p.id for p in story}
    for alert in fired:  # every version of the alert: the story's posts before any stray post
        ranks = [i for i, pid in enumerate(alert.evidence_ids) if pid in story_ids]
        strays = [i for i, pid in enumerate(alert.evidence_ids) if pid.startswith("syn:stray")]
        assert ranks and (not strays or max(ranks[: len(ranks) // 2]) < min(strays))
        assert alert.evidence_ids[0] in story_ids
    last = store.get_alert(fired[0].id)
    assert last is not None
    times = {m.id: m.created_at for m in store.get(last.evidence_ids)}
    newest_first = sorted(last.evidence_ids, key=lambda i: times[i], reverse=True)
    assert last.evidence_ids != newest_first
    # an update ranks the whole incident, not the posts of its latest window first
    assert set(last.evidence_ids[:10]) <= story_ids


def test_an_incident_timeline_keeps_the_hours_its_newest_posts_no_longer_cover() -> None:
    from groundswell.nlp.detect.alerts import merge_timelines, timeline
    from groundswell.nlp.detect.keys import Post

    def post(i: int, ts: float) -> Post:
        m = _mention(f"p{i}", "acme", datetime.fromtimestamp(ts, UTC), ["late"], True, f"a{i}")
        return Post(m, ts, True, frozenset(), f"a{i}")

    h = 3600.0
    hourly = timeline([post(0, 10 * h + 5), post(1, 10 * h + 3000), post(2, 12 * h)], h)
    assert hourly == [(datetime.fromtimestamp(10 * h, UTC), 2), (datetime.fromtimestamp(12 * h, UTC), 1)]
    assert timeline([post(0, 5.0), post(1, 80000.0)], 86400.0) == [(datetime.fromtimestamp(0, UTC), 2)]
    later = [(datetime.fromtimestamp(12 * h, UTC), 4), (datetime.fromtimestamp(13 * h, UTC), 6)]
    merged = merge_timelines(hourly, later)
    assert [n for _, n in merged] == [2, 4, 6], "the old hour stays, a grown hour takes the larger count"

"""A brand close to an alert is "warming": its sources are crawled sooner, and a replay steps sooner."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from groundswell.config.settings import Settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp.detect import Detector
from groundswell.nlp.detect.watch import SIMILAR, WATCH_KEY, read_watchlist
from groundswell.pipeline.replay import next_step, replay_detection
from tests.detect.synthetic import START, WORDS, burst, steady

STEP = timedelta(minutes=15)
HOT = timedelta(minutes=5)


def test_next_step_keeps_the_grid_and_comes_sooner_only_while_warming() -> None:
    t = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert next_step(t, STEP, HOT, warming=False) == t + STEP
    assert next_step(t, STEP, HOT, warming=True) == t + HOT
    assert next_step(t, STEP, None, warming=True) == t + STEP
    assert next_step(t, STEP, timedelta(minutes=20), warming=True) == t + STEP  # never later than the grid
    day = timedelta(days=1)  # a day-source replay (`--step 1d`) keeps its daily steps
    assert next_step(t, day, HOT, warming=True) == datetime(2026, 3, 3, tzinfo=UTC)
    # a hot step that overshoots the grid falls back onto it, so cold steps stay on boundaries
    assert next_step(t + timedelta(minutes=12), STEP, HOT, warming=True) == t + STEP
    assert next_step(t + timedelta(minutes=5), STEP, HOT, warming=False) == t + STEP


def test_a_growing_complaint_warms_its_brand_before_it_fires(store: SQLiteStore, settings: Settings) -> None:
    rng = random.Random(11)
    onset = START + timedelta(days=2, hours=14)
    # complaints about a word the brand's posts always use: a new word would cross the bar at once
    usual = burst(rng, "acme", onset, theme=lambda k: [WORDS[3]], touchpoints=())
    store.upsert(steady(rng, ["acme", "beta"], days=3, per_hour=8) + usual)
    detector = Detector.from_settings(settings)
    t, warm_before_alert = START + STEP, []
    while t <= START + timedelta(days=3):
        if detector.run(store, t):
            break
        if detector.warming:
            warm_before_alert.append((t, set(detector.warming), detector.sources_to_hurry()))
            watched = detector.watchlist()
        t += STEP
    assert t < START + timedelta(days=3), "the burst was not detected"
    warm_at, brands, sources = warm_before_alert[-1]
    assert onset <= warm_at < t and brands == {"acme"} and sources == {"syn"}
    # the watchlist names what came close, as people read it, and is saved for the dashboard
    signals = watched["brands"]["acme"]
    assert watched["at"] == warm_at.timestamp() and set(watched["brands"]) == {"acme"}
    assert {s["label"] for s in signals} <= {
        WORDS[3],
        "all complaints",
        SIMILAR,
    }  # the burst's word, not noise
    assert all(s["people"] >= 4 and s["score"] < s["bar"] for s in signals)
    assert [s["score"] for s in signals] == sorted((s["score"] for s in signals), reverse=True)
    detector.flush(store)
    assert store.get_state(WATCH_KEY) == detector.watchlist()
    saved = detector.watchlist()  # of the step that alerted, the loop's last
    at, watched_now = read_watchlist(store.get_state(WATCH_KEY), brand="acme")
    assert at == saved["at"] and [w.label for w in watched_now] == [
        s["label"] for s in saved["brands"]["acme"]
    ]
    assert read_watchlist(store.get_state(WATCH_KEY), brand="beta") == (at, [])
    assert read_watchlist(None) == (0.0, [])
    # the steady days warm a brand rarely: extra steps are the exception, not a faster clock
    steady_steps = int(timedelta(days=2, hours=14) / STEP)
    assert sum(1 for at, _, _ in warm_before_alert if at < onset) < 0.1 * steady_steps


def test_a_replay_that_steps_sooner_while_warming_alerts_no_later(tmp_path, settings: Settings) -> None:
    rng = random.Random(11)
    onset = START + timedelta(days=2, hours=14)
    posts = steady(rng, ["acme", "beta"], days=3, per_hour=8) + burst(rng, "acme", onset)
    first: dict[str, datetime] = {}
    for name, hot in (("cold", None), ("hot", HOT)):
        store = SQLiteStore(tmp_path / f"{name}.db")
        store.upsert(posts)
        fired, _ = replay_detection(settings, store, START, START + timedelta(days=3), STEP, hot_step=hot)
        store.close()
        assert [a.brand for a in fired] == ["acme"], name
        first[name] = fired[0].fired_at
    assert first["hot"] <= first["cold"]


def test_a_replay_shows_every_state_of_an_alert(tmp_path, settings: Settings) -> None:
    """`on_update` sees an alert as a reader did: when it fired and at each update, in time order."""
    rng = random.Random(11)
    onset = START + timedelta(days=2, hours=14)
    posts = steady(rng, ["acme", "beta"], days=3, per_hour=8) + burst(rng, "acme", onset)
    states: list[tuple[str, datetime, int]] = []
    store = SQLiteStore(tmp_path / "states.db")
    store.upsert(posts)
    fired, _ = replay_detection(
        settings,
        store,
        START,
        START + timedelta(days=3),
        STEP,
        on_update=lambda a, at: states.append((a.id, at, len(a.evidence_ids))),
    )
    final = store.get_alert(fired[0].id)
    store.close()
    assert [a.id for a in fired] == list(dict.fromkeys(i for i, _, _ in states))
    mine = [(at, n) for i, at, n in states if i == fired[0].id]
    assert mine[0][0] == fired[0].fired_at and len(mine) == 1 + sum(
        e.action == "updated" for e in final.history
    )
    assert [at for at, _ in mine] == sorted(at for at, _ in mine)
    assert mine[-1][1] == len(final.evidence_ids) >= mine[0][1]


def test_a_watched_series_reads_as_a_sentence() -> None:
    from groundswell.nlp.detect.watch import Watched, describe

    assert describe(Watched("Lumio", "배터리", 7, 5.46, 6.48)) == (
        "Lumio: 배터리 (7 people; -log10 p 5.5, alerts at 6.5)"
    )
    assert "say the same in other words" in describe(Watched("Lumio", SIMILAR, 4, 4.6, 6.48))


def test_complaints_that_share_no_word_warm_their_brand_from_further_off(
    store: SQLiteStore, settings: Settings
) -> None:
    from groundswell.nlp.detect.stats import ALL_WARM_MARGIN, WARM_MARGIN

    rng = random.Random(5)
    onset = START + timedelta(days=2, hours=14)
    # every complaint of the burst in words of its own: only the brand's complaints as a whole rise
    varied = burst(rng, "acme", onset, theme=lambda k: [f"v{k:03d}", f"x{k:03d}"], touchpoints=())
    store.upsert(steady(rng, ["acme", "beta"], days=3, per_hour=8) + varied)
    detector = Detector.from_settings(settings)
    t, far = START + STEP, []
    while t <= START + timedelta(days=3) and not detector.run(store, t):
        for signal in detector.watchlist()["brands"].get("acme", []):
            if signal["label"] == "all complaints" and signal["bar"] - signal["score"] > WARM_MARGIN:
                far.append(t)
        t += STEP
    assert WARM_MARGIN < ALL_WARM_MARGIN
    # the burst warmed its brand while "all complaints" was further from its bar than any word may be
    assert any(onset <= at for at in far), "all complaints never warmed the brand from afar"
    assert all(at >= onset - timedelta(hours=12) for at in far[-3:])

"""Low-count statistics and spread signals: honest at 3 posts, bounded, monotonic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from groundswell.nlp.detect.stats import surprise
from groundswell.nlp.virality import cluster_signals, post_virality, spread_risk
from groundswell.records import (
    Author,
    EnrichedMention,
    Metrics,
    MetricsObservation,
    Sentiment,
    SentimentLabel,
    Virality,
)

T0 = datetime(2026, 3, 2, 12, tzinfo=UTC)


def test_three_posts_on_a_known_rate_are_not_alarming() -> None:
    score, mean = surprise(3, key_count=100, total_count=1000, expected_total=10)
    assert abs(mean - 1.0) < 1e-9
    assert score < 2  # P(X >= 3 | mean 1) is about 8%


def test_new_key_with_six_posts_is_very_surprising_but_uncertain_rates_are_tempered() -> None:
    new, _ = surprise(6, key_count=0.5, total_count=1000, expected_total=10)
    known, _ = surprise(6, key_count=50, total_count=1000, expected_total=10)
    assert new > 7 > known
    sure, _ = surprise(6, key_count=500, total_count=100_000, expected_total=200)  # same mean, certain rate
    vague, _ = surprise(6, key_count=1, total_count=200, expected_total=200)  # mean 1 too, from 1 post
    assert sure > vague


def _post(i: int, followers: int = 100, text: str = "battery overheating again") -> EnrichedMention:
    return EnrichedMention(
        id=f"t:{i}", source=f"s{i % 3}", native_id=str(i), text=f"{text} {i}", created_at=T0 + timedelta(minutes=i),
        author=Author(id=f"a{i}", followers=followers), metrics=Metrics(likes=10, shares=6, replies=2),
        sentiment=Sentiment(label=SentimentLabel.NEGATIVE, score=-0.8, confidence=0.9),
    )  # fmt: skip


def test_post_velocity_and_acceleration_from_repeated_observations() -> None:
    history = [
        MetricsObservation(mention_id="t:1", observed_at=T0 + timedelta(hours=h), metrics=Metrics(likes=n))
        for h, n in ((0, 0), (1, 10), (2, 40))
    ]
    v = post_virality(_post(1), history)
    assert v.engagement_velocity == 30.0
    assert v.engagement_acceleration == 20.0
    assert v.reach == 100 and v.share_reply_ratio == 3.0


def test_spread_risk_is_bounded_and_grows_with_growth_and_authors() -> None:
    posts = [_post(i) for i in range(10)]
    start, end = T0.timestamp(), (T0 + timedelta(minutes=10)).timestamp()
    low = spread_risk(cluster_signals(posts[:4], 2.0, start, end))
    high = spread_risk(cluster_signals(posts, 40.0, start, end, velocities=[500.0]))
    assert 0 <= low < high <= 1


def test_copy_paste_posts_are_flagged_as_coordinated() -> None:
    same = [
        _post(i, text="boycott lumio now everyone share this").model_copy(
            update={"text": "boycott lumio now"}
        )
        for i in range(6)
    ]
    for p in same:
        p.author = Author(id="bot")
    signals = cluster_signals(same, 5.0, T0.timestamp(), T0.timestamp() + 600)
    assert signals.duplicate_share == 1.0
    assert signals.coordinated


def test_with_virality_reads_repeated_observations_from_the_store(tmp_path) -> None:
    from groundswell.indexer.sqlite import SQLiteStore
    from groundswell.nlp.virality import with_virality

    store = SQLiteStore(tmp_path / "v.db")
    first = _post(1).model_copy(update={"fetched_at": T0, "metrics": Metrics(likes=0)})
    later = first.model_copy(
        update={"fetched_at": T0 + timedelta(hours=2), "metrics": Metrics(likes=40, shares=4)}
    )
    store.upsert([first])
    store.upsert([later])
    [seen] = with_virality(store, store.get([first.id]))
    store.close()
    assert seen.virality.engagement_velocity == 22.0  # (44 - 0) engagement over 2 hours
    assert seen.virality.reach == 100


def test_the_detector_reads_the_stored_velocity_and_recomputes_only_missing_ones(tmp_path) -> None:
    from groundswell.indexer.sqlite import SQLiteStore
    from groundswell.nlp.virality import engagement_velocities, with_virality

    store = SQLiteStore(tmp_path / "v.db")
    first = _post(1).model_copy(update={"fetched_at": T0, "metrics": Metrics(likes=0)})
    store.upsert(with_virality(store, [first]))
    for h, likes in ((1, 100), (2, 300)):  # the case: 0/100/300 an hour apart is 200/h now
        again = first.model_copy(
            update={"fetched_at": T0 + timedelta(hours=h), "metrics": Metrics(likes=likes)}
        )
        store.upsert(with_virality(store, [again]))
    [stored] = store.get([first.id])
    assert (stored.virality.engagement_velocity, stored.virality.observations) == (200.0, 3)
    unenriched = stored.model_copy(update={"virality": Virality()})  # written without enrichment
    marked = stored.model_copy(
        update={"virality": stored.virality.model_copy(update={"engagement_velocity": 7.0})}
    )
    assert engagement_velocities(store, [marked, unenriched]) == [7.0, 200.0]  # stored value is used as is
    store.close()


@given(
    st.lists(
        st.lists(st.sampled_from(["battery", "hot", "swollen", "refund", "late", "screen"]), max_size=5),
        max_size=25,
    )
)
def test_duplicate_share_equals_the_pairwise_definition(texts: list[list[str]]) -> None:
    """The fast path (exact copies, size bound) gives exactly the all-pairs Jaccard answer."""
    from groundswell.nlp.virality import DUPLICATE_JACCARD, duplicate_share
    from groundswell.terms import terms_of

    posts = [_post(i % 3, text=" ".join(words)) for i, words in enumerate(texts)]
    sets = [frozenset(terms_of(p.text)) for p in posts]
    naive = sum(
        any(i != j and a and b and len(a & b) / len(a | b) >= DUPLICATE_JACCARD for j, b in enumerate(sets))
        for i, a in enumerate(sets)
    )
    assert duplicate_share(posts) == (naive / len(sets) if sets else 0.0)

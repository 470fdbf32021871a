"""An alert's label names the story even when the cluster is young (a handful of posts)."""

from __future__ import annotations

import random
from datetime import timedelta

from groundswell.config.settings import Settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp.detect import Detector
from groundswell.nlp.detect.alerts import _growing_words
from groundswell.nlp.detect.clusters import Cluster, KeyHit
from tests.detect.synthetic import START, burst, steady

STEP = timedelta(minutes=15)


def _hit(key: str, observed: int, expected: float, score: float) -> KeyHit:
    return KeyHit(key, 3600.0, observed, expected, score, frozenset({f"p{i}" for i in range(observed)}), True)


def test_words_built_on_the_brand_name_go_after_the_story_words() -> None:
    cluster = Cluster(
        "acme",
        [
            _hit("acmephone", 5, 0.0, 9.0),  # every post names the product: ties with the story
            _hit("battery", 5, 0.2, 8.0),
            _hit("overheating", 5, 0.0, 8.5),
            _hit("@product_quality", 5, 1.0, 6.0),
            _hit("#3", 5, 0.5, 7.0),
        ],
    )
    assert _growing_words(cluster) == ["acmephone", "overheating", "battery"]
    assert _growing_words(cluster, frozenset({"acme"})) == ["overheating", "battery", "acmephone"]


def test_young_alert_label_leads_with_the_story_not_the_product_name(
    store: SQLiteStore, settings: Settings
) -> None:
    rng = random.Random(5)
    onset = START + timedelta(days=2, hours=14)
    posts = [
        p.model_copy(update={"text": f"acmephone {p.text}"}) for p in burst(rng, "acme", onset)
    ]  # the product's name in every post, as in the demo's 루미오폰
    store.upsert(steady(rng, ["acme", "beta"], days=3, per_hour=8) + posts)
    detector = Detector.from_settings(settings)
    first = None
    t = START + STEP
    while first is None and t <= onset + timedelta(hours=3):
        first = next(iter(detector.run(store, t)), None)
        t += STEP
    assert first is not None and first.topic is not None
    seen = sum(1 for p in posts if p.created_at <= t)
    assert seen <= 10
    label = first.topic.label.split(" · ")
    assert label[:2] == ["battery", "overheating"] or label[:2] == ["overheating", "battery"]
    assert "acmephone" not in label[:2]


def test_stored_topic_keywords_naming_the_brand_never_reach_the_alert() -> None:
    from datetime import UTC, datetime

    from groundswell.nlp.detect.alerts import _topic
    from groundswell.nlp.detect.narrative import Story
    from groundswell.records import EnrichedMention, TopicRef

    ref = TopicRef(
        id=7, label="벡사 · 블루 · 갈아타", keywords=["벡사", "블루", "갈아타", "벡사폰", "색상", "a_b"]
    )
    members = [
        EnrichedMention(
            id=f"m{i}", source="t", native_id=str(i), text="x", created_at=datetime.now(UTC), topic=ref
        )
        for i in range(5)
    ]
    story = Story(["블루", "갈아타"], [])
    topic = _topic(members, story, story.label("ko"), frozenset({"vexa", "벡사"}))
    assert topic.id == 7
    assert topic.label == "블루 · 갈아타다"
    assert topic.keywords == ["블루", "갈아타", "색상"]


def test_a_thinner_later_cluster_keeps_the_sides_earlier_words() -> None:
    from groundswell.nlp.detect.alerts import _remember_side, _story_words
    from groundswell.nlp.detect.incidents import Incident
    from groundswell.nlp.detect.story import StoryProfile

    incident = Incident("det-1", "acme", "emerging", ["battery"], [], 0.0, 0.0, 0.0, 5, "low")
    ko, en = StoryProfile.of([]), StoryProfile.of([])
    ko.lang, en.lang = "ko", "en"
    _remember_side(incident, ko, ["발열", "펌웨어"])
    _remember_side(incident, en, ["overheating", "battery", "swollen"])
    _remember_side(incident, en, ["battery"])
    assert incident.extra["words"]["en"] == ["battery", "overheating", "swollen"]
    assert _story_words(incident)[:4] == ["발열", "펌웨어", "battery", "overheating"]


def test_a_label_shows_no_korean_fragment_of_its_own_words_and_reads_touchpoint_names() -> None:
    from groundswell.nlp.detect.narrative import Story, label_words

    # a real kiwoom story (Play Store, 2020-02-07): an endless download loop at start-up
    assert label_words(["다운로드", "무한", "무한반복"], "ko") == ["다운로드", "무한반복"]
    assert label_words(["배터리", "발열", "펌웨어", "업데이트"], "ko") == ["배터리", "발열", "펌웨어"]
    assert label_words(["delay", "delayed flight", "gate"], "en") == ["delay", "delayed flight", "gate"]
    assert Story([], ["features-ux", "product_quality"]).label("en") == "features ux · product quality"

"""One story told in two languages is one alert; unrelated stories of one brand stay two."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from groundswell.config.settings import Settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp.detect import Detector
from groundswell.nlp.detect.alerts import _growing_words
from groundswell.nlp.detect.clusters import Cluster, KeyHit
from groundswell.nlp.detect.story import StoryProfile, neutral_tokens, same_story
from groundswell.records import EnrichedMention
from tests.detect.synthetic import START, _mention, steady
from tests.detect.test_detector import replay


def told(
    name: str, onset: datetime, text: str, lang: str, touchpoints: list[str], n: int = 30
) -> list[EnrichedMention]:
    """n complaints with the same text growing e-fold every 30 min over 2 h, one author each."""
    total = math.exp(4) - 1
    out = []
    for k in range(n):
        t = onset + timedelta(minutes=30 * math.log(1 + (k + 0.5) / n * total))
        m = _mention(f"{name}-{k}", "acme", t, text.split(), True, f"{name}{k}", touchpoints)
        out.append(m.model_copy(update={"lang": lang}))
    return out


def fired_alerts(store: SQLiteStore, settings: Settings, stories: list[EnrichedMention]) -> set[str]:
    store.upsert(steady(random.Random(5), ["acme"], days=3, per_hour=8) + stories)
    fired = replay(
        Detector.from_settings(settings), store, START + timedelta(minutes=15), START + timedelta(days=3)
    )
    return {a.id for _, a in fired}


def test_same_story_in_korean_and_english_is_one_updating_alert(
    store: SQLiteStore, settings: Settings
) -> None:
    onset = START + timedelta(days=2, hours=10)
    ko = told("ko", onset, "펌웨어 3.2 업데이트 후 X2 배터리 발열 부풀음", "ko", ["product_quality"])
    en = told(
        "en",
        onset + timedelta(hours=1),
        "X2 battery overheating swollen since firmware 3.2",
        "en",
        ["product_quality"],
    )
    ids = fired_alerts(store, settings, ko + en)
    assert len(ids) == 1, "the English side of the story must update the Korean alert"
    alert = store.get_alert(ids.pop())
    assert alert is not None and alert.fired_at < onset + timedelta(hours=2)  # the Korean side fired it
    assert {"발열", "부풀음"} & set(alert.topic.keywords) and {"overheating", "swollen"} & set(
        alert.topic.keywords
    )
    assert any(e.startswith("syn:en-") for e in alert.evidence_ids)


def test_unrelated_stories_at_other_touchpoints_stay_two_alerts(
    store: SQLiteStore, settings: Settings
) -> None:
    onset = START + timedelta(days=2, hours=10)
    ko = told("ko", onset, "펌웨어 3.2 업데이트 후 X2 배터리 발열 부풀음", "ko", ["product_quality"])
    en = told(
        "en", onset + timedelta(hours=1), "X2 courier delivery late parcel lost since 3.2", "en", ["delivery"]
    )
    assert len(fired_alerts(store, settings, ko + en)) == 2


def test_neutral_tokens_are_versions_model_codes_and_latin_hashtags() -> None:
    (m,) = told(
        "x", START, "펌웨어 3.2 이후 루미오X2 발열 #Firmware @dev8945 https://t.co/a1b2", "ko", [], n=1
    )
    assert neutral_tokens(m) == {"3.2", "x2", "#firmware"}


def test_a_touchpoint_or_a_product_name_alone_is_not_the_same_story() -> None:
    ko = told("ko", START, "X2 배터리 발열", "ko", ["product_quality"], n=10)
    en = told("en", START, "X2 screen cracked", "en", ["product_quality"], n=10)
    other = told("bg", START, "X2 camera is great", "en", [], n=20)
    a, b = StoryProfile.of(ko), StoryProfile.of(en)
    assert same_story(a, b, other) is None  # "x2" is in every post about the phone
    assert same_story(a, b, []) is None  # nothing to compare with: no token is specific
    en_32 = told("en", START, "X2 battery hot since 3.2", "en", ["product_quality"], n=10)
    ko_32 = told("ko", START, "X2 3.2 배터리 발열", "ko", ["product_quality"], n=10)
    assert same_story(StoryProfile.of(ko_32), StoryProfile.of(en_32), other) is not None


def test_label_leads_with_the_words_most_above_expectation() -> None:
    def hit(key: str, observed: int, expected: float, score: float) -> KeyHit:
        return KeyHit(
            key, 3600.0, observed, expected, score, frozenset(f"{key}{i}" for i in range(observed)), True
        )

    cluster = Cluster(
        "acme", [hit("unreal", 5, 0.0, 14.0), hit("battery", 20, 0.5, 12.0), hit("@app", 30, 9.0, 8.0)]
    )
    assert _growing_words(cluster) == ["battery", "unreal"]


def test_a_broad_surge_needs_half_again_min_posts_people_and_a_shared_word_does_not() -> None:
    def cluster(key: str, people: int) -> Cluster:
        ids = frozenset(f"p{i}" for i in range(people))
        return Cluster("acme", [KeyHit(key, 3600.0, people, 0.5, 9.0, ids, False)], set(ids))

    # five unrelated complaints in an hour (the demo's Vexa posts) are chance; six are news
    assert cluster("*", 5).too_thin(min_posts=4) and cluster("@app", 5).too_thin(min_posts=4)
    assert not cluster("*", 6).too_thin(min_posts=4)
    assert not cluster("battery", 4).too_thin(min_posts=4)  # a shared word is a story at min_posts

"""An incident has one story: told from all its evidence, kept across updates, changed only by news."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from groundswell.config.settings import Settings, Touchpoint
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp.detect import Detector
from groundswell.nlp.detect.narrative import NOTHING_SHARED, Story, distinct_forms, settle, speaks
from groundswell.records import Author, Sentiment, SentimentLabel
from groundswell.terms import terms_of
from tests.detect.synthetic import START, WORDS, _mention, steady
from tests.detect.test_detector import replay


@settings(deadline=None)  # the first Hangul word loads Kiwi
@given(st.text(min_size=1, max_size=12))
def test_no_label_word_has_an_underscore_or_is_a_fragment(word: str) -> None:
    if speaks(word, frozenset({"acme"})):
        w = word.strip().lower()
        assert "_" not in w and len(w) >= 2 and not w.startswith("acme")


def test_generic_brand_and_common_words_never_name_a_story() -> None:
    assert not speaks("complaints") and not speaks("flight") and not speaks("_")
    assert not speaks("acmephone", frozenset({"acme"})) and not speaks("벡사", frozenset({"벡사"}))
    assert not speaks("후", frozenset()), "one Hangul syllable is a fragment"
    assert not speaks("봤는데") and not speaks("좋네요"), "a predicate, not a subject"
    assert not speaks("아니") and not speaks("같이"), "a filler or an adverb, not a subject"
    assert speaks("배송") and speaks("환불")
    assert not speaks("delay", common=frozenset({"delay"})), "usual among this brand's complaints"
    assert speaks("cancelled") and speaks("발열")


def test_korean_label_words_are_subjects_by_their_morphemes() -> None:
    # words that labelled real app-review bursts ("고객센터 · 아닌데", "전화 · 전에", "바로")
    for word in ("바로", "아닌데", "전에", "안되", "안됩니다", "오고", "사용하", "사용중", "확인"):
        assert not speaks(word), word
    for word in ("로그인이", "고객센터", "본인인증", "연동", "먹통", "느려", "튕겨", "네트워크"):
        assert speaks(word), word
    assert not speaks("결제가", common=frozenset({"결제"})), "its noun is usual among the brand's complaints"


def test_korean_label_words_read_in_dictionary_form() -> None:
    assert Story(["로그인이", "느려", "튕겨"], []).label("ko") == "로그인 · 느리다 · 튕기다"
    assert Story(["고객센터", "느림", "부풀음"], []).label("ko") == "고객센터 · 느림 · 부풀음", "nouns stay"
    assert Story(["로그인이", "로그인", "인증"], []).label("ko") == "로그인 · 인증", "one word once"


def test_a_surge_with_nothing_in_common_says_so_in_the_rule_language() -> None:
    assert Story([], []).label("en") == NOTHING_SHARED["en"] == "no shared subject"
    assert Story([], []).label("ko") == "공통 주제 없음"
    assert Story([], ["product_quality"]).label("en") == "product quality"
    both = Story(["발열", "펌웨어", "battery", "부풀음", "overheating"], [])
    assert both.label("ko") == "발열 · 펌웨어 · 부풀음", "one language per message"
    assert both.label("en") == "battery · overheating"
    assert Story(["delayed", "tarmac"], []).label("ko") == "delayed · tarmac", "told only in English"


def test_what_was_told_stays_and_only_news_is_added() -> None:
    told = Story(["cancelled", "flightled", "refund"], ["flight-ops"])
    shares = {"cancelled": 0.6, "flightled": 0.3, "refund": 0.2, "hours": 0.3, "stranded": 0.7}
    # the latest step leans elsewhere: a minority touchpoint, a word in 30% of the evidence
    now = Story(["hours", "cancelled"], ["loyalty", "flight-ops"])
    story, news = settle(told, now, shares, {"loyalty": 0.3, "flight-ops": 0.62}, growing=["hours"])
    assert story == told and news == []
    # a growing word now held by most of the evidence is news, and joins the label after the lead word
    now = Story(["stranded", "cancelled"], ["flight-ops", "loyalty"])
    story, news = settle(told, now, shares, {"loyalty": 0.55, "flight-ops": 0.62}, growing=["stranded"])
    assert news == ["stranded", "loyalty"]
    assert story.words[:2] == ["cancelled", "stranded"] and story.touchpoints == ["flight-ops", "loyalty"]
    # when the majority of the evidence has moved to a touchpoint, it goes first (its owner leads)
    story, news = settle(told, now, shares, {"loyalty": 0.8, "flight-ops": 0.3}, growing=[])
    assert story.touchpoints == ["loyalty", "flight-ops"] and news == ["loyalty"]


def test_a_story_told_without_a_touchpoint_takes_the_one_its_evidence_names_at_the_opening_bar() -> None:
    """Real Play Store reviews: a crash-after-update story opened with no touchpoint; grown to 50
    posts, 40% of them tagged stability, it still had no owner (a new touchpoint needed 50%)."""
    told = Story(["업데이트"], [])
    now = Story(["업데이트"], ["stability", "features-ux"])
    story, news = settle(told, now, {"업데이트": 0.5}, {"stability": 0.4, "features-ux": 0.3}, posts=50)
    assert story.touchpoints == ["stability", "features-ux"] and news == ["stability", "features ux"]
    # with a touchpoint told, another one still needs most of the evidence
    told = Story(["업데이트"], ["stability"])
    story, news = settle(told, now, {"업데이트": 0.5}, {"stability": 0.4, "features-ux": 0.3}, posts=50)
    assert story.touchpoints == ["stability"] and news == []


def test_a_told_word_the_grown_evidence_left_is_taken_back() -> None:
    told = Story(["reservation", "luggage"], [])
    shares = {"reservation": 2 / 15, "luggage": 0.2, "tarmac": 0.6}
    now = Story(["tarmac"], [])
    # small evidence: what was told stays, whatever the shares say
    story, _ = settle(told, now, shares, {}, growing=["tarmac"], posts=8)
    assert story.words[0] == "reservation"
    # fifteen posts, two of them about a reservation: that word no longer names the incident
    story, _ = settle(told, now, shares, {}, growing=["tarmac"], posts=15)
    assert "reservation" not in story.words and story.words[0] == "luggage"
    # every told word left behind: the story is what the evidence says now, and the update says so
    story, news = settle(told, now, {"tarmac": 0.6}, {}, growing=["tarmac"], posts=15)
    assert story.words == ["tarmac"] and news == ["tarmac"]


def test_touchpoint_and_owner_are_the_evidence_majority_across_updates(
    store: SQLiteStore, settings: Settings
) -> None:
    """The newest posts of a growing incident name another touchpoint: the alert keeps its owner."""
    cfg = settings.model_copy(
        update={
            "touchpoints": [*settings.touchpoints, Touchpoint(name="loyalty", owner="loyalty@example.com")]
        }
    )
    rng = random.Random(11)
    onset = START + timedelta(days=2, hours=8)
    posts = []
    for k in range(120):  # 15 an hour for 8 hours; from the sixth hour on, the posts name loyalty only
        words = ["battery", "overheating", *rng.choices(WORDS[:50], k=3)]
        tps = ["product_quality"] if k < 75 else ["loyalty"]
        posts.append(
            _mention(f"long-{k}", "acme", onset + timedelta(minutes=4 * k), words, True, f"l{k}", tps)
        )
    store.upsert(steady(rng, ["acme"], days=3, per_hour=8) + posts)
    fired = replay(
        Detector.from_settings(cfg), store, START + timedelta(minutes=15), START + timedelta(days=3)
    )
    assert {a.id for _, a in fired} and len({a.id for _, a in fired}) == 1
    labels = {a.topic.label for _, a in fired if a.topic}
    assert len(labels) == 1, f"the label changed without news: {labels}"
    last = store.get_alert(fired[0][1].id)
    assert last is not None and last.touchpoints[0] == "product_quality"
    assert last.owners[0] == "quality@example.com"
    assert len(last.history) > 1 and all("now also" not in e.note for e in last.history)


def _replies(parent_id: str, label: SentimentLabel, score: float) -> list:
    onset = START + timedelta(days=2, hours=14)
    out = []
    for k in range(30):
        m = _mention(
            f"reply-{k}", "acme", onset + timedelta(minutes=2 * k), ["joke", "dinner", "lol"], True, f"r{k}"
        )
        out.append(
            m.model_copy(
                update={
                    "parent_id": parent_id,
                    "sentiment": Sentiment(label=label, score=score, confidence=0.6),
                    "complaint": True,  # negative, or neutral leaning negative: the stored rule counts both
                }
            )
        )
    return out


def test_replies_to_the_brands_own_post_are_context_unless_they_complain(
    store: SQLiteStore, settings: Settings
) -> None:
    rng = random.Random(2)
    own = _mention("own", "acme", START + timedelta(days=2, hours=13), ["dinner", "joke"], False, "acme")
    own = own.model_copy(update={"author": Author(id="acme", handle="Acme_Official", followers=10**6)})
    store.upsert(
        [*steady(rng, ["acme"], days=3, per_hour=8), own, *_replies(own.id, SentimentLabel.NEUTRAL, -0.3)]
    )
    span = (START + timedelta(minutes=15), START + timedelta(days=3))
    assert replay(Detector.from_settings(settings), store, *span) == []
    store.upsert(_replies(own.id, SentimentLabel.NEGATIVE, -0.8))  # the same replies, now plainly negative
    Detector.from_settings(settings).reset(store)
    assert replay(Detector.from_settings(settings), store, *span), "complaining replies still count"


def test_evidence_gives_each_language_side_its_share() -> None:
    """A Korean story with an English side: the English posts are not crowded out of the evidence."""
    from groundswell.nlp.detect.alerts import MAX_EVIDENCE, _balanced
    from groundswell.nlp.detect.keys import Post

    def side(lang: str, n: int) -> list[Post]:
        return [
            Post(_mention(f"{lang}{k}", "acme", START, ["x"], True, f"{lang}{k}").model_copy(update={"lang": lang}),
                 0.0, True, frozenset(), f"{lang}{k}")
            for k in range(n)
        ]  # fmt: skip

    posts = side("ko", 60) + side("en", 10)
    order = [p.mention.id for p in posts]  # every Korean post ranks first
    pool = {p.mention.id: p for p in posts}
    chosen = _balanced(order, pool)
    assert len(chosen) == MAX_EVIDENCE and chosen == sorted(chosen, key=order.index)
    assert sum(i.startswith("syn:en") for i in chosen) == 7  # 10 of 70 posts: 7 of 50 places
    assert _balanced(order[:40], pool) == order[:40]  # fewer posts than places: all, as ranked


def test_an_accounts_name_never_names_the_story() -> None:
    from groundswell.nlp.detect.narrative import dominant

    texts = [
        "RT @techjun: battery swollen after firmware",
        "@techjun battery swollen here too",
        "battery swollen",
    ]
    evidence = [_mention(f"h{i}", "acme", START, [t], True, f"h{i}") for i, t in enumerate(texts)]
    keys = {m.id: frozenset({"techjun", "battery", "swollen"}) for m in evidence}
    story, _, _ = dominant(evidence, keys, ["techjun", "battery", "swollen"])
    assert story.words == ["battery", "swollen"]


def test_a_label_names_a_word_once_whatever_its_form() -> None:
    assert distinct_forms(
        ["delayed", "delay", "seats", "seat", "cancelled", "cancels", "charged", "charge"]
    ) == [
        "delayed",
        "seats",
        "cancelled",
        "charged",
    ]
    assert distinct_forms(["class", "classes", "bus", "배송", "배송비"]) == ["class", "bus", "배송", "배송비"]


def test_a_word_counts_in_every_form_and_a_broad_surge_is_named_by_what_its_posts_share() -> None:
    from groundswell.nlp.detect.alerts import _evidence_words
    from groundswell.nlp.detect.narrative import dominant, word_shares

    texts = ["Delayed again, no info", "the delay is ridiculous", "delaying us for hours", "lost my bag",
             "seat was broken", "rude gate agent", "no wifi", "food was cold"]  # fmt: skip
    posts = [_mention(f"m{i}", "acme", START, [t], True, f"a{i}") for i, t in enumerate(texts)]
    keys = {m.id: frozenset(terms_of(m.text)) for m in posts}
    assert word_shares(posts, keys)["delayed"] == 3 / 8, "delay, delayed, delaying: one word, three posts"
    assert _evidence_words(keys)[:1] in (["delayed"], ["delay"], ["delaying"])
    assert "bag" not in _evidence_words(keys), "one post is no shared subject"
    story, _, _ = dominant(posts, keys, _evidence_words(keys))
    assert len(story.words) == 1 and story.words[0].startswith("delay")


def test_two_posts_do_not_route_an_incident() -> None:
    """A touchpoint joins the story with TOUCHPOINT_SHARE of the evidence *and* three posts: two of
    five opening posts naming the call centre do not send a delay storm to the call-centre team."""
    from groundswell.nlp.detect.narrative import dominant

    def opening(call_centre: int) -> list[str]:
        tps = [["call-center"]] * call_centre + [[]] * (5 - call_centre)
        posts = [
            _mention(f"c{i}", "acme", START, ["delayed", "again"], True, f"c{i}", tp)
            for i, tp in enumerate(tps)
        ]
        keys = {m.id: frozenset(terms_of(m.text)) for m in posts}
        return dominant(posts, keys, ["delayed"])[0].touchpoints

    assert opening(2) == []
    assert opening(3) == ["call-center"]

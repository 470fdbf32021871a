"""Complaint concepts: one kind of failure told in many words counts as one series."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groundswell.config.settings import ConceptWords, Settings, Touchpoint
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp import concept_filter
from groundswell.nlp.concepts import CONCEPTS, SHIPPED, ConceptSet, for_config
from groundswell.nlp.detect import Detector
from groundswell.nlp.detect.keys import keys_of
from groundswell.nlp.touchpoints import TouchpointClassifier
from groundswell.query import normalize
from tests.detect.synthetic import START, _mention, burst, steady
from tests.detect.test_detector import replay


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("비번 오류 계속 나요", "로그인"),
        ("공인인증서 등록이 안돼요", "로그인"),
        ("아이디 찾기 해도 안됨", "로그인"),
        ("로그인안됨 ㅡㅡ", "로그인"),
        ("앱이 자꾸 튕겨요", "튕김"),
        ("실행하면 바로 꺼짐", "튕김"),
        ("택배가 일주일째 안 와요", "배송"),
        ("업데이트하고 나서 내역이 안 떠요", "연동"),
        ("my suitcase never made it to Denver", "baggage"),
        ("Can't sign in since yesterday, reset my password twice", "login"),
        ("the app keeps closing when I open my cart", "crash"),
        ("charged twice for one order", "billing"),
        ("waited 2 hours in line at check-in", "delay"),
        ("the queue at security is insane", "delay"),
        ("broadband down for 3 days in Leeds", "connection"),
        ("no power in south b since morning", "connection"),
        ("can't get any 4G coverage today", "connection"),
        ("인터넷이 계속 끊겨요", "접속"),
        ("stitching on my jacket is coming apart after a month", "defect"),
        ("the sole ripped off my new boots", "defect"),
        ("phone keeps turning itself off at 40%", "defect"),
        ("수리 맡겼는데 한 달 만에 또 누수", "불량"),
        ("your website won't let me change my address", "online"),
        ("the new app is unusable on my tablet", "online"),
        ("홈페이지에서 주문 조회가 안 돼요", "온라인"),
    ],
)
def test_words_of_one_kind_name_its_concept(text: str, name: str) -> None:
    assert name in SHIPPED.of(text)


@pytest.mark.parametrize(
    "text",
    [
        "짐작했는데 맞았네",
        "chocolate cake was great",
        "I read your blog in the morning",
        "just ordered online, can't wait",
        "배우 연기 최고",
        "화면이 나오지 않네요",  # 나오지 않 (not shown) is not 오지 않 (not come)
    ],
)
def test_unrelated_words_name_no_concept(text: str) -> None:
    assert SHIPPED.of(text) == []


def test_every_concept_has_a_name_in_each_language_and_distinct_names() -> None:
    names = [c.en for c in CONCEPTS] + [c.ko for c in CONCEPTS]
    assert len(set(names)) == len(names)
    assert all(re.search(r"[\uac00-\ud7a3]", c.ko) and c.en.isascii() for c in CONCEPTS)


def test_a_post_holds_its_concept_name_as_a_key_but_never_the_brand() -> None:
    post = _mention("1", "acme", START, ["비번", "오류"], True, "u1")
    keys = keys_of(post)
    assert {"로그인", "오류", "비번"} <= keys
    assert "로그인" not in keys_of(post, frozenset({"로그인"}))


def test_a_deployment_adds_words_to_a_shipped_concept_and_new_concepts() -> None:
    own = SHIPPED.extended(
        [
            ConceptWords(name="배송", words=["로켓 배송", "rocket wow"]),  # joins delivery / 배송
            ConceptWords(name="Login", words=["sso"]),  # any case
            ConceptWords(name="membership", name_ko="멤버십", words=["와우 회원", "wow club", "c++"]),
        ]
    )
    assert "배송" in own.of("로켓배송 또 늦음") and "배송" not in SHIPPED.of("로켓 늦음")
    assert "delivery" in own.of("Rocket WOW was late")
    assert own.of("와우회원 해지가 안 돼요")[-1] == "멤버십"  # spaces optional in Korean
    assert "membership" in own.of("my wow club fee") and "membership" not in own.of("wow clubs")
    assert "membership" in own.of("c++ again") and own.key("멤버십") == "membership"  # literal words
    assert "login" in own.of("SSO broken again") and own.key("LOGIN") == "login" and own.key("nope") is None
    assert len(own.concepts) == len(CONCEPTS) + 1 and SHIPPED.extended([]) is SHIPPED


def test_the_config_reaches_the_detector_keys_and_korean_touchpoints() -> None:
    settings = Settings.model_validate(
        {
            "brands": [{"name": "acme", "query": "acme"}],
            "concepts": [{"name": "membership", "name_ko": "멤버십", "words": ["와우 회원"]}],
            "nlp": {"semantic": False},
        }
    )
    detector = Detector(settings)
    post = _mention("1", "acme", START, ["와우회원", "혜택이", "줄었어요"], True, "u1")
    assert "멤버십" in detector._post(post).keys
    assert "멤버십" not in keys_of(post)  # not a shipped concept
    tagger = TouchpointClassifier(
        [Touchpoint(name="membership", keywords=["멤버십"])], concepts=detector.concepts
    )
    assert tagger.match(["와우 회원 혜택이 줄었어요"]) == [["membership"]]


LOGIN_WORDS = ["비밀번호가", "비번", "아이디가", "공인인증서", "본인인증", "계정이", "로그인이", "지문인증"]


def test_a_burst_that_never_repeats_a_word_is_found_early_and_named_by_its_concept(
    store: SQLiteStore, settings: Settings
) -> None:
    rng = random.Random(5)
    onset = START + timedelta(days=2, hours=14)
    # each word in one post of eight, every post "doesn't work"
    posts = burst(
        rng, "acme", onset, theme=lambda k: [LOGIN_WORDS[k % len(LOGIN_WORDS)], "안돼요"], touchpoints=()
    )
    store.upsert(steady(rng, ["acme", "beta"], days=3, per_hour=8) + posts)
    fired = replay(
        Detector.from_settings(settings), store, START + timedelta(minutes=15), START + timedelta(days=3)
    )
    assert fired, "the login burst was not detected"
    first_at, first = fired[0]
    seen = sum(1 for p in posts if p.created_at <= first_at)
    assert seen <= 10, f"fired only after {seen} of 40 posts"
    assert first.brand == "acme" and first.topic is not None and "로그인" in first.topic.label


def test_concepts_are_only_appended() -> None:
    """A topic model saved with the first 22 concepts reads its columns by position
    (nlp/topics/embed.py): those 22 keep their places whatever a release adds."""
    first = ("login", "crash", "error", "slow", "connection", "billing", "refund", "cancellation",
             "delivery", "support", "ads", "update", "sync", "baggage", "delay", "price", "defect",
             "battery", "staff", "food", "security", "booking")  # fmt: skip
    assert tuple(c.en for c in CONCEPTS[:22]) == first


@pytest.mark.parametrize(
    ("text", "named", "not_named"),
    [
        ("beats wireless no longer charging or working", "battery", "billing"),
        ("fully charged but dead in an hour", "battery", "billing"),
        ("my watch won't hold a charge anymore", "battery", None),
        ("they charged me twice for one order", "billing", "battery"),
        ("stop charging me for a plan I cancelled", "billing", "battery"),
        ("hidden charges on my bill again", "billing", "battery"),
    ],
)
def test_charging_a_device_is_battery_and_charging_a_customer_is_billing(
    text: str, named: str, not_named: str | None
) -> None:
    names = SHIPPED.of(text)
    assert named in names
    assert not_named is None or not_named not in names


def _every_pattern(concepts: ConceptSet, text: str) -> list[str]:
    """What `ConceptSet.of` answered before its one-search shortcut: every pattern, every time."""
    norm = normalize(text)
    out = []
    for concept, english, korean in concepts._patterns:
        if korean is not None and korean.search(norm):
            out.append(concept.ko)
        if english is not None and english.search(norm):
            out.append(concept.en)
    return out


_FRAGMENTS = [
    "my bag", "never arrived", "log in", "charged twice", "charging my phone", "the app crashes",
    "customer service down", "배송", "로켓 배송", "비번 오류", "짐이", "안 와요", "café", "latte art",
    "ok", "!!", "😡", " ", "ㅠㅠ", "이게 뭐야", "still waiting", "refund", "WiFi", "4g",
]  # fmt: skip
_EXTENDED = for_config(
    [
        ConceptWords(name="delivery", name_ko="배송", words=["로켓 배송", "courier van"]),
        ConceptWords(name="cafe", name_ko="카페", words=["café", "latte art"]),  # Latin beyond ASCII
    ]
)


def _with_filter(concepts: ConceptSet, kind: str) -> ConceptSet:
    """The same concepts with the RE2 filter or the pure-Python one (the fallback without RE2)."""
    alike = ConceptSet(concepts.concepts)
    flat = [p for c in alike.concepts for p in (c.en_words or None, c.ko_words or None)]
    bounded = [True, False] * len(alike.concepts)
    maker = concept_filter.Re2Filter if kind == "re2" else concept_filter.AlternationFilter
    alike._filter = maker(flat, bounded)
    return alike


_SETS = {
    (name, kind): _with_filter(concepts, kind)
    for name, concepts in (("shipped", SHIPPED), ("extended", _EXTENDED))
    for kind in (["re2"] if concept_filter.re2 is not None else []) + ["alternation"]
}


@given(st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=8), max_size=8))
@settings(max_examples=300, deadline=None)
def test_the_filters_answer_as_a_search_of_every_pattern_would(parts: list[str]) -> None:
    text = " ".join(parts)
    for concepts in _SETS.values():
        assert concepts.of(text) == _every_pattern(concepts, text)


def test_the_filters_read_patterns_as_python_does() -> None:
    """`version \\d` (any Unicode digit in Python; `\\p{Nd}` for RE2) and a lookbehind ("fully
    charged" is not billing) read as Python reads them, whichever filter runs; "café" (no Hangul)
    still finds its concept."""
    for concepts in _SETS.values():
        assert "update" in concepts.of("since version ٣ nothing loads")  # an Arabic-Indic digit
        assert "billing" not in concepts.of("it was fully charged this morning")
    for (name, _), concepts in _SETS.items():
        if name == "extended":
            assert "카페" in concepts.of("best café in town")


def test_without_re2_the_pure_python_filter_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(concept_filter, "re2", None)
    assert isinstance(ConceptSet()._filter, concept_filter.AlternationFilter)
    assert ConceptSet().of("my suitcase never arrived") == SHIPPED.of("my suitcase never arrived")


def test_a_concept_set_too_large_for_re2_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """RE2 refuses a set over its memory budget (100k words of a deployment's lists do that); the
    concepts still work, through the pure-Python filter."""

    def refuse(*_: object) -> None:
        raise RuntimeError("failed to compile Set")

    monkeypatch.setattr(concept_filter.Re2Filter, "__init__", refuse)
    concepts = ConceptSet()
    assert isinstance(concepts._filter, concept_filter.AlternationFilter)
    assert concepts.of("비번 오류") == ["로그인", "오류"]

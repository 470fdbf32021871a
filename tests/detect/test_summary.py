"""The offline incident summary: a lead sentence in the rule's language, then the posts' own words."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from groundswell.nlp.detect.summary import central_sentences, sentences, summarize
from tests.detect.synthetic import START, _mention


def posts(texts: list[str], source: str = "x", lang: str = "en") -> list:
    return [
        _mention(
            f"{source}{i}", "acme", START + timedelta(minutes=10 * i), [t], True, f"{source}{i}"
        ).model_copy(update={"source": source, "lang": lang})
        for i, t in enumerate(texts)
    ]


def test_central_sentences_are_quoted_verbatim_and_not_twice_the_same_thing() -> None:
    texts = [
        "My battery is overheating since the update. Love the camera though.",
        "Battery overheating after the firmware update, phone too hot to hold.",
        "The battery overheating is scary. Screen is fine.",
        "Battery overheating after the firmware update, phone too hot to hold!",
        "Refund took forever and the courier lost the parcel.",
        "After the update the phone restarts when charging and the battery swells.",
    ]
    quotes = central_sentences(posts(texts))
    assert len(quotes) == 2
    every = {s for t in texts for s in sentences(t)}
    assert all(q in every for q in quotes), "extractive: the posts' own sentences"
    assert all("overheating" in q.lower() or "battery" in q.lower() for q in quotes)
    assert quotes[0].lower().rstrip("!.") != quotes[1].lower().rstrip("!."), "MMR: the second adds something"
    assert not any("courier" in q for q in quotes), "an off-story post is not representative"


def test_english_summary_has_counts_sources_span_and_quotes() -> None:
    evidence = posts(["Battery overheating since update 3.2, phone too hot to touch."] * 3, source="x")
    evidence += posts(["Phone battery swelling after update, back cover lifting now."] * 2, source="reddit")
    text = summarize(evidence, brand="Acme", label="battery · overheating", language="en", growth=6.25)
    assert text.startswith("5 people on reddit, x complained about Acme: battery · overheating, between ")
    assert "6.2x the usual rate" in text and text.count('"') == 4
    assert "UTC" in text


def test_korean_summary_speaks_korean_and_strips_handles_and_links() -> None:
    evidence = posts(
        [
            "@lumio_help 펌웨어 3.2 업데이트 후 배터리 발열이 심해요 https://t.co/x",
            "RT @a: 루미오 X2 배터리 부풀음 발열 심각합니다",
        ]
        * 3,
        source="naver",
        lang="ko",
    )
    text = summarize(evidence, brand="Lumio", label="발열 · 배터리", language="ko", growth=4.0)
    assert text.startswith(
        "2026-03-02 00:00~00:50 (UTC) naver에서 6명이 Lumio '발열 · 배터리' 관련 불만을 올렸습니다"
    )
    assert "평소의 4.0배" in text and "게시물 발췌" in text
    assert "@" not in text and "http" not in text and "RT" not in text
    seoul = summarize(
        evidence, brand="Lumio", label="발열", language="ko", growth=4.0, tz=ZoneInfo("Asia/Seoul")
    )
    assert seoul.startswith("2026-03-02 09:00~09:50 (KST) naver에서")
    assert "complain" not in text and "people" not in text, "one language per message"


def test_a_bilingual_story_is_quoted_in_the_message_language() -> None:
    korean = posts(
        ["펌웨어 3.2 업데이트 후 배터리 발열이 심해요", "배터리가 부풀고 발열 때문에 뜨거워요"] * 2, lang="ko"
    )
    english = posts(
        ["Heads up owners: overheating and a swollen battery after firmware 3.2, stop overnight charging."]
        * 4,
        source="reddit",
    )
    text = summarize(korean + english, brand="Lumio", label="발열 · 배터리", language="ko", growth=3.0)
    quoted = text.split("게시물 발췌:")[1]
    assert "배터리" in quoted and "overheating" not in quoted
    # the other language is quoted only when the message's own has too little to quote
    alone = summarize(korean[:1] + english, brand="Lumio", label="발열", language="ko", growth=3.0)
    assert "overheating" in alone.split("게시물 발췌:")[1]


@given(st.text(max_size=300), st.sampled_from(["", " https://t.co/abc ", " @someone "]))
def test_sentences_never_fail_are_short_and_carry_no_links_or_handles(text: str, noise: str) -> None:
    for s in sentences(text + noise + text):
        assert s and s == s.strip() and len(s) <= 160
        assert "https://t.co/abc" not in s and "@someone" not in s


def test_a_large_incident_counts_everyone_it_has_had_not_only_the_posts_it_tracks() -> None:
    from groundswell.nlp.detect.incidents import AUTHOR_SKETCH, Incident

    incident = Incident("det-1", "acme", "rule", ["battery"], [], 0.0, 0.0, 0.0, 5, "low")
    assert incident.count_authors(["a", "b", "a"]) == (2, True)
    assert incident.count_authors(["b", "c"]) == (3, True), "the same author twice is one person"
    for start in range(0, 4000, 500):  # 4,000 people arrive, a tracked window of 500 at a time
        n, exact = incident.count_authors(f"user{i}" for i in range(start, start + 500))
    assert not exact and abs(n - 4003) / 4003 < 0.2 and len(incident.extra["authors"]) == AUTHOR_SKETCH
    evidence = posts(["Battery overheating since update 3.2, phone too hot to touch."] * 3)
    text = summarize(evidence, brand="Acme", label="battery", language="en", growth=3.0, people=(4003, False))
    assert text.startswith("about 4,000 people on x complained")
    ko = summarize(evidence, brand="Acme", label="배터리", language="ko", growth=3.0, people=(446, True))
    assert "x에서 446명이" in ko

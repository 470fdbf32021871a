"""Kiwi morphology: one shared, lazily loaded analyser; batch calls; long posts capped."""

from __future__ import annotations

from groundswell.nlp import korean


def test_morphemes_batch_and_negation() -> None:
    rows = korean.morphemes(["안 좋아요", "배송이 늦어요 ㅠㅠ", ""])
    assert rows[0][:2] == [("안", "MAG"), ("좋", "VA")]
    assert ("배송", "NNG") in rows[1]
    assert rows[2] == []
    assert korean.morphemes([]) == []


def test_kiwi_is_shared_and_lemmas() -> None:
    assert korean.kiwi() is korean.kiwi()
    assert korean.lemmas(["배송이 너무 늦어요"]) == [["배송", "늦"]]


def test_long_posts_are_capped() -> None:
    (row,) = korean.morphemes(["배송 " * 20000])
    assert 0 < len(row) <= korean.MAX_CHARS


def test_irregular_stems_keep_their_plain_tag() -> None:
    """Kiwi tags 아쉬워요 as 아쉽/VA-I: content filters on VA must still see the complaint word."""
    assert korean.lemmas(["가격이 아까워요", "조금 아쉬워요", "설정이 어려워요"]) == [
        ["가격", "아깝"],
        ["아쉽"],
        ["설정", "어렵"],
    ]
    assert korean.base_tag("VV-I") == "VV"
    assert korean.base_tag("NNG") == "NNG"


def test_topic_tokens_and_vectors_keep_irregular_stems() -> None:
    from groundswell.nlp.semantic.korean_vectors import content_morphemes
    from groundswell.nlp.topics.tokens import tokenize

    assert tokenize(["배송이 느려서 아쉬워요"]) == [["배송", "느리다", "아쉽다"]]
    assert "아깝" in content_morphemes(["돈이 아까워요"])[0]

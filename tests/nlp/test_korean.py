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

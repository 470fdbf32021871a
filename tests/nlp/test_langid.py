"""Language id on short, mixed and script-only posts."""

from __future__ import annotations

import pytest

from groundswell.nlp.langid import UNDETERMINED, LinguaLangId, script_language


@pytest.fixture(scope="module")
def lang_id() -> LinguaLangId:
    return LinguaLangId()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("배송 너무 늦음 worst service ever", "ko"),
        ("iPhone 배터리 너무 빨리 닳아요", "ko"),
        ("ㅋㅋㅋ", "ko"),
        ("これは最悪です", "ja"),
        ("这个产品太差了", "zh"),
        ("Это ужасно", "ru"),
        ("The delivery was late again", "en"),
        ("lol", "en"),
        ("terrible", "en"),
        ("Das ist nicht gut, ich bin sehr enttäuscht", "de"),
        ("Me encanta este producto, muy bueno", "es"),
        ("C'est vraiment nul, je suis déçu", "fr"),
        ("Isso é muito ruim, estou decepcionado", "pt"),
        ("😡😡", UNDETERMINED),
        ("", UNDETERMINED),
        ("12345 !!!", UNDETERMINED),
        ("<url> @user", UNDETERMINED),
    ],
)
def test_detect(lang_id: LinguaLangId, text: str, lang: str) -> None:
    assert lang_id.detect([text]) == [lang]


def test_script_rules_decide_without_lingua() -> None:
    assert script_language("한국어 text mixed") == "ko"
    assert script_language("mostly english words with one 단어 here") is None
    assert script_language("plain ascii") is None


def test_batch_keeps_order(lang_id: LinguaLangId) -> None:
    assert lang_id.detect(["좋아요", "great", "最悪"]) == ["ko", "en", "zh"]

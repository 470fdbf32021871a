"""Industry touchpoint templates, their selection from a config, and short Hangul keywords."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groundswell.config.loader import default_config_path, load_settings
from groundswell.config.templates import bundled_templates
from groundswell.errors import ConfigError
from groundswell.hangul_keywords import covering, is_short_hangul, short_keyword_found
from groundswell.nlp.touchpoints import KeywordIndex, TouchpointClassifier
from groundswell.records import Sentiment, SentimentLabel

NEG = Sentiment(label=SentimentLabel.NEGATIVE, score=-0.8, confidence=0.9)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# A complaint written for each template that names none of its examples word for word.
FRESH = {
    "airline": ("the airline lost my suitcase on the way to Tokyo", "baggage"),
    "bank": ("누가 제 카드를 도용해서 모르는 결제가 생겼어요", "fraud-security"),
    "ecommerce": ("택배가 일주일째 안 와요 배송 조회도 안 되고", "delivery"),
    "games": ("서버 점검 끝났는데 아직도 접속 불가예요", "servers-connection"),
    "mobile_app": ("로그인하려는데 인증번호가 계속 안 와요", "login-account"),
    "telecom": ("this month's bill has roaming charges I never used", "billing"),
}


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "gs.yaml"
    path.write_text("brands:\n  - name: Acme\n    query: acme\n" + body, encoding="utf-8")
    return path


def test_the_six_industries_ship() -> None:
    assert set(bundled_templates()) == set(FRESH)


@pytest.mark.parametrize("name", sorted(FRESH))
def test_each_template_is_complete_and_tags_a_fresh_complaint(tmp_path: Path, name: str) -> None:
    settings = load_settings(_config(tmp_path, f"touchpoints_template: {name}\n"), environ={})
    assert len(settings.touchpoints) >= 6
    for tp in settings.touchpoints:
        assert tp.description and tp.owner, tp.name
        assert len(tp.examples) >= 2, tp.name
        assert any(HANGUL.search(e) for e in tp.examples) and any(not HANGUL.search(e) for e in tp.examples)
        assert any(HANGUL.search(k) for k in tp.keywords) and any(not HANGUL.search(k) for k in tp.keywords)
    text, expected = FRESH[name]
    [tags] = TouchpointClassifier(settings.touchpoints).tag([text], [NEG])
    assert expected in tags, (name, tags)


def test_own_touchpoints_come_first_and_replace_the_template_entry(tmp_path: Path) -> None:
    body = "touchpoints_template: airline\ntouchpoints:\n  - name: baggage\n    owner: bags@acme.test\n"
    settings = load_settings(_config(tmp_path, body), environ={})
    names = [t.name for t in settings.touchpoints]
    assert names[0] == "baggage" and names.count("baggage") == 1 and "check-in" in names
    assert settings.touchpoints[0].owner == "bags@acme.test"


def test_a_template_can_be_a_path_next_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "ours.yaml").write_text(
        "touchpoints:\n  - name: kiosk\n    description: Self-service kiosks\n    keywords: [kiosk, 키오스크]\n",
        encoding="utf-8",
    )
    settings = load_settings(_config(tmp_path, "touchpoints_template: ours.yaml\n"), environ={})
    assert [t.name for t in settings.touchpoints] == ["kiosk"]
    assert settings.touchpoints[0].description == "Self-service kiosks"


def test_an_unknown_template_names_the_bundled_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no template 'hotel'; bundled: airline, bank, ecommerce"):
        load_settings(_config(tmp_path, "touchpoints_template: hotel\n"), environ={})


def test_short_hangul_keywords_in_a_users_config_are_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    body = "touchpoints:\n  - name: billing\n    keywords: [페이, 결제 오류, refund]\n"
    with caplog.at_level(logging.WARNING, logger="groundswell.config"):
        load_settings(_config(tmp_path, body), environ={})
    assert (
        "페이 (billing)" in caplog.text
        and "결제 오류" not in caplog.text
        and "longer one wins" in caplog.text
    )
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="groundswell.config"):
        load_settings(environ={})  # the bundled config: its short keywords are deliberate
        # ... also named by a relative path, as the README's commands name it
        load_settings(Path(os.path.relpath(default_config_path())), environ={})
    assert "short Hangul" not in caplog.text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("상세페이지가 안 열려요", {"website"}),  # the case: 페이 inside 상세페이지
        ("상세 페이지 로딩이 느려요", {"website"}),  # spaces ignored, for the longer keyword too
        ("페이 결제가 안 돼요", {"billing"}),
        ("카카오페이로결제했는데 상세페이지는 멀쩡", {"billing", "website"}),  # no spaces: still found
    ],
)
def test_a_longer_keyword_covers_a_short_one(text: str, found: set[str]) -> None:
    index = KeywordIndex([(0, "페이"), (1, "상세페이지")])
    names = {0: "billing", 1: "website"}
    assert {names[i] for i in index.find(text)} == found


def test_short_keyword_rule() -> None:
    assert covering("페이", ["상세페이지", "페이", "결제", "카카오 페이"]) == ("상세페이지", "카카오페이")
    assert short_keyword_found("페이", "상세페이지오류", ("상세페이지",)) is False
    assert short_keyword_found("페이", "상세페이지오류", ()) is True  # nothing covers it
    assert short_keyword_found("페이", "페이상세페이지", ("상세페이지",)) is True


def test_what_counts_as_short() -> None:
    assert is_short_hangul("페이") and is_short_hangul("앱") and is_short_hangul("배 송")
    assert not is_short_hangul("상세페이지") and not is_short_hangul("app") and not is_short_hangul("5G")


@given(
    before=st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), max_size=6),
    after=st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), max_size=6),
)
def test_covered_occurrences_never_count_and_others_always_do(before: str, after: str) -> None:
    longer = ("상세페이지",)
    squashed = f"{before}상세페이지{after}"
    rest = squashed.replace("상세페이지", "\x00")
    assert short_keyword_found("페이", squashed, longer) is ("페이" in rest)
    assert short_keyword_found("페이", f"{before}페이{after}", ()) is True

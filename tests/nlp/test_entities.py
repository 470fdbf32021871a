"""Named entities with the real spaCy English pipeline and Kiwi: what is kept, cleaned and skipped."""

from __future__ import annotations

import pytest

from groundswell.config.settings import NlpSettings, Settings
from groundswell.nlp.enrich import Enricher
from groundswell.nlp.entities import (
    LinguisticEntities,
    NoEntities,
    clean_name,
    english_entities,
    korean_entities,
)
from tests.nlp.conftest import mention


def test_english_people_places_organisations_and_products() -> None:
    (names,) = english_entities(["Tim Cook said Apple will open a new store in London next week."])
    assert {"Tim Cook", "Apple", "London"} <= set(names)
    assert not any("week" in n for n in names)  # dates are not kept


def test_handles_urls_and_hashes_are_not_entities() -> None:
    (names,) = english_entities(["@AmericanAir my bag never arrived in Chicago https://t.co/abc #Delta"])
    assert "Chicago" in names
    assert not any(n.startswith("@") or "http" in n or "AmericanAir" in n for n in names)


def test_names_are_cleaned_and_unique_per_post() -> None:
    assert clean_name("the  United\nStates") == "United States"
    assert clean_name("Amazon's") == "Amazon"
    assert clean_name("london") == "London" and clean_name("nvidia geforce") == "Nvidia Geforce"
    assert clean_name("iPad") == "iPad" and clean_name("쿠팡") == "쿠팡"
    assert clean_name("DM") is None and clean_name("2017") is None and clean_name("x") is None
    (names,) = english_entities(["Amazon lost it. amazon never replied. Amazon's support is awful."])
    assert [n.casefold() for n in names].count("amazon") <= 1


def test_korean_proper_nouns() -> None:
    (names,) = korean_entities(["쿠팡에서 산 삼성 냉장고가 부산까지 안 와요"])
    assert {"쿠팡", "삼성", "부산"} <= set(names)
    assert all(len(n) >= 2 for n in names)


def test_scope_reads_complaints_only_unless_all() -> None:
    texts = ["Delta lost my bag in Chicago, awful", "Lovely flight to Paris with Delta", "쿠팡 배송 최악"]
    langs, complaints = ["en", "en", "ko"], [True, False, True]
    only = LinguisticEntities("complaints").tag(texts, langs, complaints)
    assert "Chicago" in only[0] and only[1] == [] and only[2] == ["쿠팡"]
    every = LinguisticEntities("all").tag(texts, langs, complaints)
    assert "Paris" in every[1]
    assert LinguisticEntities("off").tag(texts, langs, complaints) == [[], [], []]
    assert LinguisticEntities("all").tag(["Berlin ist schön"], ["de"], [True]) == [[]]


def test_enrichment_stores_entities_by_the_configured_scope() -> None:
    enricher = Enricher.from_settings(Settings())
    out = enricher.enrich(
        [mention("Delta lost my luggage in Chicago, worst airline ever", 1), mention("Great day in Paris", 2)]
    )
    assert out[0].complaint and "Chicago" in out[0].entities
    assert out[1].entities == []  # not a complaint: the default scope skips it
    off = Enricher.from_settings(Settings(nlp=NlpSettings(entities="off")))
    assert isinstance(off.entities, NoEntities)


@pytest.mark.parametrize("text", ["", "   ", "!!!", "😡😡😡"])
def test_empty_and_symbol_posts(text: str) -> None:
    assert english_entities([text]) == [[]]

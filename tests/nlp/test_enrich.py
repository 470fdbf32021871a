"""The Enricher contract other stages rely on: parts by protocol, backends by config, order kept."""

from __future__ import annotations

import pytest

from groundswell.config.settings import NlpSettings, Settings, Touchpoint
from groundswell.nlp.enrich import Enricher, NoTopics
from groundswell.nlp.sentiment import SENTIMENT_BACKENDS, build
from groundswell.nlp.sentiment._vader import VaderSentiment
from groundswell.records import EnrichedMention, Sentiment, SentimentLabel, TopicRef
from tests.nlp.conftest import mention


def test_enrich_fills_every_field(enricher: Enricher) -> None:
    out = enricher.enrich(
        [mention("The app keeps crashing, worst update ever 😡", 1), mention("배송 빨라서 좋아요", 2)]
    )
    assert [m.id for m in out] == ["test:1", "test:2"]
    assert all(isinstance(m, EnrichedMention) for m in out)
    assert [m.lang for m in out] == ["en", "ko"]
    assert out[0].sentiment is not None and out[0].sentiment.label == SentimentLabel.NEGATIVE
    assert out[1].sentiment is not None and out[1].sentiment.label == SentimentLabel.POSITIVE
    assert out[0].clean_text.endswith("😡")
    assert all(m.topic is None for m in out)


def test_given_lang_is_kept(enricher: Enricher) -> None:
    (out,) = enricher.enrich([mention("hola", lang="es")])
    assert out.lang == "es"


def test_empty_batch(enricher: Enricher) -> None:
    assert enricher.enrich([]) == []


def test_re_enriching_an_enriched_mention(enricher: Enricher) -> None:
    (first,) = enricher.enrich([mention("terrible service")])
    (again,) = enricher.enrich([first])
    assert again.sentiment == first.sentiment


def test_registry_has_builtins_and_rejects_unknown() -> None:
    assert {"default", "vader", "transformers"} <= set(SENTIMENT_BACKENDS)
    with pytest.raises(KeyError, match="known: default, transformers, vader"):
        build("nope")


def test_from_settings_picks_backend_and_taxonomy() -> None:
    settings = Settings(
        nlp=NlpSettings(sentiment_backend="vader"),
        touchpoints=[
            Touchpoint(name="delivery", keywords=["delivery", "배송"], examples=["parcel never came"])
        ],
    )
    enricher = Enricher.from_settings(settings)
    assert isinstance(enricher.sentiment, VaderSentiment)
    (out,) = enricher.enrich([mention("The delivery was late again, awful.")])
    assert out.sentiment is not None and out.sentiment.label == SentimentLabel.NEGATIVE
    assert out.touchpoints == ["delivery"]


class _FixedTopics:
    def assign(self, texts, langs):  # type: ignore[no-untyped-def]
        return [TopicRef(id=7, label="battery", keywords=["battery"]) for _ in texts]


class _AlwaysPositive:
    def predict(self, texts, langs):  # type: ignore[no-untyped-def]
        return [Sentiment(label=SentimentLabel.POSITIVE, score=1.0, confidence=1.0) for _ in texts]


def test_parts_are_swappable() -> None:
    enricher = Enricher(sentiment=_AlwaysPositive(), topics=_FixedTopics())
    (out,) = enricher.enrich([mention("whatever")])
    assert out.topic is not None and out.topic.id == 7
    assert out.sentiment is not None and out.sentiment.label == SentimentLabel.POSITIVE
    assert NoTopics().assign(["a", "b"], ["en", "en"]) == [None, None]


def test_from_default_config_file() -> None:
    from groundswell.config.loader import load_settings

    settings = load_settings(None, environ={})
    enricher = Enricher.from_settings(settings)
    (out,) = enricher.enrich([mention("택배가 분실됐대요 환불해 주세요")])
    assert out.lang == "ko" and out.sentiment is not None and out.sentiment.label == SentimentLabel.NEGATIVE
    if settings.touchpoints:
        assert out.touchpoints

"""`Enricher`: Mention -> EnrichedMention, composed BERTopic-style from swappable parts.

Each part is a Protocol with one batch method, and each constructor argument is filled with
`x or default()`:
- `lang_id.detect(texts) -> list[str]`: default `LinguaLangId` (script rules + lingua, offline);
- `sentiment.predict(texts, langs) -> list[Sentiment]`, from which the one complaint rule
  (`groundswell.complaint`) sets each post's stored `complaint` flag: default the shipped linear models, chosen
  because they are trained on real Korean and English posts, load in a fraction of a second and
  keep up with thousands of posts a second on one core (see nlp/MODEL_CARD.md);
- `touchpoints.tag(texts, sentiments, langs) -> list[list[str]]`: default `NoTouchpoints` unless a taxonomy
  is given (from_settings uses `settings.touchpoints`);
- `topics.assign(texts, langs) -> list[TopicRef | None]`: default `NoTopics`, which switches topics off;
- `entities.tag(texts, langs, complaints) -> list[list[str]]`: default `NoEntities`; from_settings reads
  complaints with spaCy (English) and Kiwi (Korean) as `nlp.entities` says (nlp/entities.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from groundswell.complaint import is_complaint
from groundswell.config.settings import Settings
from groundswell.nlp.blas import one_thread
from groundswell.nlp.concepts import for_config
from groundswell.nlp.entities import EntityTagger, LinguisticEntities, NoEntities, has_spacy
from groundswell.nlp.heap import settle
from groundswell.nlp.langid import LinguaLangId
from groundswell.nlp.normalize import normalize
from groundswell.nlp.semantic import NoMeaning, SemanticEncoder
from groundswell.nlp.sentiment import SentimentModel, build
from groundswell.nlp.sentiment.rated import with_ratings
from groundswell.nlp.touchpoints import NoTouchpoints, TouchpointClassifier, TouchpointTagger
from groundswell.records import EnrichedMention, Mention, Sentiment, TopicRef

_log = logging.getLogger(__name__)
_MENTION_FIELDS = set(Mention.model_fields) - {"lang"}


@dataclass(frozen=True)
class Analysis:
    """What enrichment reads in a batch of texts: parallel lists, one entry per text, in order.

    One record rather than a dict of lists, so a caller (the `analyze` command, `enrich`, the
    benchmarks) cannot misspell a part or mistake its type."""

    clean_text: list[str]
    lang: list[str]
    sentiment: list[Sentiment]
    complaint: list[bool]
    touchpoints: list[list[str]]
    entities: list[list[str]]
    topic: list[TopicRef | None]


@runtime_checkable
class LanguageIdentifier(Protocol):
    def detect(self, texts: Sequence[str]) -> list[str]: ...


@runtime_checkable
class TopicModel(Protocol):
    def assign(self, texts: Sequence[str], langs: Sequence[str]) -> list[TopicRef | None]: ...


class NoTopics:
    """The do-nothing topics part: every post gets `topic=None`."""

    def assign(self, texts: Sequence[str], langs: Sequence[str]) -> list[TopicRef | None]:
        return [None] * len(texts)


def touchpoint_meaning(settings: Settings) -> SemanticEncoder:
    """The encoder touchpoints read complaints' meaning with at enrichment.

    MiniLM (`minilm`, `onnx`) embeds every complaint at ~165-370 posts a second, so it runs only
    when asked for by name. Otherwise English complaints go through the static vectors (~16k a
    second): a user's taxonomy gains (complaint reasons, first-touchpoint macro-F1 0.37 -> 0.52 on
    the held-out half with the stream-learned classifier; BENCHMARKS.md "Complaint reasons") for some
    precision where complaints belong to no touchpoint (the default taxonomy's hand-labelled F1
    0.579 -> 0.564; the gate is in nlp/touchpoints.py). Korean stays with words
    and concepts: its vectors added nothing there (0.509 -> 0.510) and would put Kiwi on every
    Korean complaint's path."""
    if settings.nlp.semantic_en in {"minilm", "onnx"}:
        return SemanticEncoder(settings.nlp.semantic_en)
    return SemanticEncoder("static", overrides={"ko": NoMeaning()})


class Enricher:
    """Language, clean text, sentiment, touchpoints and topic for a batch of mentions."""

    def __init__(
        self,
        lang_id: LanguageIdentifier | None = None,
        sentiment: SentimentModel | None = None,
        touchpoints: TouchpointTagger | None = None,
        topics: TopicModel | None = None,
        entities: EntityTagger | None = None,
    ) -> None:
        self.lang_id = lang_id or LinguaLangId()
        self.sentiment = sentiment or build("default")
        self.touchpoints = touchpoints or NoTouchpoints()
        self.topics = topics or NoTopics()
        self.entities = entities or NoEntities()

    @classmethod
    def from_settings(cls, settings: Settings) -> Enricher:
        """Backend from `settings.nlp`, taxonomy from `settings.touchpoints`; topics stay off here."""
        sentiment = build(settings.nlp.sentiment_backend, settings.nlp)
        semantic = touchpoint_meaning(settings) if settings.nlp.semantic else None
        tagger = (
            TouchpointClassifier(
                settings.touchpoints,
                sentiment=sentiment,
                semantic=semantic,
                concepts=for_config(settings.concepts),
                # MiniLM reads a complaint's complaining clauses, which scores every clause's
                # sentiment; the static vectors read the whole post unless a keyword named a clause
                meaning_reads_clauses=semantic is not None and semantic.english != "static",
            )
            if settings.touchpoints
            else None
        )
        scope = settings.nlp.entities
        english = has_spacy()
        if scope != "off" and not english:
            _log.warning(
                "spaCy's English pipeline is not installed: English posts get no entities "
                "(pip install 'groundswell[entities]', or set nlp.entities: off)"
            )
        entities = None if scope == "off" else LinguisticEntities(scope, english=english)
        return cls(sentiment=sentiment, touchpoints=tagger, entities=entities)

    def analyze(
        self,
        texts: Sequence[str],
        langs: Sequence[str | None] | None = None,
        ratings: Sequence[float | None] | None = None,
    ) -> Analysis:
        """The enrichment of raw texts as parallel lists (what `enrich` and the benchmarks use).

        A post's star `ratings` (1-5, None when unrated) adjust its sentiment (nlp/sentiment/rated.py)
        before anything downstream reads it.
        """
        with one_thread():
            analysis = self._analyze(texts, langs, ratings)
        settle("enrichment")  # its models are loaded now: keep the collector off them (nlp/heap.py)
        return analysis

    def _analyze(
        self,
        texts: Sequence[str],
        langs: Sequence[str | None] | None,
        ratings: Sequence[float | None] | None,
    ) -> Analysis:
        clean = [normalize(t) for t in texts]
        given = list(langs) if langs is not None else [None] * len(clean)
        missing = [i for i, lang in enumerate(given) if not lang]
        detected = self.lang_id.detect([clean[i] for i in missing]) if missing else []
        final = [lang.lower() if lang else "und" for lang in given]
        for i, lang in zip(missing, detected, strict=True):
            final[i] = lang
        sentiments = with_ratings(self.sentiment.predict(clean, final), ratings, clean)
        complaints = [
            is_complaint(t, s.label.value if s else None, s.score if s else None)
            for t, s in zip(clean, sentiments, strict=True)
        ]
        return Analysis(
            clean_text=clean,
            lang=final,
            sentiment=sentiments,
            complaint=complaints,
            touchpoints=self.touchpoints.tag(clean, sentiments, final),
            entities=self.entities.tag(clean, final, complaints),
            topic=self.topics.assign(clean, final),
        )

    def enrich(self, mentions: Sequence[Mention]) -> list[EnrichedMention]:
        """One EnrichedMention per mention, in order; a mention's own `lang` is kept when given."""
        if not mentions:
            return []
        parts = self.analyze(
            [m.text for m in mentions], [m.lang for m in mentions], [m.rating for m in mentions]
        )
        out: list[EnrichedMention] = []
        for i, mention in enumerate(mentions):
            data = mention.model_dump(include=_MENTION_FIELDS)
            out.append(
                EnrichedMention(
                    **data,
                    lang=parts.lang[i],
                    clean_text=parts.clean_text[i],
                    sentiment=parts.sentiment[i],
                    complaint=parts.complaint[i],
                    touchpoints=parts.touchpoints[i],
                    entities=parts.entities[i],
                    topic=parts.topic[i],
                )
            )
        return out

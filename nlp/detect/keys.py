"""What a post counts towards: is it a complaint, and which series (keys) does it belong to.

A key is one of the time series the detector tests: ``*`` (all complaints of the brand),
``@touchpoint``, ``#topic-id`` (the stored BERTopic id), a plain term (a word shared by posts,
which finds new complaint clusters before any topic model has seen them), or a semantic
neighbourhood ``~space:id`` (nlp.detect.semantic: posts that say the same in other words). Terms come from
`groundswell.terms.terms_of` so that keys match the store's top terms in Korean and English.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from groundswell.config.settings import Settings
from groundswell.nlp.concepts import SHIPPED, ConceptSet
from groundswell.nlp.detect.watch import ALL_LABEL
from groundswell.records import EnrichedMention
from groundswell.terms import terms_of

ALL = "*"
MAX_TERMS = 40  # a 100 KB post must not flood the key space


def brand_terms(settings: Settings) -> dict[str, frozenset[str]]:
    """Each brand's own words (its name and query terms): never a key, and last in alert labels."""
    return {b.name: frozenset(terms_of(f"{b.name} {b.query}")) for b in settings.brands}


def is_coarse(key: str) -> bool:
    """Keys that contain many unrelated complaints; they join a term cluster when they can."""
    return key == ALL or key.startswith("@")


def is_word(key: str) -> bool:
    """A term or a concept's name: not ``*``, a touchpoint, a stored topic id or a meaning neighbourhood."""
    return not is_coarse(key) and not key.startswith(("#", "~"))


def keys_of(
    m: EnrichedMention, brand_terms: frozenset[str] = frozenset(), concepts: ConceptSet = SHIPPED
) -> frozenset[str]:
    """Series this post belongs to; the brand's own name is left out (it is in every post).

    A post also holds the name of each complaint concept it names (nlp.concepts): "비번
    오류" holds 로그인, so a burst that never repeats one word still grows one series."""
    text = " ".join(filter(None, [m.title, m.text]))
    terms = [t for t in dict.fromkeys(terms_of(text)) if t not in brand_terms]
    keys = {ALL, *terms[:MAX_TERMS]}
    keys.update(c for c in concepts.of(text) if c not in brand_terms)
    keys.update(f"@{t}" for t in m.touchpoints)
    if m.topic is not None and m.topic.id >= 0:
        keys.add(f"#{m.topic.id}")
    return frozenset(keys)


def author_of(m: EnrichedMention) -> str:
    """One voice per author; posts without an author count one each."""
    return m.author.id or m.author.handle or f"post:{m.id}"


def label_of(key: str) -> str:
    """What a key says to a person; a semantic key (``~space:id``, a neighbourhood) says nothing itself."""
    if key.startswith("~"):
        return ""
    return key.lstrip("@#") if key != ALL else ALL_LABEL


@dataclass
class Post:
    """A mention as the detector sees it, computed once per run."""

    mention: EnrichedMention
    ts: float
    complaint: bool
    keys: frozenset[str]  # empty for a post that is not a complaint (no series counts it)
    author: str
    space: str = ""  # the meaning-vector space (nlp.semantic.space_of), for complaints
    vector: np.ndarray | None = None

"""An incident's centroid by meaning: later clusters in other words continue it, other stories don't."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from groundswell.nlp.detect import meaning
from groundswell.nlp.detect.incidents import Incident, IncidentBook
from groundswell.nlp.detect.keys import Post
from groundswell.nlp.detect.semantic import SemanticBaseline
from groundswell.records import Author, EnrichedMention
from tests.detect.synthetic import START

DIM = 48
RNG = np.random.default_rng(7)


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def _post(i: int, vector: np.ndarray, space: str = "en", complaint: bool = True) -> Post:
    m = EnrichedMention(
        id=f"p{i}", source="t", native_id=str(i), text="-", created_at=START, fetched_at=START,
        brands=["acme"], author=Author(id=f"a{i}"),
    )  # fmt: skip
    return Post(m, START.timestamp(), complaint, frozenset(), m.author.id, space, _unit(vector))


def _around(direction: np.ndarray, n: int, start: int, noise: float = 0.6) -> list[Post]:
    return [_post(start + k, direction + noise * RNG.normal(size=DIM) / np.sqrt(DIM)) for k in range(n)]


def _baseline(n: int = 200) -> SemanticBaseline:
    base = SemanticBaseline()
    base.fold([_post(10_000 + k, RNG.normal(size=DIM)) for k in range(n)], "seed1")
    return base


def _incident(updated: float) -> Incident:
    t = START.timestamp()
    return Incident("det-1", "acme", "emerging", ["overheat"], [], t, t, updated, 5, "high")


STORY, OTHER = _unit(RNG.normal(size=DIM)), _unit(RNG.normal(size=DIM))


def test_a_cluster_about_the_incident_continues_it_and_another_story_does_not() -> None:
    base = _baseline()
    incident = _incident(START.timestamp())
    meaning.absorb(incident, _around(STORY, 6, 0), base)
    book = IncidentBook([incident])
    now = START.timestamp() + 3600
    assert meaning.find(book, "acme", "emerging", _around(OTHER, 6, 100), now) is None
    assert meaning.find(book, "acme", "emerging", _around(STORY, 6, 200), now) is incident
    # another brand, another rule, another space: never
    assert meaning.find(book, "other", "emerging", _around(STORY, 6, 300), now) is None
    assert meaning.find(book, "acme", "viral", _around(STORY, 6, 300), now) is None
    ko = [_post(400 + k, STORY, space="ko") for k in range(6)]
    assert meaning.find(book, "acme", "emerging", ko, now) is None


def test_a_long_quiet_incident_is_not_continued() -> None:
    base = _baseline()
    incident = _incident(START.timestamp())
    meaning.absorb(incident, _around(STORY, 6, 0), base)
    later = START.timestamp() + timedelta(days=3).total_seconds()
    assert meaning.find(IncidentBook([incident]), "acme", "emerging", _around(STORY, 6, 200), later) is None


def test_a_recently_closed_incident_comes_back_on_a_clear_match() -> None:
    base = _baseline()
    incident = _incident(START.timestamp())
    meaning.absorb(incident, _around(STORY, 6, 0), base)
    book = IncidentBook([], [incident])
    found = meaning.find(book, "acme", "emerging", _around(STORY, 6, 200), START.timestamp() + 7200)
    assert found is incident and incident in book.open and incident not in book.closed


def test_a_closed_broad_surge_is_not_revived() -> None:
    """A closed incident whose posts told no one story (not `coherent`) stays closed: its centroid
    sits near any complaint, so a later, different burst would be filed as its update."""
    base = _baseline()
    incident = _incident(START.timestamp())
    meaning.absorb(incident, _around(STORY, 6, 0), base)
    side = incident.extra[meaning.MEANING_KEY]["en"]
    assert meaning.coherent(side)
    side["own"] = side["usual"]  # as a surge of unrelated complaints measures
    book = IncidentBook([], [incident])
    assert meaning.find(book, "acme", "emerging", _around(STORY, 6, 200), START.timestamp() + 7200) is None
    assert incident in book.closed
    book = IncidentBook([incident])  # while it is open, it is still continued
    assert (
        meaning.find(book, "acme", "emerging", _around(STORY, 6, 300), START.timestamp() + 3600) is incident
    )


def test_the_bar_is_fixed_when_the_incident_opens() -> None:
    """Once the incident's own posts fill the brand's reservoir, the bar must not climb with them."""
    base = _baseline()
    incident = _incident(START.timestamp())
    meaning.absorb(incident, _around(STORY, 6, 0), base)
    bar = incident.extra[meaning.MEANING_KEY]["en"]["bar"]
    base.fold(_around(STORY, 400, 500, noise=0.3), "seed2")
    meaning.absorb(incident, _around(STORY, 6, 2000), base)
    assert incident.extra[meaning.MEANING_KEY]["en"]["bar"] == bar
    assert len(meaning.about(incident, _around(STORY, 10, 3000))) >= 8


def test_without_a_ready_reservoir_nothing_matches_by_meaning() -> None:
    incident = _incident(START.timestamp())
    meaning.absorb(incident, _around(STORY, 6, 0), SemanticBaseline())
    assert meaning.about(incident, _around(STORY, 6, 100)) == []
    meaning.absorb(incident, _around(STORY, 2, 200), _baseline())  # the bar comes once it can
    assert len(meaning.about(incident, _around(STORY, 6, 300))) >= 5


def test_posts_that_are_not_complaints_are_ignored() -> None:
    base = _baseline()
    incident = _incident(START.timestamp())
    meaning.absorb(incident, _around(STORY, 6, 0), base)
    praise = [_post(900 + k, STORY, complaint=False) for k in range(6)]
    assert meaning.about(incident, praise) == []


def _evidence(words_per_post: list[set[str]]) -> tuple[list[EnrichedMention], dict[str, frozenset[str]]]:
    posts = [
        EnrichedMention(id=f"e{i}", source="t", native_id=str(i), text="-", created_at=START, fetched_at=START, lang="en")
        for i in range(len(words_per_post))
    ]  # fmt: skip
    return posts, {m.id: frozenset(w) | {"*", "@baggage"} for m, w in zip(posts, words_per_post, strict=True)}


def test_a_story_told_in_other_words_is_named_by_the_words_closest_to_its_meaning() -> None:
    base = _baseline()
    incident = _incident(START.timestamp())
    meaning.absorb(incident, _around(STORY, 8, 0, noise=0.3), base)
    vectors = {"suitcase": STORY, "luggage": STORY + 0.2 * OTHER, "today": OTHER, "lost": -STORY}
    evidence, keys = _evidence(
        [{"suitcase", "today"}, {"suitcase", "lost"}, {"luggage", "today"}, {"luggage", "lost"}, {"once"}]
    )
    words = meaning.story_words(
        incident, evidence, keys, lambda w: True, lambda ws, space: np.vstack([_unit(vectors[w]) for w in ws])
    )
    assert words == ["suitcase", "luggage"]  # "once" is held by one post only; touchpoints never
    assert (
        meaning.story_words(
            incident,
            evidence,
            keys,
            lambda w: w != "suitcase",
            lambda ws, s: np.vstack([_unit(vectors[w]) for w in ws]),
        )[0]
        == "luggage"
    )


def test_a_broad_surge_of_unrelated_complaints_gets_no_made_up_subject() -> None:
    base = _baseline()
    incident = _incident(START.timestamp())
    meaning.absorb(incident, [_post(k, RNG.normal(size=DIM)) for k in range(8)], base)
    assert not meaning.coherent(incident.extra[meaning.MEANING_KEY]["en"])
    evidence, keys = _evidence([{"seat", "bag"}, {"seat", "bag"}])
    assert (
        meaning.story_words(incident, evidence, keys, lambda w: True, lambda ws, s: np.eye(len(ws), DIM))
        == []
    )

"""What an incident is about, by meaning: the centroid of its complaints' vectors in each language.

Term keys tie a later cluster to an open incident only when they share a word, and a story that
lasts for days changes its words ("발열" on day one, "뜨거워서", "경고 뜨고 꺼짐" on day three,
"overheating" then "swollen battery"). Each incident therefore keeps, per meaning space
(`groundswell.nlp.semantic`), the running mean of its complaint vectors. A post is *about* the
incident when it is closer to that centroid than halfway from the brand's usual complaints (the
reservoir `nlp.detect.semantic` keeps) to the incident's own posts, so the bar calibrates itself
per brand, incident and encoder (see `_bar`).
The bar is fixed when a space first joins the incident, from a reservoir that does not yet hold
the incident's own posts: once a big incident fills the reservoir, a bar taken from it would sit
at the incident's own similarity and let half its posts fall out.

A cluster continues the incident when most of its posts are about it; the detector also keeps an
incident open while posts about it keep coming (see `Detector._keep_alive`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from groundswell.nlp.detect.incidents import Incident, IncidentBook
from groundswell.nlp.detect.keys import Post, is_word
from groundswell.nlp.detect.narrative import distinct_forms
from groundswell.nlp.detect.semantic import SemanticBaseline
from groundswell.nlp.detect.story import STORY_S
from groundswell.nlp.semantic import space_of
from groundswell.records import EnrichedMention

MEANING_KEY = "meaning"  # Incident.extra: {space: {"v": unit centroid, "n": weight, "bar", "usual", "own"}}
MATCH_QUANTILE = 0.95  # the brand's usual complaints come this close to an incident's centroid...
FLOOR_QUANTILE = 0.99  # (... a broad incident's bar is never below this quantile of them)
MATCH_SHARE = 0.5  # a cluster continues an incident when this share of its posts is about it
MIN_MATCHED = 2  # ... and at least this many of them
REVIVE_SHARE = 0.75  # a closed incident (quiet for its cooldown) needs a clearer match to come back
MAX_WEIGHT = 200.0  # the centroid follows a story that shifts: old posts weigh at most this much
DECIMALS = 4  # centroid values kept in the saved state
COHERENT_GAP = 0.25  # own closeness this share of the way from the usual to 1.0: one story
MIN_WORD_POSTS = 2  # a word names a story told in other words only when two of its posts use it
LABEL_WORDS = 2  # words per language side


def _vectors(posts: Sequence[Post], space: str) -> np.ndarray:
    rows = [p.vector for p in posts if p.space == space and p.vector is not None and p.complaint]
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, 0), np.float32)


def centroid(incident: Incident, space: str) -> tuple[np.ndarray, float] | None:
    """The incident's unit centroid in `space` and its bar, if posts in that space joined it."""
    side = incident.extra.get(MEANING_KEY, {}).get(space)
    if not side or side.get("bar") is None:
        return None
    return np.asarray(side["v"], dtype=np.float32), float(side["bar"])


def absorb(incident: Incident, posts: Sequence[Post], base: SemanticBaseline | None) -> None:
    """Fold the vectors of `posts` (the incident's newest complaints) into its centroids."""
    sides: dict[str, Any] = incident.extra.setdefault(MEANING_KEY, {})
    for space in sorted({p.space for p in posts if p.vector is not None and p.complaint}):
        rows = _vectors(posts, space)
        side = sides.get(space)
        if side is None:
            total, weight = rows.sum(axis=0), float(len(rows))
        else:
            old = float(side["n"])
            total = np.asarray(side["v"], dtype=np.float32) * old + rows.sum(axis=0)
            weight = min(old + len(rows), MAX_WEIGHT)
        norm = float(np.linalg.norm(total))
        if norm <= 0:
            continue
        unit = total / norm
        fixed = {k: side[k] for k in ("bar", "usual", "own") if k in side} if side else {}
        if fixed.get("bar") is None:
            measured = _bar(unit, rows, base, space)
            fixed = dict(zip(("bar", "usual", "own"), measured, strict=True)) if measured else {"bar": None}
        sides[space] = {"v": [round(float(x), DECIMALS) for x in unit], "n": weight, **fixed}


def _bar(
    unit: np.ndarray, rows: np.ndarray, base: SemanticBaseline | None, space: str
) -> tuple[float, float, float] | None:
    """Halfway between how close the brand's usual complaints come to `unit` (their
    `MATCH_QUANTILE`, at least their `FLOOR_QUANTILE`) and how close the incident's own posts are
    (the median, each against the mean of the others).

    The quantile alone is too lax for one post: complaints about the same airline or app sit
    closer to any of its incidents than random complaints do (broken seat power came within the
    95% bar of a lost-luggage incident in tests/semantic/test_detect_by_meaning.py), while the
    incident's own paraphrases sit far above it; the midpoint keeps a wide margin on both sides.
    Returns (bar, usual, own)."""
    reservoir = base.spaces.get(space) if base is not None else None
    if reservoir is None or not reservoir.ready:
        return None
    sims = reservoir.matrix() @ unit
    usual, floor = (float(q) for q in np.quantile(sims, [MATCH_QUANTILE, FLOOR_QUANTILE]))
    if len(rows) >= 2:
        others = (rows.sum(axis=0)[None, :] - rows) / (len(rows) - 1)
        others /= np.maximum(np.linalg.norm(others, axis=1, keepdims=True), 1e-9)
        own = float(np.median((rows * others).sum(axis=1)))
    else:
        own = 1.0
    return round(max(floor, (usual + own) / 2), DECIMALS), round(usual, DECIMALS), round(own, DECIMALS)


def about(incident: Incident, posts: Sequence[Post]) -> list[Post]:
    """The complaints among `posts` that are about the incident, by meaning."""
    out: list[Post] = []
    for space in sorted({p.space for p in posts if p.vector is not None and p.complaint}):
        known = centroid(incident, space)
        if known is None:
            continue
        unit, bar = known
        mine = [p for p in posts if p.space == space and p.vector is not None and p.complaint]
        sims = _vectors(mine, space) @ unit
        out.extend(p for p, s in zip(mine, sims, strict=True) if s >= bar)
    return out


def find(book: IncidentBook, brand: str, rule: str, posts: Sequence[Post], now: float) -> Incident | None:
    """The open incident of this brand and rule (or a recently closed one, on a stricter share)
    that the cluster's `posts` continue by meaning; the best matched when several do.

    A closed incident comes back only if its posts told one story (`coherent`): the centroid of a
    broad surge of unrelated complaints sits near any complaint, and revived that way, a lost-flight
    burst ten hours later was filed as an update of a quiet customer-service surge."""
    best: tuple[float, Incident] | None = None
    for incident, closed in [(i, False) for i in book.open] + [(i, True) for i in book.closed]:
        if incident.brand != brand or incident.rule != rule or now - incident.updated_at > STORY_S:
            continue
        share = REVIVE_SHARE if closed else MATCH_SHARE
        if closed and not any(coherent(side) for side in incident.extra.get(MEANING_KEY, {}).values()):
            continue  # a quiet broad surge has no story for a later one to continue
        comparable = [
            p
            for p in posts
            if p.vector is not None and p.complaint and centroid(incident, p.space) is not None
        ]
        matched = len(about(incident, comparable))
        if comparable and matched >= MIN_MATCHED and matched >= share * len(comparable):
            score = matched / len(comparable)
            if best is None or score > best[0]:
                best = (score, incident)
    if best is None:
        return None
    incident = best[1]
    if incident in book.closed:
        book.closed.remove(incident)
        book.open.append(incident)
    book.dirty = True
    return incident


def coherent(side: dict[str, Any]) -> bool:
    """The incident's posts say one thing: their own closeness is well above the brand's usual
    complaints' (a broad surge of unrelated complaints is not, and must not get a made-up subject)."""
    usual, own = side.get("usual"), side.get("own")
    return usual is not None and own is not None and own >= usual + COHERENT_GAP * (1.0 - usual)


def story_words(
    incident: Incident,
    evidence: Sequence[EnrichedMention],
    keys: Mapping[str, frozenset[str]],
    usable: Callable[[str], bool],
    embed: Callable[[list[str], str], np.ndarray],
) -> list[str]:
    """Words that name a story told in other words (bag, suitcase, luggage; none held by a
    quarter of the posts): in each language space where the incident is coherent, its posts'
    words held by `MIN_WORD_POSTS` posts, closest in meaning to its centroid first."""
    out: list[str] = []
    for space, side in sorted(incident.extra.get(MEANING_KEY, {}).items()):
        if not coherent(side):
            continue
        counts = Counter(
            k
            for m in evidence
            if space_of(m.lang) == space
            for k in sorted(keys.get(m.id, frozenset()))
            if is_word(k) and usable(k)
        )
        words = sorted(w for w, c in counts.items() if c >= MIN_WORD_POSTS)
        if not words:
            continue
        sims = embed(words, space) @ np.asarray(side["v"], dtype=np.float32)
        ranked = distinct_forms(words[i] for i in np.argsort(-sims, kind="stable"))
        out.extend(ranked[:LABEL_WORDS])
    return out

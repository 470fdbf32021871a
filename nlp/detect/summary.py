"""An incident in two or three sentences a PR lead can paste: offline, extractive, Korean and English.

The first sentence is ours, in the rule's language: how many people, where, over what time, about
what, and how far above normal. The next ones are the posts' own words: the sentences closest to
the centroid of the incident's evidence (TF-IDF over `groundswell.terms` terms, which strip Korean
particles, so both languages work), picked with maximal marginal relevance so the second quote
adds something the first did not say. No model is downloaded or called; a quote is never
paraphrased, so nothing is put in a customer's mouth.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import UTC, datetime, tzinfo
from functools import lru_cache

from groundswell.addresses import HANDLE, AddressRegex
from groundswell.localtime import local, zone_name
from groundswell.records import EnrichedMention
from groundswell.terms import terms_of

QUOTES = 2
MMR_LAMBDA = 0.7  # relevance to the centroid vs. novelty against the quotes already chosen
RELEVANT = 0.6  # a quote is at least this close to the centroid, relative to the closest sentence
MIN_TERMS = 3  # a sentence with fewer terms says too little to quote
MAX_CHARS = 160
# a quote keeps an e-mail (it is what to write to) but no link, handle, masked token or leading RT
_URL_HANDLE = AddressRegex(rf"{HANDLE}|<url>|<user>|^\s*RT\b\s*:?")
_SPLIT = re.compile(r"(?<=[.!?。！？])\s+|\n+|(?<=[다요죠네음함])[.~!]*\s+(?=\S)")

LEAD = {
    "en": "{who} on {sources} complained about {brand}: {label}, {span} ({growth}).",
    "ko": "{span} {sources}에서 {who}이 {brand} '{label}' 관련 불만을 올렸습니다 ({growth}).",
}
PEOPLE = {"en": ("1 person", "{n} people"), "ko": ("1명", "{n}명")}
ABOUT = {"en": "about {n}", "ko": "약 {n}"}
QUOTE_LEAD = {"en": "In their words: {quotes}", "ko": "게시물 발췌: {quotes}"}
GROWTH = {"en": "{g:.1f}x the usual rate", "ko": "평소의 {g:.1f}배"}
NEW = {"en": "a new subject", "ko": "새로운 이슈"}


def sentences(text: str) -> list[str]:
    """The sentences of a post, links and handles removed, whitespace collapsed."""
    clean = _URL_HANDLE.sub(" ", text)
    out = []
    for part in _SPLIT.split(clean):
        s = " ".join(part.split()).strip(" -–—|·:")
        if s:
            out.append(s if len(s) <= MAX_CHARS else s[: MAX_CHARS - 1].rstrip() + "…")
    return out


@lru_cache(maxsize=20_000)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(sentences(text))


@lru_cache(maxsize=50_000)
def _terms(sentence: str) -> Counter[str]:
    """Terms of a sentence, remembered: an incident's evidence is summarised again on each update."""
    return Counter(terms_of(sentence))


def _cos(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def central_sentences(posts: list[EnrichedMention], k: int = QUOTES) -> list[str]:
    """Up to `k` sentences, at most one per post, most central first, diverse by MMR."""
    cands: list[tuple[int, str, Counter[str]]] = []
    for i, m in enumerate(posts):
        for s in _sentences(m.clean_text or m.text):
            terms = _terms(s)
            if len(terms) >= MIN_TERMS:
                cands.append((i, s, terms))
    if not cands:
        return []
    df = Counter(t for _, _, terms in cands for t in terms)
    n = len(cands)
    vecs = [{t: c * math.log(1 + n / df[t]) for t, c in terms.items()} for _, _, terms in cands]
    centroid: dict[str, float] = {}
    for v in vecs:
        for t, w in v.items():
            centroid[t] = centroid.get(t, 0.0) + w / n
    rel = [_cos(v, centroid) for v in vecs]
    floor = RELEVANT * max(rel)  # MMR's novelty must not reach for an off-story post
    chosen: list[int] = []
    used_posts: set[int] = set()
    while len(chosen) < k:
        best, best_score = -1, -math.inf
        for j in range(n):
            if j in chosen or cands[j][0] in used_posts or rel[j] < floor:
                continue
            if any(cands[j][1].lower() == cands[c][1].lower() for c in chosen):
                continue
            redundancy = max((_cos(vecs[j], vecs[c]) for c in chosen), default=0.0)
            score = MMR_LAMBDA * rel[j] - (1 - MMR_LAMBDA) * redundancy
            if score > best_score:
                best, best_score = j, score
        if best < 0:
            break
        chosen.append(best)
        used_posts.add(cands[best][0])
    return [cands[j][1] for j in chosen]


def in_language(evidence: list[EnrichedMention], language: str) -> list[EnrichedMention]:
    """The posts written in the message's language, when they can carry the quotes; else all.

    One language per message: a Korean summary of a story told in both languages quotes the Korean
    posts (English ones, longer and richer in terms, would otherwise win the centroid)."""
    own = [m for m in evidence if m.lang == language]
    quotable = sum(1 for m in own for s in _sentences(m.clean_text or m.text) if len(_terms(s)) >= MIN_TERMS)
    return own if quotable >= QUOTES else evidence


def _people(n: int, exact: bool, lang: str) -> str:
    """ "446 people", or "about 2,000 people" (two significant digits) when `n` is an estimate."""
    one, many = PEOPLE[lang]
    if exact:
        return one if n == 1 else many.format(n=f"{n:,}")
    rounded = round(n, 2 - len(str(n)))
    return many.format(n=ABOUT[lang].format(n=f"{rounded:,}"))


def _span(first: datetime, last: datetime, language: str, daily: bool, tz: tzinfo) -> str:
    a_t, b_t = local(first, tz), local(last, tz)
    name = zone_name(tz, last)
    if daily or (b_t - a_t).days >= 2:
        a, b = a_t.strftime("%Y-%m-%d"), b_t.strftime("%Y-%m-%d")
    else:
        a = a_t.strftime("%Y-%m-%d %H:%M")
        b = b_t.strftime("%H:%M" if a_t.date() == b_t.date() else "%Y-%m-%d %H:%M")
    if a == b:
        return f"{a}" if language == "ko" else f"on {a}"
    return f"{a}~{b} ({name})" if language == "ko" else f"between {a} and {b} {name}"


def summarize(
    evidence: list[EnrichedMention],
    *,
    brand: str,
    label: str,
    language: str,
    growth: float,
    new: bool = False,
    daily: bool = False,
    everyone: list[EnrichedMention] | None = None,
    since: datetime | None = None,
    tz: tzinfo = UTC,
    people: tuple[int, bool] | None = None,
) -> str:
    """Lead sentence plus up to two quotes from `evidence` (most representative first); the
    counts, sources and time span are those of `everyone` (the incident's posts) when given;
    `since`: when the incident began (its oldest posts may no longer be tracked); times are read
    in `tz` (the deployment's `timezone`), as everything a person reads; `people`: how many
    distinct people the incident has had and whether that is exact (`Incident.count_authors`),
    when it tracks more than the posts given here."""
    lang = language if language in LEAD else "en"
    if not evidence:
        return ""
    every = everyone or evidence
    authors = {m.author.id or m.author.handle or m.id for m in every}
    who = _people(max(len(authors), people[0]) if people else len(authors), people is None or people[1], lang)
    sources = sorted({m.source for m in every})
    shown = ", ".join(sources[:3]) + (f" +{len(sources) - 3}" if len(sources) > 3 else "")
    first = min([m.created_at for m in every] + ([since] if since else []))
    last = max(m.created_at for m in every)
    rate = NEW[lang] if new and growth >= 999 else GROWTH[lang].format(g=growth)
    lead = LEAD[lang].format(
        who=who,
        sources=shown,
        brand=brand,
        label=label,
        span=_span(first, last, lang, daily, tz),
        growth=rate,
    )
    quotes = central_sentences(in_language(evidence, lang))
    if not quotes:
        return lead
    return lead + " " + QUOTE_LEAD[lang].format(quotes=" / ".join(f'"{q}"' for q in quotes))

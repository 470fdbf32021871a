"""What an incident says, decided from all of its evidence, and kept while the story holds.

A growing incident is seen one detection step at a time. Naming it from the latest step alone made
a cancellation storm read `hours`, then `call-center`, then `complaints`, then `loyalty-refunds`
(issue #14): each step's handful of new posts out-voted the fifty before them. Here the label,
touchpoints (hence owners and playbook) are computed from the incident's whole evidence, saved
with the incident as what it has *told* the team, and kept on later updates. They change only when
the story really changes: a new word or touchpoint now held by a majority of the evidence is added
(never swapped in), and the update says so ("now also: ...").

Label words must say something: never a word with ``_``, a one-syllable fragment, the brand's own
name or a word built on it, a generic word (`GENERIC`) or a word common among the brand's usual
complaints (``common``: `flight` for an airline). A broad surge whose posts share no such word is
named by its dominant touchpoint, or says plainly that its posts share nothing specific.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from groundswell.addresses import HANDLE_AT, HANDLE_DOMAIN, HANDLE_NAME
from groundswell.records import EnrichedMention

WORD_SHARE = 0.25  # a word in this share of the evidence (of its language) may name the story
WORD_POSTS = 3  # ... and in this many posts: 2 of 8 is a quarter, not yet a story (it would stay told)
TOUCHPOINT_SHARE = 0.3  # a touchpoint named by this share of the evidence is on the alert ...
TOUCHPOINT_POSTS = 3  # ... and by this many posts: an alert is not routed on two (the Skyway replay:
# 2 of its first 5 posts named call-center, 3 of its final 18 did, and the owner stayed)
NEW_SHARE = 0.5  # a word / touchpoint not told yet joins the story when this share holds it
DROP_SHARE = 0.15  # a told word held by fewer than this share of the evidence ...
DROP_POSTS = 12  # ... once the evidence has this many posts, is taken back (see `settle`)
MIN_SIDE = 3  # a language needs this many evidence posts before its words are counted
LABEL_WORDS = 3
SIDE_WORDS = 5  # words remembered per language side
BRAND_PREFIX_MIN = 3  # a Latin brand term this long marks words built on it (lumio -> lumiox2); Hangul: 2
NOTHING_SHARED = {"en": "no shared subject", "ko": "공통 주제 없음"}
NOW_ALSO = {"en": "now also: {what}", "ko": "추가 확인: {what}"}

_GENERIC_WORDS = """
    complaint complaints complain complaining issue issues problem problems thing things stuff
    service customer customers people company team time times today yesterday tomorrow hour hours
    day days week weeks minute minutes year years help please thanks thank sorry still back again
    really just even ever never always get got getting make made want need know think going now one
    two guys lol yes way flight flights airline airlines product products app order orders account
    new old try tried trying say says said tell told let like good bad great
    all-complaints review reviews 후기 리뷰 사용기 불만 문제 고객 서비스 사람 오늘 어제 시간 진짜 정말 너무 그냥 이거 저거 하루 계속
    아니 근데 그래서 그리고 그런데 이제 진심 완전 약간 많이 제발 같이 다시 다들 우리 이번 요즘 지금 여기 거기 무슨 어떻게 이렇게 그렇게
    사용 이용 확인 앱 어플 어플리케이션 생각 정도 부분 경우 때문 이상 자체 부탁 감사
"""
GENERIC = frozenset(_GENERIC_WORDS.split())  # a word list reads better as text
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# a Hangul word ending like this is a predicate or a connective (봤는데 "I saw, but"), not a subject
_KO_PREDICATE = (
    "는데",
    "지만",
    "니까",
    "어서",
    "아서",
    "면서",
    "네요",
    "어요",
    "아요",
    "해요",
    "했다",
    "였다",
    "습니다",
)
_DIGITS = re.compile(r"^[\d.,:]+$")
# an account's name (RT @techjun_tv; alice of @alice.bsky.social) never names a story
_HANDLE = re.compile(rf"{HANDLE_AT}({HANDLE_NAME}){HANDLE_DOMAIN}?")
_NAME_PART = re.compile(r"[_\d]+")  # techjun_tv -> techjun, tv (how terms split it)


def names_brand(word: str, brand_terms: frozenset[str]) -> bool:
    """The brand's name (벡사) or a word built on it (루미오폰, lumiox2)."""
    return word in brand_terms or any(
        word.startswith(b) and len(b) >= (BRAND_PREFIX_MIN if b.isascii() else 2) for b in brand_terms
    )


def speaks(
    word: str, brand_terms: frozenset[str] = frozenset(), common: frozenset[str] = frozenset()
) -> bool:
    """Can this word stand in a label? See the module docstring for what is refused."""
    w = word.strip().lower()
    if not w or "_" in w or _DIGITS.match(w):
        return False
    if _HANGUL.search(w):
        if len(w) < 2 or w.endswith(_KO_PREDICATE):
            return False
        head = korean_head(w)
        if head is None or head in GENERIC or head in common:
            return False
    elif len(w) < 3:
        return False
    return w not in GENERIC and w not in common and not names_brand(w, brand_terms)


_KO_NOUN_TAGS = frozenset({"NNG", "NNP"})
_KO_SUBJECT_TAGS = _KO_NOUN_TAGS | {"XR", "SL", "VA", "VV"}


def korean_head(word: str) -> str | None:
    """The word's leading content morpheme when it can name a subject, else None.

    A Korean term is an eojeol with its ending cut, so 바로 (right away), 아닌데 (isn't, but), 전에
    (before) and 안되 (doesn't work) reached labels ("고객센터 · 아닌데") beside 로그인 and 결제. Kiwi
    says what the word is: a noun (compound: 고객센터), root or foreign word (로그인이 -> 로그인) or a verb/adjective stem
    of two syllables or more (느려 -> 느리, 튕겨 -> 튕기) can name a story; an adverb, a copula, a
    one-syllable noun or stem (전, 오) cannot."""
    return _korean_word(word)[0]


@lru_cache(maxsize=8192)
def _korean_word(word: str) -> tuple[str | None, str]:
    """(`korean_head`, `display_word`) of a Hangul word, from one Kiwi analysis."""
    from groundswell.nlp.korean import morphemes

    row = morphemes([word])[0]
    if not row or row[0][1] not in _KO_SUBJECT_TAGS:
        return None, word
    form, tag = row[0]
    if tag in _KO_NOUN_TAGS:  # a compound is one subject: 고객 + 센터 -> 고객센터
        for next_form, next_tag in row[1:]:
            if next_tag not in _KO_NOUN_TAGS:
                break
            form += next_form
    if len(form) < 2:
        return None, word
    if tag not in {"VA", "VV"}:
        return form, form
    if row[-1][1] in {"ETN", "EF"} and row[-1][0] in {"음", "ᆷ", "기"}:
        return form, word  # a verb made a noun (부풀음, 느림) reads as one already
    return form, form + "다"


def display(touchpoint: str) -> str:
    """A touchpoint name as a reader sees it (`product_quality`, `features-ux` -> `product quality`,
    `features ux`)."""
    return re.sub(r"[-_]+", " ", touchpoint).strip() or touchpoint


@dataclass
class Story:
    """What the incident tells: saved in `Incident.extra["told"]` between updates."""

    words: list[str] = field(default_factory=list)
    touchpoints: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Story | None:
        if not d:
            return None
        return cls(list(d.get("words", [])), list(d.get("touchpoints", [])))

    def to_dict(self) -> dict[str, Any]:
        return {"words": self.words, "touchpoints": self.touchpoints}

    def label(self, language: str) -> str:
        if self.words:
            return " · ".join(label_words(self.words, language))
        if self.touchpoints:
            return " · ".join(display(t) for t in self.touchpoints[:2])
        return NOTHING_SHARED.get(language, NOTHING_SHARED["en"])


def _script(word: str) -> str:
    return "hangul" if _HANGUL.search(word) else "latin"


def _sides(words: list[str]) -> dict[str, list[str]]:
    """Words by script (Korean / Latin), in order: the two language sides of one story."""
    out: dict[str, list[str]] = {}
    for w in words:
        out.setdefault(_script(w), []).append(w)
    return out


_SUFFIXES = ("ing", "ed", "es", "s")


def word_stem(word: str) -> str:
    """A crude English stem for telling word forms apart (delayed, delay, delays -> delay)."""
    if _HANGUL.search(word) or word.endswith("ss"):
        return word
    stem = word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            if suffix == "es" and not stem.endswith(("ss", "sh", "ch", "x")):
                stem = word[:-1]  # fees -> fee, prices -> price; classes -> class
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "ls":
                stem = stem[:-1]  # stopped -> stop
            elif stem.endswith("ll") and len(stem) > 5:
                stem = stem[:-1]  # cancelled -> cancel
            break
    return stem[:-1] if stem.endswith("e") and len(stem) > 4 else stem  # charge, charged -> charg


def distinct_forms(words: Iterable[str]) -> list[str]:
    """The words, in order, without a second form of one already kept: a label reads
    `delayed · seats`, not `delayed · delay`."""
    seen: set[str] = set()
    out: list[str] = []
    for w in words:
        stem = word_stem(w)
        if stem not in seen:
            seen.add(stem)
            out.append(w)
    return out


def label_words(words: list[str], language: str = "en") -> list[str]:
    """Three words in the message's language when the story is told in it (one language per
    message: "발열 · 펌웨어 · battery · overheating" said the same thing twice), else in the
    language it is told in: an English story keeps its English words under a Korean rule."""
    sides = _sides(words)
    own = sides.get("hangul" if language == "ko" else "latin")
    shown = list(dict.fromkeys(display_word(w) for w in (own or words)))
    # a Korean word inside another is its fragment: `다운로드 · 무한반복`, not `다운로드 · 무한 · 무한반복`
    whole = [w for w in shown if not (_HANGUL.search(w) and any(w != o and w in o for o in shown))]
    return whole[:LABEL_WORDS]


def display_word(word: str) -> str:
    """A Korean label word in dictionary form: 로그인이 -> 로그인, 느려 -> 느리다, 튕겨 -> 튕기다
    (a term is an eojeol with its ending cut, which reads as a fragment); a verb made a noun
    (부풀음) and other words as they are."""
    return _korean_word(word)[1] if _HANGUL.search(word) else word


def word_shares(evidence: list[EnrichedMention], keys: dict[str, frozenset[str]]) -> dict[str, float]:
    """Share of evidence posts holding each term, within each language (the larger share wins),
    so the minority language's words of a bilingual incident are not drowned by the majority's.
    A term counts every form of its word (`word_stem`): "delay", "delayed" and "delaying" are one
    word to a reader, and a storm where each is in a seventh of the posts is about delays."""
    by_lang: dict[str, list[EnrichedMention]] = {}
    for m in evidence:
        by_lang.setdefault(m.lang or "?", []).append(m)
    shares: dict[str, float] = {}
    for posts in by_lang.values():
        if len(posts) < min(MIN_SIDE, len(evidence)):
            continue
        for word, share in _form_shares(posts, keys).items():
            shares[word] = max(shares.get(word, 0.0), share)
    return shares


def _form_shares(posts: list[EnrichedMention], keys: dict[str, frozenset[str]]) -> dict[str, float]:
    counts = form_counts(keys.get(m.id, frozenset()) for m in posts)
    return {w: n / max(len(posts), 1) for w, n in counts.items()}


def form_counts(held: Iterable[Iterable[str]]) -> dict[str, int]:
    """For each word any post holds, how many posts hold one of its forms (`word_stem`)."""
    posts = [set(words) for words in held]
    stems = Counter(s for words in posts for s in {word_stem(w) for w in words})
    return {w: stems[word_stem(w)] for w in sorted(set().union(*posts))}


def touchpoint_counts(evidence: list[EnrichedMention]) -> Counter[str]:
    return Counter(t for m in evidence for t in sorted(set(m.touchpoints)))


def dominant(
    evidence: list[EnrichedMention],
    keys: dict[str, frozenset[str]],
    candidates: Iterable[str],
    brand_terms: frozenset[str] = frozenset(),
    common: frozenset[str] = frozenset(),
) -> tuple[Story, dict[str, float], dict[str, float]]:
    """The story the evidence tells now: label words (from `candidates`, the growing words, in
    their order of growth, kept when held by WORD_SHARE of the evidence, most held first) and
    touchpoints (named by TOUCHPOINT_SHARE of the evidence and TOUCHPOINT_POSTS posts, most named first; none when no
    touchpoint is that common: one post in twelve naming billing does not make a billing story).
    Also returns the overall word shares and the touchpoint shares, which `settle` uses."""
    n = max(len(evidence), 1)
    shares = word_shares(evidence, keys)
    names = {h for m in evidence for h in _HANDLE.findall(m.text)}
    names |= {m.author.handle.lstrip("@") for m in evidence if m.author.handle}
    handles = {part for h in names for part in [h.lower(), *_NAME_PART.split(h.lower())] if part}
    order = list(dict.fromkeys(c for c in candidates if speaks(c, brand_terms, common) and c not in handles))
    posts = form_counts(keys.get(m.id, frozenset()) for m in evidence)
    overall = {w: c / n for w, c in posts.items()}  # each word's share of all the evidence
    held = [w for w in order if shares.get(w, 0.0) >= WORD_SHARE and posts.get(w, 0) >= WORD_POSTS]
    held.sort(key=lambda w: (-round(shares[w], 1), order.index(w)))
    held = distinct_forms(held)
    held = [w for side in _sides(held).values() for w in side[:SIDE_WORDS]]
    tps = touchpoint_counts(evidence)
    tp_share = {t: c / n for t, c in tps.items()}
    touch = [t for t, c in tps.most_common() if c >= max(TOUCHPOINT_SHARE * n, TOUCHPOINT_POSTS)]
    return Story(held, touch), overall, tp_share


def settle(
    told: Story | None,
    now: Story,
    shares: dict[str, float],
    tp_shares: dict[str, float],
    growing: Iterable[str] = (),
    posts: int = 0,
) -> tuple[Story, list[str]]:
    """Keep what was told while the evidence holds it; add what it now says that was not told.

    A word of a side (script) the story has not been told in yet (the English side of a Korean
    story) joins silently: same story, other words. A new word of a told side joins only when it
    is growing now (in `growing`), NEW_SHARE of the whole evidence holds it (`shares`), and it is
    held more widely than the side's second word: then it comes right after the side's leading
    word and is returned as news (for the update's "now also: ..."). So is a new touchpoint held by
    NEW_SHARE of the evidence (TOUCHPOINT_SHARE when none was told: the story had no owner); a
    touchpoint held by NEW_SHARE of the evidence goes first (its owner is the alert's first owner)
    when the first one told no longer is.

    A told word is taken back only when the evidence has left it: `posts` (the evidence's size)
    is at least DROP_POSTS and fewer than DROP_SHARE of them hold it. A word told from the first
    three posts of twelve can otherwise name an incident whose fifteen posts are about something
    else (the Skyway replay: `reservation · luggage`, held by 2 of 15). With every word taken
    back, the story is what the evidence says now, and its words are news."""
    if told is not None and told.words and posts >= DROP_POSTS:
        kept = [w for w in told.words if shares.get(w, 0.0) >= DROP_SHARE]
        if not kept and not told.touchpoints:
            return now, list(now.words)
        told = Story(kept, told.touchpoints)
    if told is None or (not told.words and not told.touchpoints):
        return now, []
    sides = _sides(told.words)
    rising = set(growing)
    news: list[str] = []
    fresh: dict[str, list[str]] = {}
    for w in now.words:
        side = _script(w)
        if w in told.words:
            continue
        if side not in sides:
            fresh.setdefault(side, []).append(w)
            continue
        second = shares.get(sides[side][1], 0.0) if len(sides[side]) > 1 else 0.0
        if not news and w in rising and shares.get(w, 0.0) >= max(NEW_SHARE, second + 0.1):
            sides[side] = [*sides[side][:1], w, *sides[side][1:]]
            news.append(w)
    if not told.words and now.words:  # a broad surge that found its words: say them
        news = list(now.words)
    words = [w for side in sides.values() for w in side[:SIDE_WORDS]]
    words += [w for side in fresh.values() for w in side[:SIDE_WORDS]]
    # a story told with no touchpoint has no owner to keep: the one its evidence names now (at the
    # opening bar, TOUCHPOINT_SHARE) routes it (real reviews: a crash story at 40% stability had none)
    bar = NEW_SHARE if told.touchpoints else TOUCHPOINT_SHARE
    new_tps = [t for t in now.touchpoints if t not in told.touchpoints and tp_shares.get(t, 0.0) >= bar]
    touchpoints = list(dict.fromkeys(told.touchpoints + new_tps))
    major = max(touchpoints, key=lambda t: tp_shares.get(t, 0.0), default=None)
    if major is not None and tp_shares.get(major, 0.0) >= NEW_SHARE > tp_shares.get(touchpoints[0], 0.0):
        touchpoints = [major, *(t for t in touchpoints if t != major)]  # the majority owns it now
    story = Story(words, touchpoints)
    return story, news + [display(t) for t in new_tps]


def now_also(new: list[str], language: str) -> str:
    return NOW_ALSO.get(language, NOW_ALSO["en"]).format(what=", ".join(new)) if new else ""

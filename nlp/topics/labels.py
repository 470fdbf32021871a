"""Topic labels a person can read: KeyBERT-style keyphrases, picked by MMR from the topic's own words.

c-TF-IDF's top words made labels such as "help · _ · baby", "굿 · 구 · 국", "사용 · 아쥬 · 닌핟고":
placeholders, one-syllable Korean fragments, typos and words every topic uses. Here a label is
built the way KeyBERT does it (Grootendorst 2020), from candidates that pass these rules first:

* a candidate is a word or a two-word phrase of the topic's posts (adjacent content tokens:
  "customer service", "배송 지연"), Korean in dictionary form (the tokenizer's 들뜨다);
* it reads as a word: Latin letters (3+) or Hangul of 2+ syllables, nothing else (no `_`, digits,
  or one-syllable Korean);
* it is not a brand's name (`brands`, from the config) nor part of one;
* it is not rare: in at least `MIN_SHARE` of the topic's posts (and 3 posts over the corpus), so
  a typo or a fragment of one post never becomes a label;
* it is not generic: not in the short list below, and not frequent in most topics at once.
* it is not template text: a sentence stamped on many different posts all over the topics (a
  forum's "Long time lurker.", a review site's "It's fine", "댓글 부탁드려요") is read as if the
  posts did not say it (`boilerplate`).

The best `CANDIDATES` by class-based TF-IDF are embedded with the topic's own embedder, and
Maximal Marginal Relevance picks labels close to the topic's centre and unlike each other.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from groundswell.nlp.topics.korean_words import whole_words

WORD = re.compile(r"^(?:[a-z][a-z0-9'-]*[a-z]|[\uac00-\ud7a3]{2,})$")
BRAND_WORD = re.compile(r"[a-z0-9]+|[\uac00-\ud7a3]+")
_LATIN_WORDS = re.compile(r"[a-z][a-z0-9']*|[^\sa-z0-9']+")  # words, and punctuation between them
QUERY_OPERATORS = {"and", "or", "not", "near"}
GENERIC_EN = "thing things stuff people time way day days today tomorrow yesterday year years week lol lmao omg please thanks thank good great happy love like really just want need know think going got get make made see new one two first last still back also even much many lot well sure yes yeah okay guys guy man morning night tonight pls plz vs wait hey hi hello ugh smh tbh btw fyi idk lmk rn asap"  # fmt: skip
# verbs of telling, trying and doing, ordinals, "issue": "support told · app slow · try fourth" (demo),
# "issue · did · looking" (real complaint tweets) said nothing
GENERIC_EN += " tell told says said say show shows showed take takes took try tried tries come came comes go goes went keep keeps kept give gave ask asked call called did does done doing look looks looking issue issues problem problems thx second third fourth fifth"  # fmt: skip
# what a complaint tweet asks of any brand: "flights · send · reservation", "sent · update · message",
# "working · help · checked", "train · delayed · dear sir" (real complaint tweets, complaints_tweets_en)
GENERIC_EN += " help helps helped helping send sent sending getting check checks checked checking kindly dear sir madam"  # fmt: skip
# chat fillers and hedges: "order history · ngl · camera", "price thinking · convince · ouch" (demo)
GENERIC_EN += " ngl imo imho fr ouch thinking wondering honestly literally actually basically"  # fmt: skip
# using, verdicts and forum etiquette: "store shipping · lurker · use", "screen protector · mixed
# feelings · fine" (demo Reddit posts and store reviews: "Long time lurker.", "It's fine")
GENERIC_EN += " use uses using fine feel feels felt feeling feelings lurker lurking throwaway tldr"  # fmt: skip
# light verbs and month abbreviations: "fixed · resolve · let", "flights · reservation · jan" (real
# complaint tweets), "crashes · supposed · waiting", "blue · challenge · saw" (demo)
GENERIC_EN += " let lets happen happens happened saw seen seeing supposed jan feb mar apr jun jul aug sep sept oct nov dec"  # fmt: skip
# weekdays, and asides and verdicts any post can carry: "dollars · friday · trade", "hair edges ·
# portrait mode · finally gets", "price · cool · dropped" (demo, 2026-12-07)
GENERIC_EN += " monday tuesday wednesday thursday friday saturday sunday gets finally cool nice convince"  # fmt: skip
GENERIC_KO = "진짜 정말 너무 그냥 완전 사람 생각 정도 우리 이거 그거 저거 하다 되다 있다 없다 같다 보다 오늘 내일 어제 지금 이번 그때 하나 때문 자체 부분 경우"  # fmt: skip
# demonstrative and light predicates, and what every app review says: "접속 · 어플 · 어떻다",
# "사용 · 어플 · 카드", "확인 부탁 · 드리다 · 수정" (real Play Store reviews)
GENERIC_KO += " 어떻다 이렇다 그렇다 저렇다 이러다 그러다 아니다 싶다 주다 오다 가다 나다 드리다 만들다 이유 사용 이용 어플 앱 어플리케이션"  # fmt: skip
# what any review or question says of itself: "사진 보정 · 야경 · 만족 후기", "카드 할인 · 후기 · 만족",
# "배터리 · 충전기 · 궁금하다", "업데이트 로그인 · 케어 · 감사", "카메라 걸리다 · 참고 · 실망" (demo, 2026-12-07)
GENERIC_KO += " 후기 리뷰 궁금하다 궁금 감사 참고"  # fmt: skip
GENERIC = frozenset(GENERIC_EN.split(" ") + GENERIC_KO.split(" "))
# What a post does rather than what it is about: generic beside a subject, but the honest label of
# a topic of short replies to a brand ("@x Thanks!", "I need help!!", "any answer on my tweet?"),
# which real complaint tweets form and which read `working` (3 of its 70 posts) before.
SPEECH_ACTS_EN = "thanks thank help please reply replied replies answer dm dms issue issues problem problems question questions sorted resolved"  # fmt: skip
SPEECH_ACTS = frozenset(
    [*SPEECH_ACTS_EN.split(" "), "감사", "감사하다", "문의", "질문", "답변", "답장", "해결"]
)
LOW_COVER = 0.25  # labels that hold fewer of the topic's posts than this say too little of it
MIN_SHARE = 0.03  # a candidate is in at least this share of its topic's posts (and 2 of them)
MIN_CORPUS_DOCS = 3
SPREAD = 0.5  # frequent (>= MIN_SHARE) in more than this share of the topics: generic
BOILERPLATE_POSTS = 5  # a sentence in this many posts (and BOILERPLATE_SHARE of them), each with
BOILERPLATE_SHARE = 0.005  # other words around it, spread over topics, is template text
BOILERPLATE_TOPIC_SHARE = 0.6  # ... no topic holds more than this share of its posts
# sentence ends: punctuation, a line break, and what Korean posts end sentences with when they
# leave the punctuation out (a polite or plain ending, a run of ㅋ/ㅎ/ㅠ/ㅜ): "만족합니다 댓글 부탁드려요"
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+|(?<=[\uac00-\ud7a3][요다죠])\s+|(?<=[ㅋㅎㅠㅜ]{2})\s+")
CANDIDATES = 12
DIVERSITY = 0.4  # MMR: 0 ranks by closeness to the centre alone, 1 by difference alone
LABELS = 5


def brand_words(names: Iterable[str]) -> frozenset[str]:
    """Lower-cased words of brand names and queries (query operators dropped)."""
    return frozenset(
        w
        for name in names
        for w in BRAND_WORD.findall(name.lower())
        if w not in QUERY_OPERATORS and (len(w) > 1)
    )


ESCAPED = re.compile(r"^u[0-9a-f]{4}")  # a code point left escaped in an export: "u2019s", "u002c"
REPEATED = re.compile(r"^(.)\1+$")  # one letter over and over: "oo" (a name left out), "zzz", "xx"


def readable(candidate: str) -> bool:
    return all(WORD.match(w) and not ESCAPED.match(w) and not REPEATED.match(w) for w in candidate.split(" "))


def candidates(tokens: Sequence[str], text: str | None = None) -> set[str]:
    """Words and adjacent two-word phrases of one post that read as words. With the post's `text`,
    an English phrase must be two words the text has side by side: tokens lose stop words, so
    "the case won't close" gave "case close" and "try a fourth time" "try fourth" (demo labels)."""
    words = [t for t in tokens if readable(t)]
    out = set(words)
    # side by side: no word and no punctuation between them ("battery swelled, firmware 3.2")
    said = f" {' '.join(_LATIN_WORDS.findall(text.lower()))} " if text is not None else None
    for a, b in itertools.pairwise(words):
        if a == b:
            continue
        if said is not None and a.isascii() and b.isascii() and f" {a} {b} " not in said:
            continue
        out.add(f"{a} {b}")
    return out


def sentence_key(sentence: str) -> str:
    """A sentence as repeats of it compare: lower case, digits as 0, words only ("3 weeks" = "5 weeks")."""
    return " ".join(re.findall(r"\w+", re.sub(r"\d+", "0", sentence.lower())))


def boilerplate(texts: Sequence[str], ids: Sequence[int]) -> frozenset[str]:
    """Keys of the sentences stamped on many posts: each time beside other words, the smaller part
    of the posts it is in, and spread over the topics. A retweet repeats the whole post, and a
    headline many share with a word or two of their own is most of their posts (and mostly in one
    topic): neither is template text."""
    rests: dict[str, set[str]] = {}
    lengths: dict[str, list[int]] = {}
    topics: dict[str, Counter[int]] = {}
    for text, g in zip(texts, ids, strict=True):
        keys = [sentence_key(p) for p in SENTENCE_END.split(text)]
        for key in {k for k in keys if " " in k}:  # two words or more: one word is not a template
            rest = " ".join(k for k in keys if k != key)
            if rest:
                rests.setdefault(key, set()).add(rest)
                lengths.setdefault(key, []).append(rest.count(" ") + 1)
                if g >= 0:  # outliers are no topic: a template mostly in them says nothing of spread
                    topics.setdefault(key, Counter())[g] += 1
    at = max(BOILERPLATE_POSTS, BOILERPLATE_SHARE * len(texts))
    return frozenset(
        key
        for key, seen in rests.items()
        if len(seen) >= at
        and float(np.median(lengths[key])) >= key.count(" ") + 1
        and key in topics
        and max(topics[key].values()) <= BOILERPLATE_TOPIC_SHARE * sum(topics[key].values())
    )


def without(text: str, template: frozenset[str]) -> str | None:
    """The text without its template sentences; None when it has none."""
    parts = [p for p in SENTENCE_END.split(text) if p.strip()]
    kept = [p for p in parts if sentence_key(p) not in template]
    return " ".join(kept) if len(kept) < len(parts) else None


class LabelMaker:
    """Picks each topic's label phrases; `brands` are words never used (the configured brands)."""

    def __init__(self, brands: Iterable[str] = ()) -> None:
        self.brands = brand_words(brands)

    def allowed(self, candidate: str, acts: bool = False) -> bool:
        """A label candidate: readable, no brand, nothing generic (`acts`: speech acts allowed)."""
        if not readable(candidate):
            return False
        for word in candidate.split(" "):
            if word in GENERIC and not (acts and word in SPEECH_ACTS):
                return False
            if any(b in word or (len(word) > 1 and word in b) for b in self.brands):
                return False
        return True

    def label(
        self,
        tokens: Sequence[Sequence[str]],
        ids: Sequence[int],
        centres: dict[int, np.ndarray],
        embed: Callable[[list[str]], np.ndarray],
        top: int = LABELS,
        texts: Sequence[str] | None = None,
        said: dict[int, set[str]] | None = None,
    ) -> dict[int, list[str]]:
        """Topic id -> up to `top` label phrases; `embed` maps phrases into the centres' space;
        `texts`, the posts the tokens came from, keep English phrases to words said side by side.
        `said`, when given, is filled with each topic's words outside template sentences (the
        topic's keywords keep to those)."""
        if texts is not None:
            tokens, texts = _untemplated(tokens, texts, ids)
        per_doc = [candidates(t, texts[i] if texts is not None else None) for i, t in enumerate(tokens)]
        corpus_df: Counter[str] = Counter(c for cs in per_doc for c in cs)
        members: dict[int, list[int]] = {}
        for i, g in enumerate(ids):
            if g >= 0:  # outliers (-1) get no label
                members.setdefault(g, []).append(i)
        topic_df = {g: Counter(c for i in rows for c in per_doc[i]) for g, rows in members.items()}
        if said is not None:
            said.update({g: {w for i in rows for w in tokens[i]} for g, rows in members.items()})
        frequent = {
            g: {c for c, n in df.items() if n >= max(2, MIN_SHARE * len(members[g]))}
            for g, df in topic_df.items()
        }
        spread: Counter[str] = Counter(c for cs in frequent.values() for c in cs)
        generic_at = SPREAD * len(members) if len(members) >= 4 else math.inf
        n_docs = len(tokens)

        def pick(g: int, pool: list[str]) -> list[str]:
            rows = members[g]
            scored = sorted(
                pool,
                key=lambda c: (-topic_df[g][c] / len(rows) * math.log(1 + n_docs / corpus_df[c]), c),
            )[:CANDIDATES]
            if not scored or g not in centres:
                return scored[:top]
            return mmr(embed(scored), centres[g], scored, top)

        def cover(g: int, phrases: list[str]) -> float:
            return sum(any(p in per_doc[i] for p in phrases) for i in members[g]) / len(members[g])

        out: dict[int, list[str]] = {}
        for g in members:
            usual = [c for c in frequent[g] if corpus_df[c] >= MIN_CORPUS_DOCS]
            out[g] = pick(g, [c for c in usual if spread[c] <= generic_at and self.allowed(c)])
            covered = cover(g, out[g][:3])
            if covered < LOW_COVER:
                # a topic its subject words do not describe: say what its posts do (thanks, help),
                # if that holds more of them
                acts = pick(g, [c for c in usual if self.allowed(c, acts=True)])
                if cover(g, acts[:3]) > covered:
                    out[g] = acts
            if texts is not None:
                out[g] = whole_words(out[g], [texts[i] for i in members[g]])
        return out


def _untemplated(
    tokens: Sequence[Sequence[str]], texts: Sequence[str], ids: Sequence[int]
) -> tuple[list[Sequence[str]], list[str]]:
    """Tokens and texts with the template sentences taken out (only posts that have one are
    tokenised again)."""
    from groundswell.nlp.topics.tokens import tokenize

    template = boilerplate(texts, ids)
    out_tokens, out_texts = list(tokens), list(texts)
    if not template:
        return out_tokens, out_texts
    stripped = {i: rest for i, t in enumerate(texts) if (rest := without(t, template)) is not None}
    for i, row in zip(stripped, tokenize(list(stripped.values())), strict=True):
        out_tokens[i], out_texts[i] = row, stripped[i]
    return out_tokens, out_texts


def mmr(vectors: np.ndarray, centre: np.ndarray, phrases: list[str], top: int) -> list[str]:
    """Maximal Marginal Relevance: close to the centre, unlike the phrases already picked.

    A phrase sharing a word with a picked one is skipped ("service" after "customer service").
    """
    norms = np.linalg.norm(vectors, axis=1)
    unit = vectors / np.maximum(norms, 1e-9)[:, None]
    relevance = unit @ centre
    similarity = unit @ unit.T
    chosen: list[int] = []
    left = list(range(len(phrases)))
    while left and len(chosen) < top:
        penalty = similarity[np.ix_(left, chosen)].max(axis=1) if chosen else np.zeros(len(left))
        scores = (1 - DIVERSITY) * relevance[left] - DIVERSITY * penalty
        best = left[int(np.argmax(scores))]
        left.remove(best)
        words = set(phrases[best].split(" "))
        if any(words & set(phrases[c].split(" ")) for c in chosen):
            continue
        chosen.append(best)
    return [phrases[i] for i in chosen]

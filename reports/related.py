"""Related words (연관어): the terms that co-occur with a brand or a topic, against the previous period.

The counting is the Store's `top_terms` (document frequency over the newest 5,000 matching posts,
the same words on SQLite and Elasticsearch), so this module only asks twice (this period and the
one before) and compares. Korean terms are then put in dictionary form with Kiwi (늦어서 -> 늦다,
배송이 -> 배송), merging the inflected forms a reader would count as one word; the merged count is
the sum of the forms' counts, which can exceed the true number of posts when one post uses two
forms. The brand's own words (its name and query terms) are left out: they are in every post.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from groundswell.indexer.base import MentionQuery, Store

POOL = 1000  # terms asked of the store per period: deep enough that "new" means absent before
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_NOUNS = frozenset({"NNG", "NNP", "SL", "XR"})
_PREDICATES = frozenset({"VV", "VA"})
# light verbs: in dictionary form they top every Korean list and say nothing about the brand
LIGHT_VERBS = frozenset(
    [
        "하다",
        "되다",
        "있다",
        "없다",
        "같다",
        "보다",
        "나다",
        "이다",
        "않다",
        "주다",
        "오다",
        "가다",
        "아니다",
        "다르다",
    ]
)


@dataclass(frozen=True)
class RelatedTerm:
    term: str
    count: int  # posts in the period that use it
    previous: int  # posts in the previous period

    @property
    def change(self) -> int:
        return self.count - self.previous

    @property
    def change_pct(self) -> float | None:
        """Percent change; None when the term was absent before (shown as "new", not +inf%)."""
        return None if self.previous == 0 else 100.0 * (self.count - self.previous) / self.previous


def related_terms(
    store: Store,
    query: MentionQuery,
    previous: MentionQuery,
    exclude: Collection[str] = (),
    size: int = 20,
) -> list[RelatedTerm]:
    """The `size` terms most used with `query`, each with its count in `previous`."""
    now = merged_terms(store.top_terms(query, size=POOL), exclude)
    if not now:
        return []
    before = merged_terms(store.top_terms(previous, size=POOL), exclude)
    return [RelatedTerm(term, count, before.get(term, 0)) for term, count in telling_terms(now)[:size]]


def telling_terms(counts: Counter[str]) -> list[tuple[str, int]]:
    """Merged terms worth a place in a word list (`says_something`), most used first; ties by term,
    so a list reads the same on every run."""
    return sorted(((t, c) for t, c in counts.items() if says_something(t)), key=lambda kv: (-kv[1], kv[0]))


def says_something(term: str) -> bool:
    """Whether a (merged) term is worth a place in a word list: what an alert label refuses
    (`narrative.speaks`: adverbs such as 계속, 자꾸, 다시; 앱이; generic words) is not, except a
    predicate in dictionary form with a one-syllable stem (늦다, 좋다, 싫다), which says a lot. On
    real app reviews the refused words were half of each list."""
    from groundswell.nlp.detect.narrative import GENERIC, speaks

    if _HANGUL.search(term) and term.endswith("다") and len(term) >= 2:
        return term not in LIGHT_VERBS and term not in GENERIC
    return speaks(term)


def merged_terms(facets: Iterable[object], exclude: Collection[str]) -> Counter[str]:
    """Store term facets merged into dictionary forms, without the excluded (brand) words and the
    light verbs."""
    counts: Counter[str] = Counter()
    pairs = [(str(getattr(f, "value")), int(getattr(f, "count"))) for f in facets]  # noqa: B009
    forms = dictionary_forms([t for t, _ in pairs])
    excluded = {e.lower() for e in exclude}
    # a Korean compound that starts with the brand's name is the brand (루미오폰, 루미오버즈)
    prefixes = tuple(e for e in excluded if _HANGUL.search(e) and len(e) >= 2)
    for term, count in pairs:
        form = forms.get(term, term)
        if (
            term in excluded
            or form in excluded
            or form in LIGHT_VERBS
            or form.startswith(prefixes or ("\0",))
        ):
            continue
        counts[form] += count
    return counts


def dictionary_forms(terms: Sequence[str]) -> dict[str, str]:
    """Korean terms in dictionary form: a stem with endings becomes stem + 다, nouns with particles
    the nouns; anything Kiwi reads otherwise (negations, compounds of both) is kept as written."""
    hangul = [t for t in terms if _HANGUL.search(t)]
    if not hangul:
        return {}
    from groundswell.nlp.korean import morphemes

    out: dict[str, str] = {}
    for term, row in zip(hangul, morphemes(hangul), strict=True):
        tags = [tag for _form, tag in row]
        if tags and tags[0] in _PREDICATES and all(t.startswith("E") for t in tags[1:]):
            out[term] = row[0][0] + "다"
        elif tags and tags[0] in _NOUNS and all(t in _NOUNS or t.startswith("J") for t in tags):
            nouns = "".join(form for form, tag in row if tag in _NOUNS)
            if len(nouns) >= 2:
                out[term] = nouns
    return out


def cooccurrence(
    store: Store, query: MentionQuery, terms: Sequence[str], sample: int = 2000
) -> dict[tuple[str, str], int]:
    """Posts in which two of `terms` appear together, over the newest `sample` matching posts.

    For the related-words network: the Store counts single terms, so pairs are counted here on a
    sample read through `Store.search`, with the same tokens and dictionary forms as above.
    """
    from groundswell.terms import terms_of

    wanted = set(terms)
    posts = [set(terms_of(m.text)) for m in store.search(query, limit=sample)]
    forms = dictionary_forms(sorted(set().union(*posts))) if posts else {}
    pairs: Counter[tuple[str, str]] = Counter()
    for words in posts:
        present = sorted({forms.get(w, w) for w in words} & wanted)
        for i, first in enumerate(present):
            for second in present[i + 1 :]:
                pairs[(first, second)] += 1
    return dict(pairs)

"""Is a newly firing cluster the same story as an open incident, told in other words?

The same incident told in Korean and in English shares no term, so word overlap alone splits it
into two alerts. What the two sides do share is language-neutral: the touchpoint the posts name,
the stored topic id, and tokens such as version and model numbers (``3.2``, ``x2``) or Latin
hashtags (``#firmware``). Those are also shared by unrelated complaints about the same product,
so a token only counts when it is *specific*: frequent on both sides and rare among the brand's
other recent posts. The rule (see `same_story`) is deliberately conservative; a wrong merge hides
a second story from the team, a missed one only costs a second alert.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from groundswell.addresses import ADDRESSES
from groundswell.records import EnrichedMention

STORY_S = 24 * 3600.0  # only incidents that fired this recently can absorb a cluster in other words
SIDE_SHARE = 0.3  # a touchpoint / token must be in this share of each side's posts
TOPIC_SHARE = 0.4  # a stored topic must hold this share of each side's posts
LIFT = 3.0  # a shared token must be this many times rarer among the brand's other recent posts
BG_PRIOR = 0.5  # pseudo-count: with few other posts to compare with, no token is specific

_HANDLE_URL = ADDRESSES
_VERSION = re.compile(r"(?<![\w.])v?(\d+(?:\.\d+)+)(?![\w.]*\w)", re.ASCII)
_MODEL = re.compile(r"\b(?=[a-z0-9]*[a-z])(?=[a-z0-9]*\d)[a-z0-9]{2,12}\b", re.ASCII)
_HASHTAG = re.compile(r"#([a-z][a-z0-9_]{2,30})\b", re.ASCII)


def neutral_tokens(m: EnrichedMention) -> set[str]:
    """Version numbers, Latin model codes and Latin hashtags: written the same in every language."""
    text = _HANDLE_URL.sub(" ", " ".join(filter(None, [m.title, m.text])).lower())
    out = {v for v in _VERSION.findall(text)}
    out.update(_MODEL.findall(text))
    out.update(f"#{h}" for h in _HASHTAG.findall(text))
    return out


def _frequent(counts: Counter[Any], n: int, share: float) -> dict[Any, float]:
    return {k: round(c / n, 3) for k, c in counts.items() if c >= share * n}


@dataclass
class StoryProfile:
    """What one side of a story looks like, beyond its words; saved in the incident's `extra`."""

    lang: str
    touchpoints: list[str] = field(default_factory=list)
    topics: list[int] = field(default_factory=list)
    tokens: dict[str, float] = field(default_factory=dict)  # neutral token -> share of posts

    @classmethod
    def of(cls, members: list[EnrichedMention]) -> StoryProfile:
        n = max(len(members), 1)
        langs = Counter(m.lang or "?" for m in members)
        tps = Counter(t for m in members for t in sorted(set(m.touchpoints)))
        topics = Counter(m.topic.id for m in members if m.topic is not None and m.topic.id >= 0)
        tokens = Counter(t for m in members for t in neutral_tokens(m))
        return cls(
            lang=langs.most_common(1)[0][0] if langs else "?",
            touchpoints=sorted(_frequent(tps, n, SIDE_SHARE)),
            topics=sorted(_frequent(topics, n, TOPIC_SHARE)),
            tokens=_frequent(tokens, n, SIDE_SHARE),
        )

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StoryProfile:
        return cls(
            d.get("lang", "?"),
            list(d.get("touchpoints", [])),
            list(d.get("topics", [])),
            dict(d.get("tokens", {})),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "touchpoints": self.touchpoints,
            "topics": self.topics,
            "tokens": self.tokens,
        }


def specific_shared(a: StoryProfile, b: StoryProfile, background: list[EnrichedMention]) -> list[str]:
    """Tokens frequent on both sides and LIFT times rarer among the brand's other recent posts."""
    shared = set(a.tokens) & set(b.tokens)
    if not shared:
        return []
    counts = Counter(t for m in background for t in neutral_tokens(m) if t in shared)
    out = []
    for t in sorted(shared):
        bg_share = (counts[t] + BG_PRIOR) / (len(background) + 1)
        if LIFT * bg_share <= min(a.tokens[t], b.tokens[t]):
            out.append(t)
    return out


def same_story(a: StoryProfile, b: StoryProfile, background: list[EnrichedMention]) -> str | None:
    """Why `b` is the same story as `a`, or None. Two signals must agree:

    - the same touchpoint named by both sides, and a shared stored topic or a specific token; or
    - two specific tokens (a version *and* a model code, say) when touchpoints say nothing.

    A touchpoint alone (every product complaint is ``product-quality``) or a model number alone
    (every post about the phone names it) never merges two clusters.
    """
    tokens = specific_shared(a, b, background)
    touch = set(a.touchpoints) & set(b.touchpoints)
    topics = set(a.topics) & set(b.topics)
    if touch and (topics or tokens):
        return f"touchpoint {sorted(touch)[0]} + " + (f"topic #{min(topics)}" if topics else f"'{tokens[0]}'")
    if len(tokens) >= 2 and not (a.touchpoints and b.touchpoints):
        return "tokens " + ", ".join(f"'{t}'" for t in tokens[:3])
    return None

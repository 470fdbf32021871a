"""One growing incident is one alert: match today's cluster to the incident it continues.

An incident is open from its first alert until its cluster has been quiet for the rule's cooldown,
then closed; for 12 more hours (an overnight lull) a cluster sharing two of its words revives it. A new cluster
continues an open incident of the same brand and rule when they share a post or a fine key (a
term or topic, not ``*``), or when its posts hold the incident's leading words (`find_held`), or,
failing that, when `nlp.detect.story` finds it is the same story in other words (the Korean and English sides of one incident share no term). The alert id is fixed
when the incident opens, so the alert updates in place (and keeps any acknowledgement) as the
incident grows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from groundswell.nlp.detect.keys import is_coarse, is_word
from groundswell.nlp.detect.story import STORY_S, StoryProfile, same_story
from groundswell.records import EnrichedMention, Severity

MAX_TRACKED_POSTS = 500
AUTHOR_SKETCH = 256  # hashes kept to count an incident's people: exact below this many, ~6% beyond
_HASH_SPACE = float(1 << 52)
REVIVE_S = 12 * 3600.0  # a closed incident can come back to life for this long (overnight lulls)
DAILY_QUIET_S = 36 * 3600.0  # an incident of day sources (tested once a day) is quiet at least this long
# A cluster whose posts hold an open incident's leading word this often (and at least HELD_MIN of
# them) tells its story: a little above the share that puts a word in a label (narrative, 25%)
HELD_SHARE = 0.3
HELD_MIN = 3
HELD_WORDS = 3  # an incident's first words (its leading ones) that can be held


@dataclass
class Incident:
    id: str
    brand: str
    rule: str
    keys: list[str]
    post_ids: list[str]
    first_seen: float
    fired_at: float
    updated_at: float
    observed: int
    severity: Severity
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.severity = Severity(self.severity)  # saved state holds the plain string

    def count_authors(self, authors: Iterable[str]) -> tuple[int, bool]:
        """Add authors; (distinct authors the incident has had, whether that count is exact).

        The incident tracks only its newest MAX_TRACKED_POSTS posts, so counting the people in
        them under-reported a large incident (446 of ~2,000 in the demo). The AUTHOR_SKETCH
        smallest author hashes (a k-minimum-values sketch) count every author ever added in a
        fixed, small state: exactly while fewer than AUTHOR_SKETCH, else estimated."""
        kept = set(self.extra.get("authors", []))
        kept.update(_author_hash(a) for a in authors)
        smallest = sorted(kept)[:AUTHOR_SKETCH]
        self.extra["authors"] = smallest
        if len(smallest) < AUTHOR_SKETCH:
            return len(smallest), True
        return round((AUTHOR_SKETCH - 1) * _HASH_SPACE / (smallest[-1] + 1)), False

    def fine_keys(self) -> set[str]:
        return {k for k in self.keys if not is_coarse(k)}

    def matches(
        self, brand: str, rule: str, keys: list[str], post_ids: set[str], strict: bool = False
    ) -> bool:
        """Same brand and rule, and a shared post or shared fine keys (two of them when `strict`)."""
        if brand != self.brand or rule != self.rule:
            return False
        if post_ids & set(self.post_ids):
            return True
        fine = {k for k in keys if not is_coarse(k)}
        if fine or self.fine_keys():
            shared = fine & self.fine_keys()
            return len(shared) >= (min(2, len(fine)) if strict else 1)
        return bool(set(keys) & set(self.keys))  # two coarse-only surges on the same series


def _cooldown(incident: Incident, cooldown_s: dict[str, float]) -> float:
    """The rule's cooldown; a day-source incident is only looked at once a day, so it waits longer."""
    base = cooldown_s.get(incident.rule, 6 * 3600.0)
    return max(base, DAILY_QUIET_S) if incident.extra.get("daily") else base


def _author_hash(author: str) -> int:
    """52 bits of a stable hash: exact in JSON (saved state) and uniform for the sketch."""
    return int.from_bytes(hashlib.blake2b(author.encode("utf-8"), digest_size=8).digest(), "big") >> 12


def incident_id(brand: str, rule: str, lead_key: str, first_seen: float) -> str:
    digest = hashlib.sha1(f"{brand}|{rule}|{lead_key}|{int(first_seen)}".encode()).hexdigest()
    return f"det-{digest[:12]}"


class IncidentBook:
    """Open incidents, kept in memory and mirrored to the store's state after each change."""

    STATE_KEY = "detect:incidents"

    def __init__(self, incidents: list[Incident] | None = None, closed: list[Incident] | None = None) -> None:
        self.open: list[Incident] = incidents or []
        self.closed: list[Incident] = closed or []  # quiet for a cooldown; may still flare up again
        self.dirty = False

    @classmethod
    def from_state(cls, state: Any) -> IncidentBook:
        if isinstance(state, dict):
            return cls(
                [Incident(**d) for d in state.get("open", [])],
                [Incident(**d) for d in state.get("closed", [])],
            )
        return cls([Incident(**d) for d in (state or [])])

    def to_state(self) -> dict[str, Any]:
        return {"open": [asdict(i) for i in self.open], "closed": [asdict(i) for i in self.closed]}

    def find(self, brand: str, rule: str, keys: list[str], post_ids: set[str]) -> Incident | None:
        """The open incident this cluster continues, else a recently closed one it revives."""
        for incident in self.open:
            if incident.matches(brand, rule, keys, post_ids):
                return incident
        for incident in self.closed:
            if incident.matches(brand, rule, keys, post_ids, strict=True):
                self.closed.remove(incident)
                self.open.append(incident)
                self.dirty = True
                return incident
        return None

    def find_held(
        self, brand: str, rule: str, post_keys: list[frozenset[str]], common: frozenset[str] = frozenset()
    ) -> Incident | None:
        """The open incident one of whose leading words HELD_SHARE of this cluster's posts hold.

        A story's leading word soon stops being significant by itself: each day (or hour) that
        leaves the test window is folded into the baseline, so the word's share of complaints
        grows. Its next surge is then found by another word ("업데이트" on the first day of a
        crash-after-update story, "튕김" on the second: issue #14's day sources), which shares
        no significant key with the incident though 5 of its 13 posts still say "업데이트".
        Words usual among the brand's complaints (`common`) never link."""
        if not post_keys:
            return None
        for incident in self.open:
            if incident.brand != brand or incident.rule != rule:
                continue
            words = [k for k in incident.keys if is_word(k) and k not in common][:HELD_WORDS]
            for word in words:
                held = sum(1 for keys in post_keys if word in keys)
                if held >= max(HELD_MIN, HELD_SHARE * len(post_keys)):
                    return incident
        return None

    def find_story(
        self, brand: str, rule: str, profile: StoryProfile, others: dict[str, EnrichedMention], now: float
    ) -> tuple[Incident, str] | None:
        """The open, recent incident of this brand and rule that `profile` is evidently the same
        story as (with the reason), compared with each language side the incident has seen.
        `others`: the brand's recent posts outside the cluster (the incident's own are dropped)."""
        for incident in self.open:
            if incident.brand != brand or incident.rule != rule or now - incident.fired_at > STORY_S:
                continue
            sides = incident.extra.get("story", {})
            if not sides:
                continue
            mine = set(incident.post_ids)
            background = [m for pid, m in others.items() if pid not in mine]
            for side in sides.values():
                reason = same_story(StoryProfile.from_dict(side), profile, background)
                if reason is not None:
                    return incident, reason
        return None

    def add(self, incident: Incident) -> None:
        self.open.append(incident)
        self.dirty = True

    def touch(self, incident: Incident, keys: list[str], post_ids: list[str], at: float) -> None:
        known = set(incident.post_ids)
        incident.post_ids = (incident.post_ids + [p for p in post_ids if p not in known])[-MAX_TRACKED_POSTS:]
        incident.keys = list(dict.fromkeys(incident.keys + keys))[:30]
        incident.updated_at = at
        self.dirty = True

    def expire(self, now: float, cooldown_s: dict[str, float]) -> None:
        """Close incidents quiet for their rule's cooldown; forget closed ones after REVIVE_S.

        A closed incident whose words come back within REVIVE_S (a complaint that quiets down at
        night and returns in the morning) updates its old alert instead of opening a new one.
        """
        before = (len(self.open), len(self.closed))
        ahead = [i for i in self.open + self.closed if i.fired_at > now]  # a replay restarted earlier
        quiet = [i for i in self.open if now - i.updated_at >= _cooldown(i, cooldown_s)]
        self.open = [i for i in self.open if i not in quiet and i not in ahead]
        self.closed = [i for i in self.closed + quiet if now - i.updated_at < REVIVE_S and i not in ahead]
        if (len(self.open), len(self.closed)) != before:
            self.dirty = True

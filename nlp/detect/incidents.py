"""One growing incident is one alert: match today's cluster to the incident it continues.

An incident is open from its first alert until its cluster has been quiet for the rule's cooldown.
A new cluster continues an open incident of the same brand and rule when they share a post or a
fine key (a term or topic, not ``*``). The alert id is fixed when the incident opens, so the
alert updates in place (and keeps any acknowledgement) as the incident grows.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from nlp.detect.keys import is_coarse

MAX_TRACKED_POSTS = 500


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
    severity: str
    extra: dict[str, Any] = field(default_factory=dict)

    def fine_keys(self) -> set[str]:
        return {k for k in self.keys if not is_coarse(k)}

    def matches(self, brand: str, rule: str, keys: list[str], post_ids: set[str]) -> bool:
        if brand != self.brand or rule != self.rule:
            return False
        if post_ids & set(self.post_ids):
            return True
        fine = {k for k in keys if not is_coarse(k)}
        if fine or self.fine_keys():
            return bool(fine & self.fine_keys())
        return bool(set(keys) & set(self.keys))  # two coarse-only surges on the same series


def incident_id(brand: str, rule: str, lead_key: str, first_seen: float) -> str:
    digest = hashlib.sha1(f"{brand}|{rule}|{lead_key}|{int(first_seen)}".encode()).hexdigest()
    return f"det-{digest[:12]}"


class IncidentBook:
    """Open incidents, kept in memory and mirrored to the store's state after each change."""

    STATE_KEY = "detect:incidents"

    def __init__(self, incidents: list[Incident] | None = None) -> None:
        self.open: list[Incident] = incidents or []
        self.dirty = False

    @classmethod
    def from_state(cls, state: Any) -> IncidentBook:
        return cls([Incident(**d) for d in (state or [])])

    def to_state(self) -> list[dict[str, Any]]:
        return [asdict(i) for i in self.open]

    def find(self, brand: str, rule: str, keys: list[str], post_ids: set[str]) -> Incident | None:
        for incident in self.open:
            if incident.matches(brand, rule, keys, post_ids):
                return incident
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
        """Close incidents quiet for their rule's cooldown; a recurrence then opens a new alert."""
        keep = [i for i in self.open if now - i.updated_at < cooldown_s.get(i.rule, 6 * 3600.0)]
        keep = [i for i in keep if i.updated_at <= now]  # time went backwards (a replay restarted)
        if len(keep) != len(self.open):
            self.open = keep
            self.dirty = True

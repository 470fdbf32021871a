"""From significant keys to complaint clusters: one cluster per set of posts that tells one story.

Several keys light up for one incident (the words "battery" and "charging", the touchpoint
product_quality, the topic id, and ``*``). They are merged when they share posts, so a burst is
reported once. Coarse keys (``*``, touchpoints) join a cluster that explains at least half of
their excess; otherwise they form a cluster of their own (a broad surge with no shared words).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from groundswell.records import EnrichedMention
from nlp.detect.keys import is_coarse

JOIN_OVERLAP = 0.5  # share of the smaller post set that must be shared to merge two keys


@dataclass
class KeyHit:
    """One key that is significant in one window."""

    key: str
    window_s: float
    observed: int  # distinct authors in the window
    expected: float
    score: float  # -log10 p
    post_ids: frozenset[str]
    new: bool  # the key was (almost) never seen among this brand's complaints before


@dataclass
class Cluster:
    brand: str
    hits: list[KeyHit] = field(default_factory=list)
    post_ids: set[str] = field(default_factory=set)

    @property
    def lead(self) -> KeyHit:
        return self.hits[0]

    @property
    def keys(self) -> list[str]:
        return [h.key for h in self.hits]

    def ranked(self, posts: dict[str, EnrichedMention], keys: dict[str, frozenset[str]]) -> list[str]:
        """Post ids, most representative first: most cluster evidence, then reach, then earliest."""
        weight = {h.key: h.score for h in self.hits}

        def rank(pid: str) -> tuple[float, int, float]:
            m = posts[pid]
            evidence = sum(weight.get(k, 0.0) for k in keys.get(pid, ()))
            return (-evidence, -(m.author.followers or 0), m.created_at.timestamp())

        return sorted((p for p in self.post_ids if p in posts), key=rank)


def build_clusters(brand: str, hits: list[KeyHit]) -> list[Cluster]:
    """Greedy merge, strongest key first, fine keys before coarse ones."""
    clusters: list[Cluster] = []
    ordered = sorted(hits, key=lambda h: (is_coarse(h.key), -h.score))
    for hit in ordered:
        target = None
        for cluster in clusters:
            shared = len(hit.post_ids & cluster.post_ids)
            if is_coarse(hit.key):
                excess = max(1.0, hit.observed - hit.expected)
                if shared >= JOIN_OVERLAP * excess:
                    target = cluster
                    break
            elif shared >= JOIN_OVERLAP * min(len(hit.post_ids), len(cluster.post_ids)):
                target = cluster
                break
        if target is None:
            clusters.append(Cluster(brand, [hit], set(hit.post_ids)))
        elif not is_coarse(hit.key):
            target.hits.append(hit)
            target.post_ids |= hit.post_ids
        else:
            target.hits.append(hit)  # coarse keys add evidence weight, not posts
    return clusters

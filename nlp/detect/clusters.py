"""From significant keys to complaint clusters: one cluster per set of posts that tells one story.

Several keys light up for one incident (the words "battery" and "charging", the touchpoint
product_quality, the topic id, and ``*``). They are merged when they share posts, so a burst is
reported once. Coarse keys (``*``, touchpoints) join a cluster that explains at least half of
their excess; otherwise they form a cluster of their own (a broad surge with no shared words).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from groundswell.nlp.detect.keys import ALL, is_coarse
from groundswell.records import EnrichedMention

JOIN_OVERLAP = 0.5  # share of the smaller post set that must be shared to merge two keys
# A broad surge (coarse keys only) needs this many times a rule's min_posts authors. 1.5 (6 people at
# min_posts 4) since 2026-12-07: 2 held back Korean app bursts by a step (dev +1 of 18, real-order
# dev +2) with the same false alarms, demo and airline story (BENCHMARKS.md, "Detection cadence").
BROAD_FACTOR = 1.5


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

    def too_thin(self, min_posts: int) -> bool:
        """A broad surge (no shared word, topic or meaning, only ``*`` or a touchpoint) of barely
        `min_posts` authors is what chance gives a few times a month per brand: a handful of
        unrelated complaints that land in one hour (the demo's five Vexa posts about game heat, a
        comparison, a shop visit). Such a surge is news only when it is large; a real story of
        that size is also found by its words or its meaning, which are not held to this."""
        return all(is_coarse(h.key) for h in self.hits) and self.lead.observed < BROAD_FACTOR * min_posts

    def ranked(self, posts: Mapping[str, EnrichedMention], keys: Mapping[str, frozenset[str]]) -> list[str]:
        """Post ids, most representative first (see `representative_order`)."""
        return representative_order([p for p in self.post_ids if p in posts], posts, keys)


def representative_order(
    ids: list[str], posts: Mapping[str, EnrichedMention], keys: Mapping[str, frozenset[str]]
) -> list[str]:
    """Most representative first: the posts closest to the centroid of the others, then reach, then earliest.

    Each post is the set of its keys (terms, touchpoints, topic; not ``*``, which every post has).
    Closeness is the cosine between a post's set and the centroid of the *other* posts' sets
    (leave-one-out, so a long post is not favoured for matching itself), i.e. the summed share of
    the other posts holding each of its keys over sqrt(its number of keys). A post that says what
    most of the cluster says ("battery overheating after the update") comes before one that shares
    a single word with it, however recent or loud; reach (author followers) breaks ties.
    """
    sets = {pid: frozenset(k for k in keys.get(pid, ()) if k != ALL) for pid in ids}
    counts = Counter(k for ks in sets.values() for k in ks)
    others = max(1, len(ids) - 1)

    def rank(pid: str) -> tuple[float, int, float, str]:
        m = posts[pid]
        ks = sets[pid]
        close = sum(counts[k] - 1 for k in ks) / (others * math.sqrt(len(ks))) if ks else 0.0
        return (-round(close, 9), -(m.author.followers or 0), m.created_at.timestamp(), pid)

    return sorted(dict.fromkeys(ids), key=rank)


def build_clusters(brand: str, hits: list[KeyHit]) -> list[Cluster]:
    """Greedy merge, strongest key first, fine keys before coarse ones; ties by key, so that a
    replay gives the same clusters whatever order the keys were counted in (string hashing)."""
    clusters: list[Cluster] = []
    ordered = sorted(hits, key=lambda h: (is_coarse(h.key), -h.score, h.key))
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

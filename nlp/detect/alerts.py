"""Turn a complaint cluster into the `Alert` a PR or CX team acts on.

Everything a responder needs is filled in here: topic (stored topic if most posts share one,
else the cluster's own keywords), touchpoints, owners and playbook from config, growth figures,
spread risk, first-seen time and evidence (most representative post first). The alert keeps its
id while the incident grows, and keeps the team's acknowledgement and assignee across updates.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

from groundswell.config.settings import AlertRule, Settings
from groundswell.indexer.base import Store
from groundswell.nlp.detect.clusters import Cluster, representative_order
from groundswell.nlp.detect.incidents import Incident, IncidentBook, incident_id
from groundswell.nlp.detect.keys import ALL, Post, brand_terms, is_coarse, label_of
from groundswell.nlp.detect.story import StoryProfile
from groundswell.nlp.virality import cluster_signals, post_virality, spread_risk
from groundswell.records import Alert, AlertEvent, AlertState, EnrichedMention, Severity, TopicRef

log = logging.getLogger(__name__)

MAX_EVIDENCE = 50
BRAND_PREFIX_MIN = 3  # a Latin brand term this long marks words built on it (lumio -> lumiox2); Hangul: 2
TOUCHPOINT_SHARE = 0.3  # a touchpoint named by this share of the cluster's posts is on the alert
TOPIC_SHARE = 0.4  # a stored topic shared by this share of posts names the alert's topic
VELOCITY_POSTS = 5  # evidence posts whose engagement history feeds the spread risk
_RANK = {s: i for i, s in enumerate(Severity)}


def severity_of(observed: int, risk: float) -> Severity:
    if risk >= 0.75 or observed >= 50:
        return Severity.CRITICAL
    if risk >= 0.55 or observed >= 20:
        return Severity.HIGH
    if risk >= 0.35 or observed >= 8:
        return Severity.MEDIUM
    return Severity.LOW


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


class AlertBuilder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.brand_terms = brand_terms(settings)
        self.what_if = False  # compute alerts without saving them (a look at a past moment)

    def emit(
        self,
        store: Store,
        book: IncidentBook,
        rule: AlertRule,
        cluster: Cluster,
        posts: dict[str, Post],
        now: float,
        lookup: Callable[[list[str]], dict[str, Post]] | None = None,
    ) -> Alert | None:
        """Open or continue the incident; return the alert if it is new or changed at `now`.

        `lookup` reads the incident's earlier posts (outside the test window) so that the evidence
        of an update ranks the whole incident, not this window's posts first.
        """
        mentions = {pid: p.mention for pid, p in posts.items()}
        keys = {pid: p.keys for pid, p in posts.items()}
        ranked = cluster.ranked(mentions, keys)
        members = [mentions[pid] for pid in ranked]
        if not members:
            return None
        lead = cluster.lead
        first_seen = min(m.created_at.timestamp() for m in members)
        incident = book.find(cluster.brand, rule.name, cluster.keys, set(ranked))
        profile = StoryProfile.of(members)
        if incident is None:
            others = {pid: m for pid, m in mentions.items() if pid not in cluster.post_ids}
            found = book.find_story(cluster.brand, rule.name, profile, others, now)
            if found is not None:
                incident = found[0]
                log.info("detector: %s joins incident %s (same story: %s)", lead.key, incident.id, found[1])
        velocities = [
            post_virality(m, store.metrics_history(m.id)).engagement_velocity
            for m in members[:VELOCITY_POSTS]
        ]
        growth = lead.observed / max(lead.expected, 0.01)
        signals = cluster_signals(members, min(growth, 999.0), now - lead.window_s, now, velocities)
        risk = spread_risk(signals)
        severity = severity_of(lead.observed, risk)
        if incident is None:
            incident = Incident(
                id=incident_id(cluster.brand, rule.name, lead.key, first_seen),
                brand=cluster.brand,
                rule=rule.name,
                keys=cluster.keys,
                post_ids=ranked,
                first_seen=first_seen,
                fired_at=now,
                updated_at=now,
                observed=lead.observed,
                severity=severity.value,
            )
            book.add(incident)
            changed = True
        else:
            known = set(incident.post_ids)
            grew = any(p not in known for p in ranked)
            escalated = _RANK[severity] > _RANK[Severity(incident.severity)]
            if _RANK[severity] < _RANK[Severity(incident.severity)]:
                severity = Severity(incident.severity)  # severity never drops while the incident is open
            book.touch(incident, cluster.keys, ranked, now)
            incident.first_seen = min(incident.first_seen, first_seen)
            incident.observed = max(incident.observed, lead.observed)
            incident.severity = severity.value
            changed = grew or escalated
        words = _growing_words(cluster, self.brand_terms.get(cluster.brand, frozenset()))
        _remember_side(incident, profile, words)
        if not changed:
            return None
        evidence = _evidence(incident, ranked, posts, lookup)
        alert = self._alert(incident, rule, cluster, members, evidence, severity, risk, now, words)
        alert.growth = round(min(growth, 999.0), 2)
        alert = self._merge_saved(store, alert, now)
        if not self.what_if:
            store.save_alert(alert)
        return alert

    def _alert(
        self,
        incident: Incident,
        rule: AlertRule,
        cluster: Cluster,
        members: list[EnrichedMention],
        evidence: list[str],
        severity: Severity,
        risk: float,
        now: float,
        words: list[str],
    ) -> Alert:
        lead = cluster.lead
        touchpoints = _touchpoints(members)
        topic = _topic(
            cluster, members, _story_words(incident), words, self.brand_terms.get(cluster.brand, frozenset())
        )
        minutes = int(lead.window_s // 60)
        kind = "new complaint cluster" if lead.new else "abnormal growth"
        if rule.language == "ko":
            summary = (
                f"{cluster.brand} — '{topic.label}' 불만 급증 ({'신규 이슈' if lead.new else '평소 대비 증가'}): "
                f"최근 {minutes}분 {lead.observed}건 (평소 {lead.expected:.1f}건)"
            )
        else:
            summary = (
                f"{cluster.brand}: {kind} about '{topic.label}': {lead.observed} posts in {minutes} min "
                f"vs {lead.expected:.1f} expected"
            )
        return Alert(
            id=incident.id,
            brand=cluster.brand,
            fired_at=_dt(incident.fired_at),
            updated_at=_dt(now),
            first_seen=_dt(incident.first_seen),
            severity=severity,
            rule=rule.name,
            topic=topic,
            touchpoints=touchpoints,
            owners=self.settings.owners_for(touchpoints),
            summary=summary,
            observed=float(lead.observed),
            expected=round(lead.expected, 3),
            spread_risk=risk,
            evidence_ids=evidence,
            playbook=self.settings.playbook_for(touchpoints),
            history=[AlertEvent(at=_dt(now), actor="detector", action="fired", note=summary)],
        )

    @staticmethod
    def _merge_saved(store: Store, alert: Alert, now: float) -> Alert:
        """Keep the team's state, assignee and history; a resolved incident that grows reopens."""
        saved = store.get_alert(alert.id)
        if saved is None:
            return alert
        state = saved.state
        history = list(saved.history)
        if state == AlertState.RESOLVED:
            state = AlertState.NEW
            history.append(AlertEvent(at=_dt(now), actor="detector", action="reopened", note=alert.summary))
        else:
            history.append(AlertEvent(at=_dt(now), actor="detector", action="updated", note=alert.summary))
        return alert.model_copy(
            update={
                "state": state,
                "assignee": saved.assignee,
                "history": history[-50:],
                "fired_at": saved.fired_at,
            }
        )


def _evidence(
    incident: Incident,
    ranked: list[str],
    posts: dict[str, Post],
    lookup: Callable[[list[str]], dict[str, Post]] | None,
) -> list[str]:
    """The incident's posts, most representative of the whole incident first (`representative_order`)."""
    window = set(ranked)
    earlier = [p for p in incident.post_ids if p not in window]
    if not earlier:
        return ranked[:MAX_EVIDENCE]
    found = {p: posts[p] for p in earlier if p in posts}
    missing = [p for p in earlier if p not in found]
    if missing and lookup is not None:
        found.update(lookup(missing))
    pool = {pid: posts[pid] for pid in ranked} | found
    order = representative_order(
        list(pool), {k: v.mention for k, v in pool.items()}, {k: v.keys for k, v in pool.items()}
    )
    unread = [p for p in earlier if p not in pool]  # deleted from the store meanwhile: last
    return (order + unread)[:MAX_EVIDENCE]


def _touchpoints(members: list[EnrichedMention]) -> list[str]:
    counts = Counter(t for m in members for t in m.touchpoints)
    if not counts:
        return []
    top = [t for t, n in counts.most_common() if n >= TOUCHPOINT_SHARE * len(members)]
    return top or [counts.most_common(1)[0][0]]


def _growing_words(cluster: Cluster, brand_terms: frozenset[str] = frozenset()) -> list[str]:
    """The cluster's words, those with the most posts above expectation first: a word that names
    the story ("overheating", 20 authors over 0.5 expected) before a rarer word that merely
    co-occurs in a few of its posts, however improbable its few posts are ("unreal", 5 over 0).

    Words built on the brand's name (루미오폰 "Lumio phone", lumiox2) go last: in a young
    cluster every post names the product, so they tie with the story's words and would fill the
    label with what the team already knows (the brand's own name is never a key at all)."""
    fine = [h for h in cluster.hits if not is_coarse(h.key) and not h.key.startswith(("#", "~"))]
    fine.sort(key=lambda h: (_names_brand(h.key, brand_terms), -(h.observed - h.expected), -h.score))
    return [label_of(h.key) for h in fine]


def _names_brand(word: str, brand_terms: frozenset[str]) -> bool:
    """The brand's name (벡사) or a word built on it (루미오폰, lumiox2)."""
    return word in brand_terms or any(
        word.startswith(b) and len(b) >= (BRAND_PREFIX_MIN if b.isascii() else 2) for b in brand_terms
    )


def _remember_side(incident: Incident, profile: StoryProfile, words: list[str]) -> None:
    """Keep, per language, the latest profile and words of the incident: later clusters in other
    words are compared with every side, and the label names the story in each language.

    A side's words are this cluster's words, then the earlier ones it no longer has: a late,
    thinner cluster (only "battery" still significant) does not erase "overheating" from the label."""
    incident.extra.setdefault("story", {})[profile.lang] = profile.to_dict()
    if words:
        sides = incident.extra.setdefault("words", {})
        sides[profile.lang] = list(dict.fromkeys(words + sides.get(profile.lang, [])))[:10]


def _story_words(incident: Incident) -> list[str]:
    """Label words across languages: the two leading words of each side, first side first."""
    sides: list[list[str]] = list(incident.extra.get("words", {}).values())
    if len(sides) < 2:
        return []
    lead = [w for side in sides for w in side[:2]]
    rest = [w for rank in range(2, 10) for side in sides if rank < len(side) for w in [side[rank]]]
    return list(dict.fromkeys(lead + rest))


def _topic(
    cluster: Cluster,
    members: list[EnrichedMention],
    story: list[str] | None = None,
    growing: list[str] | None = None,
    brand_terms: frozenset[str] = frozenset(),
) -> TopicRef:
    """The stored topic id when most posts share one; the label leads with the growing words
    (a broad stored topic's label may not say what grows), in every language the story was told.
    The brand's name and words built on it come last (the topic model's keywords include them)."""
    words = story or growing or _growing_words(cluster, brand_terms)
    n_label = 4 if story else 3
    topics = Counter(m.topic.id for m in members if m.topic is not None and m.topic.id >= 0)
    if topics:
        tid, n = topics.most_common(1)[0]
        if n >= TOPIC_SHARE * len(members):
            ref = next(m.topic for m in members if m.topic is not None and m.topic.id == tid)
            keywords = list(dict.fromkeys(words + list(ref.keywords)))
            keywords = sorted(keywords, key=lambda w: _names_brand(w, brand_terms))[:10]
            return TopicRef(id=tid, label=" · ".join(keywords[:n_label]) or ref.label, keywords=keywords)
    if not words:
        words = [label_of(k) for k in cluster.keys if k != ALL and label_of(k)]
    return TopicRef(id=-1, label=" · ".join(words[:n_label]) or "complaints", keywords=words[:10])

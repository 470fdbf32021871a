"""Turn a complaint cluster into the `Alert` a PR or CX team acts on, and record it: the one writer.

Everything a responder needs is filled in here, and only here: the story (label, touchpoints,
owners and playbook, from the whole incident's evidence, see `nlp.detect.narrative`), the
paste-able summary (`nlp.detect.summary`), growth figures, spread risk, first-seen time and
evidence (most representative post first). The alert keeps its id while the incident grows, and
keeps the team's acknowledgement, assignee and history across updates (`_merge_saved`, the one
merge rule). The dispatcher only reads what is recorded here (issue #12, item 4).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import numpy as np

from groundswell.config.settings import AlertRule, Settings
from groundswell.indexer.base import Store
from groundswell.localtime import zone
from groundswell.nlp.detect import meaning
from groundswell.nlp.detect.baseline import HOUR as HOUR_S
from groundswell.nlp.detect.clusters import Cluster, representative_order
from groundswell.nlp.detect.incidents import Incident, IncidentBook, incident_id
from groundswell.nlp.detect.keys import Post, brand_terms, is_word, label_of
from groundswell.nlp.detect.narrative import (
    MIN_SIDE,
    WORD_POSTS,
    WORD_SHARE,
    Story,
    dominant,
    form_counts,
    names_brand,
    now_also,
    settle,
    speaks,
)
from groundswell.nlp.detect.semantic import SemanticBaseline
from groundswell.nlp.detect.story import StoryProfile
from groundswell.nlp.detect.summary import summarize
from groundswell.nlp.virality import cluster_signals, engagement_velocities, spread_risk
from groundswell.records import (
    DAY_S,
    Alert,
    AlertAction,
    AlertEvent,
    AlertState,
    EnrichedMention,
    Severity,
    TopicRef,
)

log = logging.getLogger(__name__)

MAX_EVIDENCE = 50
TOPIC_SHARE = 0.4  # a stored topic shared by this share of the evidence gives the alert its topic id
VELOCITY_POSTS = 5  # evidence posts whose engagement velocity feeds the spread risk
UPDATE_POSTS, UPDATE_GROWTH = 3, 0.1  # an open incident's alert is rewritten when it grew this much
EVIDENCE_WORDS = 30  # the evidence's most frequent words offered as label words after the growing ones
HEADLINE = {
    "en": "{brand}: {kind} about '{label}': {observed} posts in {span} vs {expected:.1f} expected",
    "ko": "{brand} — '{label}' 불만 급증 ({kind}): 최근 {span} {observed}건 (평소 {expected:.1f}건)",
}
KIND = {"en": ("abnormal growth", "new complaint cluster"), "ko": ("평소 대비 증가", "신규 이슈")}
SPAN = {"en": ("{m} min", "{d} day(s)"), "ko": ("{m}분", "{d}일")}


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


def timeline(posts: Iterable[Post], bucket_s: float) -> list[tuple[datetime, int]]:
    """The incident's posts per bucket (hour, or day for a daily incident), oldest first: what
    the complaint page charts against the expected rate, so the chart is the incident's own."""
    counts = Counter(int(p.ts // bucket_s) for p in posts)
    return [(_dt(k * bucket_s), n) for k, n in sorted(counts.items())]


def merge_timelines(
    saved: list[tuple[datetime, int]], fresh: list[tuple[datetime, int]]
) -> list[tuple[datetime, int]]:
    """Per bucket, the larger count: an incident tracks its newest MAX_TRACKED_POSTS posts, so
    its oldest hours fall out of `fresh` but stay in what was saved."""
    merged = dict(saved)
    for at, n in fresh:
        merged[at] = max(merged.get(at, 0), n)
    return sorted(merged.items())


class AlertBuilder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.brand_terms = brand_terms(settings)
        self.zone = zone(settings.timezone)  # summaries speak the deployment's local time
        self.what_if = False  # compute alerts without saving them (a look at a past moment)
        # words -> unit vectors in a meaning space, to name a story told in other words (the detector's)
        self.embed_words: Callable[[list[str], str], np.ndarray] | None = None

    def emit(
        self,
        store: Store,
        book: IncidentBook,
        rule: AlertRule,
        cluster: Cluster,
        posts: dict[str, Post],
        now: float,
        lookup: Callable[[list[str]], dict[str, Post]] | None = None,
        common: frozenset[str] = frozenset(),
        base: SemanticBaseline | None = None,
    ) -> Alert | None:
        """Open or continue the incident; return the alert (recorded) if it is new or changed at `now`:
        escalated, or grown by UPDATE_POSTS posts and UPDATE_GROWTH of what its last alert showed
        (a hot incident is not rewritten, re-ranked and re-summarised on every 15-minute step).

        `lookup` reads the incident's earlier posts (outside the test window) so that the evidence
        and the story cover the whole incident, not this window's posts first. `common`: words
        frequent among the brand's usual complaints, which never name a story. `base`: the brand's
        past complaint vectors, the yardstick for "about the same thing" (`nlp.detect.meaning`).
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
        cluster_posts = [posts[pid] for pid in ranked if pid in posts]
        if incident is None:
            incident = book.find_held(cluster.brand, rule.name, [keys[pid] for pid in ranked], common)
            if incident is not None:
                log.info("detector: %s joins incident %s (its posts hold its words)", lead.key, incident.id)
        if incident is None:
            incident = meaning.find(book, cluster.brand, rule.name, cluster_posts, now)
            if incident is not None:
                log.info("detector: %s joins incident %s (same meaning)", lead.key, incident.id)
        if incident is None:
            others = {pid: m for pid, m in mentions.items() if pid not in cluster.post_ids}
            found = book.find_story(cluster.brand, rule.name, profile, others, now)
            if found is not None:
                incident = found[0]
                log.info("detector: %s joins incident %s (same story: %s)", lead.key, incident.id, found[1])
        velocities = engagement_velocities(store, members[:VELOCITY_POSTS])
        growth = lead.observed / max(lead.expected, 0.01)
        signals = cluster_signals(members, min(growth, 999.0), now - lead.window_s, now, velocities)
        risk = spread_risk(signals)
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
                severity=severity_of(lead.observed, risk),
            )
            if lead.window_s >= DAY_S:
                incident.extra["daily"] = True
            incident.extra["posts"] = incident.extra["shown"] = len(ranked)
            book.add(incident)
            changed = True
        else:
            known = set(incident.post_ids)
            fresh = sum(1 for p in ranked if p not in known)
            book.touch(incident, cluster.keys, ranked, now)
            incident.first_seen = min(incident.first_seen, first_seen)
            incident.observed = max(incident.observed, lead.observed)
            posts_now = incident.extra.get("posts", len(known)) + fresh
            shown = incident.extra.get("shown", 0)
            incident.extra["posts"] = posts_now
            # posts the incident collected while quiet (`Detector._keep_alive`) count as growth too
            changed = posts_now - shown >= max(UPDATE_POSTS, UPDATE_GROWTH * shown)
        # severity follows the whole incident (its largest count), and never drops while it is open
        severity = max(severity_of(incident.observed, risk), incident.severity)
        if severity > incident.severity:
            changed = True
        incident.severity = severity
        brand_words = self.brand_terms.get(cluster.brand, frozenset())
        words = _growing_words(cluster, brand_words)
        _remember_side(incident, profile, words)
        meaning.absorb(incident, cluster_posts, base)
        if not changed:
            return None
        incident.extra["shown"] = incident.extra.get("posts", len(ranked))
        evidence, pool = _evidence(incident, ranked, posts, lookup)
        story, new = self._story(incident, evidence, pool, words, brand_words, common)
        alert = self._alert(incident, rule, cluster, evidence, pool, story, new, severity, risk, now, growth)
        return self.record(store, alert, now)

    def _story(
        self,
        incident: Incident,
        evidence: list[str],
        pool: dict[str, Post],
        words: list[str],
        brand_words: frozenset[str],
        common: frozenset[str],
    ) -> tuple[Story, list[str]]:
        """The story from the whole evidence, settled against what the incident already told."""
        shown = [pool[i].mention for i in evidence if i in pool]
        keys = {i: pool[i].keys for i in evidence if i in pool}
        sides = [w for side in incident.extra.get("words", {}).values() for w in side]
        fine = [label_of(k) for k in incident.keys if is_word(k)]
        candidates = _story_words(incident) + words + sides + fine
        now_story, shares, tp_shares = dominant(shown, keys, candidates, brand_words, common)
        if not now_story.words and self.embed_words is not None:  # told in other words: name it by meaning
            usable = lambda w: speaks(w, brand_words, common)  # noqa: E731
            found = meaning.story_words(incident, shown, keys, usable, self.embed_words)
            now_story = Story(found, now_story.touchpoints) if found else now_story
        told = Story.from_dict(incident.extra.get("told"))
        story, new = settle(told, now_story, shares, tp_shares, words, len(shown))
        incident.extra["told"] = story.to_dict()
        if not story.words:
            # a surge found by volume or by its stored topic has no growing word, yet its posts may
            # share one ("delayed", in all its forms): the evidence's own, said for this update only
            # (not told: a word a quarter of eight posts held must not name the incident for good)
            # (and held by a quarter of *all* of it: a side of three posts misread as another
            # language is no quarter)
            shared, overall, _ = dominant(shown, keys, _evidence_words(keys), brand_words, common)
            return Story(
                [w for w in shared.words if overall.get(w, 0.0) >= WORD_SHARE], story.touchpoints
            ), []
        return story, new

    def _alert(
        self,
        incident: Incident,
        rule: AlertRule,
        cluster: Cluster,
        evidence: list[str],
        pool: dict[str, Post],
        story: Story,
        new: list[str],
        severity: Severity,
        risk: float,
        now: float,
        growth: float,
    ) -> Alert:
        lead = cluster.lead
        lang = rule.language if rule.language in HEADLINE else "en"
        mentions = [pool[i].mention for i in evidence if i in pool]
        label = story.label(lang)
        topic = _topic(mentions, story, label, self.brand_terms.get(cluster.brand, frozenset()))
        daily = lead.window_s >= DAY_S
        span = (
            SPAN[lang][1].format(d=int(lead.window_s // DAY_S))
            if daily
            else SPAN[lang][0].format(m=int(lead.window_s // 60))
        )
        headline = HEADLINE[lang].format(
            brand=cluster.brand,
            kind=KIND[lang][lead.new],
            label=label,
            observed=lead.observed,
            span=span,
            expected=lead.expected,
        )
        if new:
            headline += f" ({now_also(new, lang)})"
        people = incident.count_authors(p.author for p in pool.values())
        summary = summarize(
            mentions,
            people=people,
            brand=cluster.brand,
            label=label,
            language=lang,
            growth=min(growth, 999.0),
            new=lead.new,
            daily=daily,
            everyone=[p.mention for p in pool.values()],
            since=_dt(incident.first_seen),
            tz=self.zone,
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
            touchpoints=story.touchpoints,
            owners=self.settings.owners_for(story.touchpoints),
            summary=summary or headline,
            observed=float(lead.observed),
            expected=round(lead.expected, 3),
            window_s=lead.window_s,
            timeline=timeline(pool.values(), DAY_S if daily else HOUR_S),
            growth=round(min(growth, 999.0), 2),
            spread_risk=risk,
            evidence_ids=evidence,
            playbook=self.settings.playbook_for(story.touchpoints, rule.language),
            history=[AlertEvent(at=_dt(now), actor="detector", action=AlertAction.FIRED, note=headline)],
        )

    def record(self, store: Store, alert: Alert, now: float) -> Alert:
        """Merge with what is stored (`_merge_saved`) and save, unless this is a what-if look."""
        alert = self._merge_saved(store, alert, now)
        if not self.what_if:
            store.save_alert(alert)
        return alert

    @staticmethod
    def _merge_saved(store: Store, alert: Alert, now: float) -> Alert:
        """Keep the team's state, assignee and history; a resolved incident that grows reopens."""
        saved = store.get_alert(alert.id)
        if saved is None:
            return alert
        state = saved.state
        history = list(saved.history)
        note = alert.history[-1].note if alert.history else ""
        if state == AlertState.RESOLVED:
            state = AlertState.NEW
            history.append(AlertEvent(at=_dt(now), actor="detector", action=AlertAction.REOPENED, note=note))
        else:
            history.append(AlertEvent(at=_dt(now), actor="detector", action=AlertAction.UPDATED, note=note))
        return alert.model_copy(
            update={
                "timeline": merge_timelines(saved.timeline, alert.timeline),
                "state": state,
                "assignee": saved.assignee,
                "history": history[-50:],
                "fired_at": saved.fired_at,
                "first_seen": min(saved.first_seen, alert.first_seen),
            }
        )


def _evidence(
    incident: Incident,
    ranked: list[str],
    posts: dict[str, Post],
    lookup: Callable[[list[str]], dict[str, Post]] | None,
) -> tuple[list[str], dict[str, Post]]:
    """The incident's posts, most representative of the whole incident first
    (`representative_order`), and the posts read to rank them (the story is told from them)."""
    window = set(ranked)
    earlier = [p for p in incident.post_ids if p not in window]
    pool = {pid: posts[pid] for pid in ranked}
    if not earlier:
        return _balanced(ranked, pool), pool
    found = {p: posts[p] for p in earlier if p in posts}
    missing = [p for p in earlier if p not in found]
    if missing and lookup is not None:
        found.update(lookup(missing))
    pool |= found
    order = representative_order(
        list(pool), {k: v.mention for k, v in pool.items()}, {k: v.keys for k, v in pool.items()}
    )
    unread = [p for p in earlier if p not in pool]  # deleted from the store meanwhile: last
    return (_balanced(order, pool) + unread)[:MAX_EVIDENCE], pool


def _balanced(order: list[str], pool: dict[str, Post]) -> list[str]:
    """The first MAX_EVIDENCE of `order`, with each language that has MIN_SIDE posts in the pool
    given a share of the places in proportion to its posts (at least MIN_SIDE), still in `order`:
    the English side of a Korean story is then seen in the evidence, the summary and the label."""
    langs = Counter(pool[p].mention.lang or "?" for p in order if p in pool)
    sides = {lang for lang, n in langs.items() if n >= MIN_SIDE}
    if len(sides) < 2 or len(order) <= MAX_EVIDENCE:
        return order[:MAX_EVIDENCE]
    total = sum(langs[lang] for lang in sides)
    quota = {lang: max(MIN_SIDE, round(MAX_EVIDENCE * langs[lang] / total)) for lang in sides}
    taken: Counter[str] = Counter()
    chosen: list[str] = []
    for pid in order:
        lang = (pool[pid].mention.lang or "?") if pid in pool else "?"
        if lang in quota and taken[lang] >= quota[lang]:
            continue
        chosen.append(pid)
        taken[lang] += 1
        if len(chosen) == MAX_EVIDENCE:
            break
    kept = set(chosen)
    chosen += [p for p in order if p not in kept][: MAX_EVIDENCE - len(chosen)]
    rank = {p: i for i, p in enumerate(order)}
    return sorted(chosen, key=rank.__getitem__)


def _growing_words(cluster: Cluster, brand_terms: frozenset[str] = frozenset()) -> list[str]:
    """The cluster's words, those with the most posts above expectation first: a word that names
    the story ("overheating", 20 authors over 0.5 expected) before a rarer word that merely
    co-occurs in a few of its posts, however improbable its few posts are ("unreal", 5 over 0).

    Words built on the brand's name (루미오폰 "Lumio phone", lumiox2) go last: in a young
    cluster every post names the product, so they tie with the story's words and would fill the
    label with what the team already knows (the brand's own name is never a key at all)."""
    fine = [h for h in cluster.hits if is_word(h.key)]
    fine.sort(key=lambda h: (names_brand(h.key, brand_terms), -(h.observed - h.expected), -h.score, h.key))
    return [label_of(h.key) for h in fine]


def _remember_side(incident: Incident, profile: StoryProfile, words: list[str]) -> None:
    """Keep, per language, the latest profile and words of the incident: later clusters in other
    words are compared with every side, and the label names the story in each language.

    A side's words are this cluster's words, then the earlier ones it no longer has: a late,
    thinner cluster (only "battery" still significant) does not erase "overheating" from the label."""
    incident.extra.setdefault("story", {})[profile.lang] = profile.to_dict()
    if words:
        sides = incident.extra.setdefault("words", {})
        sides[profile.lang] = list(dict.fromkeys(words + sides.get(profile.lang, [])))[:10]


def _evidence_words(keys: dict[str, frozenset[str]]) -> list[str]:
    """The evidence's most frequent words (any form held by WORD_POSTS posts), most held first;
    whether one may name the story is `dominant`'s call (WORD_SHARE of the evidence)."""
    words = [{k for k in ks if is_word(k)} for ks in keys.values()]
    forms = form_counts(words)
    held = Counter(w for ws in words for w in ws if forms[w] >= WORD_POSTS)
    return sorted(held, key=lambda w: (-held[w], w))[:EVIDENCE_WORDS]  # ties by word: same label every run


def _story_words(incident: Incident) -> list[str]:
    """Label words across languages: the two leading words of each side, first side first."""
    sides: list[list[str]] = list(incident.extra.get("words", {}).values())
    if len(sides) < 2:
        return []
    lead = [w for side in sides for w in side[:2]]
    rest = [w for rank in range(2, 10) for side in sides if rank < len(side) for w in [side[rank]]]
    return list(dict.fromkeys(lead + rest))


def _topic(
    evidence: list[EnrichedMention], story: Story, label: str, brand_terms: frozenset[str] = frozenset()
) -> TopicRef:
    """The stored topic id when TOPIC_SHARE of the evidence shares one (else -1); the label is the
    story's; keywords are the story's words, then the stored topic's keywords that can stand in a
    label (never the brand's name, `_` or fragments)."""
    topics = Counter(m.topic.id for m in evidence if m.topic is not None and m.topic.id >= 0)
    tid, extra = -1, []
    if topics:
        top, n = topics.most_common(1)[0]
        if n >= TOPIC_SHARE * len(evidence):
            tid = top
            ref = next(m.topic for m in evidence if m.topic is not None and m.topic.id == top)
            extra = [k for k in ref.keywords if speaks(k, brand_terms)]
    keywords = list(dict.fromkeys(story.words + extra))[:10]
    return TopicRef(id=tid, label=label, keywords=keywords)

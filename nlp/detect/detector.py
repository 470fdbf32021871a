"""The emerging-complaint detector: brand x key time series of complaints, tested every step.

Each run (`Detector.run(store, as_of)`) reads only through the `Store` protocol, so it works the
same on SQLite and Elasticsearch:

1. fetch the posts created since the last run (one paged `search`), fold the ones that left the
   test window into each brand's `BrandBaseline` (incremental: the cost does not grow with the
   store), and keep the last ``2 x window`` of posts as the test window;
2. for every key (term, stored topic, touchpoint, ``*``) and every window (w/2, w, 2w), count the
   distinct authors of complaints and test that count against the rhythm-aware expectation with a
   gamma-Poisson tail (`nlp.detect.stats`);
3. merge significant keys that share posts into clusters, continue the open incident a cluster
   belongs to (or open one), and save its alert with `Store.save_alert`;
4. note the brands with a series close to its bar (`warming`, `watchlist`): `groundswell run`
   crawls their sources sooner (`sources_to_hurry`) and replays step sooner.

The threshold is ``THRESHOLD / sensitivity`` in -log10 p units, where sensitivity is the rule's
times the brand's; see docs/detection.md for tuning.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import numpy as np

from groundswell.config.settings import AlertRule, Settings
from groundswell.indexer.base import MentionQuery, Store
from groundswell.nlp.blas import one_thread
from groundswell.nlp.concepts import for_config
from groundswell.nlp.detect import meaning
from groundswell.nlp.detect.alerts import AlertBuilder
from groundswell.nlp.detect.baseline import HOUR, BrandBaseline
from groundswell.nlp.detect.clusters import KeyHit, build_clusters
from groundswell.nlp.detect.daily import DailyDetector
from groundswell.nlp.detect.incidents import IncidentBook
from groundswell.nlp.detect.keys import ALL, Post, author_of, brand_terms, is_coarse, keys_of, label_of
from groundswell.nlp.detect.replies import ReplyContext
from groundswell.nlp.detect.semantic import SemanticBaseline, semantic_hits
from groundswell.nlp.detect.stats import ALL_WARM_MARGIN, WARM_MARGIN, surprise
from groundswell.nlp.detect.watch import SIMILAR, WATCH_KEY, WATCH_SIGNALS, signal
from groundswell.nlp.heap import settle
from groundswell.nlp.semantic import Korean, SemanticEncoder, space_of
from groundswell.records import Alert, EnrichedMention, as_utc

log = logging.getLogger(__name__)

THRESHOLD = 6.0  # -log10 p at sensitivity 1, before the correction for testing several windows
WARMUP_HOURS = 12.0  # no alert for a brand until this much history has been seen
BOOTSTRAP_LIMIT = 10_000  # newest posts read to build a baseline when there is no saved one
PERSIST_EVERY_S = 6 * HOUR  # baselines are saved this often (incidents after every change)
PAGE = 5_000
LOOKUP_CACHE = 20_000  # posts kept by `_lookup` before it starts again
VECTOR_CACHE = 50_000  # complaint meaning vectors kept by mention id (~77 MB at 384 dims)
PREFETCH_LIMIT = VECTOR_CACHE // 2  # complaints a replay embeds ahead (`prefetch`)
PREFETCH_BATCH = 1_000
BASELINE_KEY = "detect:baseline:"
SEMANTIC_KEY = "detect:semantic:"
WORDS_KEY = "detect:semantic-words:ko"  # Korean words the stream taught the meaning vectors
NEW_KEY_COUNT = 1.5  # a key seen fewer times than this among past complaints is "new"
TOPIC_HISTORY = 5.0  # past complaints a stored topic's series needs before it is tested
COMMON_SHARE = 0.2  # a word in this share of a brand's past complaints never names a story


class Detector:
    """Build with `from_settings`; call `run` on each step; call `flush` when stopping."""

    def __init__(
        self, settings: Settings, threshold: float = THRESHOLD, encoder: SemanticEncoder | None = None
    ) -> None:
        self.settings = settings
        self.threshold = threshold
        self.rules: list[AlertRule] = list(settings.alert_rules) or [AlertRule(name="emerging-complaint")]
        self.max_window = max(r.window.total_seconds() for r in self.rules) * 2
        self.lifetime = max(r.baseline.total_seconds() for r in self.rules)
        self.brand_terms = brand_terms(settings)
        self.concepts = for_config(settings.concepts)
        self.alerts = AlertBuilder(settings)
        self.replies = ReplyContext(self.brand_terms)
        self.daily = DailyDetector(self.lifetime)  # date-only sources (reviews): tested per day
        self._store: Store | None = None
        self._base: dict[str, BrandBaseline] = {}
        self._book = IncidentBook()
        self.encoder = encoder or (
            SemanticEncoder(settings.nlp.semantic_en, overrides={"ko": Korean(learning=True)})
            if settings.nlp.semantic
            else None
        )
        self._sem: dict[str, SemanticBaseline] = {}
        if self.encoder is not None:
            self.alerts.embed_words = self._embed_words
        self._vectors: dict[str, tuple[str, np.ndarray]] = {}
        self._recent: dict[str, Post] = {}
        self._looked: dict[str, Post] = {}  # incidents' earlier posts, read by id for their evidence
        self._persisted_at = 0.0
        self.what_if = False  # asked about a time before the saved state: compute, save nothing
        # brands with a series close to its bar at the last step: {brand: {signal name: signal}}
        self.warming: dict[str, dict[str, dict[str, Any]]] = {}
        self._now = 0.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Detector:
        return cls(settings)

    # -- state ---------------------------------------------------------------------------------------

    def _attach(self, store: Store) -> None:
        if store is self._store:
            return
        self._store = store
        self._base, self._recent, self._looked, self._sem = {}, {}, {}, {}
        self.what_if = self.alerts.what_if = False
        self._book = IncidentBook.from_state(store.get_state(IncidentBook.STATE_KEY))
        self._vectors = {}
        korean = self._korean()
        if korean is not None:
            korean.forget()
            korean.restore_stream(store.get_state(WORDS_KEY))
        self.daily = DailyDetector.from_state(store.get_state(DailyDetector.STATE_KEY), self.lifetime)
        for name in store.get_state(BASELINE_KEY + "brands") or []:
            state = store.get_state(BASELINE_KEY + name)
            if state:
                self._base[name] = BrandBaseline.from_state(state)
                self._sem[name] = SemanticBaseline.from_state(store.get_state(SEMANTIC_KEY + name))

    def reset(self, store: Store) -> None:
        """Forget saved baselines and incidents (a backtest replays history from its start)."""
        store.set_state(BASELINE_KEY + "brands", [])
        store.set_state(IncidentBook.STATE_KEY, None)
        store.set_state(DailyDetector.STATE_KEY, None)
        store.set_state(WORDS_KEY, None)
        self._store = None

    def flush(self, store: Store) -> None:
        """Save baselines and incidents (the scheduler and backtest call this when stopping)."""
        if self.what_if:
            return
        store.set_state(BASELINE_KEY + "brands", sorted(self._base))
        for name, baseline in self._base.items():
            store.set_state(BASELINE_KEY + name, baseline.to_state())
            if self.encoder is not None:
                store.set_state(
                    SEMANTIC_KEY + name, self._sem.setdefault(name, SemanticBaseline()).to_state()
                )
        store.set_state(IncidentBook.STATE_KEY, self._book.to_state())
        store.set_state(DailyDetector.STATE_KEY, self.daily.to_state())
        store.set_state(WATCH_KEY, self.watchlist())
        korean = self._korean()
        if korean is not None and korean.stream_state() is not None:
            store.set_state(WORDS_KEY, korean.stream_state())
        self._book.dirty = False

    def _warm(self, brand: str, hits: list[KeyHit], threshold: float) -> None:
        """Note the series of `brand` that came close to `threshold`; meaning neighbourhoods count as one."""
        signals = self.warming.setdefault(brand, {})
        for hit in hits:
            label = label_of(hit.key)
            name = label or SIMILAR
            if name not in signals or hit.score > signals[name]["score"]:
                signals[name] = signal(name, hit.observed, hit.score, threshold)

    def watchlist(self) -> dict[str, Any]:
        """What was close to an alert at the last step, strongest first (saved as WATCH_KEY)."""
        brands = {
            brand: sorted(signals.values(), key=lambda s: -s["score"])[:WATCH_SIGNALS]
            for brand, signals in sorted(self.warming.items())
        }
        return {"at": self._now, "brands": brands}

    def sources_to_hurry(self) -> set[str]:
        """Sources of the warming brands' recent complaints: crawled sooner, they bring the next
        posts of a story that is close to its bar within minutes rather than a whole interval."""
        return {
            p.mention.source
            for p in self._recent.values()
            if p.complaint and not self.warming.keys().isdisjoint(p.mention.brands)
        }

    def _embed_words(self, words: list[str], space: str) -> np.ndarray:
        """Label candidates in a meaning space (the Korean encoder is not taught by them)."""
        assert self.encoder is not None
        encoder = self.encoder.encoder(space)
        return encoder.vectors.embed(words) if isinstance(encoder, Korean) else encoder.encode(words)

    def _korean(self) -> Korean | None:
        """The Korean encoder that learns this store's own words, when detection by meaning is on."""
        if self.encoder is None:
            return None
        korean = self.encoder.overrides.get("ko")
        return korean if isinstance(korean, Korean) and korean.learning else None

    # -- one step ------------------------------------------------------------------------------------

    def run(self, store: Store, as_of: datetime) -> list[Alert]:
        """Alerts that are new or updated at `as_of`, already saved in the store."""
        with one_thread():  # a step's products are small: BLAS's other threads only spin
            alerts = self._run(store, as_of)
        settle("detection")  # baselines, encoders and reservoirs are loaded now (nlp/heap.py)
        return alerts

    def _run(self, store: Store, as_of: datetime) -> list[Alert]:
        self._attach(store)
        now = as_utc(as_of).timestamp()
        edge = now - self.max_window  # posts before this are baseline, after it are tested
        rewind = [b for b in self._base.values() if b.upto > edge + 1]
        if rewind and not self.what_if:
            log.info("detector: %s is before the saved state; running without saving (what-if)", as_of)
            self.what_if = self.alerts.what_if = True
            self._book = IncidentBook()
        stale = [b for b in self._base.values() if edge - b.upto > self.lifetime]
        if rewind or stale or not self._base:
            self._bootstrap(store, as_of, edge)
        since = min((b.upto for b in self._base.values()), default=edge)
        posts = self._fetch(store, since, now)
        self._learn_words([p for p in posts if p.ts >= edge])
        self.daily.learn(posts, now)
        posts = self.daily.timed(posts)
        by_brand: dict[str, list[Post]] = {}
        for post in posts:
            for brand in post.mention.brands:
                by_brand.setdefault(brand, []).append(post)
        for brand in by_brand:
            if brand not in self._base:
                self._base[brand] = BrandBaseline(lifetime_s=self.lifetime)
        fired: list[Alert] = []
        self.warming, self._now = {}, now
        for brand, baseline in sorted(self._base.items()):
            mine = by_brand.get(brand, [])
            leaving = [p for p in mine if baseline.upto <= p.ts < edge]
            baseline.fold([(p.ts, p.complaint, p.keys) for p in mine if p.ts < edge], edge)
            self._sem.setdefault(brand, SemanticBaseline()).fold(leaving, brand)
            recent = [p for p in mine if edge <= p.ts < now]
            if baseline.covered_hours < WARMUP_HOURS:
                continue
            for rule in self.rules:
                if rule.brands and brand not in rule.brands:
                    continue
                fired.extend(self._test(store, brand, rule, baseline, recent, now))
        tested = self.daily.tested
        fired.extend(self.daily.run(self, store, now))
        if self.daily.tested != tested and not self.what_if:
            store.set_state(DailyDetector.STATE_KEY, self.daily.to_state())
        self._book.expire(now, {r.name: r.cooldown.total_seconds() for r in self.rules})
        self._recent = {p.mention.id: p for p in posts if p.ts >= edge}
        if self._book.dirty and not self.what_if:
            store.set_state(IncidentBook.STATE_KEY, self._book.to_state())
            self._book.dirty = False
        if now - self._persisted_at >= PERSIST_EVERY_S:
            self.flush(store)
            self._persisted_at = now
        return fired

    def _post(self, m: EnrichedMention) -> Post:
        cached = self._recent.get(m.id)
        if cached is not None and cached.mention == m:
            return cached
        if not m.complaint:  # no series counts a post that is not a complaint: its keys are never read
            return Post(m, m.created_at.timestamp(), False, frozenset(), author_of(m))
        own = frozenset().union(*(self.brand_terms.get(b, frozenset()) for b in m.brands))
        return Post(m, m.created_at.timestamp(), True, keys_of(m, own, self.concepts), author_of(m))

    def _embed(self, posts: list[Post]) -> None:
        """Meaning vectors for complaints that have none yet (one batch; non-complaints never need one).

        Vectors are remembered by mention id: a post is re-read at many steps (and a store whose
        posts all come from day sources is re-read at every bootstrap), but embedded once."""
        if self.encoder is None:
            return
        todo = []
        for p in posts:
            if p.complaint and p.vector is None:
                known = self._vectors.get(p.mention.id)
                if known is not None:
                    p.space, p.vector = known
                else:
                    todo.append(p)
        if not todo:
            return
        if len(self._vectors) > VECTOR_CACHE:
            self._vectors.clear()
        texts = [self._text(p) for p in todo]
        for post, (space, vector) in zip(
            todo, self.encoder.encode(texts, [p.mention.lang for p in todo]), strict=True
        ):
            post.space, post.vector = space, vector
            self._vectors[post.mention.id] = (space, vector)

    def prefetch(self, store: Store, since: datetime, until: datetime) -> int:
        """Embed ahead, in large batches, the complaints a replay from `since` to `until` will read.

        A replay (backtest, demo) steps through history a few posts at a time, and an encoder
        costs far more per post in batches of four than of hundreds (MiniLM: 7.3 against 4.8
        CPU-s for 1,200 posts). The vectors are the ones `_embed` would compute, kept by id.
        The learning Korean encoder is left out: what it learns depends on the order it sees
        posts, so it still sees them step by step. Returns how many complaints were embedded."""
        self._attach(store)
        if self.encoder is None:
            return 0
        learning = self._korean() is not None
        query = MentionQuery(since=as_utc(since), until=as_utc(until))
        todo: list[Post] = []
        offset = 0
        while len(todo) < PREFETCH_LIMIT:
            page = store.search(query, limit=PAGE, offset=offset, order="oldest")
            posts = [
                Post(m, m.created_at.timestamp(), m.complaint, frozenset(), author_of(m))
                for m in page
                if m.brands and m.id not in self._vectors
            ]
            self.replies.mark(store, posts)  # as `_fetch` does: a reply that is no complaint needs none
            todo.extend(
                p for p in posts if p.complaint and not (learning and space_of(p.mention.lang) == "ko")
            )
            if len(page) < PAGE:
                break
            offset += PAGE
        todo = todo[:PREFETCH_LIMIT]
        for start in range(0, len(todo), PREFETCH_BATCH):
            self._embed(todo[start : start + PREFETCH_BATCH])
        return len(todo)

    def _learn_words(self, recent: list[Post]) -> None:
        """Give the stream's new Korean words their vectors, and re-read the window's Korean
        complaints that use them (a burst's own slang counts as soon as it is known)."""
        korean = self._korean()
        learned = set(korean.learn()) if korean is not None else set()
        if not learned:
            return
        from groundswell.nlp.semantic.korean_vectors import content_morphemes

        ko = [p for p in recent if p.complaint and p.space == "ko" and p.vector is not None]
        tokens = content_morphemes([self._text(p) for p in ko])
        again = [p for p, words in zip(ko, tokens, strict=True) if learned.intersection(words)]
        for p in again:
            p.vector = None
            self._vectors.pop(p.mention.id, None)
        self._embed(again)

    @staticmethod
    def _text(p: Post) -> str:
        return " ".join(filter(None, [p.mention.title, p.mention.clean_text or p.mention.text]))

    def _lookup(self, store: Store, ids: list[str]) -> dict[str, Post]:
        """Posts by id (an incident's earlier evidence), remembered: they are asked for every step."""
        if len(self._looked) > LOOKUP_CACHE:
            self._looked.clear()
        missing = [i for i in ids if i not in self._looked]
        if missing:
            self._looked.update((m.id, self._post(m)) for m in store.get(missing))
        return {i: self._looked[i] for i in ids if i in self._looked}

    def _fetch(self, store: Store, since: float, until: float) -> list[Post]:
        query = MentionQuery(
            since=datetime.fromtimestamp(since, UTC), until=datetime.fromtimestamp(until, UTC)
        )
        out: list[Post] = []
        offset = 0
        while True:
            page = store.search(query, limit=PAGE, offset=offset, order="oldest")
            out.extend(self._post(m) for m in page if m.brands)
            if len(page) < PAGE:
                self.replies.mark(store, out)
                self._embed(out)  # after the replies: a reply that is no complaint needs no vector
                return out
            offset += PAGE

    def _bootstrap(self, store: Store, as_of: datetime, edge: float) -> None:
        """Rebuild baselines from the newest history before `edge` (no saved state, or time jumped)."""
        query = MentionQuery(
            since=datetime.fromtimestamp(edge - self.lifetime, UTC), until=datetime.fromtimestamp(edge, UTC)
        )
        history: list[EnrichedMention] = []
        while len(history) < BOOTSTRAP_LIMIT:  # pages: Elasticsearch caps from + size at 10k
            page = store.search(query, limit=PAGE, offset=len(history), order="newest")
            history.extend(page)
            if len(page) < PAGE:
                break
        log.info("detector: building baselines from %d posts before %s", len(history), as_of.isoformat())
        self._base = {}
        posts = [self._post(m) for m in reversed(history) if m.brands]
        self.replies.mark(store, posts)
        self._embed(posts)
        self._sem = {}
        self.daily.learn(posts, edge)
        posts = self.daily.timed(posts)
        by_brand: dict[str, list[Post]] = {}
        for p in posts:
            for brand in p.mention.brands:
                by_brand.setdefault(brand, []).append(p)
        for brand, mine in by_brand.items():
            baseline = BrandBaseline(lifetime_s=self.lifetime)
            baseline.start = baseline.upto = mine[0].ts
            baseline.fold([(p.ts, p.complaint, p.keys) for p in mine], edge)
            self._base[brand] = baseline
            self._sem.setdefault(brand, SemanticBaseline()).fold(mine, brand)
        self._persisted_at = 0.0

    def _keep_alive(self, brand: str, rule: str, complaints: list[Post], since: float) -> None:
        """An open incident whose lead words or meaning still come up stays open (and keeps
        collecting posts), even after its baseline has caught up: a complaint that lasts for days,
        in changing words, is one alert."""
        for incident in self._book.open:
            if incident.brand != brand or incident.rule != rule:
                continue
            lead = [k for k in incident.keys if not is_coarse(k)][:3] or incident.keys[:1]
            fresh = [p for p in complaints if p.ts >= since]
            ids = [p.mention.id for p in fresh if sum(k in p.keys for k in lead) >= min(2, len(lead))]
            ids += [p.mention.id for p in meaning.about(incident, fresh) if p.mention.id not in ids]
            if len(ids) >= 2:
                known = set(incident.post_ids)
                grown = sum(1 for i in ids if i not in known)
                incident.extra["posts"] = (
                    incident.extra.get("posts", len(known)) + grown
                )  # shows when it fires again
                self._book.touch(incident, [], ids, max(incident.updated_at, since + 1))

    def _test(
        self,
        store: Store,
        brand: str,
        rule: AlertRule,
        baseline: BrandBaseline,
        recent: list[Post],
        now: float,
    ) -> list[Alert]:
        try:
            sensitivity = rule.sensitivity * self.settings.brand(brand).sensitivity
        except KeyError:
            sensitivity = rule.sensitivity
        window = rule.window.total_seconds()
        windows = (window / 2, window, window * 2)
        threshold = self.threshold / sensitivity + 0.48  # + log10(3 windows)
        complaints = [p for p in recent if p.complaint]
        best: dict[str, KeyHit] = {}
        near: list[KeyHit] = []  # series within WARM_MARGIN of the bar
        for span in windows:
            by_key: dict[str, tuple[set[str], set[str]]] = {}
            for p in complaints:
                if p.ts < now - span:
                    continue
                for key in p.keys:
                    authors, ids = by_key.setdefault(key, (set(), set()))
                    authors.add(p.author)
                    ids.add(p.mention.id)
            expected_total = baseline.expected_complaints(now - span, now)
            in_span = [p for p in complaints if p.ts >= now - span]
            for hit in semantic_hits(
                in_span,
                self._sem.get(brand, SemanticBaseline()),
                baseline.n,
                expected_total,
                threshold,
                rule.min_posts,
                span,
                near,
            ):
                if hit.key not in best or hit.score > best[hit.key].score:
                    best[hit.key] = hit
            for key, (authors, ids) in by_key.items():
                if len(authors) < rule.min_posts:
                    continue
                if key.startswith("#") and baseline.count(key) < TOPIC_HISTORY:
                    # a topic id is born at a refit of the topic model: until its series has some
                    # history it has no rate, and "never seen" would make any few of its posts a new
                    # subject (the demo's refits raised 'refund' that way); words and meaning still
                    # find what is new
                    continue
                key_count, total = baseline.share(key)
                score, mean = surprise(len(authors), key_count, total, expected_total)
                if score < threshold - (ALL_WARM_MARGIN if key == ALL else WARM_MARGIN):
                    continue
                hit = KeyHit(key, span, len(authors), mean, score, frozenset(ids), key_count < NEW_KEY_COUNT)
                if score < threshold:
                    near.append(hit)
                elif key not in best or score > best[key].score:
                    best[key] = hit
        near = [h for h in near if h.key not in best]  # close in one window, over the bar in another
        if near:
            self._warm(brand, near, threshold)
        if not best:
            self._keep_alive(brand, rule.name, complaints, now - window)
            return []
        posts = {p.mention.id: p for p in recent}
        common = baseline.common_terms(COMMON_SHARE)
        # Strongest first, so a new burst opens its own incident before a broad surge can absorb it.
        # When a weaker cluster continues the same incident in this step (its other-language side),
        # the stronger side's alert is returned once and saved last, so its figures stand.
        out: dict[str, Alert] = {}
        again: set[str] = set()
        for cluster in build_clusters(brand, list(best.values())):
            if cluster.too_thin(rule.min_posts):
                self._warm(brand, cluster.hits, threshold)  # a broad surge short of its authors: close, too
                continue
            alert = self.alerts.emit(
                store,
                self._book,
                rule,
                cluster,
                posts,
                now,
                lambda ids: self._lookup(store, ids),
                common,
                self._sem.get(brand),
            )
            if alert is not None:
                if alert.id in out:
                    again.add(alert.id)
                out.setdefault(alert.id, alert)
        if not self.what_if:
            for aid in again:
                store.save_alert(out[aid])
        # after the clusters: kept-alive posts taken first would make a growing incident look unchanged
        self._keep_alive(brand, rule.name, complaints, now - window)
        return list(out.values())

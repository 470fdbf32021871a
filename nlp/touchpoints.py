"""Touchpoints: which part of the customer journey a complaint is about, learned from configuration.

Each deployment has its own taxonomy (`settings.touchpoints`: name, owner, keywords, examples), so
nothing here is hard-coded. Two signals, either is enough:
- keywords, matched the way each language inflects: Korean keywords as substrings (particles and
  endings attach: 배송 -> 배송이, 배송은, spaces ignored), other keywords as whole words after a light
  English stem on both sides (deliver -> delivered, refund -> refunds; app does not match apple);
- examples: a post whose character n-gram TF-IDF cosine to a touchpoint's examples reaches
  `min_similarity` gets it too, which catches near-copies (Korean, and any text without meaning
  vectors; English with meaning vectors meets the examples by meaning);
- meaning (with a `semantic` encoder, `groundswell.nlp.semantic`): a complaint whose meaning vector
  is close to a touchpoint's examples, description or keywords (in its own language's space) gets
  the closest touchpoint, so "my stuff never arrived" finds delivery without sharing a word.
Only complaints are tagged, by the one rule of groundswell.complaint (the flag enrichment stores);
praise mentioning the app is not an app problem.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol, runtime_checkable

import numpy as np
from scipy import sparse

from groundswell.complaint import is_complaint as complaint_rule
from groundswell.config.settings import Touchpoint
from groundswell.hangul_keywords import covering, is_short_hangul, short_keyword_found
from groundswell.nlp.concepts import SHIPPED, ConceptSet, shipped_concepts
from groundswell.nlp.semantic import SemanticEncoder, space_of, unit_rows
from groundswell.nlp.sentiment._base import SentimentModel
from groundswell.nlp.sentiment.features import char_counts, transform
from groundswell.nlp.touchpoint_learning import (
    StreamLearner,
    config_centroids,
    memory_state,
    restore_memory,
    sure_enough,
    with_concepts,
)
from groundswell.records import Sentiment

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_WORD = re.compile(r"[^\W_]+(?:'[a-z]+)?")
# Meaning, chosen on the dev half of bench/eval_touchpoints.py and the hand-labelled set of the default
# taxonomy (docs/touchpoints.md): a complaint is on topic when its cosine to some touchpoint text
# reaches the encoder's gate (raw cosines are on each encoder's own scale; the static vectors' 0.3
# costs the hand-labelled F1 0.579 -> 0.562 for brand domains' 0.253 -> 0.360 on dev (0.35: 0.579,
# 0.331; 0.25: 0.528, 0.394; the tuned vectors of 2026-12-07); Korean PPMI-SVD vectors lowered the
# hand-labelled Korean F1 below 0.8);
# then the touchpoint with the best calibrated score (a z-score, Prototypes) comes first when above
# the other touchpoints' texts' average, and a keyword's touchpoint is added when meaning rates it
# >= 1 too; the centroids are refined twice on the batch's clearly won posts, a centroid moving by
# n / (n + SELF_TRAIN_PRIOR) of the way.
SEMANTIC_GATE = {"MiniLM": 0.3, "OnnxMiniLM": 0.3, "StaticEnglish": 0.3, "Korean": 0.8}
SEMANTIC_MIN_Z = 0.0
SEMANTIC_SECOND_Z = 1.0
SELF_TRAIN = 2
SELF_TRAIN_PRIOR = 3.0
LEARN_FROM_STREAM = True  # nlp.touchpoint_learning
CONCEPT_FALLBACK = True  # a Korean post no keyword or example names gets the touchpoints its concepts
# name (a concept's name, 로그인 / login, among the touchpoint's keywords or as its name); see
# `_concepts_named`. English words of a concept are too often something else ("bill", "update",
# "charged" in news and sport), and English has meaning vectors that work.
# An English complaint no keyword names still *teaches* the stream learner the touchpoint whose
# concept it names, where its meaning agrees (`_teachers`): the learner averages such labels with
# the rest. Dev, first-touchpoint macro-F1, static vectors: reasons 0.580 -> 0.611, brand domains
# 0.393 -> 0.417; the default taxonomy's hand-labelled micro-F1 0.559 -> 0.551 (news "bill" and
# "update" posts read as complaints now get a touchpoint). Linking a touchpoint to every concept
# its keywords' words name ("rude" -> staff), not only to those they name outright, scored the
# same on reasons and 0.375-0.388 on domains. BENCHMARKS.md, "Touchpoints read the concepts ...".
TEACH_BY_CONCEPT = True


def default_touchpoints() -> list[Touchpoint]:
    """The shipped taxonomy: the `touchpoints:` section of the bundled config/default.yaml."""
    from groundswell.config.loader import load_settings

    return list(load_settings(environ={}).touchpoints)


@runtime_checkable
class TouchpointTagger(Protocol):
    """Zero or more touchpoint names per post, given its normalised text and sentiment."""

    def tag(
        self, texts: Sequence[str], sentiments: Sequence[Sentiment | None], langs: Sequence[str] | None = None
    ) -> list[list[str]]: ...


class NoTouchpoints:
    """The do-nothing part, used when the configuration has no taxonomy."""

    def tag(
        self, texts: Sequence[str], sentiments: Sequence[Sentiment | None], langs: Sequence[str] | None = None
    ) -> list[list[str]]:
        return [[] for _ in texts]


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light inflection stem applied to keywords and posts alike: refunded/refunds -> refund.

    Only inflections are stripped (not -er, -ment): "waiter" must not meet "waiting". A final e and
    a doubled final consonant are dropped so that charge/charged/charging and ship/shipping meet.
    A short silent-e word keeps its e (site, rate, hope), and a three-letter stem left by -ed/-ing
    gets it back (rated -> rate, siting -> site) unless its consonant was doubled: "sitting" is
    not the keyword "site", nor "hopping" "hope".
    """
    stripped = False
    if len(word) > 4 and word.endswith(("ies", "ied")):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ing"):
        word, stripped = word[:-3], True
    elif len(word) > 4 and word.endswith("ed"):
        word, stripped = word[:-2], True
    elif len(word) > 4 and word.endswith(("ses", "xes", "zes", "ches", "shes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouys":
        word = word[:-1]
    elif stripped and _SHORT_ROOT.fullmatch(word):
        word += "e"
    return word


# consonant-vowel-consonant, the last not w, x or y: a root that lost a silent e to -ed/-ing
_SHORT_ROOT = re.compile(r"[b-df-hj-np-tvz][aeiou][b-df-hj-np-tvz]")


class KeywordIndex:
    """Keyword lookup in one pass over a post's words (no per-keyword regex scan).

    Keywords with Hangul match as substrings (particles attach: 배송 -> 배송이), except a short one
    (one or two syllables) where a longer keyword covers it: 페이 inside 상세페이지 is the website's
    (groundswell.hangul_keywords). The others match as whole stemmed word sequences ("customer
    service" matches "customer services").
    """

    def __init__(self, keywords: Sequence[tuple[int, str]]) -> None:
        self.substrings: list[tuple[str, int]] = []
        self.short: list[tuple[str, int, tuple[str, ...]]] = []
        self.phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for owner, keyword in keywords:
            keyword = keyword.strip().lower()
            if not keyword:
                continue
            if is_short_hangul(keyword):  # 페이 is not found inside the keyword 상세페이지
                self.short.append((keyword.replace(" ", ""), owner, ()))
                continue
            if _HANGUL.search(keyword):
                self.substrings.append((keyword.replace(" ", ""), owner))
                continue
            stems = tuple(stem(w) for w in _WORD.findall(keyword))
            if stems:
                self.phrases.setdefault(stems[0], []).append((stems, owner))
        hangul = [k for k, _ in self.substrings] + [k for k, _, _ in self.short]
        self.short = [(k, owner, covering(k, hangul)) for k, owner, _ in self.short]

    def find(self, text: str) -> set[int]:
        low = text.lower()
        found: set[int] = set()
        if (self.substrings or self.short) and _HANGUL.search(low):
            squashed = low.replace(" ", "")
            found.update(owner for keyword, owner in self.substrings if keyword in squashed)
            found.update(
                owner
                for keyword, owner, longer in self.short
                if short_keyword_found(keyword, squashed, longer)
            )
        stems = [stem(w) for w in _WORD.findall(low)]
        for i, first in enumerate(stems):
            for phrase, owner in self.phrases.get(first, ()):
                if len(phrase) == 1 or tuple(stems[i : i + len(phrase)]) == phrase:
                    found.add(owner)
        return found


def is_complaint(text: str, sentiment: Sentiment | None) -> bool:
    """The one complaint rule (groundswell.complaint), for a post or one of its clauses."""
    return complaint_rule(
        text, sentiment.label.value if sentiment else None, sentiment.score if sentiment else None
    )


class TouchpointClassifier:
    """Keyword + example-similarity tagger built from the configured taxonomy.

    With a `sentiment` model, a post is read clause by clause ("배송은 빨랐지만 제품이 불량" ->
    product-quality only): touchpoints come from the clauses that are complaints themselves, or from
    the whole post when no single clause is. Without one, every clause of a complaint post counts.
    Meaning reads the complaining clauses too (`meaning_reads_clauses`), which scores the sentiment
    of every clause of every complaint; without it, only clauses a keyword or example named are
    scored, and meaning reads the rest of the complaints whole (the fast static vectors' setting).
    """

    def __init__(
        self,
        touchpoints: Sequence[Touchpoint],
        min_similarity: float = 0.45,
        sentiment: SentimentModel | None = None,
        semantic: SemanticEncoder | None = None,
        concepts: ConceptSet = SHIPPED,
        meaning_reads_clauses: bool = True,
    ) -> None:
        self.touchpoints = list(touchpoints)
        self.concepts = concepts
        self.semantic = semantic
        self.meaning_reads_clauses = meaning_reads_clauses
        self._prototypes: dict[str, Prototypes] | None = None
        self._config_texts: dict[str, list[str]] = {}  # per space, the texts of the prototypes' rows
        self._learners: dict[str, StreamLearner] = {}
        self._restored: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.names = [t.name for t in self.touchpoints]
        self.min_similarity = min_similarity
        self.sentiment = sentiment
        self._keywords = KeywordIndex([(i, k) for i, tp in enumerate(self.touchpoints) for k in tp.keywords])
        self._concepts = [_concepts_named(tp, concepts) for tp in self.touchpoints]
        examples = [(i, ex) for i, tp in enumerate(self.touchpoints) for ex in tp.examples if ex.strip()]
        self._example_owner = np.array([i for i, _ in examples], dtype=np.int64)
        self._examples: sparse.csr_matrix | None = None
        if examples:
            raw = char_counts([ex for _, ex in examples])
            df = np.bincount(raw.indices, minlength=raw.shape[1]).astype(np.float32)
            # Smoothed idf over the examples: n-grams shared by many touchpoints' examples count less.
            self._idf = np.log((1 + len(examples)) / (1 + df)).astype(np.float32) + 1
            self._examples = transform(raw, self._idf)

    def _semantic_prototypes(self) -> dict[str, Prototypes]:
        """Per space: each touchpoint's centroid (examples, description, keywords, name) and its scale.

        A raw cosine is not comparable across touchpoints: a broad touchpoint ("services") is close
        to everything. Each touchpoint's cosine is read as a z-score against how close the *other*
        touchpoints' texts come to it, which needs nothing but the config (no stream, no corpus).
        """
        if self._prototypes is None:
            texts: list[tuple[int, str]] = []
            for i, tp in enumerate(self.touchpoints):
                texts += [(i, ex) for ex in tp.examples if ex.strip()]
                if tp.description and tp.description.strip():
                    texts.append((i, tp.description))
                for hangul in (True, False):
                    words = [k for k in tp.keywords if bool(_HANGUL.search(k)) == hangul and k.strip()]
                    if words:
                        texts.append((i, ", ".join(words)))
                name = re.sub(r"[-_/]+", " ", tp.name).strip()
                if name:  # the name the user chose says what it is about
                    texts.append((i, name))
            langs = ["ko" if _HANGUL.search(t) else "en" for _, t in texts]
            self._prototypes = {}
            assert self.semantic is not None
            encoded = self.semantic.encode([t for _, t in texts], langs)
            for space in dict.fromkeys(langs):
                rows = [k for k, lang in enumerate(langs) if lang == space and np.any(encoded[k][1])]
                if not rows:
                    continue
                matrix = np.vstack([encoded[k][1] for k in rows]).astype(np.float32)
                owners = np.array([texts[k][0] for k in rows], dtype=np.int64)
                self._prototypes[space] = Prototypes(matrix, owners, len(self.touchpoints))
                self._config_texts[space] = [texts[k][1] for k in rows]
        return self._prototypes

    def _meaning(
        self, texts: Sequence[str], langs: Sequence[str], words: Sequence[set[int]] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """z-scores (posts x touchpoints) of each text's closeness in meaning to each touchpoint.

        Transductive: after a first reading, each touchpoint's centroid moves towards the batch's
        posts it won most clearly (`SELF_TRAIN` rounds), so a deployment's own wording of a
        touchpoint ("my stuff never arrived") joins the config's. NaN where a text has no vector.
        Also: whether each text is on topic at all, its cosine to some touchpoint text reaching
        SEMANTIC_GATE (z says which touchpoint, not whether any: a complaint about the weather
        has a closest touchpoint too). And, given the texts' keyword matches (`words`), the
        probabilities of the classifier learned from the stream's keyword-labelled complaints
        (nlp.touchpoint_learning; NaN while it has too little to learn from).
        """
        out = np.full((len(texts), len(self.touchpoints)), np.nan, dtype=np.float32)
        learned = np.full_like(out, np.nan)
        on_topic = np.zeros(len(texts), dtype=bool)
        if self.semantic is None or not texts:
            return out, on_topic, learned
        protos = self._semantic_prototypes()
        encoded = self.semantic.encode(list(texts), list(langs))
        for space in dict.fromkeys(s for s, _ in encoded):
            rows = [i for i, (s, vec) in enumerate(encoded) if s == space and np.any(vec)]
            if space not in protos or not rows:
                continue
            vectors = np.vstack([encoded[i][1] for i in rows]).astype(np.float32)
            out[rows] = protos[space].zscores(vectors)
            gate = SEMANTIC_GATE.get(type(self.semantic.encoder(space)).__name__, 0.0)
            on_topic[rows] = (vectors @ protos[space].matrix.T).max(axis=1) >= gate
            if LEARN_FROM_STREAM and words is not None:
                learner = self._learners.get(space)
                if learner is None:
                    proto = protos[space]
                    config = with_concepts(proto.matrix, self._config_texts[space], self.concepts)
                    learner = self._learners[space] = StreamLearner(
                        len(self.touchpoints), config, proto.owners
                    )
                    remembered = self._restored.pop(space, None)
                    # a memory saved before the concept block (or with other columns) is left
                    if remembered is not None and remembered[0].shape[1] == config.shape[1]:
                        learner.remember(*remembered)
                features = with_concepts(vectors, [texts[i] for i in rows], self.concepts)
                labels = self._teachers([words[i] for i in rows], features[:, vectors.shape[1] :], out[rows])
                named = [k for k, label in enumerate(labels) if label >= 0]
                learner.remember(features[named], labels[named])
                probabilities = learner.probabilities(features)
                if probabilities is not None:
                    learned[rows] = probabilities
        return out, on_topic, learned

    def _teachers(self, words: list[set[int]], concepts: np.ndarray, z: np.ndarray) -> np.ndarray:
        """The touchpoint each complaint teaches the learner (-1: none): the one keyword or example
        it names, or else (`TEACH_BY_CONCEPT`) the one touchpoint that names a concept the complaint
        names (its concept block, `concepts`) and that its meaning is not far from (z >=
        SEMANTIC_MIN_Z): "my suitcase" teaches a touchpoint whose keyword is "baggage"."""
        labels = np.full(len(words), -1, dtype=np.int64)
        names = shipped_concepts()
        for k, named in enumerate(words):
            if len(named) == 1:
                labels[k] = next(iter(named))
            elif not named and TEACH_BY_CONCEPT and concepts[k].any():
                mine = {names[c] for c in np.flatnonzero(concepts[k])}
                taught = [
                    j for j, own in enumerate(self._concepts) if own & mine and z[k, j] >= SEMANTIC_MIN_Z
                ]
                if len(taught) == 1:
                    labels[k] = taught[0]
        return labels

    def learned_state(self) -> dict[str, dict[str, np.ndarray]]:
        """The stream-learned memory (nlp.touchpoint_learning), to keep between runs; keyed by space
        and English encoder, so a changed `nlp.semantic_en` starts afresh."""
        # a space restored but not met again yet keeps what it had
        memories = {**self._restored, **{s: (x.vectors, x.labels) for s, x in self._learners.items()}}
        state = memory_state(memories, self.names)
        return {f"{space}/{self._encoder_name()}": saved for space, saved in state.items()}

    def restore_learned(self, state: dict[str, dict[str, np.ndarray]]) -> None:
        """Take back a memory `learned_state` gave, where its space and encoder are today's."""
        if self.semantic is None:
            return
        suffix = f"/{self._encoder_name()}"
        mine = {key.removesuffix(suffix): saved for key, saved in state.items() if key.endswith(suffix)}
        self._restored = restore_memory(mine, self.names)

    def _encoder_name(self) -> str:
        return self.semantic.english if self.semantic is not None else ""

    def _word_ids(self, texts: Sequence[str]) -> list[set[int]]:
        """Touchpoints named by a keyword or by an example's character n-grams, per text.

        With meaning vectors, English text is compared with the examples by meaning only (they are
        in the prototypes and teach the learner): the n-gram pass changed nothing there (complaint
        reasons and brand domains alike, dev) and cost ~7% of `analyze`. Korean keeps it: its
        meaning is off at enrichment."""
        found = [self._keywords.find(text) for text in texts]
        rows = [i for i, t in enumerate(texts) if self.semantic is None or _HANGUL.search(t)]
        if self._examples is not None and rows:
            sims = transform(char_counts([texts[i] for i in rows]), self._idf) @ self._examples.T
            sims = sims.tocoo()
            for row, col, value in zip(sims.row, sims.col, sims.data, strict=True):
                if value >= self.min_similarity:
                    found[rows[row]].add(int(self._example_owner[col]))
        if CONCEPT_FALLBACK and any(self._concepts):
            for row, text in enumerate(texts):
                if not found[row] and _HANGUL.search(text):
                    named = {self.concepts.key(c) for c in self.concepts.of(text)}
                    found[row] = {i for i, own in enumerate(self._concepts) if own & named}
        return found

    def _decide(self, words: set[int], z: np.ndarray, on_topic: bool, learned: np.ndarray) -> list[int]:
        """Touchpoint ids, the most likely first.

        When one touchpoint stands out in meaning (z >= SEMANTIC_MIN_Z) it comes first, with those a
        keyword or example names that meaning finds plausible too (z >= SEMANTIC_SECOND_Z): on the
        bench a keyword alone ("order", "app", "account") was wrong more often than right. When none
        stands out, the word matches stand as they are, the likeliest first. Once the stream has
        taught a classifier (`learned`), it says which touchpoint stands out, and a complaint below
        the meaning gate is on topic too when the classifier is sure enough (`sure_enough`).
        """
        if not np.all(np.isnan(learned)):
            scores, best = learned, int(np.argmax(learned))
            stands = on_topic or sure_enough(learned)
        elif z.size and not np.all(np.isnan(z)):
            scores, best = np.nan_to_num(z, nan=-np.inf), int(np.nanargmax(z))
            stands = on_topic and z[best] >= SEMANTIC_MIN_Z
        else:
            return sorted(words)
        if stands:
            extra = sorted((k for k in words if k != best and z[k] >= SEMANTIC_SECOND_Z), key=lambda k: -z[k])
            return [best, *extra]
        return sorted(words, key=lambda k: -scores[k])

    def _names(self, ids: Sequence[int]) -> list[str]:
        return [self.names[i] for i in ids]

    def _posts(
        self, texts: Sequence[str], words: Sequence[set[int]], langs: Sequence[str]
    ) -> list[list[str]]:
        """Names per post from its word matches and, with an encoder, the meaning of its text."""
        if self.semantic is None:
            return [self._names(sorted(w)) for w in words]
        z, on_topic, learned = self._meaning(texts, [space_of(lang) for lang in langs], words)
        return [
            self._names(self._decide(w, z[k], bool(on_topic[k]), learned[k])) for k, w in enumerate(words)
        ]

    def match(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> list[list[str]]:
        """Touchpoints of each text, clause by clause, regardless of sentiment (for evaluation)."""
        clauses = [split_clauses(text) for text in texts]
        ids = iter(self._word_ids([c for parts in clauses for c in parts]))
        words = [set().union(*(next(ids) for _ in parts)) for parts in clauses]
        return self._posts(texts, words, langs or [_lang_of(t) for t in texts])

    def tag(
        self,
        texts: Sequence[str],
        sentiments: Sequence[Sentiment | None],
        langs: Sequence[str] | None = None,
    ) -> list[list[str]]:
        """Touchpoints of complaint posts; with a sentiment model, of their complaining clauses only.

        "배송은 빨랐는데 냄새가 나요" is one complaint about the product, not about delivery: with a
        sentiment model the clauses are scored and the praised touchpoint is left out. (Tagging the
        complaining clauses of posts that are positive overall was measured and lost precision.)
        Meaning reads the complaining clauses together (the whole post when none stands alone): a
        clause alone is often too short to say what the complaint is about.
        """
        out: list[list[str]] = [[] for _ in texts]
        if not self.touchpoints or not texts:
            return out
        complaint = [is_complaint(t, s) for t, s in zip(texts, sentiments, strict=True)]
        post_langs = [langs[i] if langs else _lang_of(t) for i, t in enumerate(texts)]
        spans: list[tuple[int, int]] = []
        flat: list[str] = []
        for text, is_one in zip(texts, complaint, strict=True):
            parts = split_clauses(text) if is_one else []  # only complaints are tagged: skip the rest
            spans.append((len(flat), len(flat) + len(parts)))
            flat.extend(parts)
        hits = self._word_ids(flat)
        keep: dict[int, bool] = {}
        if self.sentiment is not None:
            multi = [
                (i, k)
                for i, (start, end) in enumerate(spans)
                if end - start > 1
                for k in range(start, end)
                if hits[k] or (self.semantic is not None and self.meaning_reads_clauses)
            ]
            if multi:
                clause_langs = [langs[i] if langs else "und" for i, _ in multi]
                scored = self.sentiment.predict([flat[k] for _, k in multi], clause_langs)
                for (_, k), s in zip(multi, scored, strict=True):
                    keep[k] = is_complaint(flat[k], s)
        posts: list[int] = []
        post_texts: list[str] = []
        post_words: list[set[int]] = []
        for i, (start, end) in enumerate(spans):  # non-complaints have no clauses
            if start == end:
                continue
            mine = [k for k in range(start, end) if hits[k]]
            chosen = [k for k in mine if keep.get(k, False)] if end - start > 1 and keep else []
            words = set().union(*(hits[k] for k in (chosen or mine)))  # or the complaint as a whole
            if self.semantic is None and not words:
                continue
            complaining = [k for k in range(start, end) if keep.get(k, False)] if end - start > 1 else []
            posts.append(i)
            post_texts.append(" ".join(flat[k] for k in complaining) if complaining else texts[i])
            post_words.append(words)
        for i, names in zip(
            posts, self._posts(post_texts, post_words, [post_langs[i] for i in posts]), strict=True
        ):
            out[i] = names
        return out


def _concepts_named(tp: Touchpoint, concepts: ConceptSet) -> frozenset[str]:
    """The complaint concepts (nlp.concepts, by English name) a touchpoint names outright: a keyword or
    the touchpoint's name that *is* a concept's name ("로그인", "delivery"), not one of its words."""
    return frozenset(key for key in map(concepts.key, [*tp.keywords, tp.name]) if key)


def _lang_of(text: str) -> str:
    return "ko" if _HANGUL.search(text) else "en"


class Prototypes:
    """One space's touchpoint centroids, calibrated, and refined on the posts being tagged."""

    def __init__(self, matrix: np.ndarray, owners: np.ndarray, n: int) -> None:
        self.matrix, self.owners = matrix, owners
        self.present = np.array([np.any(owners == c) for c in range(n)])
        self.centroids = config_centroids(matrix, owners, n)

    def scale(self, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and spread of each centroid's cosine to the other touchpoints' texts."""
        sims = self.matrix @ centroids.T
        mu = np.zeros(len(centroids), dtype=np.float32)
        sd = np.ones(len(centroids), dtype=np.float32)
        for c in np.flatnonzero(self.present):
            others = sims[self.owners != c, c]
            if len(others) >= 2:
                mu[c], sd[c] = others.mean(), max(float(others.std()), 0.02)
            elif len(others) == 1:
                mu[c] = others[0]
        return mu, sd

    def zscores(self, vectors: np.ndarray) -> np.ndarray:
        centroids = self.centroids
        for round_ in range(SELF_TRAIN + 1):
            mu, sd = self.scale(centroids)
            z = (vectors @ centroids.T - mu) / sd
            z[:, ~self.present] = np.nan
            if round_ == SELF_TRAIN or not self.present.any():
                return z
            best = np.nanargmax(z, axis=1)
            ranked = np.sort(np.nan_to_num(z, nan=-np.inf), axis=1)
            lead = ranked[:, -1] - ranked[:, -2] if z.shape[1] > 1 else ranked[:, -1]
            moved = self.centroids.copy()
            for c in np.flatnonzero(self.present):
                won = best == c
                if not won.any():
                    continue
                # the more clearly won half, and only posts above the touchpoint's average: a lone
                # post must not pull a centroid onto itself (shrunk by n / (n + SELF_TRAIN_PRIOR))
                clear = won & (lead >= np.median(lead[won])) & (ranked[:, -1] >= SEMANTIC_MIN_Z)
                n = int(clear.sum())
                if n:
                    mean = vectors[clear].mean(axis=0)
                    weight = n / (n + SELF_TRAIN_PRIOR)
                    moved[c] = self.centroids[c] + weight * mean / max(float(np.linalg.norm(mean)), 1e-9)
            centroids = unit_rows(moved)
        return z


_CLAUSE_SPLIT = re.compile(
    r"(?<=[.!?。…~])(?<!\d\.)\s*(?=[^\s.!?~])|\n+|(?<=지만)\s+|(?<=[는은인]데)\s+"
    r"|(?<=[,;])\s+(?=but\b|however\b|though\b)"
)


def split_clauses(text: str, max_clauses: int = 12) -> list[str]:
    """Sentences and contrastive clauses of a post; the tail is kept whole after `max_clauses`."""
    parts = [p for p in (p.strip() for p in _CLAUSE_SPLIT.split(text)) if p]
    if len(parts) > max_clauses:
        parts = [*parts[: max_clauses - 1], " ".join(parts[max_clauses - 1 :])]
    return parts or [text]

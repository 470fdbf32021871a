"""Elasticsearch index layout: names, mappings, analyzers, the index template and the ILM policy.

Mentions live in time-based indices behind two aliases: `<prefix>-mentions-write` (the one
index that takes new documents; ILM rolls it over by age or size) and `<prefix>-mentions` (every
mention index, for reads). Small side indices hold metrics history, alerts, runs and state.

A mention document is the record's JSON (`Mention` fields as they are) plus a `gs` object of
fields derived in Python, so that the boolean query language is evaluated on exactly the tokens
`groundswell.query` sees: `gs.words` is the normalised word sequence (whitespace analyzer, so
positions equal Python's), `gs.tags` the @/# words, `gs.ko_bigrams` the Hangul syllable pairs
inside words (a 2-syllable Korean term is then one exact `term` query). Relevance-style fields
use real analyzers: `text` with `english`, `text.ko` with `nori` when the analysis-nori plugin is
installed, otherwise a CJK-bigram analyzer (standard tokenizer + cjk_width + cjk_bigram).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from groundswell.query import Document, normalize
from groundswell.records import EnrichedMention

_SYLLABLE = re.compile(r"[\uac00-\ud7af]")
MAX_TOKEN = 8000  # longest word kept whole by gs.words; Lucene refuses terms over 32766 bytes


@dataclass(frozen=True)
class IndexNames:
    """Every index, alias, template and policy name of one deployment, from its prefix."""

    prefix: str

    @property
    def read(self) -> str:
        return f"{self.prefix}-mentions"

    @property
    def write(self) -> str:
        return f"{self.prefix}-mentions-write"

    @property
    def pattern(self) -> str:
        return f"{self.prefix}-mentions-0*"

    @property
    def first(self) -> str:
        return f"{self.prefix}-mentions-000001"

    @property
    def template(self) -> str:
        return f"{self.prefix}-mentions"

    @property
    def policy(self) -> str:
        return f"{self.prefix}-mentions-policy"

    @property
    def metrics(self) -> str:
        return f"{self.prefix}-metrics"

    @property
    def alerts(self) -> str:
        return f"{self.prefix}-alerts"

    @property
    def runs(self) -> str:
        return f"{self.prefix}-runs"

    @property
    def meta(self) -> str:
        """Cursors and small state, one document per key."""
        return f"{self.prefix}-meta"

    @property
    def side(self) -> tuple[str, ...]:
        return (self.metrics, self.alerts, self.runs, self.meta)


def korean_analysis(nori: bool) -> dict[str, Any]:
    """The `gs_korean` analyzer: nori morphology when the plugin is there, CJK bigrams otherwise."""
    if nori:
        return {
            "tokenizer": {"gs_nori": {"type": "nori_tokenizer", "decompound_mode": "mixed"}},
            "analyzer": {
                "gs_korean": {
                    "type": "custom",
                    "tokenizer": "gs_nori",
                    "filter": ["nori_part_of_speech", "nori_readingform", "lowercase"],
                }
            },
        }
    return {
        "analyzer": {
            "gs_korean": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["cjk_width", "lowercase", "cjk_bigram"],
            }
        }
    }


def mention_settings(*, nori: bool, shards: int, replicas: int | None, names: IndexNames, ilm: bool) -> dict:
    analysis = korean_analysis(nori)
    analysis.setdefault("tokenizer", {})["gs_words"] = {"type": "whitespace", "max_token_length": MAX_TOKEN}
    analysis["analyzer"]["gs_words"] = {"type": "custom", "tokenizer": "gs_words"}
    settings: dict[str, Any] = {"number_of_shards": shards, "analysis": analysis}
    if replicas is not None:
        settings["number_of_replicas"] = replicas
    if ilm:
        settings["index.lifecycle.name"] = names.policy
        settings["index.lifecycle.rollover_alias"] = names.write
    return settings


_KEYWORD = {"type": "keyword"}
_LONG = {"type": "long"}
_DATE = {"type": "date"}
_TEXT = {"type": "text", "analyzer": "english", "fields": {"ko": {"type": "text", "analyzer": "gs_korean"}}}

# words joined across Hangul-to-Hangul spaces (`로켓 배송` -> `로켓배송`), one term per run of words
_SPACED = {"type": "text", "analyzer": "gs_words", "norms": False, "index_options": "docs"}

MENTION_MAPPINGS: dict[str, Any] = {
    "dynamic": False,  # unmapped record fields stay in _source only
    "properties": {
        "id": _KEYWORD,
        "source": _KEYWORD,
        "native_id": _KEYWORD,
        "created_at": _DATE,
        "fetched_at": _DATE,
        "url": {"type": "keyword", "index": False, "doc_values": False},
        "title": _TEXT,
        "text": _TEXT,
        "lang": _KEYWORD,
        "author": {
            "properties": {"id": _KEYWORD, "handle": _KEYWORD, "display_name": _KEYWORD, "followers": _LONG}
        },
        "metrics": {"properties": {k: _LONG for k in ("likes", "shares", "replies", "views")}},
        "parent_id": _KEYWORD,
        "thread_id": _KEYWORD,
        "rating": {"type": "float"},
        "rating_scale": {"type": "float"},
        "brands": _KEYWORD,
        "sentiment": {
            "properties": {"label": _KEYWORD, "score": {"type": "double"}, "confidence": {"type": "float"}}
        },
        "touchpoints": _KEYWORD,
        "entities": _KEYWORD,
        "complaint": {"type": "boolean"},
        "topic": {"properties": {"id": {"type": "integer"}, "label": _KEYWORD}},
        "virality": {"type": "object", "enabled": False},
        "clean_text": {"type": "text", "index": False},
        "raw": {"type": "object", "enabled": False},
        "gs": {
            "properties": {
                "words": {
                    "type": "text",
                    "analyzer": "gs_words",
                    "norms": False,
                    "index_options": "positions",
                },
                "tags": {"type": "keyword", "ignore_above": MAX_TOKEN},
                "ko_bigrams": _KEYWORD,
                "spaced": _SPACED,
                "author": {"type": "keyword", "ignore_above": MAX_TOKEN},
                "author_norm": {"type": "keyword", "ignore_above": MAX_TOKEN},
                "followers": _LONG,
                "engagement": _LONG,
            }
        },
    },
}

# fields added to MENTION_MAPPINGS after its first release; documents indexed before lack them (a
# `complaint` filter does not see them until they are re-indexed: `groundswell migrate`)
ADDED_FIELDS: dict[str, Any] = {
    "complaint": {"type": "boolean"},
    "gs": {"properties": {"spaced": _SPACED}},  # issue #16: 로켓배송 finds 로켓 배송
    "entities": _KEYWORD,  # issue #13: named entities per mention (nlp/entities.py)
}

SIDE_MAPPINGS: dict[str, dict[str, Any]] = {
    "metrics": {"dynamic": False, "properties": {"mention_id": _KEYWORD, "observed_at": _DATE}},
    "alerts": {
        "dynamic": False,
        "properties": {
            "id": _KEYWORD,
            "brand": _KEYWORD,
            "kind": _KEYWORD,
            "state": _KEYWORD,
            "updated_at": _DATE,
        },
    },
    "runs": {"dynamic": False, "properties": {"source": _KEYWORD, "started_at": _DATE}},
    "meta": {"dynamic": False, "properties": {"kind": _KEYWORD, "source": _KEYWORD}},
}

FACET_COLUMNS = {
    "source": "source",
    "lang": "lang",
    "sentiment": "sentiment.label",
    "brand": "brands",
    "topic": "topic.id",
    "touchpoint": "touchpoints",
    "author": "gs.author",
    "entity": "entities",
}


def index_template(names: IndexNames, settings: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for `indices.put_index_template`."""
    return {
        "name": names.template,
        "index_patterns": [names.pattern],
        "priority": 500,
        "template": {"settings": settings, "mappings": MENTION_MAPPINGS, "aliases": {names.read: {}}},
        "meta": {"managed_by": "groundswell", "schema": 1},
    }


def _duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    return f"{seconds // 86400}d" if seconds % 86400 == 0 else f"{seconds}s"


def ilm_policy(*, rollover_max_age: timedelta, rollover_max_size: str, retention: timedelta | None) -> dict:
    """Hot phase rolls over by age or primary shard size; `retention` deletes old indices (None: keep)."""
    phases: dict[str, Any] = {
        "hot": {
            "actions": {
                "rollover": {
                    "max_age": _duration(rollover_max_age),
                    "max_primary_shard_size": rollover_max_size,
                }
            }
        }
    }
    if retention is not None:
        phases["delete"] = {"min_age": _duration(retention), "actions": {"delete": {}}}
    return {"phases": phases}


# -- installing --------------------------------------------------------------------------------


def has_nori(client: Any) -> bool:
    """nori only when every node has the plugin; a shard on a node without it would fail."""
    nodes = client.nodes.info(metric="plugins").get("nodes", {})
    return bool(nodes) and all(
        any(p.get("name") == "analysis-nori" for p in node.get("plugins", [])) for node in nodes.values()
    )


@dataclass(frozen=True)
class Layout:
    """What to install for one prefix: policy, template, first rollover index, side indices."""

    names: IndexNames
    shards: int = 1
    replicas: int | None = None
    ilm: bool = True
    retention: timedelta | None = None
    rollover_max_age: timedelta = timedelta(days=30)
    rollover_max_size: str = "30gb"

    def install(self, client: Any, *, nori: bool) -> None:
        """Idempotent: safe for several workers starting at once (existing indices are kept)."""
        n = self.names
        if self.ilm:
            policy = ilm_policy(
                rollover_max_age=self.rollover_max_age,
                rollover_max_size=self.rollover_max_size,
                retention=self.retention,
            )
            client.ilm.put_lifecycle(name=n.policy, policy=policy)
        settings = mention_settings(
            nori=nori, shards=self.shards, replicas=self.replicas, names=n, ilm=self.ilm
        )
        client.indices.put_index_template(**index_template(n, settings))
        if not client.indices.exists_alias(name=n.write):  # 400 below: another worker created it first
            client.options(ignore_status=400).indices.create(
                index=n.first, aliases={n.write: {"is_write_index": True}}
            )
        else:  # indices made by an older version get fields added since (new fields only: allowed)
            client.indices.put_mapping(index=n.write, properties=ADDED_FIELDS)
        for kind, index in zip(("metrics", "alerts", "runs", "meta"), n.side, strict=True):
            if not client.indices.exists(index=index):
                client.options(ignore_status=400).indices.create(index=index, mappings=SIDE_MAPPINGS[kind])

    def uninstall(self, client: Any) -> None:
        quiet = client.options(ignore_status=404)
        found = quiet.indices.get(index=self.names.pattern)
        names = [*dict(found.body or {}), *self.names.side]
        quiet.indices.delete(index=",".join(names), ignore_unavailable=True)
        quiet.indices.delete_index_template(name=self.names.template)
        if self.ilm:
            quiet.ilm.delete_lifecycle(name=self.names.policy)


# -- documents ----------------------------------------------------------------------------------


def author_key(m: EnrichedMention) -> str | None:
    """What `@handle` and the author facet compare with: the handle, else the platform id."""
    return m.author.handle or m.author.id


def to_doc(m: EnrichedMention) -> dict[str, Any]:
    """The ES document of a mention: its JSON plus the derived `gs` fields (raw kept, not indexed)."""
    doc = m.model_dump(mode="json")
    parsed = Document(m.text)
    tokens = parsed.tokens
    author = author_key(m)
    # bigrams inside each word and across Hangul-to-Hangul spaces (`로켓 배송` has 켓배), as
    # groundswell.query matches Hangul across spaces
    words = [t.word for t in tokens] + parsed.spaced_words()
    doc["gs"] = {
        "words": " ".join(t.word for t in tokens),
        "tags": sorted({t.kind + t.word for t in tokens if t.kind}),
        "spaced": " ".join(parsed.spaced_words()),
        "ko_bigrams": sorted(
            {
                w[i : i + 2]
                for w in words
                for i in range(len(w) - 1)
                if _SYLLABLE.match(w[i]) and _SYLLABLE.match(w[i + 1])
            }
        ),
        "author": author,
        "author_norm": normalize(author).lstrip("@") if author else None,
        "followers": m.author.followers or 0,
        "engagement": m.metrics.engagement,
    }
    return doc


def from_source(source: dict[str, Any]) -> EnrichedMention:
    record = {k: v for k, v in source.items() if k != "gs"}
    return EnrichedMention.model_validate(record)


def record_json(m: EnrichedMention) -> str:
    """Canonical JSON without the raw payload: equal strings mean an unchanged mention."""
    return json.dumps(m.model_dump(mode="json", exclude={"raw"}), sort_keys=True, ensure_ascii=False)

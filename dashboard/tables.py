"""Mentions, facets and source runs as tables and export files: what Explore and Sources show.

Plain functions over the Store (no Streamlit). Text stays data: tables hold it as cell text, and
URLs become links only when they are http(s) (`safe_url`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

import pandas as pd

from groundswell import records
from groundswell.indexer.base import FacetField, MentionQuery, Store
from groundswell.records import EnrichedMention, SourceRun

UNKNOWN = "unknown"

# -- explore ----------------------------------------------------------------------------------------

EXPLORE_FACETS: tuple[FacetField, ...] = (
    "sentiment",
    "topic",
    "touchpoint",
    "source",
    "lang",
    "brand",
    "author",
    "entity",  # people, organisations, products, places named by (by default) complaints
)


def facet_counts(store: Store, query: MentionQuery, size: int = 10) -> dict[str, pd.DataFrame]:
    return {
        field: pd.DataFrame(
            [(c.value, c.count) for c in store.facets(query, field, size)], columns=["value", "count"]
        )
        for field in EXPLORE_FACETS
    }


def search(
    store: Store, query: MentionQuery, limit: int = 200, order: str = "newest"
) -> tuple[int, list[EnrichedMention]]:
    """How many match, and the first `limit` of them (raises QuerySyntaxError for a bad query)."""
    return store.count(query), store.search(query, limit=limit, order=order)


def safe_url(url: str | None) -> str | None:
    """Only http(s) links with a host are shown as links; anything else (javascript:, data:) is dropped."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in {"http", "https"} and parts.netloc else None


MENTION_COLUMNS = [
    "time", "source", "author", "followers", "text", "sentiment", "score", "rating", "topic", "touchpoints",
    "entities", "likes", "shares", "replies", "views", "lang", "brands", "url", "id",
]  # fmt: skip


def mentions_frame(
    mentions: Sequence[EnrichedMention], topic_labels: Mapping[int, str] | None = None
) -> pd.DataFrame:
    """Mentions as table rows; text stays plain text and `url` is None unless it is http(s).

    `topic_labels` gives one label per topic id (a mention keeps the label its topic had when it
    was enriched, so two posts of one topic may carry different ones).
    """
    names = topic_labels or {}
    rows = [
        (
            m.created_at,
            m.source,
            m.author.handle or m.author.display_name or m.author.id or "",
            m.author.followers or 0,
            " ".join(filter(None, [m.title, m.text])),
            m.sentiment.label.value if m.sentiment else UNKNOWN,
            round(m.sentiment.score, 2) if m.sentiment else None,
            m.rating,
            (names.get(m.topic.id) or m.topic.label or f"#{m.topic.id}") if m.topic else "",
            ", ".join(m.touchpoints),
            ", ".join(m.entities),
            m.metrics.likes,
            m.metrics.shares,
            m.metrics.replies,
            m.metrics.views,
            m.lang or "",
            ", ".join(m.brands),
            safe_url(m.url),
            m.id,
        )
        for m in mentions
    ]
    frame = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    # numbers stay numbers where no post has one (unrated posts): a cell shows blank, not "None"
    frame[["score", "rating"]] = frame[["score", "rating"]].astype(float)
    return frame


def export_csv(mentions: Sequence[EnrichedMention]) -> bytes:
    frame = mentions_frame(mentions)
    frame["time"] = frame["time"].map(lambda t: t.isoformat())
    return frame.to_csv(index=False).encode("utf-8-sig")  # BOM: Excel opens Hangul correctly


def export_jsonl(mentions: Sequence[EnrichedMention]) -> bytes:
    """One enriched record a line, the generic post format plus enrichment (raw payload left out)."""
    lines = (json.dumps(m.model_dump(mode="json", exclude={"raw"}), ensure_ascii=False) for m in mentions)
    return ("\n".join(lines) + "\n").encode("utf-8") if mentions else b""


# -- sources ----------------------------------------------------------------------------------------


def source_health(
    runs: Sequence[SourceRun], configured: Sequence[tuple[str, str, bool]] = ()
) -> pd.DataFrame:
    """records.source_health as a table: configured sources, then ingests and demo runs."""
    rows = [
        (
            h.source,
            h.kind,
            h.status,
            h.last.finished_at if h.last else None,
            h.last.next_run_at if h.last else None,
            h.last.fetched if h.last else None,
            h.last.new if h.last else None,
            h.last.errors if h.last else None,
            (h.last.error or "") if h.last else "",
        )
        for h in records.source_health(runs, configured)
    ]
    return pd.DataFrame(
        rows,
        columns=["source", "kind", "status", "last_run", "next_run", "fetched", "new", "errors", "reason"],
    )


def runs_frame(runs: Sequence[SourceRun]) -> pd.DataFrame:
    rows = [(r.source, r.started_at, r.fetched, r.new, r.errors, r.healthy) for r in runs]
    return pd.DataFrame(rows, columns=["source", "started_at", "fetched", "new", "errors", "healthy"])

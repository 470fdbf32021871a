"""The everyday commands: demo, dashboard, ingest, analyze, search."""

from __future__ import annotations

import contextlib
import sys
import textwrap
from typing import Any

import click

from groundswell.crawlers.tabular import parse_column_map
from groundswell.errors import InputError
from groundswell.indexer.base import MentionQuery
from groundswell.localtime import fmt_datetime
from groundswell.pipeline.context import (
    brand_filter,
    common_options,
    echo_json,
    load_context,
    log,
    parse_time,
    reader_zone,
)
from groundswell.pipeline.ingest import ingest_file, read_mentions
from groundswell.ratings import stars_text
from groundswell.records import Mention, Sentiment


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--map",
    "column_map",
    metavar="FIELD=COLUMN,...",
    help="CSV columns for the generic fields, e.g. text=review_body,created_at=date "
    "(default: config ingest.columns, then common names).",
)
@click.option(
    "--unmatched",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the posts no brand matched to this JSON Lines file, with the reason.",
)
@click.option("--batch-size", default=500, show_default=True, help="Mentions committed per transaction.")
@click.option("--json", "as_json", is_flag=True, help="Print the final counts as one JSON line.")
@common_options
@click.pass_context
def ingest(
    ctx: click.Context,
    file: str,
    column_map: str | None,
    unmatched: str | None,
    batch_size: int,
    as_json: bool,
) -> None:
    """Import FILE into the store: JSON Lines (generic post format) or CSV (.csv/.tsv; .gz accepted).

    JSONL lines: id, text, created_at (ISO 8601), optional source, url, lang, author {id, handle,
    followers}, metrics {likes, shares, replies, views}, brand (skips brand matching), rating (stars
    1-5, or out of rating_scale such as 10; kept on 1-5 and used by the sentiment). CSV: a header
    row; columns found by common names (text/review/내용, date/created_at/작성일, ...) or mapped with
    --map; UTF-8 (with or without BOM) or CP949. Bad lines are reported with file, line and column
    and skipped; re-running the same file changes nothing. Exits 2 if lines were rejected and
    nothing was stored.
    """
    settings, store = load_context(ctx, create=True)
    check = getattr(store, "check_integrity", None)
    if check is not None:  # a bulk write into a damaged file would be lost or make it worse
        check()
    columns = parse_column_map(column_map)
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(unmatched, "w", encoding="utf-8")) if unmatched else None
        report = ingest_file(
            file, settings, store, batch_size=batch_size, log=log, columns=columns, unmatched=out
        )
    if as_json:
        echo_json(report.as_dict())
    else:
        log(f"ingested {file}: {report.summary()}")
    if report.unmatched:
        if unmatched:
            log(f"{report.unmatched} post(s) no brand matched are in {unmatched} (with the reason)")
        else:
            log(f"{report.unmatched} post(s) matched no brand query; see them with --unmatched FILE")
    if report.kept_nothing:
        raise InputError(f"{file}: nothing stored, {report.rejected} line(s) rejected (see the errors above)")


@click.command()
@click.option("--topics", is_flag=True, help="Fit topics on the input batch and add `topic` to each line.")
@click.option(
    "--entities",
    is_flag=True,
    help="Add `entities` (people, organisations, products, places) to each line, for the posts "
    "nlp.entities selects (complaints by default); slower: spaCy reads ~780 English posts/s.",
)
@common_options
@click.pass_context
def analyze(ctx: click.Context, topics: bool, entities: bool) -> None:
    """Enrich JSON Lines posts from stdin; write them to stdout with lang, sentiment, complaint, touchpoints.

    Only `text` is required: a line without `id` gets a stable content hash, one without
    `created_at` the current time. Malformed lines are reported on stderr with their number and
    skipped; if every line was rejected the exit code is 2. Example:

      echo '{"text":"배송이 일주일째 안 와요"}' | groundswell analyze
    """
    from groundswell.nlp.enrich import Enricher
    from groundswell.nlp.entities import NoEntities

    enricher = Enricher.from_settings(ctx.find_root().obj.settings)
    if not entities:
        enricher.entities = NoEntities()  # off the streaming path unless asked for (BENCHMARKS.md, NLP)
    batch: list[Mention] = []
    counts = {"read": 0, "rejected": 0}

    def reject(exc: InputError) -> None:
        counts["rejected"] += 1
        log(f"stdin: {exc}")

    for _lineno, mention in read_mentions(iter(sys.stdin.buffer), reject, fill=True):
        counts["read"] += 1
        batch.append(mention)
        if not topics and len(batch) >= ANALYZE_CHUNK:  # stream: output flows, memory stays flat
            _write_analysis(enricher, batch, entities)
            batch = []
    if topics and batch:
        from groundswell.nlp.topics import TopicModeler, fit_topics
        from groundswell.pipeline.process import topic_brand_names

        modeler = TopicModeler(online=False, brand_names=topic_brand_names(ctx.find_root().obj.settings))
        for mention in fit_topics(enricher.enrich(batch), modeler):
            out = _original(mention)
            out.update(_enrichment(mention.lang, mention.sentiment, mention.touchpoints, mention.complaint))
            if entities:
                out["entities"] = mention.entities
            topic = mention.topic
            out["topic"] = topic.model_dump(mode="json") if topic else {"id": -1, "label": "", "keywords": []}
            echo_json(out)
    elif batch:
        _write_analysis(enricher, batch, entities)
    if counts["rejected"] and not counts["read"]:
        raise InputError(f"stdin: nothing analysed, {counts['rejected']} line(s) rejected")


ANALYZE_CHUNK = 2000


def _original(mention: Mention) -> dict[str, Any]:
    return dict(mention.raw) if mention.raw else {"id": mention.native_id, "text": mention.text}


def _enrichment(
    lang: str | None, sentiment: Sentiment | None, touchpoints: list[str], complaint: bool
) -> dict[str, Any]:
    """What analyze adds; `complaint` is the one rule the detector and the dashboard read
    (groundswell.complaint), so a script counts complaints as alerts do."""
    return {
        "lang": lang,
        "sentiment": sentiment.model_dump(mode="json") if sentiment else None,
        "complaint": complaint,
        "touchpoints": touchpoints,
    }


def _write_analysis(enricher: Any, batch: list[Mention], entities: bool = False) -> None:
    """The input lines with lang, sentiment and touchpoints (and entities) added (no record round-trip)."""
    parts = enricher.analyze([m.text for m in batch], [m.lang for m in batch], [m.rating for m in batch])
    for i, mention in enumerate(batch):
        out = _original(mention)
        out.update(_enrichment(parts.lang[i], parts.sentiment[i], parts.touchpoints[i], parts.complaint[i]))
        if entities:
            out["entities"] = parts.entities[i]
        echo_json(out)


@click.command()
@click.argument("query")
@click.option("--brand", "brands", multiple=True, help="Only this brand (repeatable).")
@click.option(
    "--entity",
    "entities",
    multiple=True,
    help="Only posts naming this entity, exactly as stored: a person, organisation, product or place "
    "(repeatable; see the Explore page's entity facet).",
)
@click.option("--since", help="ISO 8601 time, or a duration ago such as 7d or 12h.")
@click.option("--until", help="ISO 8601 time (exclusive), or a duration ago.")
@click.option("--limit", default=20, show_default=True, help="Most mentions to print.")
@click.option("--order", type=click.Choice(["newest", "oldest", "reach", "engagement"]), default="newest")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one mention a line, nothing else.")
@common_options
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    brands: tuple[str, ...],
    entities: tuple[str, ...],
    since: str | None,
    until: str | None,
    limit: int,
    order: str,
    as_json: bool,
) -> None:
    """Full-text search with the boolean query language.

    QUERY examples: 'battery AND (fire OR 발열)', '"customer service" NOT refund', 'overheat* NEAR/3 charging',
    '@lumio_kr', '#lumiox2'. Korean words are found inside words (배송 finds 배송이). An empty QUERY ('')
    matches every post: with --entity, the posts that name the entity.
    """
    settings, store = load_context(ctx)
    tz = reader_zone(settings)
    brands = brand_filter(settings, store, brands)
    q = MentionQuery(
        text=query,
        brands=brands,
        entities=entities,
        since=parse_time(since),
        until=parse_time(until),
    )
    total = store.count(q)
    for m in store.search(q, limit=limit, order=order):
        if as_json:
            echo_json(m.model_dump(mode="json", exclude={"raw"}))
        else:
            click.echo(_search_row(m, tz))
    log(f"{total} mention(s) match")


def _search_row(m: Any, tz: Any) -> str:
    """One result: local time, brand(s), source, sentiment; then the whole text, wrapped and indented."""
    label = m.sentiment.label.value if m.sentiment else "-"
    brand = ",".join(m.brands) or "-"
    stars = f" {stars_text(m.rating)}" if m.rating is not None else ""
    head = f"{fmt_datetime(m.created_at, tz)}  {brand:<12} {m.source:<10} {label}{stars}"
    text = " ".join(" ".join(filter(None, [m.title, m.text])).split())
    body = textwrap.fill(
        text, width=96, initial_indent="    ", subsequent_indent="    ", break_long_words=True
    )
    return f"{head}\n{body}"


def _serve(config_path: str | None, db_path: str | None, host: str, port: int) -> None:
    from groundswell.dashboard.launch import serve, streamlit_command

    command = streamlit_command(config_path, db_path, host, port)
    log(f"dashboard: http://{host}:{port}  (Ctrl+C to stop)")
    with contextlib.suppress(KeyboardInterrupt):
        serve(command)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8501, show_default=True, type=int)
@common_options
@click.pass_context
def dashboard(ctx: click.Context, host: str, port: int) -> None:
    """Serve the dashboard (Streamlit) over the store."""
    state = ctx.find_root().obj
    _settings, store = load_context(ctx)
    db = state.db_path or str(getattr(store, "path", "") or "")
    _serve(state.config_path, db or None, host, port)


@click.command()
@click.option("--no-dashboard", is_flag=True, help="Stop after the pipeline; do not serve the dashboard.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8501, show_default=True, type=int)
@common_options
@click.pass_context
def demo(ctx: click.Context, no_dashboard: bool, host: str, port: int) -> None:
    """The main job on a fresh machine: replay the bundled scenario, run the pipeline, serve the dashboard."""
    from groundswell.pipeline.demo import run_demo

    state = ctx.find_root().obj
    settings, store = load_context(ctx, create=True)
    summary = run_demo(settings, store, log=log)
    db = getattr(store, "path", None)
    log(summary)
    if not no_dashboard:
        state.close()
        _serve(state.config_path, str(db) if db else None, host, port)


COMMANDS = [demo, dashboard, ingest, analyze, search]

"""Crawler commands: crawl, parse, run, sources."""

from __future__ import annotations

from typing import Any

import click

from groundswell.config.settings import Settings
from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers.registry import SOURCES, source_class
from groundswell.errors import InputError, SourceDisabled, SourceUnavailable
from groundswell.localtime import fmt_datetime
from groundswell.pipeline.context import CliState, common_options, echo_json, load_context, log, reader_zone
from groundswell.pipeline.scheduler import Process, Scheduler, skip_key, unmapped_key
from groundswell.records import Mention, source_health


def build_process(settings: Settings, store: Any) -> Process:
    """Brand matching, enrichment, topics and virality: the same step `ingest` uses."""
    from groundswell.pipeline.process import MentionProcessor

    return MentionProcessor(settings, store)


def _run_summary(run: Any) -> str:
    state = "ok" if run.healthy else f"FAILED: {run.error}"
    took = (run.finished_at - run.started_at).total_seconds()
    return (
        f"{run.source}: fetched {run.fetched}, new {run.new}, updated {run.updated}, "
        f"rejected {run.rejected}, {took:.1f}s, {state}"
    )


@click.command()
@click.argument("source")
@click.option("--once", is_flag=True, help="One run (all pages ready now), then exit.")
@click.option("--json", "as_json", is_flag=True, help="Print each run as one JSON line.")
@common_options
@click.pass_context
def crawl(ctx: click.Context, source: str, once: bool, as_json: bool) -> None:
    """Crawl the configured SOURCE (by name): once, or on its interval until SIGTERM."""
    settings, store = load_context(ctx, create=True)
    names = [cfg.name for cfg in settings.sources]
    if source not in names:
        raise click.BadParameter(f"no source named {source!r}; configured: {', '.join(names) or 'none'}")
    scheduler = Scheduler(settings, store, build_process(settings, store), only=[source])
    if once:
        run = scheduler.run_once(source)
        scheduler.checkpoint(force=True)
        echo_json(run.model_dump(mode="json")) if as_json else log(_run_summary(run))
        if not run.healthy:
            ctx.exit(1)
        return
    scheduler.install_signal_handlers()
    scheduler.run()


@click.command()
@click.option("--source", "source_name", required=True, help="A configured source name or a source type.")
@click.argument("file", type=click.File("rb"))
@click.option("--raw/--no-raw", default=False, help="Include the raw platform item in each line.")
@common_options
@click.pass_context
def parse(ctx: click.Context, source_name: str, file: Any, raw: bool) -> None:
    """Map one raw platform response (JSON, XML or HTML, as returned) to mentions, as JSON Lines.

    Offline: no credentials needed. FILE may be `-` for stdin.
    """
    cfg = _source_settings(ctx, source_name)
    cls = source_class(cfg.type)
    parser = cls.for_parse(cfg)  # type: ignore[attr-defined]
    data = file.read()
    if hasattr(parser, "parse_batch"):
        batch = parser.parse_batch(data)
        mentions: list[Mention] = batch.mentions
        for reason, n in sorted(batch.skipped.items()):
            log(f"skipped {n} item(s): {reason}")
        if batch.unmapped:
            log("unmapped fields: " + ", ".join(f"{k} ({v})" for k, v in batch.unmapped.most_common(10)))
    else:
        mentions = list(parser.parse(data))
    exclude = None if raw else {"raw"}
    for mention in mentions:
        echo_json(mention.model_dump(mode="json", exclude=exclude))
    log(f"{len(mentions)} mention(s) from {getattr(file, 'name', 'input')}")
    if not mentions and hasattr(parser, "parse_batch") and batch.skipped:
        raise InputError(f"{getattr(file, 'name', 'input')}: no mention, every item was skipped")


def _source_settings(ctx: click.Context, name: str) -> SourceSettings:
    """A configured source by name, else a bare source of that type (parse needs no config)."""
    if name not in SOURCES:
        state = ctx.find_object(CliState) or CliState(None, None)
        settings = state.settings  # parse is offline: no store is opened
        for cfg in settings.sources:
            if cfg.name == name:
                return cfg
        known = sorted({*SOURCES, *(c.name for c in settings.sources)})
        raise click.BadParameter(f"unknown source {name!r}; known: {', '.join(known)}", param_hint="--source")
    return SourceSettings(name=name, type=name)


@click.command()
@click.option("--once", is_flag=True, help="One cycle over every enabled source, then exit.")
@common_options
@click.pass_context
def run(ctx: click.Context, once: bool) -> None:
    """The scheduler: crawl -> enrich -> index (-> detect -> alert) until SIGTERM."""
    settings, store = load_context(ctx, create=True)
    after_cycle = _after_cycle(settings, store)
    try:
        _run(settings, store, after_cycle, once)
    finally:  # the outbox flusher thread must not outlive the store it writes to
        close = getattr(after_cycle, "close", None)
        if close is not None:
            close()


def _run(settings: Settings, store: Any, after_cycle: Any, once: bool) -> None:
    scheduler = Scheduler(settings, store, build_process(settings, store), after_cycle=after_cycle)
    scheduler.install_signal_handlers()
    runnable = [n for n, s in scheduler.states.items() if s.source is not None]
    log(f"running {len(runnable)} source(s): {', '.join(runnable) or 'none'}")
    if not runnable:
        raise SourceDisabled("no enabled source can run; see `groundswell sources` for why")
    if once:
        failed = []
        for source_run in scheduler.run_all_once():
            log(_run_summary(source_run))
            stored = source_run.new + source_run.updated
            every_item_refused = source_run.fetched > 0 and source_run.rejected >= source_run.fetched
            if not source_run.healthy or (every_item_refused and not stored):
                failed.append(source_run.source)
        if failed:
            raise SourceUnavailable(
                f"{len(failed)} source(s) failed or had every item refused: {', '.join(failed)}"
            )
        return
    scheduler.run()


def _after_cycle(settings: Settings, store: Any) -> Any:
    """Detection + alerting after each cycle (pipeline/loop.py)."""
    from groundswell.pipeline.loop import after_cycle_hook

    return after_cycle_hook(settings, store)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON line per source.")
@common_options
@click.pass_context
def sources(ctx: click.Context, as_json: bool) -> None:
    """Health of every source, ingest and demo run: last run, counts, errors, next run.

    Configured sources come first; then each `ingest` of a file and the `demo`, as recorded."""
    settings, store = load_context(ctx)
    zone = reader_zone(settings)
    configured = [(cfg.name, cfg.type, cfg.enabled) for cfg in settings.sources]
    by_name = {cfg.name: cfg for cfg in settings.sources}
    # each configured source's own latest run (exact), and the newest runs for ingests and demos
    runs = store.source_runs(limit=RUNS_READ)
    runs += [run for cfg in settings.sources for run in store.source_runs(cfg.name, limit=1)]
    for health in source_health(runs, configured):
        cfg = by_name.get(health.source)
        last = health.last
        row: dict[str, Any] = {
            "name": health.source,
            "type": health.kind,
            "configured": cfg is not None,
            "enabled": cfg.enabled if cfg else None,
            "status": _status(cfg) if cfg else "recorded",
            "healthy": bool(last.healthy) if last else None,
            "last_run": last.model_dump(mode="json") if last else None,
        }
        if cfg is not None:
            runs = store.source_runs(cfg.name, limit=20)
            row.update(
                failures_recent=sum(1 for r in runs if not r.healthy),
                cursor=store.get_cursor(cfg.name),
                skipped=store.get_state(skip_key(cfg.name)) or {},
                unmapped_fields=store.get_state(unmapped_key(cfg.name)) or {},
            )
        if as_json:
            echo_json(row)
            continue
        state = {"never": "never run", "disabled": "never run", "unhealthy": "UNHEALTHY"}.get(
            health.status, health.status
        )
        line = f"{health.source:<20} {health.kind:<11} {row['status']:<10} {state}"
        if last is not None:
            line += f"  last {fmt_datetime(last.finished_at, zone)} {_run_summary(last).split(': ', 1)[1]}"
        if row.get("skipped"):
            top = sorted(row["skipped"].items(), key=lambda kv: -kv[1])[:4]
            line += "  skipped: " + ", ".join(f"{reason} {n}" for reason, n in top)
        click.echo(line)
    if not settings.sources:
        log("no sources configured (add a `sources:` section to the config)")


RUNS_READ = 5000  # newest runs read for the table: every source's latest is among them in practice


def _status(cfg: SourceSettings) -> str:
    if not cfg.enabled:
        return "disabled"
    try:
        source_class(cfg.type).from_settings(cfg)
    except (SourceDisabled, KeyError, ValueError) as exc:
        log(f"{cfg.name}: {str(exc).strip(chr(39))}")
        return "not-ready"
    return "ready"


COMMANDS = [crawl, parse, run, sources]

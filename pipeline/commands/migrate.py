"""`groundswell migrate --to elasticsearch`: copy the embedded store into a cluster.

Everything is upserted by id, so the command can be stopped and run again: nothing is doubled,
and a second run only re-sends what changed. Mentions go over with their raw payloads and full
metrics history, then alerts, source runs, cursors (so crawling resumes where it stopped) and
small state. Progress goes to stderr; `--json` prints one summary object on stdout.
"""

from __future__ import annotations

import time
from typing import Any

import click

from groundswell.errors import StoreError
from groundswell.indexer import open_store
from groundswell.indexer.base import AlertFilter, MentionQuery
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.pipeline.context import CliState, common_options, echo_json, log, require_existing_store


def _settings_for(settings: Any, **store: Any) -> Any:
    return settings.model_copy(update={"store": settings.store.model_copy(update=store)})


def copy_store(src: SQLiteStore, dst: Any, batch_size: int, progress: bool = True) -> dict[str, int]:
    """Copy src into dst (an ElasticsearchStore); returns what was copied, by kind."""
    total = src.count(MentionQuery())
    done = {"mentions": 0, "new": 0, "updated": 0, "unchanged": 0, "observations": 0}
    started = time.monotonic()
    for batch in src.iter_mentions(batch_size):
        result = dst.upsert(batch)
        history = [obs for m in batch for obs in src.metrics_history(m.id)]
        dst.add_metrics_history(history)
        done["mentions"] += len(batch)
        done["new"] += result.new
        done["updated"] += result.updated
        done["unchanged"] += result.unchanged
        done["observations"] += len(history)
        if progress:
            rate = done["mentions"] / max(time.monotonic() - started, 1e-6)
            log(f"migrate: {done['mentions']}/{total} mentions ({rate:.0f}/s)")
    alerts = src.list_alerts(AlertFilter(limit=10**9))
    for alert in alerts:
        dst.save_alert(alert)
    runs = src.source_runs(limit=10**9)
    for run in runs:
        dst.record_source_run(run)
    cursors = src.cursors()
    for source, cursor in cursors.items():  # after the mentions they cover, never before
        dst.commit_batch([], source=source, cursor=cursor)
    keys = src.state_keys()
    for key in keys:
        dst.set_state(key, src.get_state(key))
    done.update(alerts=len(alerts), source_runs=len(runs), cursors=len(cursors), state=len(keys))
    return done


@click.command()
@click.option(
    "--to", "target", type=click.Choice(["elasticsearch"]), required=True, help="Backend to copy into."
)
@click.option("--url", help="Elasticsearch URL (default: store.url, then GROUNDSWELL_ES_URL).")
@click.option("--index-prefix", help="Index prefix (default: store.index_prefix).")
@click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(1, 50_000))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary line on stdout.")
@common_options
@click.pass_context
def migrate(
    ctx: click.Context, target: str, url: str | None, index_prefix: str | None, batch_size: int, as_json: bool
) -> None:
    """Copy the embedded SQLite store (--db) into Elasticsearch; safe to re-run.

    Credentials come from the environment variables named in the config (store.api_key_env,
    store.password_env). Stop the pipeline first, or run again afterwards to pick up the rest.
    """
    state = ctx.find_object(CliState) or CliState(None, None)
    settings = state.settings
    source_settings = _settings_for(settings, backend="sqlite")
    require_existing_store(source_settings, state.db_path)
    src = open_store(source_settings, state.db_path)
    if not isinstance(src, SQLiteStore):
        raise StoreError("migrate copies the embedded SQLite store; point --db at its file")
    changes: dict[str, Any] = {"backend": target}
    if url:
        changes["url"] = url
    if index_prefix:
        changes["index_prefix"] = index_prefix
    dst = open_store(_settings_for(settings, **changes))
    try:
        log(f"migrate: {src.path} -> {dst.url} (prefix {dst.names.prefix})")  # type: ignore[attr-defined]
        summary = copy_store(src, dst, batch_size, progress=not as_json)
        summary["in_target"] = dst.count(MentionQuery())
    finally:
        src.close()
        dst.close()
    if as_json:
        echo_json(summary)
    else:
        log(
            f"migrate: done, {summary['mentions']} mentions ({summary['new']} new), {summary['observations']} "
            f"metrics observations, {summary['alerts']} alerts, {summary['cursors']} cursors; "
            f"{summary['in_target']} mentions now in the target"
        )


COMMANDS = [migrate]

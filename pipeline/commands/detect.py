"""`groundswell detect` and `groundswell backtest`: the detector on a store, now or replayed.

`backtest` runs exactly the `Detector` that `groundswell run` runs, step by step over a replayed
clock, so a team can tune sensitivity on its own history and see when each alert would have
fired. stdout carries only alerts (JSON Lines with --json); progress goes to stderr.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import click

from groundswell.config.settings import Settings, parse_duration
from groundswell.indexer.base import AlertFilter, Store
from groundswell.localtime import fmt_datetime, local
from groundswell.pipeline.context import common_options, echo_json, load_context, log, parse_time, reader_zone
from groundswell.pipeline.replay import HOT_STEP
from groundswell.records import Alert, AlertKind, AlertState


def alert_line(alert: Alert, store: Store, native: dict[str, str] | None = None) -> dict[str, Any]:
    """The JSON form of an alert for stdout; evidence ids are the input ids (`native_id`)."""
    if native is None:
        native = {m.id: m.native_id for m in store.get(alert.evidence_ids)}
    data = alert.model_dump(mode="json", exclude={"history"})
    data["evidence_ids"] = [native.get(i, i) for i in alert.evidence_ids]
    data["topic"] = data["topic"] or {"id": -1, "label": "", "keywords": []}
    return data


def _human(alert: Alert, tz: tzinfo) -> str:
    topic = alert.topic.label if alert.topic else ""
    first_seen = local(alert.first_seen, tz)
    return (
        f"{fmt_datetime(alert.fired_at, tz)} [{alert.severity.value}] {alert.brand}: {topic} "
        f"({int(alert.observed)} posts vs {alert.expected:.1f} expected, risk {alert.spread_risk:.2f}) "
        f"first seen {first_seen:%H:%M}, id {alert.id}"
    )


@click.command()
@click.option("--as-of", "as_of", help="Detect as if it were this time (ISO 8601, or a duration ago).")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one alert a line, nothing else.")
@common_options
@click.pass_context
def detect(ctx: click.Context, as_of: str | None, as_json: bool) -> None:
    """Run the detector once and print the current (open) alerts of the store."""
    from groundswell.nlp.detect import Detector
    from groundswell.nlp.detect.watch import describe, read_watchlist

    settings, store = load_context(ctx)
    when = parse_time(as_of) or datetime.now(UTC)
    detector = Detector.from_settings(settings)
    fired = detector.run(store, when)
    detector.flush(store)
    log(f"detect at {when.isoformat()}: {len(fired)} alert(s) new or updated")
    for watched in read_watchlist(detector.watchlist())[1]:
        log(f"close to an alert: {describe(watched)}")
    _hint_for_history(store, when, as_of, max((r.baseline for r in settings.alert_rules), default=None))
    cooldown = max((r.cooldown for r in settings.alert_rules), default=timedelta(hours=6))
    flt = AlertFilter(
        states=(AlertState.NEW, AlertState.ACKNOWLEDGED), kinds=(AlertKind.COMPLAINT,), since=when - cooldown
    )
    current = {a.id: a for a in store.list_alerts(flt) if a.fired_at <= when}
    current.update({a.id: a for a in fired})  # a look at a past moment is computed, not saved
    for alert in sorted(current.values(), key=lambda a: a.fired_at):
        echo_json(alert_line(alert, store)) if as_json else click.echo(_human(alert, reader_zone(settings)))


def _hint_for_history(store: Store, when: datetime, as_of: str | None, baseline: timedelta | None) -> None:
    """Imported history ends long before now, so a detector looking at now sees nothing: say so."""
    span = store.time_range()
    if as_of is not None or span is None or when - span[1] <= (baseline or timedelta(days=7)):
        return
    newest = span[1].strftime("%Y-%m-%dT%H:%MZ")
    log(
        f"the newest post is from {newest}, before the detector's window: look at that moment with "
        f"`groundswell detect --as-of {newest}`, or replay the history with `groundswell backtest`"
    )


def _duration(ctx: click.Context, param: click.Parameter, value: str) -> timedelta:
    try:
        step = parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if step.total_seconds() <= 0:
        raise click.BadParameter("the step must be positive")
    return step


def _hot_step(ctx: click.Context, param: click.Parameter, value: str) -> timedelta | None:
    if value.strip() in ("0", "off"):
        return None
    return _duration(ctx, param, value)


@click.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="YAML configuration.")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Generic JSON Lines posts (.jsonl or .jsonl.gz) to replay.",
)
@click.option("--step", default="15m", show_default=True, callback=_duration, help="Replay step (15m, 1h).")
@click.option(
    "--hot-step",
    default="5m",
    show_default=True,
    callback=_hot_step,
    help="Step while a brand is close to an alert, as `run` crawls its sources every hot_interval (0: off).",
)
@click.option("--from", "start", help="First detection time (ISO 8601); default: the first post.")
@click.option("--to", "end", help="Last detection time (ISO 8601); default: the last post.")
@click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), help="Keep the store here (default: a temporary one)."
)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one alert a line, when it first fires.")
@click.pass_context
def backtest(
    ctx: click.Context,
    config_path: str | None,
    input_path: str,
    step: timedelta,
    hot_step: timedelta | None,
    start: str | None,
    end: str | None,
    db_path: str | None,
    as_json: bool,
) -> None:
    """Ingest the --input posts into a store, replay time in steps, print each alert when it first fires."""
    from groundswell.config.loader import load_settings

    root = ctx.find_root().obj
    settings = load_settings(config_path or (root.config_path if root is not None else None))
    with tempfile.TemporaryDirectory(prefix="groundswell-backtest-") as tmp:
        from groundswell.indexer.sqlite import SQLiteStore  # the replay store is always a local file

        store: Store = SQLiteStore(Path(db_path) if db_path else Path(tmp) / "backtest.db")
        try:
            run_backtest(settings, store, Path(input_path), step, start, end, as_json, hot_step)
        finally:
            store.close()


def run_backtest(
    settings: Settings,
    store: Store,
    input_path: Path,
    step: timedelta,
    start: str | None = None,
    end: str | None = None,
    as_json: bool = True,
    hot_step: timedelta | None = HOT_STEP,
    on_update: Callable[[Alert, datetime], None] | None = None,
) -> list[Alert]:
    """Ingest, replay and print; returns the alerts in the order they first fired (`on_update`:
    see `replay_detection`)."""
    from groundswell.pipeline.ingest import ingest_file
    from groundswell.pipeline.replay import replay_detection

    began, cpu = time.perf_counter(), time.process_time()
    # the replay reads no named entity, and NER costs ~1 ms per English complaint (BENCHMARKS.md, NLP)
    settings = settings.model_copy(update={"nlp": settings.nlp.model_copy(update={"entities": "off"})})
    report = ingest_file(input_path, settings, store, log=log)
    log(
        f"backtest: ingested {input_path}: {report.summary()} in {time.perf_counter() - began:.1f}s "
        f"(CPU {time.process_time() - cpu:.1f}s)"
    )
    span = store.time_range()
    if span is None:
        log("backtest: no posts to replay")
        return []
    first = parse_time(start) or span[0]
    last = parse_time(end) or span[1] + step
    replay_began, replay_cpu = time.perf_counter(), time.process_time()
    fired, steps = replay_detection(
        settings,
        store,
        first,
        last,
        step,
        on_alert=lambda a: (
            echo_json(alert_line(a, store)) if as_json else click.echo(_human(a, reader_zone(settings)))
        ),
        fresh=True,
        hot_step=hot_step,
        on_update=on_update,
    )
    hot = f" (or {hot_step} while a brand warmed)" if hot_step else ""
    log(
        f"backtest: {steps} steps of {step}{hot} from {first.isoformat()} to {last.isoformat()}, "
        f"{len(fired)} alert(s), replay {time.perf_counter() - replay_began:.1f}s "
        f"(CPU {time.process_time() - replay_cpu:.1f}s)"
    )
    return fired


COMMANDS = [detect, backtest]

"""`groundswell alerts list|ack|assign|resolve|outbox|test|receive`: act on alerts from a terminal.

The lifecycle commands only change the stored alert (who, when, note); the running pipeline's
dispatcher turns each change into a reply in the incident's thread on every channel.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, tzinfo

import click

from groundswell.alerts.channels import DeliveryFailed, build_channel
from groundswell.alerts.lifecycle import acknowledge, assign, resolve
from groundswell.alerts.message import Message, MessageKind
from groundswell.alerts.receiver import WebhookReceiver
from groundswell.alerts.state import queued
from groundswell.indexer.base import AlertFilter
from groundswell.localtime import fmt_datetime
from groundswell.pipeline.context import (
    brand_filter,
    common_options,
    echo_json,
    load_context,
    parse_time,
    reader_zone,
)
from groundswell.records import Alert, AlertKind, AlertState, Severity

STATES = [s.value for s in AlertState]


def _line(alert: Alert, tz: tzinfo) -> str:
    topic = alert.topic.label if alert.topic else alert.summary[:60]
    who = f" -> {alert.assignee}" if alert.assignee else ""
    return (
        f"{alert.id}  {alert.state.value:<12} {alert.severity.value:<8} {alert.brand or '-':<12} "
        f"{fmt_datetime(alert.updated_at, tz)}  {topic}{who}"
    )


@click.group("alerts")
@common_options
def alerts() -> None:
    """List alerts and move them through new -> acknowledged -> resolved."""


@alerts.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one alert a line, with its history.")
@click.option("--state", "states", multiple=True, type=click.Choice(STATES), help="Only these states.")
@click.option("--brand", "brands", multiple=True, help="Only these brands (repeatable).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice([k.value for k in AlertKind]))
@click.option("--since", help="Updated since (ISO 8601, or a duration ago: 7d, 12h).")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10_000))
@common_options
@click.pass_context
def list_alerts(
    ctx: click.Context,
    as_json: bool,
    states: tuple[str, ...],
    brands: tuple[str, ...],
    kinds: tuple[str, ...],
    since: str | None,
    limit: int,
) -> None:
    """Alerts, most recently updated first."""
    settings, store = load_context(ctx)
    tz = reader_zone(settings)
    flt = AlertFilter(
        brands=brand_filter(settings, store, brands),
        states=tuple(AlertState(s) for s in states),
        kinds=kinds,
        since=parse_time(since),
        limit=limit,
    )
    for alert in store.list_alerts(flt):
        echo_json(alert.model_dump(mode="json")) if as_json else click.echo(_line(alert, tz))


@alerts.command("ack")
@click.argument("alert_id")
@click.option("--by", "actor", required=True, help="Who acknowledges (name or e-mail).")
@click.option("--note", default="", help="What is being done.")
@common_options
@click.pass_context
def ack(ctx: click.Context, alert_id: str, actor: str, note: str) -> None:
    """Acknowledge an alert: someone has seen it and is on it."""
    _, store = load_context(ctx)
    alert = acknowledge(store, alert_id, actor, note)
    click.echo(f"{alert.id}: acknowledged by {actor}")


@alerts.command("assign")
@click.argument("alert_id")
@click.option("--to", "assignee", required=True, help="Who owns the incident now.")
@click.option("--by", "actor", required=True, help="Who assigns it.")
@click.option("--note", default="")
@common_options
@click.pass_context
def assign_cmd(ctx: click.Context, alert_id: str, assignee: str, actor: str, note: str) -> None:
    """Give an alert an owner (its state does not change)."""
    _, store = load_context(ctx)
    alert = assign(store, alert_id, assignee, actor, note)
    click.echo(f"{alert.id}: assigned to {alert.assignee} by {actor}")


@alerts.command("resolve")
@click.argument("alert_id")
@click.option("--by", "actor", required=True, help="Who resolves it.")
@click.option("--note", default="", help="What was done.")
@common_options
@click.pass_context
def resolve_cmd(ctx: click.Context, alert_id: str, actor: str, note: str) -> None:
    """Resolve an alert; its thread on every channel gets a final reply."""
    _, store = load_context(ctx)
    alert = resolve(store, alert_id, actor, note)
    click.echo(f"{alert.id}: resolved by {actor}")


@alerts.command("outbox")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one queued or dead message a line.")
@common_options
@click.pass_context
def outbox(ctx: click.Context, as_json: bool) -> None:
    """Messages waiting for a channel (with their last error) and dead letters."""
    _, store = load_context(ctx)
    pending, dead = queued(store)
    rows = [("pending", e) for e in pending] + [("dead", e) for e in dead]
    for status, entry in rows:
        data = {
            "status": status,
            "id": entry.id,
            "channel": entry.channel,
            "alert_id": entry.message.alert_id,
            "kind": entry.message.kind.value,
            "attempts": entry.attempts,
            "next_attempt_at": entry.next_attempt_at.isoformat(),
            "last_error": entry.last_error,
        }
        if as_json:
            echo_json(data)
        else:
            click.echo(f"{status:<8} {entry.id}  attempts {entry.attempts}  {entry.last_error or ''}")


@alerts.command("test")
@click.argument("channel_name")
@common_options
@click.pass_context
def test_channel(ctx: click.Context, channel_name: str) -> None:
    """Send one test message straight to a configured channel and say whether it arrived."""
    settings, _ = load_context(ctx, create=True)  # needs only settings; the store is not read
    configured = {c.name: c for c in settings.channels}
    if channel_name not in configured:
        names = ", ".join(configured) or "none configured"
        raise click.BadParameter(f"no channel {channel_name!r}; channels: {names}")
    cfg = configured[channel_name]
    ko = (cfg.language or settings.dashboard.language) == "ko"
    message = Message(
        id=f"test:{datetime.now(UTC):%Y%m%dT%H%M%S}",
        kind=MessageKind.OPS,
        severity=Severity.LOW,
        language="ko" if ko else "en",
        title="groundswell 테스트 메시지" if ko else "groundswell test message",
        lines=["이 채널로 알림이 전달됩니다." if ko else "Alerts will reach this channel."],
        created_at=datetime.now(UTC),
    )
    channel = build_channel(cfg.name, cfg.type, cfg.options)
    try:
        channel.send(message, None)
    except DeliveryFailed as exc:
        raise click.ClickException(f"channel {channel_name} ({cfg.type}) failed: {exc}") from None
    finally:
        channel.close()
    click.echo(f"sent a test message to {channel_name} ({cfg.type})")


@alerts.command("receive")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8787, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--secret-env", help="Environment variable holding the HMAC secret; unsigned requests are refused."
)
def receive(host: str, port: int, secret_env: str | None) -> None:
    """Run a local signed-webhook receiver and print each alert message as a JSON line."""
    secret = None
    if secret_env:
        secret = os.environ.get(secret_env)
        if not secret:
            raise click.BadParameter(
                f"environment variable {secret_env} is not set", param_hint="--secret-env"
            )
    receiver = WebhookReceiver(host, port, secret, on_message=echo_json)
    click.echo(f"listening on {receiver.url} (Ctrl-C to stop)", err=True)
    try:
        receiver.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        receiver.stop()


COMMANDS = [alerts]

"""Channel registry: `type` in a `channels:` config entry -> the class that delivers to it.

Built-ins are registered the way a plugin would be; `register` refuses a duplicate type at import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from groundswell.alerts.channels._base import AlertChannel, DeliveryFailed, HttpChannel, secret
from groundswell.alerts.channels._email import EmailChannel
from groundswell.alerts.channels._slack import SlackChannel, slack_blocks
from groundswell.alerts.channels._teams import TeamsChannel, adaptive_card
from groundswell.alerts.channels._webhook import WebhookChannel

ChannelFactory = Callable[[str, Mapping[str, Any]], AlertChannel]
CHANNELS: dict[str, ChannelFactory] = {}


def register(type_name: str, factory: ChannelFactory) -> None:
    if type_name in CHANNELS:
        raise ValueError(f"alert channel type {type_name!r} is registered twice")
    CHANNELS[type_name] = factory


for _name, _factory in (
    ("slack", SlackChannel),
    ("teams", TeamsChannel),
    ("email", EmailChannel),
    ("webhook", WebhookChannel),
):
    register(_name, _factory)


def build_channel(name: str, type_name: str, options: Mapping[str, Any]) -> AlertChannel:
    try:
        factory = CHANNELS[type_name]
    except KeyError:
        raise KeyError(f"unknown alert channel type {type_name!r}; known: {', '.join(CHANNELS)}") from None
    return factory(name, options)


__all__ = [
    "CHANNELS",
    "AlertChannel",
    "DeliveryFailed",
    "EmailChannel",
    "HttpChannel",
    "SlackChannel",
    "TeamsChannel",
    "WebhookChannel",
    "adaptive_card",
    "build_channel",
    "register",
    "secret",
    "slack_blocks",
]

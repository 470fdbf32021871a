"""Alert channels: `type` in a `channels:` config entry -> the class that delivers to it.

The names live in `groundswell.plugins.CHANNELS` (the one registry mechanism): built-ins are
registered the way a plug-in is (entry point group `groundswell.channels`), a duplicate fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from groundswell.alerts.channels._base import AlertChannel, DeliveryFailed, HttpChannel, secret
from groundswell.alerts.channels._email import EmailChannel
from groundswell.alerts.channels._slack import SlackChannel, slack_blocks
from groundswell.alerts.channels._teams import TeamsChannel, adaptive_card
from groundswell.alerts.channels._webhook import WebhookChannel
from groundswell.plugins import CHANNELS


def build_channel(name: str, type_name: str, options: Mapping[str, Any]) -> AlertChannel:
    """The channel registered as `type_name` (UnknownName, a KeyError, lists the known ones)."""
    factory = CHANNELS.load(type_name)
    channel: AlertChannel = factory(name, options)
    return channel


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
    "secret",
    "slack_blocks",
]

"""Microsoft Teams: a Workflows (or legacy connector) incoming webhook receiving an Adaptive Card."""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field

from groundswell.alerts.channels._base import HttpChannel, secret
from groundswell.alerts.message import Message
from groundswell.alerts.signing import DELIVERY_HEADER
from groundswell.options import PartOptions

_COLOURS = {"critical": "attention", "high": "attention", "medium": "warning", "low": "default"}


def adaptive_card(message: Message) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": message.title,
            "weight": "bolder",
            "size": "medium",
            "wrap": True,
            "color": _COLOURS.get(message.severity, "default"),
        }
    ]
    if message.facts:
        body.append({"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in message.facts]})
    for line in message.lines:
        body.append({"type": "TextBlock", "text": line, "wrap": True})
    if message.evidence:
        body.append({"type": "TextBlock", "text": message.evidence_label, "weight": "bolder", "wrap": True})
        for post in message.evidence:
            text = f"[{post.source}]({post.url}) {post.text}" if post.url else f"{post.source}: {post.text}"
            body.append({"type": "TextBlock", "text": text, "wrap": True, "isSubtle": True})
    if message.playbook:
        body.append({"type": "TextBlock", "text": message.playbook_label, "weight": "bolder", "wrap": True})
        body.append({"type": "TextBlock", "text": message.playbook, "wrap": True})
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": label, "url": url} for label, url in message.links],
    }
    return {
        "type": "message",
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}],
    }


class TeamsOptions(PartOptions):
    """Options of a `teams` channel: a Workflows (or legacy connector) webhook URL."""

    url_env: str | None = Field(default=None, description="Env var with the webhook URL")
    url: str | None = Field(default=None, description="The webhook URL itself (prefer `url_env`)")
    timeout: float = Field(default=10.0, gt=0, le=300, description="Seconds per attempt")


class TeamsChannel(HttpChannel):
    type = "teams"
    Options = TeamsOptions

    def send(self, message: Message, thread_ref: str | None) -> str | None:
        url = secret(self.options, "url")
        body = json.dumps(adaptive_card(message), ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            DELIVERY_HEADER: f"{message.id}@{self.name}",
        }
        self.post(str(url), body, headers, url)
        return None

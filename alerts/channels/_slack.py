"""Slack: an incoming webhook (url_env), or a bot token (token_env + channel) for real threads.

Incoming webhooks cannot reply in a thread, so updates arrive as new messages titled
"Update #n"; with a bot token, `chat.postMessage` returns the first message's `ts` and every
update of the incident is posted under it.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field

from groundswell.alerts.channels._base import DeliveryFailed, HttpChannel, secret
from groundswell.alerts.message import Message
from groundswell.alerts.signing import DELIVERY_HEADER
from groundswell.options import PartOptions

SLACK_API = "https://slack.com/api/chat.postMessage"
_MAX_TEXT = 2900  # Slack's section text limit is 3000


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def slack_blocks(message: Message) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": message.title[:150]}}
    ]
    if message.facts:
        blocks.append(
            {
                "type": "section",
                "fields": [{"type": "mrkdwn", "text": f"*{k}*\n{v}"} for k, v in message.facts[:10]],
            }
        )
    if message.lines:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": _clip("\n".join(message.lines))}}
        )
    if message.evidence:
        items = []
        for post in message.evidence:
            label = f"<{post.url}|{post.source}>" if post.url else post.source
            items.append(f"• {label}: {post.text}")
        text = f"*{message.evidence_label}*\n" + "\n".join(items)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _clip(text)}})
    if message.playbook:
        text = f"*{message.playbook_label}*\n{message.playbook}"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _clip(text)}})
    if message.links:
        links = " · ".join(f"<{url}|{label}>" for label, url in message.links)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": links}]})
    return blocks


class SlackOptions(PartOptions):
    """Options of a `slack` channel: an incoming webhook, or a bot token and a channel."""

    url_env: str | None = Field(default=None, description="Env var with an incoming-webhook URL")
    url: str | None = Field(default=None, description="The webhook URL itself (prefer `url_env`)")
    token_env: str | None = Field(default=None, description="Env var with a bot token (threaded replies)")
    channel: str | None = Field(default=None, description="Channel id or name for the bot token")
    api_url: str = Field(default=SLACK_API, description="chat.postMessage URL (tests: a local server)")
    timeout: float = Field(default=10.0, gt=0, le=300, description="Seconds per attempt")


class SlackChannel(HttpChannel):
    type = "slack"
    Options = SlackOptions

    def send(self, message: Message, thread_ref: str | None) -> str | None:
        body: dict[str, Any] = {"text": message.title, "blocks": slack_blocks(message)}
        token = secret(self.options, "token", required=False)
        if token is None:
            url = secret(self.options, "url")
            headers = {"Content-Type": "application/json", DELIVERY_HEADER: f"{message.id}@{self.name}"}
            self.post(str(url), json.dumps(body).encode(), headers, url)
            return None
        body["channel"] = self.options.get("channel")
        if thread_ref:
            body["thread_ts"] = thread_ref
        headers = {"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {token}"}
        response = self.post(
            str(self.options.get("api_url", SLACK_API)), json.dumps(body).encode(), headers, token
        )
        try:
            data = response.json()
        except ValueError:
            raise DeliveryFailed("Slack API answered with something that is not JSON") from None
        if not data.get("ok"):
            raise DeliveryFailed(f"Slack API error: {data.get('error', 'unknown')}")
        return thread_ref or data.get("ts")

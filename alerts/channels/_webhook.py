"""Generic JSON webhook, signed the Standard Webhooks way (alerts/signing.py has the receiver side)."""

from __future__ import annotations

import json
import time

from pydantic import Field

from groundswell.alerts.channels._base import HttpChannel, secret
from groundswell.alerts.message import Message
from groundswell.alerts.signing import DELIVERY_HEADER, EVENT_HEADER, signed_headers
from groundswell.options import PartOptions


class WebhookOptions(PartOptions):
    """Options of a `webhook` channel: a JSON POST, signed when a secret is set."""

    url_env: str | None = Field(default=None, description="Env var with the URL")
    url: str | None = Field(default=None, description="The URL itself")
    secret_env: str | None = Field(default=None, description="Env var with the HMAC-SHA256 key")
    headers: dict[str, str] = Field(default_factory=dict, description="Extra, non-secret headers")
    timeout: float = Field(default=10.0, gt=0, le=300, description="Seconds per attempt")


LEGACY_DELIVERY_HEADER = "X-Groundswell-Delivery"


class WebhookChannel(HttpChannel):
    """POSTs `Message.payload()`; options: url|url_env, secret_env, timeout, headers.

    Every attempt is signed afresh (a retry hours later still passes the receiver's freshness
    check) and carries the same `webhook-id` (also sent as `X-Groundswell-Delivery`, its older
    name), so a receiver can drop a message it already has if a crash made us send it twice.
    """

    type = "webhook"
    Options = WebhookOptions

    def send(self, message: Message, thread_ref: str | None) -> str | None:
        url = secret(self.options, "url")
        key = secret(self.options, "secret", required=bool(self.options.get("secret_env")))
        body = json.dumps(message.payload(), ensure_ascii=False, sort_keys=True).encode()
        delivery = f"{message.id}@{self.name}"
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "groundswell-alerts",
            DELIVERY_HEADER: delivery,
            LEGACY_DELIVERY_HEADER: delivery,
            EVENT_HEADER: message.kind.value,
            **{str(k): str(v) for k, v in self.options.get("headers", {}).items()},
        }
        if key:
            headers |= signed_headers(key, body, delivery, int(time.time()))
        self.post(str(url), body, headers, url, key)
        return None

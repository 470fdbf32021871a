"""What a channel is: a name and one `send` method; plus the shared HTTP and secret handling.

A channel formats a `Message` for its service and delivers it once. It never retries and never
logs: the outbox does both, so every channel gets the same backoff and the same secret-free log.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, Protocol

import httpx

from groundswell.alerts.message import Message
from groundswell.errors import ChannelError
from groundswell.redaction import register_secret


class DeliveryFailed(ChannelError):
    """One attempt failed; `retry_after` (seconds) is the server's hint, if it gave one."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class AlertChannel(Protocol):
    name: str
    type: str

    def send(self, message: Message, thread_ref: str | None) -> str | None:
        """Deliver or raise DeliveryFailed; may return a reference later replies thread under."""
        ...

    def close(self) -> None: ...


def secret(options: Mapping[str, Any], key: str, *, required: bool = True) -> str | None:
    """The value of `options[key]`, or of the environment variable named by `options[key + '_env']`.

    Read at send time, so a missing variable fails the attempt (the message waits in the outbox)
    instead of the whole pipeline, and setting it later delivers what was kept.
    """
    env_name = options.get(f"{key}_env")
    if env_name:
        value = os.environ.get(str(env_name))
        if value:
            register_secret(value)
            return value
        if required:
            raise DeliveryFailed(f"environment variable {env_name} (for {key}) is not set")
        return None
    value = options.get(key)
    if value is None and required:
        raise DeliveryFailed(f"option {key} or {key}_env is required")
    return None if value is None else str(value)


def redact(text: str, *secrets: str | None) -> str:
    """Remove secret values (webhook URLs carry tokens) and URL queries from an error text."""
    for value in secrets:
        if value:
            text = text.replace(value, "<redacted>")
    return re.sub(r"https?://\S+", "<url>", text)


class HttpChannel:
    """Base of the HTTP channels: one pooled client, status handling, secret-free errors."""

    type = "http"

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        self.name = name
        self.options = dict(options)
        self.timeout = float(self.options.get("timeout", 10.0))
        self._client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout, follow_redirects=False)
        return self._client

    def post(self, url: str, body: bytes, headers: dict[str, str], *secrets: str | None) -> httpx.Response:
        try:
            response = self.client.post(url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise DeliveryFailed(f"timed out after {self.timeout:g}s ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {redact(str(exc), url, *secrets)}") from None
        if response.status_code >= 300:
            raise DeliveryFailed(f"HTTP {response.status_code}", _retry_after(response))
        return response

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return float(value) if value else None
    except ValueError:
        return None

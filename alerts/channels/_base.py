"""What a channel is: a name and one `send` method; plus the shared HTTP and secret handling.

A channel formats a `Message` for its service and delivers it once. It never retries and never
logs: the outbox does both, so every channel gets the same backoff and the same secret-free log.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import httpx

from groundswell.alerts.message import Message
from groundswell.errors import ChannelError, SecretMissing
from groundswell.http_hints import retry_after
from groundswell.options import check_options
from groundswell.redaction import redact
from groundswell.secrets_env import read_secret


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
    try:
        return read_secret(options, key, inline=True)
    except SecretMissing as exc:
        if required:
            raise DeliveryFailed(str(exc)) from None
        return None


class HttpChannel:
    """Base of the HTTP channels: one pooled client, status handling, secret-free errors."""

    type = "http"

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        self.name = name
        self.options = check_options(type(self), dict(options))  # typed, with the model's defaults
        self.timeout = float(self.options["timeout"])
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
            raise DeliveryFailed(
                f"{type(exc).__name__}: {redact(str(exc), url, *secrets, urls=True)}"
            ) from None
        if response.status_code >= 300:
            raise DeliveryFailed(f"HTTP {response.status_code}", retry_after(response.headers))
        return response

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

"""Webhook signatures in the Standard Webhooks scheme (standardwebhooks.com), so receivers can use
a stock library (`standardwebhooks` on PyPI, and its ports to other languages) to verify them.

Every request carries `webhook-id` (`<message id>@<channel>`, the same on every retry),
`webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`: `v1,` + base64 of
HMAC-SHA256 over `"{id}.{timestamp}.{body}"`. The id is signed, so a captured request replayed
under another id fails the check, and one replayed under its own id is a delivery already handled
(`DeliveryLog`); one replayed later than the tolerance is too old. Secrets look like
`whsec_<base64>`, the key being the decoded bytes, exactly as the stock libraries read them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import threading
import time
from collections.abc import Mapping

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
DELIVERY_HEADER = ID_HEADER  # the id receivers deduplicate on
EVENT_HEADER = "X-Groundswell-Event"
SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE = 300.0


class SignatureError(ValueError):
    """A webhook request is unsigned, wrongly signed, or outside the freshness window."""


def signing_key(secret: str) -> bytes:
    """The HMAC key, read as the stock libraries read a secret: base64 after an optional `whsec_`.

    A secret that is not base64 at all (an older plain-text one) is used as its UTF-8 bytes;
    a receiver with a stock library then passes those bytes (`Webhook(secret.encode())`).
    """
    body = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(body + "==")
    except (binascii.Error, ValueError):
        key = b""
    return key or secret.encode()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`."""
    mac = hmac.new(signing_key(secret), f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


def signed_headers(secret: str, body: bytes, msg_id: str, timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        ID_HEADER: msg_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, msg_id, timestamp, body),
    }


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by case-insensitive name (HTTP servers keep the sender's spelling)."""
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def verify(
    secret: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    now: float | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> int:
    """Check a request's signature and freshness; returns its timestamp or raises SignatureError.

    Several space-separated signatures are allowed (a sender rotating its secret signs with both).
    """
    msg_id, stamp = header(headers, ID_HEADER), header(headers, TIMESTAMP_HEADER)
    signatures = header(headers, SIGNATURE_HEADER)
    if not msg_id or not stamp or not signatures:
        raise SignatureError("missing webhook-id, webhook-timestamp or webhook-signature header")
    try:
        timestamp = int(stamp)
    except ValueError:
        raise SignatureError("webhook-timestamp is not an integer") from None
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError(f"timestamp is {now - timestamp:.0f}s away from now (tolerance {tolerance:g}s)")
    expected = sign(secret, msg_id, timestamp, body).encode()
    if not any(hmac.compare_digest(expected, given.encode()) for given in signatures.split()):
        raise SignatureError("signature does not match")
    return timestamp


class DeliveryLog:
    """Delivery ids handled within twice the tolerance; older ones fail `verify` anyway."""

    def __init__(self, tolerance: float = DEFAULT_TOLERANCE) -> None:
        self.tolerance = tolerance
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_time(self, delivery_id: str, now: float | None = None) -> bool:
        """True the first time an id is seen: handle it. False: a retry or replay, answer 200 only."""
        now = time.time() if now is None else now
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen = {k: t for k, t in self._seen.items() if now - t <= 2 * self.tolerance}
            if delivery_id in self._seen and now - self._seen[delivery_id] <= 2 * self.tolerance:
                return False
            self._seen[delivery_id] = now
            return True

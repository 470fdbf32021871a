"""HMAC-SHA256 signatures for the generic webhook: timestamped so a captured request cannot be replayed.

The sender signs `"{timestamp}.{body}"` with the shared secret and sends
`X-Groundswell-Timestamp` and `X-Groundswell-Signature: v1=<hex>`. A receiver recomputes the
signature, rejects timestamps older than its tolerance, and remembers `X-Groundswell-Delivery`
ids it has seen within that tolerance (`ReplayGuard`): together a replay is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Mapping

TIMESTAMP_HEADER = "X-Groundswell-Timestamp"
SIGNATURE_HEADER = "X-Groundswell-Signature"
DELIVERY_HEADER = "X-Groundswell-Delivery"
EVENT_HEADER = "X-Groundswell-Event"
DEFAULT_TOLERANCE = 300.0


class SignatureError(ValueError):
    """A webhook request is unsigned, wrongly signed, too old, or a replay."""


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def signed_headers(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret, body, timestamp)}


def _header(headers: Mapping[str, str], name: str) -> str | None:
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
    """Check a request's signature and freshness; returns its timestamp or raises SignatureError."""
    stamp, signature = _header(headers, TIMESTAMP_HEADER), _header(headers, SIGNATURE_HEADER)
    if not stamp or not signature:
        raise SignatureError("missing timestamp or signature header")
    try:
        timestamp = int(stamp)
    except ValueError:
        raise SignatureError("timestamp is not an integer") from None
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError(f"timestamp is {now - timestamp:.0f}s away from now (tolerance {tolerance:g}s)")
    if not hmac.compare_digest(sign(secret, body, timestamp), signature):
        raise SignatureError("signature does not match")
    return timestamp


class ReplayGuard:
    """Remembers delivery ids seen within the tolerance; a receiver calls `check` after `verify`."""

    def __init__(self, tolerance: float = DEFAULT_TOLERANCE) -> None:
        self.tolerance = tolerance
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def check(self, delivery_id: str, signature: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        key = f"{delivery_id}|{signature}"
        with self._lock:
            self._seen = {k: t for k, t in self._seen.items() if now - t <= 2 * self.tolerance}
            if key in self._seen:
                raise SignatureError(f"replayed request {delivery_id}")
            self._seen[key] = now

"""HMAC-SHA256 signatures for the generic webhook: timestamped so a captured request cannot be replayed.

The sender signs `"{timestamp}.{body}"` with the shared secret and sends
`X-Groundswell-Timestamp` and `X-Groundswell-Signature: v1=<hex>`. A receiver recomputes the
signature and rejects timestamps outside its tolerance (`verify`), then acts on each
`X-Groundswell-Delivery` id once (`DeliveryLog`): a replayed request is either too old or a
delivery already handled, so it changes nothing. Our own retries carry the same delivery id and
are acknowledged without being handled twice.
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
    """A webhook request is unsigned, wrongly signed, or outside the freshness window."""


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

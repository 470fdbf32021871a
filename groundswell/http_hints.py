"""What a failed HTTP exchange tells us, and what must never be repeated from it.

Shared by the crawlers (crawlers/http.py, and the sources with their own clients) and the alert
channels (alerts/channels/_base.py), which used to carry a copy each that had drifted apart: one
read HTTP-date `Retry-After` values and X's `x-rate-limit-reset`, the other only seconds.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

REDACTED = "<redacted>"


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from `Retry-After` (seconds or HTTP date) or `x-rate-limit-reset` (epoch)."""
    now = time.time() if now is None else now
    value = headers.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                return max(0.0, parsedate_to_datetime(value).timestamp() - now)
            except (TypeError, ValueError):
                pass
    reset = headers.get("x-rate-limit-reset")
    if reset:
        try:
            return max(0.0, float(reset) - now)
        except ValueError:
            return None
    return None


def redact(text: str, *secrets: str | None, urls: bool = False) -> str:
    """`text` without the secret values; with `urls`, every URL too (webhook URLs carry tokens)."""
    for value in secrets:
        if value:
            text = text.replace(value, REDACTED)
    return re.sub(r"https?://\S+", "<url>", text) if urls else text

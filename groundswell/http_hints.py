"""How long a refusing server asks us to wait: the one Retry-After reader.

Shared by the crawlers (crawlers/http.py, the X sources with tweepy's responses, and the sources
with their own clients) and the alert channels (alerts/channels/_base.py), which used to carry a
copy each that had drifted apart: one read HTTP-date `Retry-After` values and X's
`x-rate-limit-reset`, the other only seconds. Masking secrets is groundswell.redaction's.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime


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

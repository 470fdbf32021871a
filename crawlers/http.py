"""One HTTP GET for the JSON/XML sources, with every failure turned into SourceUnavailable.

429 and 503 carry `retry_after` (from `Retry-After` or X's `x-rate-limit-reset`) so the scheduler
waits as long as the platform asks. Secrets (query keys, headers) are removed from any message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from groundswell.crawlers.urlpolicy import redirect_guard
from groundswell.errors import SourceUnavailable, UrlRefused
from groundswell.http_hints import redact, retry_after

USER_AGENT = "groundswell/0.1 (+https://github.com/groundswell; social listening)"
TIMEOUT = httpx.Timeout(20.0, connect=10.0)


def get(
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    secrets: list[str] | None = None,
    what: str = "request",
    accept: tuple[int, ...] = (),
) -> bytes:
    """Body of a 2xx response (or a status in `accept`, whose body explains the error);
    anything else raises SourceUnavailable with a redacted message."""
    secrets = secrets or []
    merged = {"User-Agent": USER_AGENT, **(headers or {})}
    try:
        with httpx.Client(
            timeout=TIMEOUT, follow_redirects=True, event_hooks={"request": [redirect_guard(url)]}
        ) as client:
            response = client.get(url, params=params, headers=merged)
    except UrlRefused as exc:
        raise SourceUnavailable(f"{what}: redirect refused: {redact(str(exc), *secrets)}") from None
    except httpx.TimeoutException:
        raise SourceUnavailable(f"{what}: timed out ({redact(url, *secrets)})") from None
    except httpx.HTTPError as exc:
        raise SourceUnavailable(f"{what}: {type(exc).__name__}: {redact(str(exc), *secrets)}") from None
    if response.status_code in accept:
        return response.content
    if response.status_code in (429, 503):
        wait = retry_after(response.headers)
        raise SourceUnavailable(
            f"{what}: HTTP {response.status_code} (rate limited); retry in {wait or 'a while'} s",
            retry_after=wait,
        )
    if response.status_code >= 400:
        snippet = redact(response.text[:160].replace("\n", " "), *secrets)
        raise SourceUnavailable(f"{what}: HTTP {response.status_code}: {snippet}")
    return response.content

"""The X filtered stream for a bounded time, so a scheduler run can use it like a fetch.

tweepy's StreamingClient retries forever and sleeps inside its own thread; here retries are off,
the thread is a daemon, and whatever ended the connection (HTTP status, network error, an
exception) is reported as SourceUnavailable after the collected messages are kept.
"""

from __future__ import annotations

import threading
from typing import Any

from groundswell.crawlers.http import Network, configure_session
from groundswell.errors import SourceUnavailable
from groundswell.http_hints import retry_after


def collect(
    token: str,
    source: str,
    queries: list[str],
    seconds: float,
    *,
    network: Network | None = None,
    **fields: Any,
) -> list[bytes]:
    """Raw stream messages (one JSON object each) received within `seconds`."""
    import tweepy

    lines: list[bytes] = []
    problems: list[str] = []
    done = threading.Event()

    class Collector(tweepy.StreamingClient):
        def on_data(self, raw_data: bytes) -> None:
            lines.append(raw_data)

        def on_request_error(self, status_code: int) -> None:
            problems.append(f"HTTP {status_code}")
            self.disconnect()

        def on_connection_error(self) -> None:
            problems.append("connection error")
            self.disconnect()

        def on_exception(self, exception: Exception) -> None:
            problems.append(type(exception).__name__)

        def on_disconnect(self) -> None:
            done.set()

    client = Collector(token, max_retries=0, daemon=True, wait_on_rate_limit=False)
    configure_session(client.session, network or Network())
    tag = f"groundswell:{source}"
    try:
        _sync_rules(client, tag, queries)
    except tweepy.TooManyRequests as exc:
        raise SourceUnavailable(
            f"{source}: X stream rules: rate limited (429)", retry_after(exc.response.headers)
        ) from None
    except (tweepy.HTTPException, tweepy.TweepyException) as exc:
        raise SourceUnavailable(f"{source}: X stream rules failed: {type(exc).__name__}") from None
    client.filter(threaded=True, **fields)
    finished = done.wait(seconds)
    client.disconnect()
    if not finished:
        done.wait(25)  # the reader notices the flag at the next line or keep-alive (every 20 s)
    if problems and not lines:
        raise SourceUnavailable(f"{source}: X stream ended: {', '.join(problems)}")
    return lines


def _sync_rules(client: Any, tag: str, queries: list[str]) -> None:
    """One rule per query with our tag; our rules no longer configured are deleted."""
    response = client.get_rules()
    existing = [r for r in (response.data or []) if getattr(r, "tag", None) == tag]
    have = {r.value for r in existing}
    stale = [r.id for r in existing if r.value not in queries]
    if stale:
        client.delete_rules(stale)
    missing = [q for q in queries if q not in have]
    if missing:
        import tweepy

        client.add_rules([tweepy.StreamRule(value=q, tag=tag) for q in missing])

"""Secrets never reach a log line: one filter on every handler the CLI installs.

Webhook URLs are credentials (Slack's `/services/T…/B…/secret`, Teams' `?sig=…`), API keys travel
in query strings, and httpx logs every request URL at INFO, the level docker-compose sets. So the
filter rewrites each record before any handler writes it: secret values read from the environment
are replaced, URL queries keep their keys but lose their values, and token-like path segments go.
"""

from __future__ import annotations

import logging
import os
import re
import threading

MASK = "***"
_SECRET_ENV = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|WEBHOOK|_SIG|PRIVATE|CREDENTIAL)", re.I)
_URL = re.compile(
    r"""(?P<base>[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s'"<>?#]+)(?P<path>/[^\s'"<>?#]*)?(?P<query>\?[^\s'"<>#]*)?"""
)
_TOKENISH = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_\-]{16,}$|^[A-Za-z0-9_\-]{32,}$")
_HEADER = re.compile(r"(?i)\b(authorization|x-api-key|api-key|cookie|webhook-signature|x-groundswell-signature)"
                     r"(['\"]?\s*[:=]\s*['\"]?)(bearer\s+|basic\s+)?[^\s'\",}]+")  # fmt: skip
_MIN_SECRET = 6  # shorter values would redact ordinary words

_known: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """A secret read from anywhere (a `*_env` option): redacted from every later log line."""
    if value and len(value) >= _MIN_SECRET:
        with _lock:
            _known.add(value)


def _secrets() -> list[str]:
    from_env = [v for k, v in os.environ.items() if _SECRET_ENV.search(k) and len(v) >= _MIN_SECRET]
    with _lock:
        values = set(from_env) | _known
    return sorted(values, key=len, reverse=True)  # longest first: a URL before the token inside it


def _url(match: re.Match[str]) -> str:
    path = match.group("path") or ""
    parts = path.split("/")
    if "services" in parts:  # Slack incoming webhooks: everything after /services/ is the secret
        parts = [*parts[: parts.index("services") + 1], MASK]
    else:
        parts = [MASK if _TOKENISH.match(p) else p for p in parts]
    query = match.group("query") or ""
    if query:
        query = "?" + "&".join(
            f"{kv.split('=', 1)[0]}={MASK}" if "=" in kv else kv for kv in query[1:].split("&")
        )
    return match.group("base") + "/".join(parts) + query


def _host_only(match: re.Match[str]) -> str:
    rest = (match.group("path") or "") + (match.group("query") or "")
    return match.group("base") + ("/" + MASK if rest.strip("/") else rest)


def redact(text: str, *secrets: str | None, urls: bool = False) -> str:
    """`text` with secrets masked as MASK: the `secrets` given, every value registered or read from a
    secret-named environment variable, auth headers, URL query values and token-like path parts.

    With `urls`, everything after each URL's host goes too: a webhook URL is a credential as a
    whole (its path need not look like a token). The one masking function for logs, stored errors
    and user-facing messages alike.
    """
    values = {s for s in secrets if s} | set(_secrets())
    for value in sorted(values, key=len, reverse=True):  # longest first: a URL before its token
        if value in text:
            text = text.replace(value, MASK)
    text = _HEADER.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
    return _URL.sub(_host_only if urls else _url, text)


class RedactingFilter(logging.Filter):
    """Rewrites the record's message (args merged in) and exception text; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install(root: logging.Logger | None = None) -> None:
    """Put the filter on every handler of the root logger (call after logging is configured)."""
    root = root or logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())

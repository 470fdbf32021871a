"""Every error a user can see, named once.

The CLI turns each into one stderr line (what failed and what to do next) and a non-zero exit,
so a new failure mode gets a class here, documented in one line, not an ad-hoc message.
"""

from __future__ import annotations


class GroundswellError(Exception):
    """Base of all user-facing errors; `str(err)` is the message shown to the user."""

    exit_code = 1


class ConfigError(GroundswellError):
    """The configuration file or an environment override is invalid (file, key path, reason)."""

    exit_code = 2


class QuerySyntaxError(GroundswellError):
    """A boolean brand/search query cannot be parsed; carries the character position."""

    exit_code = 2

    def __init__(self, message: str, query: str, position: int) -> None:
        self.query = query
        self.position = position
        start = max(0, position - 60)  # a long query is shown around the problem, not in full
        shown = (
            ("..." if start else "")
            + query[start : position + 60]
            + ("..." if len(query) > position + 60 else "")
        )
        pointer = " " * (position - start + (3 if start else 0)) + "^"
        super().__init__(f"{message} at position {position}\n  {shown}\n  {pointer}")


class InputError(GroundswellError):
    """One input line or file is malformed; the pipeline skips it and counts it."""

    exit_code = 2


class DropMention(GroundswellError):
    """A stage refuses one mention (the reason is counted per source); the run continues."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class StoreError(GroundswellError):
    """The store cannot be opened, read or written (path or URL and reason)."""


class SourceUnavailable(GroundswellError):
    """A source failed to fetch (network, HTTP status, rate limit); it is retried with backoff."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class SourceDisabled(GroundswellError):
    """A source lacks what it needs (credentials, optional package); the scheduler skips it."""


class NotInstalled(GroundswellError):
    """An optional dependency is missing; the message names the pip extra to install."""

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(f"{feature} needs an optional dependency: pip install 'groundswell[{extra}]'")


class ChannelError(GroundswellError):
    """An alert channel failed to deliver; the message is kept and retried."""


class ReportError(GroundswellError):
    """A report cannot be built or rendered (unknown brand, missing system library for PDF)."""


class UrlRefused(GroundswellError):
    """A crawler refused a URL before any traffic: not http(s), not a configured site, or private."""

    exit_code = 2


class PluginError(GroundswellError):
    """A registry name (source type, channel type, sentiment or store backend) is unusable."""

    exit_code = 2


class UnknownName(PluginError, KeyError):
    """A registry has no entry of that name; the message lists the known ones.

    Also a KeyError, so `name in registry`-style callers that caught KeyError keep working.
    """

    def __str__(self) -> str:  # KeyError would print the message quoted
        return str(self.args[0]) if self.args else ""


class SecretMissing(GroundswellError):
    """A secret's environment variable is not named or not set; the message names the variable,
    never a value. Sources turn it into SourceDisabled, channels into a failed delivery."""

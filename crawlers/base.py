"""The Source protocol: `fetch(cursor) -> Batch` talks to the platform, pure `parse(raw)` maps.

The split (4CAT's get_items / map_item) lets `groundswell parse --source NAME FILE` run the very
code the crawler runs, offline. `PayloadSource` implements the per-item error handling once: one
malformed item is counted under a reason and skipped; a payload that is not what the platform
sends (an HTML error page, a truncated body) is one `InputError` for the whole run.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import ModuleType
from typing import Any, ClassVar, Protocol, Self, TypeVar, runtime_checkable

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers.http import Network
from groundswell.errors import DropMention, InputError, SecretMissing, SourceDisabled
from groundswell.limits import MAX_PAYLOAD_DEPTH, LimitError, loads_bounded
from groundswell.options import check_options
from groundswell.records import Mention
from groundswell.secrets_env import read_secret

log = logging.getLogger(__name__)

# What a mapping raises on data of the wrong shape (pydantic's ValidationError is a ValueError;
# OverflowError/OSError come from out-of-range timestamps). Anything else is a bug, not bad data.
ITEM_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError, OSError)


@dataclass
class Batch:
    """What one fetch returned: mentions, the cursor that covers them, and what was skipped."""

    mentions: list[Mention] = field(default_factory=list)
    next_cursor: str | None = None
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> items skipped
    unmapped: Counter[str] = field(default_factory=Counter)  # raw field -> items carrying it
    fetched: int = 0  # raw items the platform returned
    more: bool = False  # another page is ready now: the scheduler fetches again at once

    @property
    def rejected(self) -> int:
        return sum(self.skipped.values())

    def extend(self, other: Batch) -> None:
        self.mentions.extend(other.mentions)
        self.skipped.update(other.skipped)
        self.unmapped.update(other.unmapped)
        self.fetched += other.fetched


@runtime_checkable
class Source(Protocol):
    """A platform adapter. `name` prefixes mention ids; `type` is its registry key."""

    name: str

    @classmethod
    def from_settings(cls, cfg: SourceSettings) -> Self: ...

    def fetch(self, cursor: str | None) -> Batch:
        """Next mentions after `cursor`; raises SourceUnavailable on network/HTTP failure."""
        ...

    def parse(self, raw: bytes | str) -> Iterator[Mention]:
        """Pure: one raw response body exactly as the platform sends it -> mentions."""
        ...


def secret(cfg: SourceSettings, option: str, default_env: str | None = None, *, required: bool = True) -> str:
    """The secret whose env var is named by `options[option]` (a `*_env` key), else `default_env`.

    Raises SourceDisabled naming the variable, never its value; with `required=False` a secret
    that is not configured or not set is "" (the source works without it, e.g. public timelines).
    Every value read is registered for log redaction (groundswell/redaction.py).
    """
    try:
        return read_secret(cfg.options, option.removesuffix("_env"), default_env)
    except SecretMissing as exc:
        if not required:
            return ""
        raise SourceDisabled(f"source {cfg.name!r}: {exc}") from None


def optional_package(module: str, source_type: str) -> ModuleType:
    """The optional package a source type needs, or SourceDisabled saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise SourceDisabled(
            f"source type {source_type!r} needs {module}: pip install 'groundswell[crawlers]'"
        ) from None


S = TypeVar("S", bound="PayloadSource")


def require(source: S, *options: str) -> S:
    """`source`, or SourceDisabled when none of its list `options` (attributes read from them) is set."""
    if not any(getattr(source, option) for option in options):
        wanted = " or ".join(f"options.{option}" for option in options)
        raise SourceDisabled(f"source {source.name!r}: set {wanted}")
    return source


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def load_json(raw: bytes | str, what: str) -> Any:
    """JSON body or a clear InputError (HTML error page, truncated body, wrong encoding)."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    stripped = text.lstrip()
    if stripped[:1] == "<":
        raise InputError(f"{what}: expected JSON but got HTML/XML (an error page?): {stripped[:80]!r}")
    try:
        return loads_bounded(text, MAX_PAYLOAD_DEPTH, check_values=False)
    except LimitError as exc:
        raise InputError(f"{what}: {exc}") from None
    except json.JSONDecodeError as exc:
        ends = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated")
        hint = " (truncated body?)" if ends else ""
        raise InputError(
            f"{what}: not valid JSON{hint}: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None


def load_object(raw: bytes | str, what: str) -> dict[str, Any]:
    """A JSON object body (what every API here answers), else a clear InputError."""
    body = load_json(raw, what)
    if not isinstance(body, dict):
        raise InputError(f"{what} is not an object")
    return body


class PayloadSource:
    """Shared shape of a source: items in a payload, one mapping per item, errors counted.

    Subclasses set `type`, `KNOWN_FIELDS`, and implement `items(raw)` and `map_item(item)`;
    `map_item` raises DropMention(reason) to skip, or lets KeyError/TypeError/ValueError out,
    which are counted as `malformed:<Error>`.
    """

    type: ClassVar[str] = ""
    KNOWN_FIELDS: ClassVar[frozenset[str]] = frozenset()
    ENDPOINTS: ClassVar[tuple[str, ...]] = ()  # options naming the URL(s) fetched, checked at build

    def __init__(self, name: str, options: dict[str, Any] | None = None) -> None:
        self.name = name
        # typed and defaulted by the source's Options model, however the source was built
        self.options = check_options(type(self), dict(options or {}))
        self.network = Network.of(self.options)

    @classmethod
    def from_settings(cls, cfg: SourceSettings) -> Self:
        return cls(cfg.name, cfg.options).checked()

    def checked(self) -> Self:
        """This source, once every configured endpoint can be fetched at all (else SourceDisabled):
        a private IP literal without `allow_private_hosts` is refused at start, not at each run."""
        for option in self.ENDPOINTS:
            for url in as_list(self.options.get(option)):
                self.network.check_endpoint(self.name, url)
        return self

    @classmethod
    def for_parse(cls, cfg: SourceSettings) -> Self:
        """A parser only: no credentials, no network (`groundswell parse`)."""
        return cls(cfg.name, cfg.options)

    def fetch(self, cursor: str | None) -> Batch:
        raise NotImplementedError

    # -- parse ---------------------------------------------------------------------------------------

    def items(self, raw: bytes | str) -> Iterable[Any]:
        raise NotImplementedError

    def map_item(self, item: Any) -> Mention:
        raise NotImplementedError

    def parse(self, raw: bytes | str) -> Iterator[Mention]:
        yield from self.parse_batch(raw).mentions

    def parse_batch(self, raw: bytes | str) -> Batch:
        """Map every item; a whole-payload defect raises InputError, item defects are counted."""
        batch = Batch()
        seen: set[str] = set()
        try:
            items = list(self.items(raw))
        except ITEM_ERRORS as exc:
            raise InputError(
                f"{self.name}: unexpected payload structure ({type(exc).__name__}: {exc})"
            ) from None
        for item in items:
            batch.fetched += 1
            if isinstance(item, dict) and self.KNOWN_FIELDS:
                batch.unmapped.update(k for k in item if k not in self.KNOWN_FIELDS)
            try:
                mention = self.map_item(item)
            except DropMention as exc:
                batch.skipped[exc.reason] += 1
                continue
            except ITEM_ERRORS as exc:
                reason = f"malformed:{type(exc).__name__}"
                log.warning("%s: skipped one item: %s: %s", self.name, reason, str(exc)[:200])
                batch.skipped[reason] += 1
                continue
            if mention.id in seen:  # the same post twice in one response (threads, pages)
                batch.skipped["duplicate"] += 1
                continue
            seen.add(mention.id)
            batch.mentions.append(mention)
        return batch

    def mention(self, native_id: Any, **fields: Any) -> Mention:
        native = str(native_id)
        if not native:
            raise DropMention("missing-id")
        return Mention(id=Mention.make_id(self.name, native), source=self.name, native_id=native, **fields)


class SeenIds:
    """Native ids already taken, oldest first: the cursor of a feed that has no time or id order."""

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self.ids = list(ids)
        self._set = set(self.ids)

    def keep_new(self, page: Batch) -> None:
        """Drop the page's mentions taken before (counted as `already-seen`); remember the rest."""
        fresh = [m for m in page.mentions if m.native_id not in self._set]
        page.skipped["already-seen"] += len(page.mentions) - len(fresh)
        page.mentions = fresh
        self.ids.extend(m.native_id for m in fresh)
        self._set.update(m.native_id for m in fresh)

    def newest(self, limit: int) -> list[str]:
        return self.ids[-limit:]


@dataclass
class Watermark:
    """Newest time committed for one stream plus the ids seen at exactly that time.

    For APIs that list newest first with no `since_id`: an item is new if it is later than the
    mark, or at the mark with an unseen id; paging stops at the first item that is not new.
    """

    at: str = ""  # ISO 8601 UTC, compared as text (same format on both sides)
    ids: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, value: Any) -> Watermark:
        if not isinstance(value, dict):
            return cls()
        if "ts" in value and "at" not in value:  # reddit's cursor before it used this class
            ts = float(value["ts"] or 0)
            at = datetime.fromtimestamp(ts, UTC).isoformat() if ts else ""
            return cls(at, set(value.get("ids", [])))
        return cls(str(value.get("at", "")), set(value.get("ids", [])))

    def dump(self) -> dict[str, Any]:
        return {"at": self.at, "ids": sorted(self.ids)}

    def is_new(self, at: str, native_id: str) -> bool:
        return at > self.at or (at == self.at and native_id not in self.ids)

    def advance(self, at: str, native_id: str) -> None:
        if at > self.at:
            self.at, self.ids = at, {native_id}
        elif at == self.at:
            self.ids.add(native_id)

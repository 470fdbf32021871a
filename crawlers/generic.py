"""The generic post format (one JSON object a line) -> `Mention`.

Used by `groundswell ingest`, `analyze`, `backtest` and the `replay` source, so every entry point
rejects the same lines with the same message: line number and reason, as `InputError`.

Format (DESIGN.md): `id`, `text`, `created_at` (ISO 8601) required; optional `source`, `url`,
`lang`, `title`, `author` {id, handle, followers}, `metrics` {likes, shares, replies, views},
`brand` (a name or a list of names), `rating` (stars; 1-5, or on the scale given by `rating_scale`,
e.g. 10, normalised to 1-5 with the scale kept: groundswell/ratings.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from groundswell.errors import InputError
from groundswell.html_entities import unescape_once
from groundswell.limits import MAX_LINE_BYTES, LimitError, loads_bounded
from groundswell.ratings import normalize_rating
from groundswell.records import Author, Mention, Metrics

__all__ = ["MAX_LINE_BYTES", "iter_generic", "mention_from_generic", "parse_generic_line"]
DEFAULT_SOURCE = "ingest"
REQUIRED = ("id", "text", "created_at")
KNOWN_FIELDS = frozenset(
    {
        "id",
        "text",
        "created_at",
        "source",
        "url",
        "lang",
        "title",
        "author",
        "metrics",
        "brand",
        "brands",
        "rating",
        "rating_scale",
    }
)
_AUTHOR_FIELDS = ("id", "handle", "display_name", "followers")
_METRIC_FIELDS = ("likes", "shares", "replies", "views")


def parse_datetime(value: Any) -> datetime:
    """ISO 8601 (a trailing `Z` allowed; no offset means UTC) or a Unix timestamp in seconds."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not an ISO 8601 date")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date (e.g. 2026-11-24T14:03:00+09:00)") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_generic_line(
    line: str, lineno: int, default_source: str = DEFAULT_SOURCE, *, fill: bool = False
) -> Mention:
    """One line of the generic format -> Mention; any defect -> InputError naming the line."""
    if len(line) > MAX_LINE_BYTES // 4 and len(line.encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES:
        raise InputError(f"line {lineno}: post is larger than {MAX_LINE_BYTES} bytes; rejected")
    try:
        obj = loads_bounded(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {lineno}: not valid JSON: {exc.msg} at column {exc.colno}") from None
    except LimitError as exc:
        field = f"field {exc.where}: " if exc.where else ""
        raise InputError(f"line {lineno}: {field}{exc.reason}; rejected") from None
    if not isinstance(obj, dict):
        raise InputError(f"line {lineno}: expected a JSON object, got {type(obj).__name__}")
    return mention_from_generic(obj, lineno, default_source, fill_id=fill, fill_time=fill)


def content_id(text: str, created_at: str | None = None) -> str:
    """A stable id for a post that has none (a CSV row, a line of `analyze`): same text, same id."""
    digest = hashlib.sha256(f"{created_at or ''}\x1f{text}".encode("utf-8", "surrogatepass"))
    return "h" + digest.hexdigest()[:16]


def mention_from_generic(
    obj: dict[str, Any],
    lineno: int,
    default_source: str = DEFAULT_SOURCE,
    *,
    fill_id: bool = False,
    fill_time: bool = False,
) -> Mention:
    """The dict form of `parse_generic_line` (for callers that already decoded JSON).

    `fill_id` gives a post without `id` a content hash (`content_id`); `fill_time` dates a post
    without `created_at` now. Both are for input that is only text (analyze, CSV exports).
    """
    if fill_id and obj.get("id") in (None, "") and isinstance(obj.get("text"), str):
        created = obj.get("created_at")
        obj = {**obj, "id": content_id(obj["text"], created if isinstance(created, str) else None)}
    if fill_time and obj.get("created_at") in (None, ""):
        obj = {**obj, "created_at": datetime.now(UTC).isoformat()}
    optional = {"id"} if fill_id else set()
    missing = [name for name in REQUIRED if obj.get(name) in (None, "") and name not in optional]
    if missing:
        raise InputError(f"line {lineno}: missing required field(s): {', '.join(missing)}")
    native = obj["id"]
    if isinstance(native, bool) or not isinstance(native, str | int):
        raise InputError(
            f"line {lineno}: field 'id' must be a string or integer, got {type(native).__name__}"
        )
    text = obj["text"]
    if not isinstance(text, str):
        raise InputError(f"line {lineno}: field 'text' must be a string, got {type(text).__name__}")
    try:
        created = parse_datetime(obj["created_at"])
    except (ValueError, OverflowError, OSError) as exc:
        raise InputError(f"line {lineno}: invalid created_at: {exc}") from None
    source = obj.get("source") or default_source
    if not isinstance(source, str):
        raise InputError(f"line {lineno}: field 'source' must be a string")
    try:
        rating = normalize_rating(obj.get("rating"), obj.get("rating_scale"))
    except ValueError as exc:
        raise InputError(f"line {lineno}: invalid rating: {exc}") from None
    try:
        return Mention(
            id=Mention.make_id(source, str(native)),
            source=source,
            native_id=str(native),
            text=unescape_once(text),
            created_at=created,
            url=_opt_str(obj, "url"),
            title=unescape_once(_opt_str(obj, "title")),
            lang=_opt_str(obj, "lang"),
            author=Author(**_pick(obj.get("author"), _AUTHOR_FIELDS, "author")),
            metrics=Metrics(**_pick(obj.get("metrics"), _METRIC_FIELDS, "metrics")),
            brands=_brands(obj),
            rating=rating.value if rating else None,
            rating_scale=rating.scale if rating else None,
            raw=obj,
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        prefix = {"Author": "author.", "Metrics": "metrics."}.get(exc.title, "")
        where = prefix + ".".join(str(p) for p in err["loc"])
        raise InputError(f"line {lineno}: invalid field {where or '?'}: {err['msg']}") from None
    except TypeError as exc:
        raise InputError(f"line {lineno}: {exc}") from None


def unmapped_fields(obj: dict[str, Any]) -> list[str]:
    """Top-level keys the generic format does not know (kept in `raw`, counted by callers)."""
    return [key for key in obj if key not in KNOWN_FIELDS]


def decode_line(data: bytes, lineno: int) -> str:
    """Bytes of one line -> text; invalid UTF-8 is an InputError, not a crash (BOM tolerated)."""
    try:
        return data.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"line {lineno}: not valid UTF-8 (byte {exc.start}: {exc.reason})") from None


def iter_generic(
    lines: Iterable[bytes], default_source: str = DEFAULT_SOURCE, *, fill: bool = False
) -> Iterator[tuple[int, Mention | InputError]]:
    """(line number, Mention or the InputError for that line); blank lines are skipped.

    `fill`: a line with only `text` gets a content-hash id and the current time (analyze).
    """
    for lineno, data in enumerate(lines, start=1):
        if not data.strip():
            continue
        try:
            line = decode_line(data, lineno)
            yield lineno, parse_generic_line(line, lineno, default_source, fill=fill)
        except InputError as exc:
            yield lineno, exc


def _opt_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TypeError(f"field {key!r} must be a string, got {type(value).__name__}")
    return value


def _pick(value: Any, fields: tuple[str, ...], name: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TypeError(f"field {name!r} must be an object, got {type(value).__name__}")
    picked = {k: value[k] for k in fields if value.get(k) is not None}
    if name == "author" and "id" in picked and not isinstance(picked["id"], str):
        picked["id"] = str(picked["id"])
    return picked


def _brands(obj: dict[str, Any]) -> list[str]:
    value = obj.get("brand", obj.get("brands"))
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise TypeError("field 'brand' must be a string or a list of strings")

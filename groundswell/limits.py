"""Bounds on everything a user, a file or a platform can send us, defined once.

A post line, a platform payload or a query can be hostile or broken: 100k-deep JSON nesting, an
integer with 5,000 digits, `18446744073709551616` likes, a lone UTF-16 surrogate. Each must cost
only its own line or item, with an error saying where, never a traceback that stops the pipeline
(a RecursionError or an OverflowError in SQLite would block every later line for good).
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any

MAX_LINE_BYTES = 1_048_576  # one post over 1 MB is a broken export, not a post
MAX_JSON_DEPTH = 64  # a generic post nests 3 levels; 64 leaves room for any raw payload we keep
MAX_PAYLOAD_DEPTH = 256  # platform responses (Reddit comment trees nest ~5 levels per reply)
MAX_INT = 2**63 - 1  # what SQLite INTEGER and Elasticsearch `long` hold
MAX_INT_DIGITS = 20  # longer digit strings are refused before Python converts them

MAX_QUERY_CHARS = 4000  # a search box or a brand query; the longest real brand query is ~300
MAX_QUERY_TERMS = 50  # words and phrases; 50 Hangul wildcards already take seconds on a large store
MAX_QUERY_DEPTH = 20  # nested parentheses and NOTs

_SURROGATE = re.compile("[\ud800-\udfff]")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class LimitError(ValueError):
    """A value outside the bounds above; `where` is the JSON path (`metrics.likes`)."""

    def __init__(self, message: str, where: str = "") -> None:
        self.where = where
        self.reason = message
        super().__init__(f"{where}: {message}" if where else message)


class _BigInt(str):
    """A digit string too long to convert (kept as text so the walk can say where it was)."""


def _parse_int(text: str) -> int | _BigInt:
    digits = len(text) - (text[0] == "-")
    return _BigInt(text) if digits > MAX_INT_DIGITS else int(text)


def _parse_constant(name: str) -> float:
    raise LimitError(f"{name} is not a number JSON allows")


def has_surrogate(text: str) -> bool:
    """A lone UTF-16 surrogate (`"\\ud800"` in JSON) cannot be written as UTF-8 anywhere."""
    return _SURROGATE.search(text) is not None


def loads_bounded(text: str | bytes, max_depth: int = MAX_JSON_DEPTH, check_values: bool = True) -> Any:
    """`json.loads` that raises LimitError (or JSONDecodeError) instead of crashing later.

    Depth is checked before decoding (the C decoder recurses and would hit RecursionError);
    with `check_values` every integer must fit in 64 bits, every float be finite and every string
    be free of lone surrogates. Platform payloads pass `check_values=False`: there a bad value
    costs only its item, refused when the item becomes a record (`groundswell.records`).
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    depth_at = _too_deep(text, max_depth)
    if depth_at is not None:
        raise LimitError(f"JSON nested deeper than {max_depth} levels at column {depth_at + 1}")
    try:
        value = json.loads(text, parse_int=_parse_int, parse_constant=_parse_constant)
    except RecursionError:  # belt and braces: _too_deep already refuses this
        raise LimitError(f"JSON nested deeper than {max_depth} levels") from None
    if check_values:
        check_value(value)
    return value


def check_value(value: Any, where: str = "") -> None:
    """Raise LimitError naming the path of the first out-of-bounds value (iterative, no recursion)."""
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, _BigInt):
            raise LimitError(f"integer with {len(item)} digits is out of range (at most {MAX_INT})", path)
        if isinstance(item, str):
            if has_surrogate(item):
                raise LimitError("text contains a lone UTF-16 surrogate (not valid Unicode)", path)
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if not -MAX_INT - 1 <= item <= MAX_INT:
                raise LimitError(f"integer {item} is out of range (at most {MAX_INT})", path)
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise LimitError(f"number {item} is out of range", path)
        elif isinstance(item, dict):
            for key, sub in item.items():
                if has_surrogate(key):
                    raise LimitError("a key contains a lone UTF-16 surrogate", path)
                stack.append((sub, f"{path}.{key}" if path else str(key)))
        elif isinstance(item, list):
            stack.extend((sub, f"{path}[{i}]") for i, sub in enumerate(item))


def _too_deep(text: str, max_depth: int) -> int | None:
    """Character offset where nesting first exceeds `max_depth`, else None.

    Cheap pre-scan in C-speed steps (strings blanked, brackets kept, running sum); only a text
    that is too deep is walked character by character to say where.
    """
    if text.count("[") + text.count("{") <= max_depth:
        return None
    brackets = _NOT_BRACKET.sub("", _STRING.sub('""', text))
    steps = accumulate(1 if char in "[{" else -1 for char in brackets)
    if max(steps, default=0) <= max_depth:
        return None
    depth, in_string, escaped = 0, False, False
    for pos, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                return pos
        elif char in "]}":
            depth -= 1
    return None

"""The generic line format: every defect is an InputError naming the line, never a crash."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groundswell.crawlers.generic import (
    MAX_LINE_BYTES,
    decode_line,
    iter_generic,
    parse_datetime,
    parse_generic_line,
)
from groundswell.errors import InputError
from groundswell.records import Mention

GOOD = {
    "id": "p1",
    "text": "배터리가 너무 빨리 닳아요",
    "created_at": "2026-11-24T14:03:00+09:00",
    "source": "naver",
    "url": "https://example.com/p1",
    "lang": "ko",
    "author": {"id": 7, "handle": "kim", "followers": 1200},
    "metrics": {"likes": 3, "shares": 1, "replies": 2, "views": 100},
    "brand": "Acme",
    "extra": 1,
}


def test_full_line_maps_every_field() -> None:
    m = parse_generic_line(json.dumps(GOOD, ensure_ascii=False), 1)
    assert m.id == "naver:p1" and m.source == "naver" and m.native_id == "p1"
    assert m.created_at == datetime(2026, 11, 24, 5, 3, tzinfo=UTC)
    assert m.author.id == "7" and m.author.followers == 1200
    assert m.metrics.views == 100 and m.brands == ["Acme"]
    assert m.raw == GOOD


def test_minimal_line_defaults_source() -> None:
    m = parse_generic_line('{"id": 5, "text": "hi", "created_at": "2026-01-01T00:00:00Z"}', 3)
    assert m.id == "ingest:5"
    assert m.created_at.tzinfo is not None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"text": "x", "created_at": "2026-01-01"}', "missing required field(s): id"),
        ('{"id": "1", "created_at": "2026-01-01"}', "missing required field(s): text"),
        ('{"id": "1", "text": "x"}', "created_at"),
        ('{"id": "1", "text": "x", "created_at": "yesterday"}', "invalid created_at"),
        ('{"id": "1", "text": "x", "created_at": "2026-13-45"}', "invalid created_at"),
        ('{"id": "1", "text": 5, "created_at": "2026-01-01"}', "'text' must be a string"),
        ('{"id": [1], "text": "x", "created_at": "2026-01-01"}', "'id' must be"),
        ('{"id": "1", "text": "x", "created_at": "2026-01-01", "author": "bob"}', "'author' must be"),
        ('{"id": "1", "text": "x", "created_at": "2026-01-01", "metrics": {"likes": -1}}', "metrics.likes"),
        ('{"id": "1", "text": "x", "created_at": "2026-01-01", "brand": 3}', "brand"),
    ],
)
def test_bad_lines_name_line_and_reason(line: str, reason: str) -> None:
    with pytest.raises(InputError) as info:
        parse_generic_line(line, 42)
    assert str(info.value).startswith("line 42: ")
    assert reason in str(info.value)


def test_oversized_post_rejected() -> None:
    line = json.dumps({"id": "1", "text": "가" * (MAX_LINE_BYTES // 3 + 10), "created_at": "2026-01-01"})
    with pytest.raises(InputError, match="larger than"):
        parse_generic_line(line, 9)


def test_invalid_utf8_is_input_error() -> None:
    with pytest.raises(InputError, match="line 2: not valid UTF-8"):
        decode_line(b'{"id": "\xff"}', 2)


def test_iter_generic_yields_errors_per_line() -> None:
    lines = [
        b'\xef\xbb\xbf{"id": "1", "text": "a", "created_at": "2026-01-01T00:00:00Z"}\n',
        b"\n",
        b"garbage\n",
        b'{"id": "2", "text": "\xed\x95\x9c", "created_at": "2026-01-01T00:00:00Z"}\n',
        b"\xff\xfe\n",
    ]
    out = list(iter_generic(lines))
    assert [n for n, _ in out] == [1, 3, 4, 5]
    assert isinstance(out[0][1], Mention) and isinstance(out[2][1], Mention)
    assert isinstance(out[1][1], InputError) and isinstance(out[3][1], InputError)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_mention_or_input_error(line: str) -> None:
    with contextlib.suppress(InputError):
        assert isinstance(parse_generic_line(line, 1), Mention)


@settings(max_examples=200, deadline=None)
@given(
    native=st.one_of(st.text(min_size=1, max_size=20), st.integers(min_value=-(2**63), max_value=2**63 - 1)),
    text=st.text(min_size=1, max_size=100),
    created=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    likes=st.integers(min_value=0, max_value=10**9),
)
def test_round_trip_valid_lines(native: str | int, text: str, created: datetime, likes: int) -> None:
    line = json.dumps(
        {"id": native, "text": text, "created_at": created.isoformat(), "metrics": {"likes": likes}}
    )
    m = parse_generic_line(line, 1)
    assert m.native_id == str(native) and m.text == text
    assert m.created_at == created and m.metrics.likes == likes


@settings(max_examples=200, deadline=None)
@given(st.datetimes(timezones=st.sampled_from([UTC])))
def test_parse_datetime_iso_roundtrip(value: datetime) -> None:
    assert parse_datetime(value.isoformat().replace("+00:00", "Z")) == value

"""Star ratings on any platform scale become 1-5 with the scale kept; anything else is refused."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from groundswell.crawlers.generic import parse_generic_line
from groundswell.errors import InputError
from groundswell.ratings import normalize_rating


@pytest.mark.parametrize(
    ("value", "scale", "stars", "kept"),
    [
        (5, None, 5.0, None),
        ("4.5", None, 4.5, None),
        ("별점 4점", None, 4.0, None),
        ("8/10", None, 4.0, 10.0),
        (8, 10, 4.0, 10.0),
        (0, 10, 1.0, 10.0),
        (80, "100", 4.0, 100.0),
        ("3,5", None, 3.5, None),
    ],
)
def test_platform_marks_become_stars(value: object, scale: object, stars: float, kept: float | None) -> None:
    rating = normalize_rating(value, scale)
    assert rating is not None and rating.value == stars and rating.scale == kept


@pytest.mark.parametrize(
    ("value", "scale"), [(0, None), (6, None), (-1, 10), (11, 10), ("great", None), (True, None), (3, 0),
                         (3, 1000), (float("nan"), None), ([5], None), (4, "ten")]
)  # fmt: skip
def test_what_is_not_a_rating_is_refused_with_a_reason(value: object, scale: object) -> None:
    with pytest.raises(ValueError, match=r"rating|scale"):
        normalize_rating(value, scale)


def test_blank_is_unrated() -> None:
    assert normalize_rating(None) is None and normalize_rating("") is None


@given(st.floats(min_value=1, max_value=100), st.floats(min_value=0, max_value=1))
def test_every_mark_on_its_scale_lands_in_one_to_five(scale: float, share: float) -> None:
    assume(scale != 5 or share >= 0.2)  # a 1-5 scale has no 0
    rating = normalize_rating(scale * share, scale)
    assert rating is not None and 1.0 <= rating.value <= 5.0


@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.text(max_size=12), st.none(), st.booleans()))
def test_any_rating_field_is_a_rating_or_an_input_error(value: object) -> None:
    line = json.dumps({"id": 1, "text": "t", "created_at": "2026-01-01T00:00:00Z", "rating": value})
    try:
        mention = parse_generic_line(line, 3)
    except InputError as exc:  # a bad rating, or a number the input bounds refuse first (limits.py)
        assert str(exc).startswith("line 3: "), str(exc)
    else:
        assert mention.rating is None or 1.0 <= mention.rating <= 5.0


def test_the_generic_line_keeps_rating_and_scale() -> None:
    base = {"id": 1, "text": "배송 빨라요", "created_at": "2026-01-01"}
    assert parse_generic_line(json.dumps({**base, "rating": 5}), 1).rating == 5.0
    ten = parse_generic_line(json.dumps({**base, "rating": 9, "rating_scale": 10}), 1)
    assert (ten.rating, ten.rating_scale) == (4.5, 10.0)
    with pytest.raises(InputError, match="line 2: invalid rating: rating 7 is outside the scale 0-5"):
        parse_generic_line(json.dumps({**base, "rating": 7}), 2)

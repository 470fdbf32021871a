"""Star ratings: every platform's scale brought to one 1-5 scale, the original scale kept.

App stores and most review sites rate 1-5; some use 1-10 or 0-100. A `Mention.rating` is always on
1-5 so that stores, dashboards and the sentiment step compare like with like, and
`Mention.rating_scale` keeps the platform's maximum when it was not 5 (the original value is then
`rating_original`). The map is proportional (`value * 5 / scale`, at least 1): 8/10 -> 4.0,
80/100 -> 4.0, 10/10 -> 5.0; 0/10 -> 1.0 (a scale's zero is its worst mark).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

STARS = 5.0
MAX_SCALE = 100.0
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def stars_text(rating: float | None) -> str:
    """How a person reads a rating everywhere (CLI, dashboard tables): "4 ★", "3.5 ★"; unrated: ""."""
    return "" if rating is None or math.isnan(rating) else f"{rating:g} ★"


@dataclass(frozen=True)
class Rating:
    """A rating on the 1-5 scale; `scale`/`original` are set only when the platform's scale was not 5."""

    value: float
    scale: float | None = None
    original: float | None = None


def normalize_rating(value: Any, scale: Any = None) -> Rating | None:
    """A platform's rating (number or text such as '4.5', '8/10', '별점 4점') -> `Rating`, None when blank.

    Raises ValueError (with the reason) for a value that is not a rating: negative, above its scale,
    not a number, or a scale outside 1-100.
    """
    if value is None or value == "":
        return None
    number, found_scale = _number(value)
    top = _scale(scale) if scale not in (None, "") else found_scale or STARS
    if not 1.0 <= top <= MAX_SCALE:
        raise ValueError(f"rating scale {top:g} is not between 1 and {MAX_SCALE:g}")
    if number < 0 or number > top:
        raise ValueError(f"rating {number:g} is outside the scale 0-{top:g}")
    if top == STARS:
        if number < 1:
            raise ValueError(f"rating {number:g} is below 1 on a 1-5 scale")
        return Rating(value=number)
    return Rating(value=round(max(1.0, number * STARS / top), 2), scale=top, original=number)


def _number(value: Any) -> tuple[float, float | None]:
    """(the number, the scale when written as 'x/y'); bool and non-finite numbers are refused."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a rating")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a rating")
        return float(value), None
    if not isinstance(value, str):
        raise ValueError(f"{type(value).__name__} is not a rating")
    numbers = _NUMBER.findall(value)
    if not numbers:
        raise ValueError(f"{value!r} is not a rating")
    first = float(numbers[0].replace(",", "."))
    if "/" in value and len(numbers) >= 2:
        return first, float(numbers[1].replace(",", "."))
    return first, None


def _scale(scale: Any) -> float:
    if isinstance(scale, bool) or not isinstance(scale, int | float | str):
        raise ValueError(f"rating scale {scale!r} is not a number")
    try:
        top = float(scale)
    except ValueError:
        raise ValueError(f"rating scale {scale!r} is not a number") from None
    if not math.isfinite(top):
        raise ValueError(f"rating scale {scale!r} is not a number")
    return top

"""Dates as web pages print them, Korean boards first: `2026.11.24 14:03`, `24.11.24`, `11.24`,
`14:03`, `3시간 전`, `어제 14:03`, `오후 2:03`, `2026년 11월 24일`, plus ISO 8601 and English
(`Nov 24, 2026`, `3 hours ago`). Relative and partial forms are resolved against `now`; times
without an offset are in `tz` (Asia/Seoul by default). Anything else is a ValueError.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

KST = timezone(timedelta(hours=9), "KST")


def zone(name: str | None) -> tzinfo:
    """A named zone (zoneinfo) or a fixed offset like +09:00; Asia/Seoul without tzdata -> KST."""
    if not name:
        return KST
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", name)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # no tz database on this machine
        if name == "Asia/Seoul":
            return KST
        raise ValueError(f"unknown time zone {name!r}") from None


_UNITS = {
    "초": "seconds", "분": "minutes", "시간": "hours", "일": "days", "주": "weeks", "개월": "months", "달": "months",
    "년": "years", "second": "seconds", "sec": "seconds", "minute": "minutes", "min": "minutes", "hour": "hours",
    "hr": "hours", "day": "days", "week": "weeks", "month": "months", "year": "years",
}  # fmt: skip
_RELATIVE = re.compile(
    r"^(?P<n>\d+|an?|one)\s*(?P<unit>초|분|시간|일|주|개월|달|년|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s*(?:전|ago|before)$",
    re.I,
)
_FULL = re.compile(
    r"^(?P<y>\d{4}|\d{2})\s*[./-]\s*(?P<m>\d{1,2})\s*[./-]\s*(?P<d>\d{1,2})\.?"
    r"(?:\s*(?:\((?:[월화수목금토일]|[A-Za-z]{3})\))?\s*(?P<ampm>오전|오후|AM|PM)?\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm2>AM|PM)?)?$",
    re.I,
)
_KO_FULL = re.compile(
    r"^(?:(?P<y>\d{4})\s*년\s*)?(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"
    r"(?:\s*(?:\([월화수목금토일]\))?\s*(?P<ampm>오전|오후)?\s*(?P<H>\d{1,2})\s*[:시]\s*(?P<M>\d{1,2})\s*분?)?$"
)
_MONTH_DAY = re.compile(r"^(?P<m>\d{1,2})\s*[./-]\s*(?P<d>\d{1,2})\.?(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2}))?$")
_TIME = re.compile(
    r"^(?P<day>어제|그저께|yesterday|today|오늘)?\s*(?P<ampm>오전|오후|AM|PM)?\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm2>AM|PM)?$",
    re.I,
)
_ENGLISH = (
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y %H:%M",
    "%B %d, %Y %I:%M %p",
    "%b %d, %Y %I:%M %p",
)
_DAYS = {"어제": 1, "yesterday": 1, "그저께": 2, "오늘": 0, "today": 0}


def _hour(hour: int, *markers: str | None) -> int:
    marker = next((m.upper() for m in markers if m), "")
    if marker in ("오후", "PM") and hour < 12:
        return hour + 12
    if marker in ("오전", "AM") and hour == 12:
        return 0
    return hour


def parse_when(text: str, now: datetime | None = None, tz: tzinfo | None = None) -> datetime:
    """A printed date -> aware UTC datetime; ValueError naming the text when it is not a date."""
    tz = tz or KST
    now = (now or datetime.now(UTC)).astimezone(tz)
    raw = " ".join(str(text).split())
    value = raw.strip()
    if not value:
        raise ValueError("empty date")
    low = value.lower()
    if low in ("방금", "방금 전", "just now", "now", "지금"):
        return now.astimezone(UTC)
    if low in _DAYS:
        return (now - timedelta(days=_DAYS[low])).astimezone(UTC)
    match = _RELATIVE.match(low)
    if match:
        n = 1 if match.group("n") in ("a", "an", "one") else int(match.group("n"))
        unit = _UNITS[
            match.group("unit").rstrip("s") if match.group("unit") not in _UNITS else match.group("unit")
        ]
        if unit == "months":
            return (now - timedelta(days=30 * n)).astimezone(UTC)
        if unit == "years":
            return (now - timedelta(days=365 * n)).astimezone(UTC)
        return (now - timedelta(**{unit: n})).astimezone(UTC)
    iso = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    if "T" in iso or re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2})$", iso):
        try:
            parsed = datetime.fromisoformat(iso)
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(UTC)
        except ValueError:
            pass
    for pattern in (_FULL, _KO_FULL):
        match = pattern.match(value)
        if match:
            g = match.groupdict()
            year = int(g["y"]) if g.get("y") else now.year
            year = 2000 + year if year < 100 else year
            hour = _hour(int(g["H"] or 0), g.get("ampm"), g.get("ampm2"))
            return _build(
                year, int(g["m"]), int(g["d"]), hour, int(g["M"] or 0), int(g.get("S") or 0), tz, raw
            )
    match = _MONTH_DAY.match(value)
    if match:
        g = match.groupdict()
        when = _build(now.year, int(g["m"]), int(g["d"]), int(g["H"] or 0), int(g["M"] or 0), 0, tz, raw)
        return when if when <= now + timedelta(hours=1) else _build(now.year - 1, int(g["m"]), int(g["d"]), int(g["H"] or 0), int(g["M"] or 0), 0, tz, raw)  # fmt: skip
    match = _TIME.match(value)
    if match:
        g = match.groupdict()
        day = now - timedelta(days=_DAYS.get((g["day"] or "").lower(), 0))
        hour = _hour(int(g["H"]), g["ampm"], g["ampm2"])
        when = _build(day.year, day.month, day.day, hour, int(g["M"]), int(g["S"] or 0), tz, raw)
        return when - timedelta(days=1) if not g["day"] and when > now + timedelta(minutes=5) else when
    for fmt in _ENGLISH:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=tz).astimezone(UTC)
        except ValueError:
            continue
    raise ValueError(f"{raw!r} is not a date this crawler understands")


def _build(y: int, m: int, d: int, hh: int, mm: int, ss: int, tz: tzinfo, raw: str) -> datetime:
    try:
        return datetime(y, m, d, hh, mm, ss, tzinfo=tz).astimezone(UTC)
    except ValueError as exc:
        raise ValueError(f"{raw!r} is not a valid date: {exc}") from None

"""The baseline every evaluation compares against: a commercial-style spike rule.

Fires for a brand when its negative posts in the last hour are at least RULE_RATIO times the
hourly mean of the 12 hours before and at least RULE_MIN, then stays quiet for 6 hours.
"""

from __future__ import annotations

from bisect import bisect_left

RULE_RATIO, RULE_MIN = 3.0, 8
COOLDOWN_S = 6 * 3600.0


def rule_fires(times: list[float], start: float, end: float, step: float) -> list[float]:
    """Step times (epoch seconds, in (start, end]) at which the rule fires; `times` sorted."""
    fires: list[float] = []
    last = -1e18
    now = start + step
    while now <= end:
        hour = bisect_left(times, now) - bisect_left(times, now - 3600)
        before = bisect_left(times, now - 3600) - bisect_left(times, now - 13 * 3600)
        if hour >= RULE_MIN and hour >= RULE_RATIO * before / 12 and now - last >= COOLDOWN_S:
            fires.append(now)
            last = now
        now += step
    return fires

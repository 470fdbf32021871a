"""Who gets an alert and when: channel selection, quiet hours, digest schedule, update policy.

Pure functions over settings and records (no I/O), so every routing rule is tested directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from groundswell.config.settings import AlertRule, Channel, Settings
from groundswell.errors import ConfigError
from groundswell.records import Alert, AlertKind, Severity

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class QuietHours:
    """A daily local-time window (may cross midnight) when only urgent alerts go out at once."""

    start: time
    end: time
    zone: tzinfo
    override: Severity = Severity.CRITICAL

    @classmethod
    def parse(cls, spec: str, zone: tzinfo, override: Severity | str) -> QuietHours:
        match = _CLOCK.match(spec)
        if not match:
            raise ConfigError(f"alerts.quiet_hours: {spec!r} is not a window like '22:00-07:00'")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ConfigError(f"alerts.quiet_hours: {spec!r} has an impossible time")
        return cls(time(h1, m1), time(h2, m2), zone, Severity(override))

    def active(self, now: datetime) -> bool:
        local = now.astimezone(self.zone).time()
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def release_time(self, now: datetime, severity: Severity) -> datetime | None:
        """When a message of this severity created now may go out; None means right away."""
        if Severity(severity) >= self.override or not self.active(now):  # never str order
            return None
        local = now.astimezone(self.zone)
        end = datetime.combine(local.date(), self.end, tzinfo=self.zone)
        if end <= local:
            end += timedelta(days=1)
        return end


def zone_of(settings: Settings) -> tzinfo:
    """alerts.timezone when set, else the top-level timezone every reader sees."""
    from groundswell.localtime import zone

    return zone(settings.alerts.timezone or settings.timezone)


def rule_for(settings: Settings, alert: Alert) -> AlertRule | None:
    for rule in settings.alert_rules:
        if rule.name == alert.rule:
            return rule
    return None


def channels_for(settings: Settings, alert: Alert) -> list[Channel]:
    """Channels that should hear about this alert.

    Operational alerts go to the admin channel only. Complaint alerts go to the channels the rule
    names (every channel except the admin one when it names none), kept only where the channel's
    severity floor, brand list and owner list all admit the alert.
    """
    admin = settings.alerts.admin_channel
    if alert.kind == AlertKind.OPERATIONAL:
        return [c for c in settings.channels if c.name == admin]
    rule = rule_for(settings, alert)
    names = set(rule.channels) if rule and rule.channels else None
    chosen = []
    for channel in settings.channels:
        if names is not None and channel.name not in names:
            continue
        if names is None and channel.name == admin:
            continue
        if alert.severity < channel.min_severity:
            continue
        if channel.brands and alert.brand not in channel.brands:
            continue
        if channel.owners and not set(channel.owners) & set(alert.owners):
            continue
        chosen.append(channel)
    return chosen


def language_for(settings: Settings, alert: Alert, channel: Channel) -> str:
    if channel.language:
        return channel.language
    rule = rule_for(settings, alert)
    return rule.language if rule else settings.dashboard.language


def next_digest(now: datetime, period: str, zone: tzinfo, hour: int) -> datetime:
    """The next hourly boundary, or the next local `hour`:00 for a daily digest."""
    local = now.astimezone(zone)
    if period == "hourly":
        return local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    due = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return due if due > local else due + timedelta(days=1)


def update_reason(
    *,
    severity: Severity,
    observed: float,
    last_severity: Severity,
    last_observed: float,
    last_sent_at: datetime | None,
    now: datetime,
    cooldown: timedelta,
) -> str | None:
    """Why an incident already announced deserves an update now, or None to stay quiet.

    A higher severity always speaks (escalation beats cooldown); otherwise it must have grown
    and the cooldown since the last message must have passed: one thread, not a storm.
    """
    if Severity(severity) > Severity(last_severity):  # by rank: as strings "high" > "critical"
        return "escalated"
    if observed <= last_observed:
        return None
    if last_sent_at is not None and now - last_sent_at < cooldown:
        return None
    return "grew"

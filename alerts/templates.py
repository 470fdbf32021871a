"""Korean and English wording of alert messages, and the functions that fill it in.

Wording lives in one table per language so a translator edits strings, not code. The rule's
`language` (or the channel's override) picks the table; unknown languages fall back to English.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import quote

from groundswell.alerts.message import Evidence, Message, MessageKind
from groundswell.records import Alert, AlertEvent, AlertKind, EnrichedMention, Severity

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "new": "[{sev}] Emerging complaint: {subject}",
        "update": "[{sev}] Update #{seq}: {subject}",
        "acknowledged": "Acknowledged by {actor}: {subject}",
        "assigned": "Assigned to {assignee} by {actor}: {subject}",
        "resolved": "Resolved by {actor}: {subject}",
        "ops": "[{sev}] Collector problem: {subject}",
        "digest": "{period} digest: {count} open incident(s)",
        "hourly": "Hourly",
        "daily": "Daily",
        "posts": "Posts in window",
        "posts_value": "{observed:g} (expected {expected:.1f}, {growth:.1f}x)",
        "spread": "Spread risk",
        "touchpoints": "Touchpoints",
        "owners": "Owners",
        "first_seen": "First seen",
        "state": "State",
        "evidence": "Top posts",
        "playbook": "Playbook",
        "dashboard": "Open in dashboard",
        "note": "Note",
        "sev_low": "LOW",
        "sev_medium": "MEDIUM",
        "sev_high": "HIGH",
        "sev_critical": "CRITICAL",
        "digest_item": "- [{sev}] {subject}: {observed:g} posts, {growth:.1f}x ({state})",
    },
    "ko": {
        "new": "[{sev}] 불만 급증 감지: {subject}",
        "update": "[{sev}] 업데이트 #{seq}: {subject}",
        "acknowledged": "{actor} 님이 확인함: {subject}",
        "assigned": "{actor} 님이 {assignee} 님에게 배정함: {subject}",
        "resolved": "{actor} 님이 해결함: {subject}",
        "ops": "[{sev}] 수집기 문제: {subject}",
        "digest": "{period} 요약: 진행 중인 이슈 {count}건",
        "hourly": "시간별",
        "daily": "일일",
        "posts": "기간 내 게시물",
        "posts_value": "{observed:g}건 (예상 {expected:.1f}건, {growth:.1f}배)",
        "spread": "확산 위험",
        "touchpoints": "접점",
        "owners": "담당",
        "first_seen": "최초 감지",
        "state": "상태",
        "evidence": "주요 게시물",
        "playbook": "대응 플레이북",
        "dashboard": "대시보드에서 보기",
        "note": "메모",
        "sev_low": "낮음",
        "sev_medium": "보통",
        "sev_high": "높음",
        "sev_critical": "심각",
        "digest_item": "- [{sev}] {subject}: 게시물 {observed:g}건, {growth:.1f}배 ({state})",
    },
}
SNIPPET = 200
DASHBOARD_PAGE = "complaints"  # the dashboard page (url_path) that shows one alert, its posts and history


def strings(language: str) -> dict[str, str]:
    return STRINGS.get(language, STRINGS["en"])


def subject(alert: Alert) -> str:
    parts = [alert.brand] if alert.brand else []
    if alert.topic and alert.topic.label:
        parts.append(alert.topic.label)
    elif alert.touchpoints:
        parts.append(", ".join(alert.touchpoints))
    if alert.summary and not parts[1:]:
        parts.append(alert.summary)
    return " — ".join(parts) or alert.id


def dashboard_link(base_url: str, alert_id: str) -> str:
    return f"{base_url.rstrip('/')}/{DASHBOARD_PAGE}?alert_id={quote(alert_id, safe='')}"


def evidence(posts: list[EnrichedMention], limit: int) -> list[Evidence]:
    """The posts most likely to be seen: widest reach, then most engagement."""
    ranked = sorted(posts, key=lambda m: (m.author.followers or 0, m.metrics.engagement), reverse=True)
    out = []
    for post in ranked[:limit]:
        text = " ".join((post.clean_text or post.text).split())
        if len(text) > SNIPPET:
            text = text[: SNIPPET - 1] + "…"
        out.append(
            Evidence(
                id=post.id,
                source=post.source,
                text=text,
                url=post.url,
                reach=post.author.followers or 0,
                engagement=post.metrics.engagement,
            )
        )
    return out


def render_alert(
    alert: Alert,
    kind: MessageKind,
    seq: int,
    *,
    message_id: str,
    language: str,
    zone: tzinfo,
    dashboard_url: str,
    posts: list[EnrichedMention],
    top_evidence: int,
    now: datetime,
) -> Message:
    """A new/update/ops message with the key figures, top posts, playbook and dashboard link."""
    s = strings(language)
    sev = s[f"sev_{alert.severity.value}"]
    template = "ops" if kind is MessageKind.OPS else ("new" if kind is MessageKind.NEW else "update")
    facts: list[tuple[str, str]] = []
    if alert.kind is not AlertKind.OPERATIONAL:
        facts.append(
            (
                s["posts"],
                s["posts_value"].format(
                    observed=alert.observed, expected=alert.expected, growth=alert.growth
                ),
            )
        )
        facts.append((s["spread"], f"{alert.spread_risk:.2f}"))
    if alert.touchpoints:
        facts.append((s["touchpoints"], ", ".join(alert.touchpoints)))
    if alert.owners:
        facts.append((s["owners"], ", ".join(alert.owners)))
    facts.append((s["first_seen"], alert.first_seen.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")))
    lines = [alert.summary] if alert.summary else []
    shown = evidence(posts, top_evidence)
    origins = [p.fetched_at for p in posts]
    return Message(
        **_in_thread(alert, seq, message_id, language, dashboard_url),
        kind=kind,
        title=s[template].format(sev=sev, seq=seq, subject=subject(alert)),
        facts=facts,
        lines=lines,
        evidence=shown,
        evidence_label=s["evidence"],
        playbook=alert.playbook,
        playbook_label=s["playbook"],
        created_at=now,
        origin_at=max(origins) if origins else None,
    )


def render_event(
    alert: Alert, event: AlertEvent, seq: int, *, message_id: str, language: str, dashboard_url: str
) -> Message:
    """A lifecycle reply in the incident's thread (acknowledged, assigned, resolved)."""
    s = strings(language)
    kind = MessageKind(event.action)
    title = s[kind.value].format(actor=event.actor, assignee=alert.assignee or "", subject=subject(alert))
    return Message(
        **_in_thread(alert, seq, message_id, language, dashboard_url),
        kind=kind,
        title=title,
        facts=[(s["state"], alert.state.value)],
        lines=[f"{s['note']}: {event.note}"] if event.note else [],
        created_at=event.at,
    )


def _in_thread(alert: Alert, seq: int, message_id: str, language: str, dashboard_url: str) -> dict[str, Any]:
    """The Message fields every message in an incident's thread carries: ids, severity, link, the alert."""
    return {
        "id": message_id,
        "alert_id": alert.id,
        "thread_id": alert.id,
        "seq": seq,
        "language": language,
        "severity": alert.severity.value,
        "brand": alert.brand,
        "links": [(strings(language)["dashboard"], dashboard_link(dashboard_url, alert.id))],
        "alert": alert.model_dump(mode="json", exclude={"history"}),
    }


def render_digest(
    alerts: list[Alert], period: str, *, message_id: str, language: str, dashboard_url: str, now: datetime
) -> Message:
    """One summary of every incident buffered for a digest channel, worst first."""
    s = strings(language)
    ranked = sorted(alerts, key=lambda a: (-a.severity.rank, -a.growth))
    lines = [
        s["digest_item"].format(
            sev=s[f"sev_{a.severity.value}"],
            subject=subject(a),
            observed=a.observed,
            growth=a.growth,
            state=a.state.value,
        )
        for a in ranked
    ]
    worst = ranked[0].severity if ranked else Severity.LOW
    return Message(
        id=message_id,
        kind=MessageKind.DIGEST,
        language=language,
        severity=worst,
        title=s["digest"].format(period=s[period], count=len(alerts)),
        lines=lines,
        links=[(s["dashboard"], f"{dashboard_url.rstrip('/')}/{DASHBOARD_PAGE}")],
        created_at=now,
    )

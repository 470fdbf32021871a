"""Scheduled reports: channels with `digest: weekly|monthly` get each brand's report once per period.

`groundswell run` calls `queue_reports` after every cycle. When a period has ended (and the
local `alerts.digest_hour` of the next day has come), the report of each brand the channel
follows is rendered and queued in the alert outbox with the id `report:BRAND:PERIOD`; the
outbox refuses an id it has queued before, so a report is never sent twice, even across
restarts. E-mail carries the PDF (HTML when Pango is missing); Slack and Teams get the summary
figures and a link to the dashboard's report page. Only the latest ended period is sent: a
pipeline stopped over several boundaries does not mail a backlog of old reports.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import urlencode

from groundswell.alerts.message import Attachment, Message, MessageKind
from groundswell.alerts.outbox import Outbox
from groundswell.alerts.state import entry_key
from groundswell.config.settings import Channel, Settings
from groundswell.errors import GroundswellError
from groundswell.indexer.base import Store
from groundswell.localtime import fmt_date, zone
from groundswell.records import Severity
from groundswell.reports.data import ReportData, build_report
from groundswell.reports.period import Period, PeriodKind
from groundswell.reports.strings import t

log = logging.getLogger("groundswell.reports")
KINDS: dict[str, PeriodKind] = {"weekly": "week", "monthly": "month"}


def due(settings: Settings, now: datetime) -> Iterator[tuple[Channel, str, Period]]:
    """(channel, brand, period) for every report that may be sent at `now`."""
    tz = zone(settings.timezone)
    for channel in settings.channels:
        kind = KINDS.get(channel.digest)
        if kind is None:
            continue
        period = Period.last_complete(kind, now, tz)
        if now < period.end + timedelta(hours=settings.alerts.digest_hour):
            continue  # sent at the digest hour of the day after the period
        for brand in channel.brands or [b.name for b in settings.brands]:
            yield channel, brand, period


def message_id(brand: str, period: Period) -> str:
    return f"report:{brand}:{period.key}"


def queue_reports(settings: Settings, store: Store, outbox: Outbox, now: datetime) -> list[str]:
    """Render and queue the reports that are due and not queued before; the outbox ids queued."""
    queued: list[str] = []
    pending = {e.id for e in outbox.pending()}
    for channel, brand, period in due(settings, now):
        mid = message_id(brand, period)
        entry = f"{mid}@{channel.name}"
        if entry in pending or store.get_state(entry_key(entry)) is not None:
            continue
        language = channel.language or settings.dashboard.language
        try:
            data = build_report(settings, store, brand, period.kind, language=language, period=period)
            message = report_message(data, mid, settings, attach=channel.type == "email")
        except (GroundswellError, KeyError) as exc:  # one brand's failure must not stop the others
            log.error("report %s for channel %s not built: %s", mid, channel.name, exc)
            continue
        if outbox.enqueue(message, channel.name):
            queued.append(entry)
            log.info("report %s queued for channel %s", mid, channel.name)
    return queued


def report_link(settings: Settings, data: ReportData) -> str:
    """The dashboard's report page with this brand and period selected."""
    base = (settings.alerts.dashboard_url or settings.dashboard.base_url).rstrip("/")
    query = urlencode(
        {"brand": data.brand, "period": data.period.kind, "start": data.period.key.split(":")[1]}
    )
    return f"{base}/report?{query}"


def report_message(data: ReportData, mid: str, settings: Settings, *, attach: bool) -> Message:
    """The channel-neutral message: key figures, rising topics, open incidents, link; the file if `attach`."""
    lang, tz = data.language, data.period.tz
    period = t(
        "period",
        lang,
        start=fmt_date(data.period.start, tz),
        end=fmt_date(data.period.local_last_day, tz),
        zone=data.zone_label,
    )
    title = f"{t(f'title.{data.period.kind}', lang, brand=data.brand)}: {period}"
    now, before = data.now, data.before
    change = f"{100.0 * (now.mentions - before.mentions) / before.mentions:+.0f}%" if before.mentions else "—"
    facts = [
        (t("kpi.mentions", lang), f"{now.mentions:,} ({change})"),
        (
            t("kpi.negative", lang),
            f"{now.negative_share:.1f}% ({now.negative_share - before.negative_share:+.1f}%p)",
        ),
        (t("kpi.net", lang), f"{now.net_sentiment:+.1f}"),
        (t("kpi.incidents", lang), str(len(data.open_incidents))),
    ]
    if data.share_of_voice:
        own = data.share_of_voice[0]
        facts.append((t("sec.sov", lang), f"{own.share:.1f}% ({own.share - own.previous_share:+.1f}%p)"))
    lines = []
    if data.topics:
        lines.append(
            f"{t('sec.topics', lang)}: " + ", ".join(_topic(r.label, r.rising, lang) for r in data.topics[:5])
        )
    if data.related:
        lines.append(f"{t('sec.related', lang)}: " + ", ".join(r.term for r in data.related[:10]))
    lines += [f"- [{i.severity}] {i.subject}" for i in data.open_incidents[:5]]
    attachments = []
    if attach:
        attachments.append(_file(data))
        lines.append(t("digest.attached", lang))
    return Message(
        id=mid,
        kind=MessageKind.DIGEST,
        language=lang,
        severity=Severity.LOW,
        brand=data.brand,
        title=title,
        facts=facts,
        lines=lines,
        links=[(t("digest.open", lang), report_link(settings, data))],
        attachments=attachments,
        created_at=data.generated_at,
    )


def _topic(label: str, rising: bool, lang: str) -> str:
    return f"{label} ({t('rising', lang)})" if rising else label


def _file(data: ReportData) -> Attachment:
    """The PDF, or the HTML report when PDF rendering is not available on this machine."""
    from groundswell.reports.render import file_name, render

    try:
        pdf = render(data, "pdf")
        return Attachment.of(file_name(data.brand, data.period.key, "pdf"), "application/pdf", pdf)
    except GroundswellError as exc:
        log.warning("PDF report not available (%s); attaching HTML instead", exc)
        html = render(data, "html")
        return Attachment.of(file_name(data.brand, data.period.key, "html"), "text/html", html)

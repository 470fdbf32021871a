"""A ReportData as HTML (Jinja2, autoescaped), PDF (WeasyPrint over the same HTML) or CSV (the figures).

Crawled text (posts, topic labels, related words, alert summaries) only ever reaches the page
through Jinja2's autoescaping or the chart module's XML escaping; the only markup marked safe
is the SVG that charts.py built. WeasyPrint needs Pango from the system: a missing library is
reported as a ReportError naming the Debian package, not a ctypes traceback.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from markupsafe import Markup

from groundswell.errors import NotInstalled, ReportError
from groundswell.hangul_spacing import SYLLABLE
from groundswell.localtime import fmt_date, fmt_datetime
from groundswell.reports import charts
from groundswell.reports.data import ReportData
from groundswell.reports.strings import t

Format = Literal["html", "pdf", "csv"]
FORMATS: tuple[Format, ...] = ("html", "pdf", "csv")
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"
log = logging.getLogger(__name__)
POST_CHARS = 280


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("groundswell.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _pct_change(now: float, before: float) -> str:
    if before == 0:
        return "—" if now == 0 else "new"
    return f"{100.0 * (now - before) / before:+.0f}%"


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    change: str
    tone: str  # good | bad | neutral: the colour of the change (more mentions is neither)


def tiles(data: ReportData) -> list[Tile]:
    lang, now, before = data.language, data.now, data.before
    neg_delta = now.negative_share - before.negative_share
    net_delta = now.net_sentiment - before.net_sentiment
    return [
        Tile(
            t("kpi.mentions", lang),
            f"{now.mentions:,}",
            _change_text(now.mentions, before.mentions, lang),
            "neutral",  # more mentions is neither good nor bad
        ),
        Tile(t("kpi.negative", lang), f"{now.negative_share:.1f}%", f"{neg_delta:+.1f}%p", _tone(-neg_delta)),
        Tile(t("kpi.net", lang), f"{now.net_sentiment:+.1f}", f"{net_delta:+.1f}", _tone(net_delta)),
        Tile(t("kpi.reach", lang), f"{now.reach:,}", _change_text(now.reach, before.reach, lang), "neutral"),
        Tile(t("kpi.incidents", lang), str(len(data.open_incidents)), "", "neutral"),
    ]


def _tone(better: float) -> str:
    return "good" if better > 0 else "bad" if better < 0 else "neutral"


def _change_text(now: float, before: float, lang: str) -> str:
    text = _pct_change(now, before)
    return t("new", lang) if text == "new" else text


def chart_svgs(data: ReportData) -> dict[str, Markup]:
    """The report's charts; Markup because charts.py escaped every label it drew."""
    lang = data.language
    out: dict[str, Markup] = {}
    if data.daily:
        series = [
            charts.Series(
                t(f"sent.{s}", lang), charts.SENTIMENT_COLORS[s], [getattr(d, s) for d in data.daily]
            )
            for s in ("negative", "neutral", "positive")
        ]
        days = [d.day[5:] for d in data.daily]
        out["volume"] = Markup(charts.stacked_columns(days, series, t("sec.volume", lang)))
    if data.share_of_voice:
        sov = data.share_of_voice
        out["sov"] = Markup(
            charts.hbars(
                [s.brand for s in sov],
                [s.share for s in sov],
                t("sec.sov", lang),
                notes=[f"{t('col.previous', lang)} {s.previous_share:.1f}%" for s in sov],
                colors=[charts.ACCENT if s.brand == data.brand else charts.MUTED for s in sov],
                value_format="{:.1f}%",
                label_width=120,
            )
        )
    if data.topics:
        out["topics"] = Markup(
            charts.hbars(
                [r.label for r in data.topics],
                [r.mentions for r in data.topics],
                t("sec.topics", lang),
                notes=[t("rising", lang) if r.rising else "" for r in data.topics],
                colors=[charts.ALERT if r.rising else charts.ACCENT for r in data.topics],
                label_width=240,
            )
        )
    if data.related:
        out["related"] = Markup(
            charts.hbars(
                [r.term for r in data.related],
                [r.count for r in data.related],
                t("sec.related", lang),
                notes=[_term_change(r.count, r.previous, lang) for r in data.related],
                colors=[
                    charts.ALERT if r.previous == 0 or r.count >= 2 * r.previous else charts.ACCENT
                    for r in data.related
                ],
                label_width=120,
            )
        )
    return out


def _term_change(now: int, before: int, lang: str) -> str:
    if before == 0:
        return t("new", lang)
    return f"{now - before:+,} ({_pct_change(now, before)})"


def render_html(data: ReportData, *, for_pdf: bool = False) -> str:
    lang, tz = data.language, data.period.tz
    kind = t(f"kind.{data.period.kind}", lang)
    context = {
        "data": data,
        "lang": lang,
        "t": lambda key, **kw: t(key, lang, **kw),
        "title": t(f"title.{data.period.kind}", lang, brand=data.brand),
        "period": t(
            "period",
            lang,
            start=fmt_date(data.period.start, tz),
            end=fmt_date(data.period.local_last_day, tz),
            zone=data.zone_label,
        ),
        "generated": t("generated", lang, at=fmt_datetime(data.generated_at, tz)),
        "vs_previous": t("vs_previous", lang, kind=kind),
        "related_note": t("related_note", lang, brand=data.brand, kind=kind),
        "tiles": tiles(data),
        "charts": chart_svgs(data),
        "when": lambda value: fmt_datetime(value, tz, with_zone=False),
        "clip": lambda text: _clip_text(text),
        "term_change": lambda r: _term_change(r.count, r.previous, lang),
        "link": _web_link,
        "for_pdf": for_pdf,
    }
    return str(_environment().get_template("report.html").render(**context))


def _web_link(url: str | None) -> str | None:
    """Only http(s) links from crawled posts become anchors (never javascript: or data:)."""
    return url if url and url.lower().startswith(("https://", "http://")) else None


def _clip_text(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= POST_CHARS else flat[: POST_CHARS - 1] + "…"


def render_pdf(data: ReportData) -> bytes:
    """The HTML report printed to A4 by WeasyPrint."""
    try:
        from weasyprint import HTML
    except ModuleNotFoundError:
        raise NotInstalled("PDF reports", "reports") from None
    except OSError as exc:  # WeasyPrint loads Pango with ctypes at import time
        raise ReportError(
            f"PDF reports need Pango from the system ({exc}); on Debian/Ubuntu: "
            f"apt-get install -y {PANGO_PACKAGES}"
        ) from None
    html = render_html(data, for_pdf=True)
    if SYLLABLE.search(html) and not hangul_font_installed():
        log.warning(
            "no font on this machine has Hangul: Korean text in the PDF prints as empty boxes; "
            "on Debian/Ubuntu: apt-get install -y fonts-noto-cjk"
        )
    return bytes(HTML(string=html).write_pdf())


@cache
def hangul_font_installed() -> bool | None:
    """Whether fontconfig (which Pango uses) knows a font covering 가 (U+AC00); None when it cannot say.

    Without one, WeasyPrint prints every Hangul syllable as .notdef boxes and only logs it per glyph.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run(
            [fc_list, ":charset=ac00", "family"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return bool(out.stdout.strip())


def render_csv(data: ReportData) -> str:
    """The figures as one long table: section, item, metric, value (opens in any spreadsheet)."""
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["section", "item", "metric", "value"])
    tz = data.period.tz
    out.writerow(["report", data.brand, "period_start", data.period.local_start.isoformat()])
    out.writerow(["report", data.brand, "period_end", data.period.end.astimezone(tz).isoformat()])
    for name, kpis in (("kpi", data.now), ("kpi_previous", data.before)):
        for metric in ("mentions", "negative_share", "net_sentiment", "reach"):
            out.writerow([name, data.brand, metric, _num(getattr(kpis, metric))])
    for d in data.daily:
        for s in ("negative", "neutral", "positive"):
            out.writerow(["daily", d.day, s, getattr(d, s)])
    for share in data.share_of_voice:
        out.writerow(["share_of_voice", share.brand, "mentions", share.mentions])
        out.writerow(["share_of_voice", share.brand, "share", share.share])
        out.writerow(["share_of_voice", share.brand, "previous_share", share.previous_share])
    for topic in data.topics:
        for metric in ("mentions", "complaint_share", "net", "rising", "keywords"):
            out.writerow(["topic", topic.label, metric, _num(getattr(topic, metric))])
    for tp in data.touchpoints:
        for metric in ("owner", "mentions", "complaints", "change"):
            out.writerow(["touchpoint", tp.name, metric, _num(getattr(tp, metric))])
    for inc in data.incidents:
        out.writerow(["incident", inc.subject, "state", inc.state])
        out.writerow(["incident", inc.subject, "severity", inc.severity])
        out.writerow(["incident", inc.subject, "fired_at", inc.fired_at.astimezone(tz).isoformat()])
        out.writerow(["incident", inc.subject, "owners", "; ".join(inc.owners)])
    for r in data.related:
        out.writerow(["related_word", r.term, "posts", r.count])
        out.writerow(["related_word", r.term, "previous", r.previous])
    for m in data.top_posts:
        out.writerow(["top_post", m.id, "created_at", m.created_at.astimezone(tz).isoformat()])
        out.writerow(["top_post", m.id, "engagement", m.metrics.engagement])
        out.writerow(["top_post", m.id, "text", " ".join(m.text.split())])
    return buf.getvalue()


def _num(value: object) -> object:
    return round(value, 2) if isinstance(value, float) else value


def file_name(brand: str, period_key: str, fmt: str) -> str:
    """'lumio-week-2026-11-16.pdf': safe on every file system."""
    slug = re.sub(r"[^\w-]+", "-", f"{brand}-{period_key.replace(':', '-')}").strip("-").lower()
    return f"{slug}.{fmt}"


def render(data: ReportData, fmt: Format) -> bytes:
    """The report as file bytes in `fmt` (HTML and CSV in UTF-8; CSV with a BOM so Excel reads Hangul)."""
    if fmt == "pdf":
        return render_pdf(data)
    if fmt == "csv":
        return ("\ufeff" + render_csv(data)).encode("utf-8")
    return render_html(data).encode("utf-8")

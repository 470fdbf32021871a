"""Report charts as inline SVG strings, built by hand: no plotting library, the same bytes in HTML and PDF.

Neither matplotlib nor a Vega renderer ships with groundswell, and a report needs only two shapes
(stacked day columns and labelled horizontal bars), so a few lines of SVG are cheaper than a
dependency and render identically in a browser and in WeasyPrint. Every label is XML-escaped
(topic labels and related words come from crawled text). Text uses Noto Sans CJK so Hangul renders.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

FONT = "'Noto Sans CJK KR', 'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif"
SENTIMENT_COLORS = {"negative": "#d1495b", "neutral": "#b8b8b8", "positive": "#2e86ab"}
ACCENT = "#2e86ab"
MUTED = "#9aa5b1"
ALERT = "#d1495b"


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    values: Sequence[float]


def text_width(text: str, size: float) -> float:
    """Approximate rendered width: wide (CJK) characters one em, others about half."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.56 for c in text)


def clip(text: str, size: float, width: float) -> str:
    """`text` shortened with an ellipsis to fit `width` pixels at font `size`."""
    if text_width(text, size) <= width:
        return text
    out = ""
    for char in text:
        if text_width(out + char + "…", size) > width:
            break
        out += char
    return out + "…"


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" font-family="{escape(FONT)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, text: str, size: float = 11, anchor: str = "start", fill: str = "#333") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" fill="{fill}">'
        f"{escape(text)}</text>"
    )


TICKS = 4


def _nice_max(value: float) -> float:
    """An axis maximum at or above `value` whose TICKS gridlines fall on round whole numbers."""
    if value <= 0:
        return float(TICKS)
    raw = value / TICKS
    power = 10 ** max(len(str(int(raw))) - 1, 0)
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10):
        if step * power >= raw and float(step * power).is_integer():
            return TICKS * step * power
    return TICKS * 10 * power


def stacked_columns(
    categories: Sequence[str],
    series: Sequence[Series],
    title: str,
    width: float = 680,
    height: float = 220,
    legend: bool = True,
) -> str:
    """One column per category (a day), series stacked bottom-up, with a y axis and a legend."""
    left, right, top, bottom = 44, 10, 24 if legend else 8, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    peak = _nice_max(max(totals, default=0))
    body: list[str] = []
    for k in range(TICKS + 1):
        value = peak * k / TICKS
        y = top + plot_h - plot_h * k / TICKS
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        body.append(_text(left - 6, y + 4, f"{value:,.0f}", 10, "end", "#666"))
    n = max(len(categories), 1)
    slot = plot_w / n
    bar = max(min(slot * 0.7, 48), 2)
    every = max(1, round(n / 12))  # at most ~12 x labels
    for i, category in enumerate(categories):
        x = left + slot * i + (slot - bar) / 2
        y = top + plot_h
        for s in series:
            h = plot_h * s.values[i] / peak
            if h > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="{y - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{s.color}"/>'
                )
            y -= h
        if i % every == 0:
            body.append(_text(x + bar / 2, height - bottom + 16, category, 10, "middle", "#555"))
    if legend:
        x = left
        for s in series:
            body.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{s.color}"/>')
            body.append(_text(x + 14, 15, s.name, 11))
            x += 24 + text_width(s.name, 11)
    return _svg(width, height, body, title)


def hbars(
    labels: Sequence[str],
    values: Sequence[float],
    title: str,
    notes: Sequence[str] = (),
    colors: Sequence[str] = (),
    width: float = 680,
    row: float = 22,
    label_width: float = 200,
    value_format: str = "{:,.0f}",
) -> str:
    """Labelled horizontal bars, largest scale first as given; `notes` print after each value."""
    height = max(row * len(labels) + 8, 30)
    note_width = 110 if notes else 0
    bar_left = label_width + 8
    bar_max = width - bar_left - 60 - note_width
    peak = max(values, default=0) or 1
    body: list[str] = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 4 + i * row
        w = max(bar_max * value / peak, 1 if value else 0)
        color = colors[i] if i < len(colors) else ACCENT
        body.append(_text(label_width, y + row * 0.68, clip(label, 11, label_width), 11, "end"))
        body.append(
            f'<rect x="{bar_left}" y="{y + 3:.1f}" width="{w:.1f}" height="{row - 8:.1f}" fill="{color}"/>'
        )
        body.append(_text(bar_left + w + 5, y + row * 0.68, value_format.format(value), 10, "start", "#333"))
        if i < len(notes) and notes[i]:
            body.append(_text(width - 4, y + row * 0.68, notes[i], 10, "end", "#666"))
    return _svg(width, height, body, title)

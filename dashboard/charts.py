"""Altair chart builders with a Hangul-capable font stack and fixed sentiment colours.

Vega renders chart text itself (SVG/canvas), so the page's CSS fonts do not reach it: without an
explicit font family, Korean labels fall back to whatever the browser picks, or to boxes. Every
chart here is configured with FONT. Text in tooltips and labels is data, never markup.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TypeAlias, TypeVar

import altair as alt
import pandas as pd

FONT = '"Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", "Source Sans Pro", sans-serif'
SENTIMENT_COLORS = {
    "negative": "#d64545", "neutral": "#9aa5b1", "positive": "#2f9e63", "unknown": "#d9d9d9",
    "complaint": "#d64545",  # an incident's posts: complaints, whatever their score
}  # fmt: skip
HEIGHT = 260

# What the builders return: the chart types st.altair_chart accepts (TopLevelMixin is not one).
Figure: TypeAlias = alt.Chart | alt.LayerChart | alt.FacetChart
F = TypeVar("F", bound=alt.TopLevelMixin)


def time_x(frame: pd.DataFrame, field: str = "time") -> alt.X:
    """A time axis labelled with dates (`11-24`) when the chart spans days, never "12 PM"; ticks
    fall on whole days, a few of them, so no date is labelled twice. The axis is titled with the
    zone the times are in (`frame.attrs["zone"]`, set by dashboard.timebuckets)."""
    times = (
        pd.to_datetime(frame[field]) if field in frame and len(frame) else pd.Series(dtype="datetime64[ns]")
    )
    days = (times.max() - times.min()).days if len(times) else 0
    title = frame.attrs.get("zone")
    if days < 2:
        return alt.X(f"{field}:T", title=title, axis=alt.Axis(format="%m-%d %H:%M", labelAngle=0))
    step = max(1, days // 8)
    return alt.X(
        f"{field}:T",
        title=title,
        axis=alt.Axis(format="%m-%d", labelAngle=0, tickCount={"interval": "day", "step": step}),
    )


def styled(chart: F, legend: str = "bottom") -> F:
    """Apply the Hangul font to every text element of a chart."""
    return (
        chart.configure(font=FONT)
        .configure_axis(labelFont=FONT, titleFont=FONT)
        .configure_legend(labelFont=FONT, titleFont=FONT, orient=legend)
        .configure_title(font=FONT)
        .configure_header(labelFont=FONT, titleFont=FONT)
    )


def sentiment_scale(labels: dict[str, str], present: set[str]) -> alt.Scale:
    keys = [k for k in SENTIMENT_COLORS if k in labels and k in present]
    return alt.Scale(domain=[labels[k] for k in keys], range=[SENTIMENT_COLORS[k] for k in keys])


def _sentiment_bars(
    frame: pd.DataFrame, labels: dict[str, str], y_title: str, daily: bool = False
) -> alt.Chart:
    """Mention counts per time bucket stacked by sentiment (unstyled, so it can be layered). Daily
    buckets (a day source's incident) are one band per date: on a time axis two days' bars were
    slivers at its edges under hourly labels."""
    data = frame.assign(label=frame["sentiment"].map(lambda s: labels.get(s, s)))
    x = time_x(frame)
    if daily:
        data = data.assign(day=pd.to_datetime(data["time"]).dt.strftime("%Y-%m-%d"))
        x = alt.X("day:O", title=frame.attrs.get("zone"), axis=alt.Axis(labelAngle=0))
    return (
        alt.Chart(data, height=HEIGHT)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("sum(count):Q", title=y_title),
            color=alt.Color("label:N", title=None, scale=sentiment_scale(labels, set(frame["sentiment"]))),
            tooltip=[alt.Tooltip("time:T"), alt.Tooltip("label:N"), alt.Tooltip("sum(count):Q")],
        )
    )


def stacked_sentiment(frame: pd.DataFrame, labels: dict[str, str], y_title: str) -> Figure:
    """Stacked bars of mention counts per time bucket, coloured by sentiment."""
    return styled(_sentiment_bars(frame, labels, y_title))


def line(frame: pd.DataFrame, x: str, y: str, y_title: str, color: str | None = None) -> Figure:
    enc: dict[str, object] = {
        "x": time_x(frame, x),
        "y": alt.Y(f"{y}:Q", title=y_title),
        "tooltip": [alt.Tooltip(f"{x}:T"), alt.Tooltip(f"{y}:Q", format=".1f")],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=None)
        enc["tooltip"] = [*enc["tooltip"], alt.Tooltip(f"{color}:N")]  # type: ignore[misc]
    chart = alt.Chart(frame, height=HEIGHT).mark_line(point=True).encode(**enc)
    return styled(chart)


def area_share(frame: pd.DataFrame, key_title: str, y_title: str) -> Figure:
    """Share of each key per time bucket (normalised stacked area): share of voice."""
    chart = (
        alt.Chart(frame, height=HEIGHT)
        .mark_area()
        .encode(
            x=time_x(frame),
            y=alt.Y("count:Q", stack="normalize", title=y_title, axis=alt.Axis(format="%")),
            color=alt.Color("key:N", title=key_title),
            tooltip=[alt.Tooltip("time:T"), alt.Tooltip("key:N", title=key_title), alt.Tooltip("count:Q")],
        )
    )
    return styled(chart)


def bars(frame: pd.DataFrame, category: str, value: str, cat_title: str, value_title: str) -> Figure:
    chart = (
        alt.Chart(frame, height=max(120, 28 * len(frame)))
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort="-x", title=cat_title),
            x=alt.X(f"{value}:Q", title=value_title),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=cat_title),
                alt.Tooltip(f"{value}:Q", title=value_title),
            ],
        )
    )
    return styled(chart)


def stacked_by(frame: pd.DataFrame, key_title: str, y_title: str) -> Figure:
    chart = (
        alt.Chart(frame, height=HEIGHT)
        .mark_bar()
        .encode(
            x=time_x(frame),
            y=alt.Y("sum(count):Q", title=y_title),
            color=alt.Color("key:N", title=key_title, legend=alt.Legend(columns=4, labelLimit=240)),
            tooltip=[
                alt.Tooltip("time:T"),
                alt.Tooltip("key:N", title=key_title),
                alt.Tooltip("sum(count):Q"),
            ],
        )
    )
    return styled(chart)


def heatmap(frame: pd.DataFrame, interval: timedelta, key_title: str, value_title: str) -> Figure:
    """Touchpoint x time: the darker the cell, the more negative mentions."""
    data = frame.assign(end=frame["time"] + interval)
    chart = (
        alt.Chart(data, height=max(200, 56 * data["key"].nunique()))
        .mark_rect()
        .encode(
            x=time_x(frame),
            x2="end:T",
            y=alt.Y("key:N", title=key_title),
            color=alt.Color("count:Q", title=value_title, scale=alt.Scale(scheme="reds")),
            tooltip=[
                alt.Tooltip("time:T"),
                alt.Tooltip("key:N", title=key_title),
                alt.Tooltip("count:Q", title=value_title),
            ],
        )
    )
    return styled(chart, legend="right")


def growth(
    frame: pd.DataFrame,
    baseline: float,
    labels: dict[str, str],
    y_title: str,
    baseline_label: str,
    daily: bool = False,
) -> Figure:
    """Posts per bucket (hour, or day for `daily`) stacked by sentiment against the pre-incident
    baseline (dashed rule)."""
    rule_data = pd.DataFrame({"baseline": [baseline], "label": [f"{baseline_label} {baseline:.1f}"]})
    rule = (
        alt.Chart(rule_data)
        .mark_rule(strokeDash=[6, 4], color="#333", size=2)
        .encode(y="baseline:Q", tooltip=[alt.Tooltip("label:N", title=baseline_label)])
    )
    return styled(alt.layer(_sentiment_bars(frame, labels, y_title, daily), rule))


def network(center: str, nodes: pd.DataFrame, edges: pd.DataFrame, size_title: str) -> Figure:
    """Related words around `center`: nodes (term, count) on a circle, sized by count; lines join
    the centre to every word and two words used in the same posts (edges: a, b, weight)."""
    import math

    n = max(len(nodes), 1)
    place = {
        term: (math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n))
        for i, term in enumerate(nodes["term"])
    }
    place[center] = (0.0, 0.0)
    rows: list[tuple[str, float, float, float]] = []
    for i, term in enumerate(nodes["term"]):
        rows += [(f"s{i}", *place[center], 1.0), (f"s{i}", *place[term], 1.0)]
    for i, (a, b, w) in enumerate(zip(edges["a"], edges["b"], edges["weight"], strict=True)):
        if a in place and b in place:
            rows += [(f"e{i}", *place[a], float(w)), (f"e{i}", *place[b], float(w))]
    links = pd.DataFrame(rows, columns=["edge", "x", "y", "weight"])
    points = nodes.assign(x=[place[t][0] for t in nodes["term"]], y=[place[t][1] for t in nodes["term"]])
    hub = pd.DataFrame([{"term": center, "count": 0, "x": 0.0, "y": 0.0}])
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    scale = alt.Scale(domain=[-1.45, 1.45])
    edge_layer = (
        alt.Chart(links)
        .mark_line(color="#9aa5b1")
        .encode(
            x=alt.X("x:Q", axis=axis, scale=scale),
            y=alt.Y("y:Q", axis=axis, scale=scale),
            detail="edge:N",
            strokeWidth=alt.StrokeWidth("weight:Q", legend=None, scale=alt.Scale(range=[0.5, 4])),
            opacity=alt.value(0.5),
        )
    )
    node_layer = (
        alt.Chart(points)
        .mark_circle(color="#2e86ab", opacity=0.85)
        .encode(
            x=alt.X("x:Q", axis=axis, scale=scale),
            y=alt.Y("y:Q", axis=axis, scale=scale),
            size=alt.Size("count:Q", title=size_title, scale=alt.Scale(range=[80, 1400])),
            tooltip=[alt.Tooltip("term:N"), alt.Tooltip("count:Q", title=size_title)],
        )
    )
    # labels outside the circle of words, so a large node never covers its own word
    outer = points.assign(x=points["x"] * 1.22, y=points["y"] * 1.22)
    labels = (
        alt.Chart(pd.concat([outer, hub.assign(y=-0.16)]))
        .mark_text(fontSize=12)
        .encode(x=alt.X("x:Q", axis=axis, scale=scale), y=alt.Y("y:Q", axis=axis, scale=scale), text="term:N")
    )
    hub_layer = alt.Chart(hub).mark_circle(color="#d1495b", size=500).encode(x="x:Q", y="y:Q")
    chart = alt.layer(edge_layer, node_layer, hub_layer, labels).properties(height=420)
    return styled(chart).configure_view(stroke=None)

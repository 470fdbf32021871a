"""Report: a brand's weekly or monthly report to download (HTML, PDF, CSV) and its related words.

Thin on purpose: the figures come from groundswell.reports (the same ones `groundswell report`
and the scheduled digest use); this page only picks the brand and period and offers the files.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from groundswell.dashboard import cache, charts
from groundswell.dashboard.ui import chart, need_data, page_setup, show_table
from groundswell.errors import GroundswellError
from groundswell.indexer.base import MentionQuery
from groundswell.localtime import fmt_date, zone, zone_name
from groundswell.reports.period import PeriodKind, periods_between

NETWORK_TERMS = 12  # words on the network chart
NETWORK_EDGES = 20  # strongest word-word links drawn

page = page_setup("page.report")
f = need_data(page)
brands = [b.name for b in page.settings.brands]
if not brands:
    st.info(page.t("rp.need_brand"))
    st.stop()
tz = zone(page.settings.timezone)
asked = st.query_params.to_dict()  # links from the scheduled digest: ?brand=..&period=week&start=..
left, mid, right, far = st.columns([2, 1, 2, 1])
default_brand = next((b for b in (asked.get("brand"), f.brand) if b is not None and b in brands), brands[0])
brand: str = left.selectbox(page.t("filter.brand"), brands, index=brands.index(default_brand), key="rp_brand")
kinds: list[PeriodKind] = ["week", "month"]
kind: PeriodKind = mid.radio(
    page.t("rp.period_kind"), kinds, index=next((i for i, k in enumerate(kinds) if k == asked.get("period")), 0),
    format_func=lambda k: page.t(f"rp.{k}"), key="rp_kind",
)  # fmt: skip
assert page.options.first is not None and page.options.last is not None
periods = periods_between(kind, page.options.first, page.options.last, tz)
labels = [
    f"{fmt_date(p.start, tz)} – {fmt_date(p.local_last_day, tz)} ({zone_name(tz, p.start)})" for p in periods
]
keys = [p.key.split(":")[1] for p in periods]
start_index = keys.index(asked["start"]) if asked.get("start") in keys else 0
which = right.selectbox(
    page.t("rp.period"), range(len(periods)), index=start_index, format_func=labels.__getitem__
)
lang = far.radio(page.t("rp.lang"), ["ko", "en"], index=0 if page.lang == "ko" else 1, key="rp_lang")
period = periods[which]
data = cache.report(page.store, page.key, page.settings, brand, kind, period.start, lang)

st.subheader(page.t("rp.related"))
st.caption(page.t("rp.related_help"))
topic_names = {t.id: t.label for t in data.topics}
topic = st.selectbox(
    page.t("rp.related_for"), [None, *topic_names], format_func=lambda i: brand if i is None else topic_names[i],
    key="rp_topic",
)  # fmt: skip
terms = data.related
q = MentionQuery(brands=(brand,), since=period.start, until=period.end)
if topic is not None:
    from groundswell.nlp.detect.keys import brand_terms

    before = period.previous()
    q = q.narrow(topics=(topic,))
    own = brand_terms(page.settings).get(brand, frozenset())
    terms = cache.related_terms(page.store, page.key, q, q.narrow(since=before.start, until=before.end), own)
if terms:
    related = pd.DataFrame(
        [(r.term, r.count, r.previous, r.change) for r in terms],
        columns=["term", "count", "previous", "change"],
    )
    graph, table = st.columns([3, 2])
    with graph:
        top = related.head(NETWORK_TERMS)
        pairs = cache.cooccurrence(page.store, page.key, q, tuple(top["term"]))
        edges = pd.DataFrame(
            sorted(((a, b, n) for (a, b), n in pairs.items()), key=lambda e: -e[2])[:NETWORK_EDGES],
            columns=["a", "b", "weight"],
        )
        center = brand if topic is None else topic_names[topic]
        chart(charts.network(center, top[["term", "count"]], edges, page.t("col.mentions")))
        st.caption(page.t("rp.network_help"))
    with table:
        show_table(
            page, related,
            {"term": "rp.term", "count": "col.mentions", "previous": "rp.previous", "change": "col.change"},
            column_config={"col.change": st.column_config.NumberColumn(format="%+d")},
        )  # fmt: skip
else:
    st.caption(page.t("empty.no_match"))

st.subheader(page.t("rp.preview"))
tiles = st.columns(4)
tiles[0].metric(page.t("kpi.mentions"), f"{data.now.mentions:,}")
tiles[1].metric(page.t("kpi.negative"), f"{data.now.negative_share:.1f}%")
tiles[2].metric(page.t("kpi.net"), f"{data.now.net_sentiment:+.1f}")
tiles[3].metric(page.t("kpi.alerts"), len(data.open_incidents))

if st.button(page.t("rp.generate"), type="primary", key="rp_generate"):
    from groundswell.reports.render import file_name, render

    buttons = st.columns(3)
    for column, fmt, mime in zip(
        buttons, ("pdf", "html", "csv"), ("application/pdf", "text/html", "text/csv"), strict=True
    ):
        try:
            body = render(data, fmt)  # type: ignore[arg-type]
        except GroundswellError as exc:  # no Pango or no weasyprint here: say which, offer the rest
            column.warning(page.t("rp.pdf_missing", reason=str(exc)))
            continue
        column.download_button(
            page.t("rp.download", fmt=fmt.upper()),
            body,
            file_name(brand, period.key, fmt),
            mime,
            key=f"rp_{fmt}",
        )

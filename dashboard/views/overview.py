"""Overview: is the conversation growing, turning negative, or moving to a competitor?"""

from __future__ import annotations

import streamlit as st

from groundswell.dashboard import cache, charts, queries
from groundswell.dashboard.ui import chart, fmt_delta, need_data, page_setup, show_table

page = page_setup("page.overview")
f = need_data(page)
volume, now, before = cache.sentiment_overview(page.store, page.key, f)
if now.mentions == 0:
    st.info(page.t("empty.no_match"))
    st.stop()

open_alerts = [a for a in cache.ranked_alerts(page.store, page.key, f) if a.state.value != "resolved"]
tiles = st.columns(5)
compare = queries.has_previous(f, page.options.first)  # no "+1315%" against a period before the data
help_ = page.t("kpi.help_prev" if compare else "kpi.no_prev")


def delta(now_value: float, before_value: float, pct: bool = False) -> str | None:
    return fmt_delta(now_value, before_value, pct) if compare else None


tiles[0].metric(page.t("kpi.mentions"), f"{now.mentions:,}", delta(now.mentions, before.mentions), help=help_)
tiles[1].metric(
    page.t("kpi.negative"), f"{now.negative_share:.1f}%",
    delta(now.negative_share, before.negative_share, pct=True), delta_color="inverse", help=help_,
)  # fmt: skip
tiles[2].metric(
    page.t("kpi.net"), f"{now.net_sentiment:+.1f}", delta(now.net_sentiment, before.net_sentiment, pct=True),
    help=help_,
)  # fmt: skip
tiles[3].metric(page.t("kpi.reach"), f"{now.reach:,}", delta(now.reach, before.reach), help=help_)
tiles[4].metric(page.t("kpi.alerts"), len(open_alerts))

left, right = st.columns(2)
with left:
    st.subheader(page.t("ov.volume"))
    chart(charts.stacked_sentiment(volume, page.sentiment_labels(), page.t("col.mentions")))
with right:
    st.subheader(page.t("ov.net"))
    net = volume.drop_duplicates("time")[["time", "net"]]
    chart(charts.line(net, "time", "net", page.t("col.net")))

left, right = st.columns(2)
with left:
    st.subheader(page.t("ov.sov"))
    brand = page.settings.brand(f.brand) if f.brand in {b.name for b in page.settings.brands} else None
    rivals = (brand.name, *brand.competitors) if brand else tuple(b.name for b in page.settings.brands)
    sov = cache.share_of_voice(page.store, page.key, f, tuple(rivals))
    if sov.empty:
        st.info(page.t("ov.sov_empty"))
    else:
        chart(charts.area_share(sov, page.t("col.brand"), page.t("col.share")))
        shares = sov.groupby("key", as_index=False)["count"].sum().sort_values("count", ascending=False)
        shares["share"] = (100.0 * shares["count"] / shares["count"].sum()).round(1)
        show_table(page, shares, {"key": "col.brand", "count": "col.mentions", "share": "col.share"})
with right:
    st.subheader(page.t("ov.by_source"))
    by_source = cache.volume_by(page.store, page.key, f, "source")
    chart(charts.stacked_by(by_source, page.t("col.source"), page.t("col.mentions")))

left, right = st.columns(2)
with left:
    st.subheader(page.t("ov.top_sources"))
    sources = queries.top_sources(by_source)
    show_table(page, sources, {"key": "col.source", "count": "col.mentions", "reach": "col.reach"})
with right:
    st.subheader(page.t("ov.top_authors"))
    authors = cache.top_authors(page.store, page.key, f)
    show_table(
        page, authors,
        {"author": "col.author", "source": "col.source", "followers": "col.followers", "mentions": "col.mentions"},
    )  # fmt: skip

"""Touchpoints: which part of the customer journey hurts, who owns it, and what people say."""

from __future__ import annotations

import streamlit as st

from groundswell.dashboard import cache, charts
from groundswell.dashboard.queries import pick_interval
from groundswell.dashboard.ui import chart, labelled, mentions_table, need_data, page_setup, show_table

page = page_setup("page.touchpoints")
f = need_data(page)
owners = tuple((t.name, t.owner) for t in page.settings.touchpoints)
table = cache.touchpoint_table(page.store, page.key, f, owners)
heat = cache.touchpoint_heatmap(page.store, page.key, f)
if table.empty or table["mentions"].sum() == 0:
    st.info(page.t("tc.none"))
    st.stop()

st.subheader(page.t("tc.heatmap"))
if heat.empty:
    st.caption(page.t("empty.no_match"))
else:
    interval = pick_interval(f.span)
    chart(charts.heatmap(heat, interval, page.t("col.touchpoints"), page.t("col.negative")))

st.subheader(page.t("tc.table"))
# only complaints get touchpoints at enrichment, so mentions equal complaints unless imported posts
# carried touchpoints of their own: the twin column is shown only when it says something
shown = table if (table["mentions"] != table["negative"]).any() else table.drop(columns=["mentions"])
show_table(
    page, shown,
    {"touchpoint": "col.touchpoints", "owner": "col.owner", "mentions": "col.mentions", "negative": "col.negative",
     "share_of_complaints": "col.share_of_complaints", "change": "col.change"},
    column_config={"col.share_of_complaints": st.column_config.NumberColumn(format="%.1f%%"),
                   "col.change": st.column_config.NumberColumn(format="%+d")},
)  # fmt: skip

st.subheader(page.t("tc.drill"))
names = [n for n in table["touchpoint"] if table.loc[table["touchpoint"] == n, "mentions"].iloc[0] > 0]
name = st.selectbox(page.t("col.touchpoints"), names, key="touchpoint_pick")
query = f.query(touchpoints=(name,), complaint=True)
owner = dict(owners).get(name, "")
labelled(page.t("col.owner"), owner or "—")
left, right = st.columns([1, 2])
with left:
    st.markdown(f"**{page.t('tc.top_terms')}**")
    terms = cache.top_terms(page.store, page.key, query, exclude=page.brand_words)
    if terms.empty:
        st.caption(page.t("empty.no_match"))
    else:
        chart(charts.bars(terms, "term", "count", page.t("col.keywords"), page.t("col.count")))
with right:
    st.markdown(f"**{page.t('tc.top_posts')}**")
    mentions_table(page, cache.representative_posts(page.store, page.key, query, 15))

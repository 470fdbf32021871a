"""Topics: what people talk about, how it moves, how it feels; emerging ones marked."""

from __future__ import annotations

import streamlit as st

from groundswell.dashboard import cache, charts
from groundswell.dashboard.complaints import open_alert_topics
from groundswell.dashboard.ui import chart, labelled, mentions_table, need_data, page_setup, show_table

page = page_setup("page.topics")
f = need_data(page)
alerts = cache.ranked_alerts(page.store, page.key, f)
table = cache.topic_table(page.store, page.key, f, tuple(open_alert_topics(alerts)))
if table.empty:
    st.info(
        page.t("tp.none") if cache.kpis(page.store, page.key, f)[0].mentions else page.t("empty.no_match")
    )
    st.stop()

table = table.assign(
    name=[("▲ " if e else "") + label for e, label in zip(table["emerging"], table["label"], strict=True)]
)
names = dict(zip(table["topic"].astype(str), table["name"], strict=True))

st.subheader(page.t("tp.over_time"))
over_time = cache.volume_by(page.store, page.key, f, "topic")
top = list(names)[:8]  # more colours than this cannot be told apart
over_time = over_time[over_time["key"].isin(top)].assign(key=lambda d: d["key"].map(names))
chart(charts.stacked_by(over_time, page.t("col.topic"), page.t("col.mentions")))

left, right = st.columns([3, 2])
with left:
    st.subheader(page.t("tp.table"))
    st.caption(page.t("tp.emerging_note"))
    shown = table[["name", "keywords", "mentions", "negative", "net"]]
    show_table(
        page, shown,
        {"name": "col.topic", "keywords": "col.keywords", "mentions": "col.mentions", "negative": "col.negative",
         "net": "col.net"},
        column_config={"col.negative": st.column_config.NumberColumn(format="%.1f%%")},
    )  # fmt: skip
with right:
    st.subheader(page.t("tp.sentiment"))
    chart(
        charts.bars(table.assign(topic=table["name"]), "topic", "net", page.t("col.topic"), page.t("col.net"))
    )

st.subheader(page.t("tp.drill"))
topic = st.selectbox(
    page.t("col.topic"), list(table["topic"]), format_func=lambda i: names[str(i)], key="topic_pick"
)
row = table[table["topic"] == topic].iloc[0]
query = f.query(topics=(int(topic),))
cols = st.columns(3)
cols[0].metric(page.t("col.mentions"), f"{row['mentions']:,}")
cols[1].metric(page.t("col.negative"), f"{row['negative']:.1f}%")
cols[2].metric(page.t("col.net"), f"{row['net']:+.1f}")
terms = cache.top_terms(page.store, page.key, query, exclude=page.brand_words)
keywords = row["keywords"].split(", ") if row["keywords"] else list(terms["term"].head(10))
labelled(page.t("col.keywords"), ", ".join(keywords))
st.markdown(f"**{page.t('tp.representative')}**")
mentions_table(page, cache.representative_posts(page.store, page.key, query, 10))

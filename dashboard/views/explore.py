"""Explore: full-text search with the boolean query language, every facet, and export."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from groundswell.dashboard import cache, queries, tables
from groundswell.dashboard.ui import mentions_table, need_data, page_setup
from groundswell.errors import QuerySyntaxError
from groundswell.query import parse_query

RESULTS = 200
EXPORT_LIMIT = 10_000

page = page_setup("page.explore")
f = need_data(page)
text = st.text_input(
    page.t("ex.query"),
    key="explore_query",
    help=page.t("ex.query_help"),
    placeholder='배터리 OR battery NOT "acme corp"',
)
if text.strip():
    try:
        parse_query(text)
    except QuerySyntaxError as exc:
        st.error(page.t("ex.bad_query"))
        st.code(str(exc), language=None)
        st.stop()

facet_cols = st.columns(5)
sentiment = facet_cols[0].multiselect(
    page.t("facet.sentiment"), list(queries.SENTIMENTS), format_func=lambda s: page.sentiment_labels()[s],
    key="explore_sentiment", placeholder=page.t("filter.any"),
)  # fmt: skip
base = f.query(text=text.strip() or None)
all_facets = cache.facet_counts(page.store, page.key, base)
topic_values = [int(v) for v in all_facets["topic"]["value"] if v.lstrip("-").isdigit()]
labels = page.topic_labels(tuple(topic_values))
topics = facet_cols[1].multiselect(
    page.t("facet.topic"),
    topic_values,
    format_func=lambda i: labels.get(i, f"#{i}"),
    key="explore_topic",
    placeholder=page.t("filter.any"),
)
touchpoints = facet_cols[2].multiselect(
    page.t("facet.touchpoint"), list(all_facets["touchpoint"]["value"]), key="explore_touchpoint",
    placeholder=page.t("filter.any"),
)  # fmt: skip
entities = facet_cols[3].multiselect(
    page.t("facet.entity"), list(all_facets["entity"]["value"]), key="explore_entity",
    placeholder=page.t("filter.any"),
)  # fmt: skip
order = facet_cols[4].selectbox(
    page.t("ex.order"), ["newest", "oldest", "reach", "engagement"], format_func=lambda o: page.t(f"ex.order.{o}"),
    key="explore_order",
)  # fmt: skip
query = base.narrow(
    sentiments=tuple(sentiment),
    topics=tuple(topics),
    touchpoints=tuple(touchpoints),
    entities=tuple(entities),
)

total, mentions = cache.search(page.store, page.key, query, RESULTS, order)
if total == 0:
    st.info(page.t("empty.no_match"))
    st.stop()
st.caption(page.t("ex.results", n=total, shown=len(mentions)))


def export(kind: str) -> bytes:
    """Built only when the user clicks: up to EXPORT_LIMIT mentions of the current selection."""
    rows = page.store.search(query, limit=EXPORT_LIMIT, order=order)
    return tables.export_csv(rows) if kind == "csv" else tables.export_jsonl(rows)


stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
buttons = st.columns([1, 1, 4])
buttons[0].download_button(
    page.t("ex.export_csv"), lambda: export("csv"), file_name=f"groundswell-{stamp}.csv", mime="text/csv",
    key="export_csv",
)  # fmt: skip
buttons[1].download_button(
    page.t("ex.export_jsonl"), lambda: export("jsonl"), file_name=f"groundswell-{stamp}.jsonl",
    mime="application/jsonl", key="export_jsonl",
)  # fmt: skip
buttons[2].caption(page.t("ex.export_note", n=EXPORT_LIMIT))

mentions_table(page, mentions, height=480)

st.subheader(page.t("ex.facets"))
narrowed = query != base
facets = (
    cache.facet_counts(page.store, page.key, query) if narrowed else all_facets
)  # one set of facet queries
cols = st.columns(4)
for i, (field, frame) in enumerate(facets.items()):
    with cols[i % 4]:
        st.markdown(f"**{page.t(f'facet.{field}')}**")
        values = frame["value"]
        if field == "topic":
            values = values.map(lambda v: labels.get(int(v), v) if v.lstrip("-").isdigit() else v)
        elif field == "sentiment":
            values = values.map(lambda v: page.sentiment_labels().get(v, v))
        st.dataframe(
            pd.DataFrame({page.t(f"facet.{field}"): values, page.t("col.count"): frame["count"]}),
            hide_index=True, width="stretch", height=min(35 * (len(frame) + 1) + 3, 320),
        )  # fmt: skip

"""Sources: is every crawler alive, when did it last run, what did it bring, why is it failing?"""

from __future__ import annotations

import streamlit as st

from groundswell.dashboard import cache, charts
from groundswell.dashboard.tables import runs_frame, source_health
from groundswell.dashboard.timebuckets import to_local
from groundswell.dashboard.ui import chart, page_setup, show_table

page = page_setup("page.sources")
runs = cache.source_runs(page.store, page.key)
health = source_health(runs, [(s.name, s.type, s.enabled) for s in page.settings.sources])
stored = cache.stored_by_source(page.store, page.key)
if health.empty and stored.empty:
    st.info(page.t("src.none"))
    st.stop()

st.subheader(page.t("src.health"))
icons = {
    "healthy": "●",
    "unhealthy": "▲",
    "never": "○",
    "disabled": "–",
}  # in CJK fonts; no emoji font needed
labels = {
    "healthy": "src.healthy",
    "unhealthy": "src.unhealthy",
    "never": "src.never",
    "disabled": "src.disabled",
}
health["status"] = health["status"].map(lambda s: f"{icons[s]} {page.t(labels[s])}")
for column in ("fetched", "new", "errors"):  # never-run sources: blank, not "None"
    health[column] = health[column].astype("Int64")
show_table(
    page, health,
    {"source": "col.source", "kind": "src.kind", "status": "src.status", "last_run": "src.last_run", "next_run": "src.next_run",
     "fetched": "src.fetched", "new": "src.new", "errors": "src.errors", "reason": "src.reason"},
    column_config={"src.last_run": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
                   "src.next_run": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
)  # fmt: skip
if not stored.empty:
    st.subheader(page.t("src.stored"))
    show_table(page, stored, {"source": "col.source", "count": "src.stored_count"})
if not runs:
    if stored.empty:
        st.info(page.t("src.none"))
    st.stop()

st.subheader(page.t("src.history"))
history = to_local(runs_frame(runs), "started_at", page.settings.timezone or "UTC")
chart(charts.line(history, "started_at", "new", page.t("src.new"), color="source"))

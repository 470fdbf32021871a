"""Settings: the configuration in force, read-only, so everyone sees the same rules and owners."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from groundswell.dashboard.ui import page_setup

page = page_setup("page.settings")
cfg = page.settings
st.caption(page.t("set.readonly"))


def table(title: str, rows: list[dict[str, object]]) -> None:
    st.subheader(page.t(title))
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.caption(page.t("set.none"))


table("set.brands", [{"name": b.name, "query": b.query, "competitors": ", ".join(b.competitors),
                      "sensitivity": b.sensitivity} for b in cfg.brands])  # fmt: skip
table("set.sources", [{"name": s.name, "type": s.type, "enabled": s.enabled, "interval": str(s.interval),
                       "unhealthy_after": str(s.unhealthy_after)} for s in cfg.sources])  # fmt: skip
table("set.touchpoints", [{"name": t.name, "owner": t.owner, "keywords": ", ".join(t.keywords),
                           "examples": " | ".join(t.examples)} for t in cfg.touchpoints])  # fmt: skip
table("set.rules", [{"name": r.name, "brands": ", ".join(r.brands) or "*", "window": str(r.window),
                     "baseline": str(r.baseline), "min_posts": r.min_posts, "sensitivity": r.sensitivity,
                     "cooldown": str(r.cooldown), "channels": ", ".join(r.channels)} for r in cfg.alert_rules])  # fmt: skip
st.subheader(page.t("set.playbooks"))
if not cfg.playbooks:
    st.caption(page.t("set.none"))
for playbook in cfg.playbooks:
    with st.expander(playbook.touchpoint, expanded=True):
        st.text(playbook.text)
table(
    "set.channels", [{"name": c.name, "type": c.type, "min_severity": c.min_severity} for c in cfg.channels]
)
table("set.store", [{"backend": cfg.store.backend, "path": str(cfg.store.path or ""),
                     "dashboard language": cfg.dashboard.language}])  # fmt: skip

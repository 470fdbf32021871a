"""Emerging complaints: what is growing faster than normal, the evidence, who owns it, what to do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from groundswell.dashboard import cache, charts
from groundswell.dashboard.complaints import ACTIONS, COMPLAINT, apply_action, history_frame
from groundswell.dashboard.timebuckets import to_local
from groundswell.dashboard.ui import chart, labelled, mentions_table, page_setup, plain, show_table
from groundswell.errors import GroundswellError
from groundswell.localtime import fmt_datetime
from groundswell.nlp.detect.watch import ALL_LABEL, SIMILAR
from groundswell.records import Alert, AlertState

LABELS = {"acknowledge": "al.ack", "assign": "al.assign", "resolve": "al.resolve"}
page = page_setup("page.complaints")
f = page.filters
if "alert_flash" in st.session_state:
    st.success(st.session_state.pop("alert_flash"))

states = st.multiselect(
    page.t("al.states"), list(AlertState), default=[AlertState.NEW, AlertState.ACKNOWLEDGED],
    format_func=lambda s: page.t(f"al.state.{s.value}"), key="alert_states",
)  # fmt: skip
alerts = cache.ranked_alerts(page.store, page.key, f, tuple(states))
requested = st.query_params.get("alert_id")  # links in Slack/e-mail/webhook messages open one alert
if requested:
    linked = cache.get_alert(page.store, page.key, requested)
    if linked is None:
        st.warning(page.t("al.not_found", id=requested))
    elif linked.id not in {a.id for a in alerts}:
        alerts = [linked, *alerts]  # shown even when resolved or outside the period
watched_at, watched = cache.watchlist(page.store, page.key, f.brand if f else None)
if watched:
    names = {SIMILAR: page.t("al.watch_similar"), ALL_LABEL: page.t("al.watch_all")}
    lines = [
        page.t("al.watch_line", brand=w.brand, label=names.get(w.label, w.label), people=w.people)
        for w in watched
    ]
    at = fmt_datetime(datetime.fromtimestamp(watched_at, UTC), page.tz)
    st.warning(page.t("al.watch", at=at) + "\n\n" + "\n".join(f"- {line}" for line in lines))
if not alerts:
    st.info(page.t("al.none"))
    st.stop()


def topic_label(alert: Alert) -> str:
    if alert.topic is None:
        return ", ".join(alert.touchpoints) or page.t("al.topic_none")
    return alert.topic.label or ", ".join(alert.topic.keywords[:3]) or f"#{alert.topic.id}"


def severity_text(alert: Alert) -> str:
    """The alert's severity in the interface language (as its messages say it)."""
    return page.t(f"al.sev.{alert.severity.value}")


summary = pd.DataFrame(
    [
        (severity_text(a), page.t(f"al.state.{a.state.value}"), a.brand, topic_label(a), a.growth, a.observed,
         a.spread_risk, ", ".join(a.touchpoints), a.assignee or "", a.fired_at)
        for a in alerts
    ],
    columns=["severity", "state", "brand", "topic", "growth", "observed", "spread", "touchpoints", "assignee", "fired"],
)  # fmt: skip
show_table(
    page, summary,
    {"severity": "al.severity", "state": "al.states", "brand": "col.brand", "topic": "col.topic",
     "growth": "al.growth", "observed": "al.observed", "spread": "al.spread", "touchpoints": "col.touchpoints",
     "assignee": "al.assignee", "fired": "al.fired"},
    column_config={"al.growth": st.column_config.NumberColumn(format="%.1f×"),
                   "al.spread": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f"),
                   "al.fired": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
)  # fmt: skip

by_id = {a.id: a for a in alerts}
chosen = st.selectbox(
    page.t("page.complaints"), list(by_id), key="alert_pick", index=list(by_id).index(requested) if requested in by_id else 0,
    format_func=lambda i: f"[{severity_text(by_id[i])}] {by_id[i].brand} · {topic_label(by_id[i])} · {by_id[i].growth:.1f}×",
)  # fmt: skip
alert = by_id[chosen]

st.subheader(f"{alert.brand} · {topic_label(alert)}")
if alert.summary:
    plain(alert.summary)
tiles = st.columns(5)
tiles[0].metric(page.t("al.severity"), severity_text(alert))
tiles[1].metric(page.t("al.growth"), f"{alert.growth:.1f}×")
tiles[2].metric(page.t("al.observed"), f"{alert.observed:.0f}", help=f"expected {alert.expected:.1f}")
tiles[3].metric(page.t("al.spread"), f"{alert.spread_risk:.2f}")
tiles[4].metric(page.t("al.states"), page.t(f"al.state.{alert.state.value}"))

left, right = st.columns([3, 2])
with left:
    daily = alert.daily
    st.markdown(f"**{page.t('al.chart_daily' if daily else 'al.chart')}**")
    rule = next((r for r in page.settings.alert_rules if r.name == alert.rule), None)
    window = rule.window if rule is not None else timedelta(hours=1)
    growth, baseline = cache.alert_growth(page.store, page.key, alert.id, window)
    growth = to_local(growth, "time", page.settings.timezone or "UTC")
    if growth.empty:
        st.caption(page.t("empty.no_match"))
    else:
        labels = {**page.sentiment_labels(), COMPLAINT: page.t("al.incident_posts")}
        chart(charts.growth(growth, baseline, labels, page.t("col.mentions"), page.t("al.baseline"), daily))
        st.caption(
            f"╌╌ {page.t('al.baseline')}: {baseline:.1f} / {page.t('al.per_day' if daily else 'al.per_hour')}"
        )
with right:
    owners = alert.owners  # filled once, by the detector, from the whole incident's touchpoints
    labelled(page.t("col.touchpoints"), ", ".join(alert.touchpoints) or "—")
    labelled(page.t("al.owner"), ", ".join(owners) or "—")
    labelled(page.t("al.assignee"), alert.assignee or "—")
    st.markdown(f"**{page.t('al.fired')}:** {fmt_datetime(alert.fired_at, page.tz)}")
    st.markdown(f"**{page.t('al.playbook')}**")
    playbook = alert.playbook
    if playbook:
        st.text(playbook)
    else:
        st.caption(page.t("al.no_playbook"))

st.markdown(f"**{page.t('al.evidence')}**")
mentions_table(page, cache.evidence(page.store, page.key, alert.id), height=300)

st.markdown(f"**{page.t('al.actions')}**")
with st.form(f"act-{alert.id}"):
    cols = st.columns(3)
    if page.user:  # signed in: the provider's identity, not a name anyone could type
        cols[0].text_input(page.t("al.actor_signed_in"), value=page.user, disabled=True, key="alert_actor_id")
        actor = page.user
    else:
        actor = cols[0].text_input(page.t("al.actor"), key="alert_actor")
    assignee = cols[1].text_input(page.t("al.assign_to"), value=alert.assignee or "", key="alert_assignee")
    note = cols[2].text_input(page.t("al.note"), key="alert_note")
    buttons = st.columns(3)
    pressed = [
        a for a, col in zip(ACTIONS, buttons, strict=True) if col.form_submit_button(page.t(LABELS[a]))
    ]
if pressed:
    action = pressed[0]
    if not actor.strip():
        st.warning(page.t("al.need_actor"))
    elif action == "assign" and not assignee.strip():
        st.warning(page.t("al.need_assignee"))
    else:
        try:
            apply_action(page.store, alert.id, action, actor, note, assignee=assignee)
        except GroundswellError as exc:
            st.warning(str(exc))
        else:
            cache.forget_alerts()
            done = page.t("al.done", action=page.t(LABELS[action]), actor=actor.strip())
            st.session_state["alert_flash"] = done
            st.rerun()

history = history_frame(alert)
if not history.empty:
    st.markdown(f"**{page.t('al.history')}**")
    history = history.iloc[::-1]  # newest first: the latest human action on top
    history = history.assign(action=[page.t(f"al.event.{a}") for a in history["action"]])
    show_table(
        page, history, {"at": "col.time", "actor": "al.actor", "action": "al.actions", "note": "al.note"},
        column_config={"col.time": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
        height=min(38 + 35 * len(history), 320),
    )  # fmt: skip

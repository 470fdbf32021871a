"""Acknowledge, assign and resolve from the Emerging complaints page; who and when land in the store."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from groundswell.indexer.sqlite import SQLiteStore
from groundswell.records import AlertState
from tests.dashboard.dashboard_sample import ALERT_ID, APP


def complaints_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("views/complaints.py").run()
    assert not at.exception
    return at


def press(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]


def stored(db: Path):
    store = SQLiteStore(db)
    try:
        return store.get_alert(ALERT_ID)
    finally:
        store.close()


def test_ack_assign_resolve(private_env: tuple[Path, Path]) -> None:
    _, db = private_env
    at = complaints_page()
    assert any("Battery overheating" in t.value for t in at.text)
    evidence = at.dataframe[1].value
    assert len(evidence) == 20 and evidence["url"].dropna().str.startswith("https://").all()

    press(at, "Acknowledge")  # no name yet: refused, nothing stored
    assert at.warning and "name" in at.warning[0].value
    assert stored(db).state == AlertState.NEW

    at.text_input(key="alert_actor").input("지민")
    at.text_input(key="alert_note").input("제품안전팀 확인 중")
    press(at, "Acknowledge")
    assert at.success and "지민" in at.success[0].value
    alert = stored(db)
    assert alert.state == AlertState.ACKNOWLEDGED
    assert (alert.history[-1].actor, alert.history[-1].action) == ("지민", "acknowledged")
    assert alert.history[-1].note == "제품안전팀 확인 중"

    at.text_input(key="alert_actor").input("지민")
    at.text_input(key="alert_assignee").input("product-quality@acme.example")
    press(at, "Assign")
    alert = stored(db)
    assert alert.assignee == "product-quality@acme.example"
    assert alert.history[-1].action == "assigned"

    at.text_input(key="alert_actor").input("Dana")
    press(at, "Resolve")
    alert = stored(db)
    assert alert.state == AlertState.RESOLVED
    assert [e.action for e in alert.history] == ["acknowledged", "assigned", "resolved"]
    assert alert.history[-1].actor == "Dana" and alert.history[-1].at.tzinfo is not None
    # the default view lists open alerts only; the resolved one is now gone from it
    assert any("No emerging complaints" in i.value for i in at.info)


def test_second_acknowledge_is_explained(private_env: tuple[Path, Path]) -> None:
    at = complaints_page()
    at.text_input(key="alert_actor").input("A")
    press(at, "Acknowledge")
    at.text_input(key="alert_actor").input("B")
    press(at, "Acknowledge")
    assert at.warning and "already acknowledged" in at.warning[0].value


def test_link_opens_one_alert_even_when_resolved(private_env: tuple[Path, Path]) -> None:
    at = complaints_page()
    at.text_input(key="alert_actor").input("Dana")
    press(at, "Resolve")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["lang"] = "en"
    at.query_params["alert_id"] = ALERT_ID  # as alerts/templates.py links it: /complaints?alert_id=ID
    at.run()
    at.switch_page("views/complaints.py").run()
    assert not at.exception
    assert at.selectbox(key="alert_pick").value == ALERT_ID
    assert any(m.label == "States" and m.value == "resolved" for m in at.metric)
    at.query_params["alert_id"] = "no-such-alert"
    at.run()
    assert any("no-such-alert" in w.value for w in at.warning)


def test_what_is_close_to_an_alert_is_shown_above_the_alerts(private_env: tuple[Path, Path]) -> None:
    from groundswell.nlp.detect.watch import SIMILAR, WATCH_KEY, signal

    _, db = private_env
    store = SQLiteStore(db)
    brands = {"Acme": [signal("배터리", 5, 5.1, 6.48), signal(SIMILAR, 4, 4.6, 6.48)]}
    store.set_state(WATCH_KEY, {"at": 1772636400.0, "brands": brands})
    store.close()
    at = complaints_page()
    (shown,) = [w.value for w in at.warning]
    assert "Close to an alert" in shown and "**Acme**: 배터리 (5 people)" in shown
    assert "complaints that say the same in other words (4 people)" in shown
    assert any("Battery overheating" in t.value for t in at.text)  # the alerts are still listed below
    (korean,) = [w.value for w in complaints_page("ko").warning]
    assert "알림 기준에 가까웠던" in korean and "**Acme**: 배터리 (5명)" in korean
    assert "같은 내용을 다르게 말한 불만 (4명)" in korean

"""#15 item 9: with `dashboard.login: oidc` an anonymous session sees no page, and alert actions
are recorded under the signed-in identity (`st.user`), never a typed name.

Streamlit's AppTest stands in for `st.user` here, which lets every page be checked quickly; the
OIDC round trip itself (provider redirect, token exchange, signed cookie) runs in a browser against
a local provider in test_dashboard_oidc_browser.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from groundswell.indexer.sqlite import SQLiteStore
from groundswell.records import AlertState
from tests.dashboard.dashboard_sample import ALERT_ID, APP

PAGES = ["overview", "complaints", "topics", "touchpoints", "explore", "report", "sources", "settings"]
USER = {"is_logged_in": True, "email": "jimin@acme.example", "name": "Jimin", "sub": "1234"}


@pytest.fixture
def login_env(
    sample_paths: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    config, db = sample_paths
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    data.setdefault("dashboard", {}).update(
        {"login": "oidc", "allowed_domains": ["acme.example"], "language": "en"}
    )
    login_config = tmp_path / "login.yaml"
    login_config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    copy = tmp_path / "store.db"
    shutil.copy(db, copy)
    monkeypatch.setenv("GROUNDSWELL_CONFIG", str(login_config))
    monkeypatch.setenv("GROUNDSWELL_DB", str(copy))
    return login_config, copy


def open_page(name: str, user: dict[str, object]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.user = dict(user)
    at.run()
    if name != "overview":
        at.switch_page(f"views/{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("name", PAGES)
def test_an_anonymous_session_sees_only_the_sign_in(login_env: tuple[Path, Path], name: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe and not at.metric and not at.text
    # a page file run on its own is guarded too (page_setup)
    page = AppTest.from_file(str(APP.parent / "views" / f"{name}.py"), default_timeout=60)
    page.user = {"is_logged_in": False}
    page.run()
    assert not page.exception
    assert [b.label for b in page.button] == ["Sign in"] and not page.dataframe and not page.metric


def test_a_user_outside_the_allowed_domains_is_refused(login_env: tuple[Path, Path]) -> None:
    at = open_page("overview", {"is_logged_in": True, "email": "mallory@evil.example"})
    assert at.error and "mallory@evil.example" in at.error[0].value
    assert not at.dataframe and not at.metric


def test_actions_are_recorded_under_the_signed_in_identity(login_env: tuple[Path, Path]) -> None:
    _, db = login_env
    at = open_page("complaints", USER)
    assert any("jimin@acme.example" in c.value for c in at.sidebar.caption)
    assert "alert_actor" not in [w.key for w in at.text_input]  # no name to type
    next(b for b in at.button if b.label == "Acknowledge").click().run()
    assert not at.exception, [e.value for e in at.exception]
    store = SQLiteStore(db)
    try:
        alert = store.get_alert(ALERT_ID)
    finally:
        store.close()
    assert alert is not None and alert.state == AlertState.ACKNOWLEDGED
    assert alert.history[-1].actor == "jimin@acme.example"


def test_login_off_keeps_the_typed_name(
    sample_paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, db = sample_paths
    monkeypatch.setenv("GROUNDSWELL_CONFIG", str(config))
    monkeypatch.setenv("GROUNDSWELL_DB", str(db))
    at = open_page("complaints", {"is_logged_in": False})
    assert "alert_actor" in [w.key for w in at.text_input]

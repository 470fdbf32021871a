"""#15 item 9, end to end: the real OIDC round trip of `dashboard.login: oidc`, offline.

A minimal OpenID Connect provider (oidc_provider.py) and the real dashboard (`streamlit run`,
as `groundswell dashboard` starts it) run on 127.0.0.1, with `[auth]` in a `.streamlit/secrets.toml`
in the folder the dashboard starts from, exactly as docs/dashboard.md tells a user to. Headless
Chromium then signs in through the provider: Streamlit's own Authlib client fetches the discovery
document, redirects with state, nonce and PKCE, redeems the code with the client secret, and
verifies the RS256 id_token against /jwks. test_dashboard_login.py covers the page guards with
AppTest standing in for `st.user`; this test covers what that cannot: the redirect, the token
exchange, the signed cookie, and the identity reaching the alert history.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from groundswell.indexer.sqlite import SQLiteStore
from groundswell.records import AlertState
from tests.dashboard.dashboard_sample import ALERT_ID
from tests.dashboard.streamlit_server import free_port, streamlit_running

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
pytest.importorskip("authlib", reason="st.login needs Authlib (the `login` extra)")
pytest.importorskip("cryptography", reason="the test provider signs with cryptography (Authlib needs it)")

from tests.hardening.oidc_provider import OIDCProvider  # noqa: E402 - after the skips: needs cryptography

USER = {"sub": "u-1234", "email": "jimin@acme.example", "name": "Jimin Park"}


@dataclass
class Dashboard:
    url: str
    db: Path
    provider: OIDCProvider


@pytest.fixture
def dashboard(sample_paths: tuple[Path, Path], tmp_path: Path) -> Iterator[Dashboard]:
    yield from _serve(sample_paths, tmp_path, forge=False)


@pytest.fixture
def forging_dashboard(sample_paths: tuple[Path, Path], tmp_path: Path) -> Iterator[Dashboard]:
    yield from _serve(sample_paths, tmp_path, forge=True)


def _serve(sample_paths: tuple[Path, Path], tmp_path: Path, forge: bool) -> Iterator[Dashboard]:
    """The dashboard with login on, signed in through a local provider; its own copy of the store."""
    config, sample_db = sample_paths
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    data.setdefault("dashboard", {}).update(
        {"login": "oidc", "allowed_domains": ["acme.example"], "language": "en"}
    )
    login_config = tmp_path / "login.yaml"
    login_config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    db = tmp_path / "store.db"
    shutil.copy(sample_db, db)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    provider = OIDCProvider(
        client_id="groundswell-dashboard",
        client_secret="test-client-secret",
        redirect_uri=f"{url}/oauth2callback",
        user=USER,
        forge=forge,
    )
    provider.start()
    workdir = tmp_path / "served"
    (workdir / ".streamlit").mkdir(parents=True)
    (workdir / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{provider.redirect_uri}"\n'
        'cookie_secret = "a-test-cookie-secret-that-is-long-enough-0123456789"\n'
        f'client_id = "{provider.client_id}"\n'
        f'client_secret = "{provider.client_secret}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n',
        encoding="utf-8",
    )
    log = tmp_path / "streamlit.log"
    try:
        with streamlit_running(login_config, db, port, log, cwd=workdir):
            yield Dashboard(url, db, provider)
    finally:
        provider.stop()
        if os.environ.get("GROUNDSWELL_SHOW_LOG"):
            print(log.read_text(errors="replace"))


def _settle(page: object) -> None:
    """Wait until a script run has finished (no running indicator, no skeleton)."""
    page.wait_for_function(  # type: ignore[attr-defined]
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-testid="stSkeleton"]')""",
        timeout=30_000,
    )


@contextmanager
def _browser_page() -> Iterator[Any]:
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser.new_page(viewport={"width": 1440, "height": 1000})
        finally:
            browser.close()


def _user_cookies(page: Any) -> list[str]:
    return [c["name"] for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]


def test_sign_in_through_the_provider_and_act_as_the_signed_in_user(dashboard: Dashboard) -> None:
    with _browser_page() as page:
        # anonymous: the sign-in and nothing else
        page.goto(f"{dashboard.url}/complaints", wait_until="domcontentloaded")
        sign_in = page.get_by_role("button", name="Sign in")
        sign_in.wait_for(timeout=30_000)
        _settle(page)
        assert page.locator("h1").first.inner_text() == "groundswell: sign in"
        for test_id in ("stDataFrame", "stMetric", "stVegaLiteChart", "stSidebarNav", "stException"):
            assert page.locator(f'[data-testid="{test_id}"]').count() == 0, test_id
        assert dashboard.provider.authorizations == 0
        assert not _user_cookies(page)

        # sign in: dashboard -> provider /authorize -> /oauth2callback -> back, signed in
        sign_in.click()
        signed_in = page.get_by_text(f"Signed in as {USER['email']}")
        signed_in.wait_for(timeout=30_000)
        _settle(page)
        assert dashboard.provider.authorizations == 1 and dashboard.provider.tokens_issued == 1
        grant = dashboard.provider.grants[0]  # Streamlit's client asked with a nonce and PKCE
        assert grant.nonce and grant.code_challenge and grant.code_challenge_method == "S256"
        cookies = {c["name"]: c for c in page.context.cookies()}
        user_cookie = cookies.get("_streamlit_user")
        assert user_cookie is not None and user_cookie["httpOnly"], sorted(cookies)
        page.get_by_role("button", name="Sign out").wait_for(timeout=30_000)  # drawn after the caption

        # the signed-in page: the data, and the provider's identity as the (fixed) actor
        page.goto(f"{dashboard.url}/complaints", wait_until="domcontentloaded")
        acknowledge = page.get_by_test_id("stForm").get_by_role("button", name="Acknowledge", exact=True)
        acknowledge.wait_for(timeout=30_000)
        _settle(page)
        assert page.locator('[data-testid="stDataFrame"]').count() > 0
        assert page.locator('[data-testid="stException"]').count() == 0
        actor_box = page.get_by_test_id("stForm").locator("input[disabled]")
        assert actor_box.count() == 1 and actor_box.input_value() == USER["email"]
        acknowledge.click()
        page.get_by_text(f"Saved: Acknowledge by {USER['email']}.").wait_for(timeout=30_000)
        _settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0

        # sign out: the cookie goes, and the pages with it
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
        _settle(page)
        assert not _user_cookies(page)
        assert page.locator('[data-testid="stDataFrame"]').count() == 0

    store = SQLiteStore(dashboard.db)
    try:
        alert = store.get_alert(ALERT_ID)
    finally:
        store.close()
    assert alert is not None and alert.state == AlertState.ACKNOWLEDGED
    assert alert.history[-1].actor == USER["email"]


def test_an_id_token_signed_by_another_key_is_refused(forging_dashboard: Dashboard) -> None:
    """The provider round trip completes, but the id_token's signature does not match /jwks."""
    with _browser_page() as page:
        page.goto(forging_dashboard.url, wait_until="domcontentloaded")
        sign_in = page.get_by_role("button", name="Sign in")
        with page.expect_response(lambda r: "/oauth2callback" in r.url, timeout=30_000):
            sign_in.click(timeout=30_000)
        page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)  # back at the sign-in
        _settle(page)
        assert forging_dashboard.provider.tokens_issued == 1  # the forged token was handed over
        assert not _user_cookies(page)
        assert page.get_by_text("Signed in as").count() == 0
        for test_id in ("stDataFrame", "stMetric", "stSidebarNav"):
            assert page.locator(f'[data-testid="{test_id}"]').count() == 0, test_id

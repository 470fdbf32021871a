"""Dashboard sign-in: Streamlit's built-in OIDC login (`st.login`), switched on in the config.

With `dashboard.login: oidc` no page renders for an anonymous session: it gets a sign-in button
and nothing else. The identity comes from the provider's claims (`st.user`), so the alert
history says who really acknowledged, assigned or resolved, not what someone typed. Provider,
client id/secret, redirect URI and cookie secret live in `.streamlit/secrets.toml` (`[auth]`),
read by Streamlit, never by us; see docs/dashboard.md.
"""

from __future__ import annotations

import streamlit as st

from groundswell.config.settings import DashboardSettings
from groundswell.dashboard.i18n import t

IDENTITY_CLAIMS = ("email", "preferred_username", "name", "sub")


def identity(user: object) -> str | None:
    """The first identity claim the provider gave (e-mail preferred), or None."""
    get = getattr(user, "get", None)
    if get is None:
        return None
    for claim in IDENTITY_CLAIMS:
        value = get(claim)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def allowed(who: str, domains: list[str]) -> bool:
    if not domains:
        return True
    domain = who.rsplit("@", 1)[-1].lower() if "@" in who else ""
    return domain in {d.lower().lstrip("@") for d in domains}


def require_login(settings: DashboardSettings, lang: str, sidebar: bool = True) -> str | None:
    """None when login is off; else the signed-in identity. An anonymous or refused session stops here.

    The app calls it before building the navigation (sidebar=False), each page again in
    `page_setup` (a page run on its own is guarded too), which shows who is signed in.
    """
    if settings.login == "none":
        return None
    user = st.user
    if not user.get("is_logged_in"):
        st.title(t("auth.title", lang))
        st.info(t("auth.needed", lang))
        provider = (settings.login_provider,) if settings.login_provider else ()
        st.button(t("auth.login", lang), on_click=st.login, args=provider, key="auth_login")
        st.stop()
    who = identity(user)
    if who is None or not allowed(who, settings.allowed_domains):
        st.error(t("auth.refused", lang, who=who or "?"))
        st.button(t("auth.logout", lang), on_click=st.logout, key="auth_refused_logout")
        st.stop()
    if sidebar:
        st.sidebar.caption(t("auth.signed_in", lang, who=who))
        st.sidebar.button(t("auth.logout", lang), on_click=st.logout, key="auth_logout")
    return who

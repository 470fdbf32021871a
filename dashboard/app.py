"""The dashboard's entry point: page navigation only; each page lives in views/.

Not pages/: Streamlit lists a pages/ folder on its own, and deep links such as /complaints then
showed that raw file list instead of this navigation.

Run with `groundswell dashboard`, or `streamlit run dashboard/app.py -- --config CFG --db PATH`.
"""

from __future__ import annotations

import streamlit as st

from groundswell.config.settings import DashboardSettings
from groundswell.dashboard import cache
from groundswell.dashboard.auth import require_login
from groundswell.dashboard.i18n import t
from groundswell.dashboard.ui import current_language
from groundswell.errors import GroundswellError

SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    "nav.monitor": [
        ("overview", "page.overview", ":material/monitoring:"),
        ("complaints", "page.complaints", ":material/campaign:"),
    ],
    "nav.analyse": [
        ("topics", "page.topics", ":material/forum:"),
        ("touchpoints", "page.touchpoints", ":material/hub:"),
        ("explore", "page.explore", ":material/search:"),
        ("report", "page.report", ":material/summarize:"),
    ],
    "nav.admin": [
        ("sources", "page.sources", ":material/dns:"),
        ("settings", "page.settings", ":material/settings:"),
    ],
}

st.set_page_config(page_title="groundswell", page_icon=":material/campaign:", layout="wide")
lang = current_language()
login: DashboardSettings | None
try:
    login = cache.app_context().settings.dashboard
except GroundswellError:
    login = None  # the page shows the config or store error, and nothing else
if login is not None:
    require_login(login, lang, sidebar=False)  # anonymous sessions see no page, not even the menu
navigation = st.navigation(
    {
        t(section, lang): [
            st.Page(
                f"views/{name}.py", title=t(title, lang), icon=icon, url_path=name, default=name == "overview"
            )
            for name, title, icon in pages
        ]
        for section, pages in SECTIONS.items()
    }
)
try:
    navigation.run()
except (
    GroundswellError
) as exc:  # a store that fails mid-page (locked, unreachable): a message, not a traceback
    st.error(str(exc))

"""A real browser over a real server: `streamlit run` on 127.0.0.1, headless Chromium, every page.

Checks each page's key elements, that no exception box (stException) appears, that hostile posts
did not execute, and writes a screenshot per page (to GROUNDSWELL_SCREENSHOTS when set, which is
how docs/screenshots/ is made from the demo store: GROUNDSWELL_DASHBOARD_DB / _CONFIG pick it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dashboard.streamlit_server import free_port, streamlit_running

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")

# url path -> (screenshot name, test ids that must be on the page)
PAGES = {
    "": ("01-overview", ["stMetric", "stVegaLiteChart"]),
    "complaints": ("02-emerging-complaints", ["stDataFrame", "stVegaLiteChart"]),
    "topics": ("03-topics", ["stVegaLiteChart", "stDataFrame"]),
    "touchpoints": ("04-touchpoints", ["stVegaLiteChart", "stDataFrame"]),
    "explore": ("05-explore", ["stTextInput", "stDataFrame", "stDownloadButton"]),
    "sources": ("06-sources", ["stDataFrame"]),
    "settings": ("07-settings", ["stDataFrame"]),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = os.environ.get("GROUNDSWELL_DASHBOARD_DB")
    config = os.environ.get("GROUNDSWELL_DASHBOARD_CONFIG")
    if db is None:
        from tests.dashboard import dashboard_sample

        config_path, db_path = dashboard_sample.build(tmp_path_factory.mktemp("browser"))
        config, db = str(config_path), str(db_path)
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with streamlit_running(config, db, free_port(), log) as url:
        yield url


def _settle(page: object) -> None:
    """Wait until the script run has finished and charts have drawn."""
    page.wait_for_selector("h1", timeout=30_000)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        """() => {
            const running = document.querySelector('[data-testid="stStatusWidget"]');
            const skeleton = document.querySelector('[data-testid="stSkeleton"]');
            return !running && !skeleton;
        }""",
        timeout=30_000,
    )
    page.wait_for_timeout(1500)  # type: ignore[attr-defined]  # vega draws after the run ends


def test_every_page_in_chromium(server: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("GROUNDSWELL_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="ko-KR")
            for path, (name, test_ids) in PAGES.items():
                page.goto(f"{server}/{path}", wait_until="domcontentloaded")
                _settle(page)
                assert page.locator('[data-testid="stException"]').count() == 0, f"{name}: exception box"
                for test_id in test_ids:
                    assert page.locator(f'[data-testid="{test_id}"]').count() > 0, f"{name}: no {test_id}"
                assert page.evaluate("() => window.__pwned === undefined"), f"{name}: hostile post executed"
                assert page.locator("img[onerror], script:not([src])").filter(has_text="pwned").count() == 0
                height = page.evaluate(
                    "() => Math.max(...[...document.querySelectorAll('section, [data-testid=\"stMain\"]')]"
                    ".map(e => e.scrollHeight), document.body.scrollHeight)"
                )
                page.set_viewport_size({"width": 1440, "height": min(max(int(height), 1000), 6000)})
                page.wait_for_timeout(800)
                page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
                page.set_viewport_size({"width": 1440, "height": 1000})
            page.goto(f"{server}/?lang=en", wait_until="domcontentloaded")  # the English interface
            _settle(page)
            assert page.locator("h1").first.inner_text() == "Overview"
            page.screenshot(path=str(shots / "08-overview-en.png"))
            assert len(list(shots.glob("*.png"))) >= len(PAGES)
        finally:
            browser.close()

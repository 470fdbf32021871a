"""#15 item 1: the web crawler read local files and any host. Now: http(s), configured sites,
no private network unless a source says `allow_private_hosts: true`; refused before any traffic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groundswell.config.settings import Source
from groundswell.crawlers.registry import build_source
from groundswell.crawlers.urlpolicy import UrlPolicy
from groundswell.crawlers.web.source import WebSource
from groundswell.errors import SourceDisabled, SourceUnavailable, UrlRefused
from tests.crawlers.crawler_testserver import FIXTURES, LocalServer, serving

pytest.importorskip("scrapy")
FAST = {"AUTOTHROTTLE_START_DELAY": 0, "DOWNLOAD_DELAY": 0, "RETRY_TIMES": 0, "ROBOTSTXT_OBEY": False}
CANARY = "CANARY-LOCAL-FILE-3f9a"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with serving() as srv:
        yield srv


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/x",
        "gopher://example.com/",
        "data:text/html,<p>x</p>",
        "http://127.0.0.1/",
        "http://10.0.0.8/admin",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://localhost:8501/",  # resolved: 127.0.0.1
    ],
)
def test_refused_urls(url: str) -> None:
    with pytest.raises(UrlRefused):
        UrlPolicy().check(url)


def test_public_address_and_configured_sites() -> None:
    UrlPolicy().check("https://93.184.216.34/reviews")
    policy = UrlPolicy.for_sites(["https://93.184.216.34/reviews"], {})
    with pytest.raises(UrlRefused, match="not a configured site"):
        policy.check("https://8.8.8.8/")
    allowed = UrlPolicy.for_sites(["http://127.0.0.1:9/"], {"allow_private_hosts": True})
    allowed.check("http://127.0.0.1:9/page2")
    with pytest.raises(UrlRefused, match="only http and https"):
        allowed.check("file:///etc/passwd")
    with pytest.raises(UrlRefused, match="not a configured site"):
        allowed.check("http://localhost:9/")


@given(st.text(max_size=80))
def test_any_string_is_refused_cleanly_or_allowed(url: str) -> None:
    try:
        UrlPolicy(resolver=lambda host: ["127.0.0.1"]).check(url)
    except UrlRefused:
        return
    raise AssertionError(f"{url!r} passed a policy whose every host is loopback")


@pytest.mark.parametrize(
    "start", ["file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:1/"]
)
def test_a_bad_start_url_disables_the_source_at_build_time(start: str) -> None:
    with pytest.raises(SourceDisabled, match="start URL refused"):
        build_source(Source(name="w", type="web", options={"template": "review_site", "start_urls": [start]}))


def test_without_the_switch_no_request_reaches_a_local_server(server: LocalServer) -> None:
    page = (FIXTURES / "web" / "reviews" / "page1.html").read_bytes()
    url = server.add("/reviews", page, content_type="text/html")
    src = WebSource("w", {"template": "review_site", "start_urls": [url], "settings": FAST})
    with pytest.raises(SourceUnavailable):
        src.fetch(None)
    assert server.requests == []


def test_links_and_redirects_off_the_site_are_not_followed(server: LocalServer, tmp_path: Path) -> None:
    canary = tmp_path / "canary.html"
    canary.write_text(page_with_review("r-file", CANARY, next_href=None), encoding="utf-8")
    port = server.httpd.server_address[1]
    offsite = f"http://localhost:{port}/offsite"
    server.add("/offsite", page_with_review("r-off", CANARY, None), content_type="text/html")
    server.add("/p1", page_with_review("r-1", "first page", canary.as_uri()), content_type="text/html")
    server.add("/p2", page_with_review("r-2", "second page", "/redir-file"), content_type="text/html")
    server.add("/redir-file", "", status=302, content_type="text/html", location=canary.as_uri())
    server.add("/p3", page_with_review("r-3", "third page", offsite), content_type="text/html")
    server.add("/p4", page_with_review("r-4", "fourth", None), content_type="text/html")
    server.add("/redir-off", "", status=302, content_type="text/html", location=offsite)
    start = [server.url + p for p in ("/p1", "/p2", "/p3", "/redir-off")]
    src = WebSource(
        "w",
        {
            "template": "review_site",
            "start_urls": start,
            "settings": FAST,
            "allow_private_hosts": True,
            "max_pages": 5,
        },
    )
    batch = src.fetch(None)
    texts = " ".join(m.text for m in batch.mentions)
    assert "first page" in texts and "second page" in texts and "third page" in texts
    assert CANARY not in texts
    assert "/offsite" not in [p for p, _ in server.requests]
    assert (
        batch.skipped["url-refused"] >= 2
    )  # the file and the offsite page (each requested twice, deduplicated)


def page_with_review(review_id: str, text: str, next_href: str | None) -> str:
    nxt = f'<nav><a rel="next" class="next" href="{next_href}">next</a></nav>' if next_href else ""
    return (
        "<html><body><div class='review' data-review-id='" + review_id + "'>"
        "<h3 class='review-title'>t</h3><div class='review-body'>" + text + "</div>"
        "<span class='review-date'>2026.11.24 13:40</span></div>" + nxt + "</body></html>"
    )


def test_a_feed_redirect_to_a_file_url_is_a_source_error(server: LocalServer) -> None:
    from groundswell.crawlers.rss import RssSource

    url = server.add("/feed", "", status=302, content_type="text/plain", location="file:///etc/passwd")
    with pytest.raises(SourceUnavailable):
        RssSource("news", {"feeds": [url], "allow_private_hosts": True}).fetch(None)

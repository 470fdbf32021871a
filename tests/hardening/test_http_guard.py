"""#15 item 1, API and feed sources: one guarded HTTP client (crawlers/http.py).

Every request and redirect hop is checked, the host resolved once, private answers refused and
the connection made to the checked address; `allow_private_hosts` is the lab/test switch; proxies
only from the `proxy` option. Servers run on 127.0.0.1 only; a refused address is shown to be
refused before any traffic (the local server's request log stays empty).
"""

from __future__ import annotations

import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from groundswell.config.settings import Source
from groundswell.crawlers import http
from groundswell.crawlers.http import GuardedTransport, Network
from groundswell.crawlers.registry import build_source
from groundswell.crawlers.rss import RssSource
from groundswell.errors import SourceDisabled, SourceUnavailable, UrlRefused
from tests.alerts.servers import make_tls_files
from tests.crawlers.crawler_testserver import LocalServer, serving


def _serve() -> Iterator[LocalServer]:
    with serving() as srv:
        yield srv


server = pytest.fixture(_serve)
proxy_server = pytest.fixture(_serve)


def test_loopback_is_refused_by_default_before_any_traffic(server: LocalServer) -> None:
    url = server.add("/api", b'{"ok": true}')
    with pytest.raises(SourceUnavailable, match="allow_private_hosts"):
        http.get(url, what="test")
    with pytest.raises(SourceUnavailable, match="allow_private_hosts"):
        http.get(url.replace("127.0.0.1", "localhost"), what="test")  # a name that resolves to loopback
    assert server.requests == []


def test_the_switch_allows_loopback_and_keeps_the_host_header(server: LocalServer) -> None:
    url = server.add("/api", b'{"ok": true}')
    assert http.get(url, network=Network(allow_private=True)) == b'{"ok": true}'
    path, headers = server.requests[0]
    assert path == "/api" and headers["Host"] == url.split("//")[1].split("/")[0]


def test_a_redirect_to_a_private_address_is_refused_before_traffic(server: LocalServer) -> None:
    """A public API answers 302 to the LAN: the hop is refused; the local server sees nothing.

    The public side is an httpx MockTransport behind the guard (no internet here); the private
    side is a real server on 127.0.0.1.
    """
    target = server.add("/secret", b"internal")
    seen: list[httpx.Request] = []

    def public_api(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": target})

    guard = GuardedTransport(Network(resolver=lambda host: {"api.example": ["93.184.216.34"]}[host]))
    guard.inner = httpx.MockTransport(public_api)  # type: ignore[assignment]
    with httpx.Client(transport=guard, follow_redirects=True) as client, pytest.raises(UrlRefused):
        client.get("https://api.example/v1/search")
    assert server.requests == []
    # the one request that went out was sent to the checked address, named as the API
    (sent,) = seen
    assert sent.url.host == "93.184.216.34" and sent.url.scheme == "https"
    assert sent.headers["Host"] == "api.example"
    assert sent.extensions["sni_hostname"] == "api.example"


def test_each_answer_is_checked_and_the_checked_address_is_the_one_used() -> None:
    """DNS rebinding: a name answering a public address, then loopback, is connected to the public
    one, because it is resolved once; a name with any private answer is refused."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    guard = GuardedTransport(Network(resolver=lambda host: next(answers)))
    assert guard.pin("rebind.example") == "93.184.216.34"
    with pytest.raises(UrlRefused):
        GuardedTransport(Network(resolver=lambda host: ["93.184.216.34", "10.0.0.7"])).pin("mixed.example")
    for literal in ("127.0.0.1", "169.254.169.254", "::1", "::ffff:10.1.2.3", "224.0.0.1", "240.0.0.1"):
        with pytest.raises(UrlRefused):
            guard.pin(literal)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(SourceUnavailable):
        http.get(url, network=Network(allow_private=True))


def test_a_private_ip_endpoint_disables_the_source_at_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAVER_CLIENT_ID", "id")
    monkeypatch.setenv("NAVER_CLIENT_SECRET", "secret")
    options = {"queries": ["a"], "base_url": "http://10.0.0.8/v1/search"}
    with pytest.raises(SourceDisabled, match=r"10\.0\.0\.8.*allow_private_hosts"):
        build_source(Source(name="n", type="naver", options={**options}))
    build_source(Source(name="n", type="naver", options={**options, "allow_private_hosts": True}))
    with pytest.raises(SourceDisabled, match=r"169\.254\.169\.254"):
        build_source(
            Source(name="r", type="rss", options={"feeds": ["http://169.254.169.254/latest/meta-data/"]})
        )
    with pytest.raises(SourceDisabled, match="only http and https"):
        build_source(Source(name="r", type="rss", options={"feeds": ["file:///etc/passwd"]}))


def test_proxy_environment_variables_are_ignored(
    server: LocalServer, proxy_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = server.add("/api", b"direct")
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, proxy_server.url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert http.get(url, network=Network(allow_private=True)) == b"direct"
    assert proxy_server.requests == [] and len(server.requests) == 1


def test_a_configured_proxy_is_used(server: LocalServer, proxy_server: LocalServer) -> None:
    url = server.add("/api", b"direct")
    proxy_server.add(url, b"via proxy")  # a proxy is asked for the absolute URL
    body = http.get(url, network=Network(allow_private=True, proxy=proxy_server.url))
    assert body == b"via proxy" and [p for p, _ in proxy_server.requests] == [url]
    assert server.requests == []


def test_proxy_option_must_be_http() -> None:
    from groundswell.options import OptionsInvalid

    with pytest.raises(OptionsInvalid, match="proxy"):
        RssSource("r", {"feeds": ["https://example.com/feed"], "proxy": "socks5://127.0.0.1:1080"})


def test_scrapy_resolver_refuses_private_answers() -> None:
    """The web crawler's resolver (the one the downloader connects with) refuses `localhost`,
    run with a real reactor in a child process (a reactor starts once per process)."""
    script = """
import sys
from scrapy.utils.test import get_crawler
from twisted.internet import reactor
from groundswell.crawlers.web.spider import PublicOnlyResolver
out = {}
def run(allow):
    crawler = get_crawler(settings_dict={"GROUNDSWELL_ALLOW_PRIVATE_HOSTS": allow})
    resolver = PublicOnlyResolver.from_crawler(crawler, reactor)
    d = resolver.getHostByName("localhost")
    d.addCallbacks(lambda a: out.__setitem__(allow, "ok " + a), lambda f: out.__setitem__(allow, "refused " + str(f.value)))
    return d
def both():
    run(False).addBoth(lambda _: run(True)).addBoth(lambda _: reactor.stop())
reactor.callWhenRunning(both)
reactor.run()
print(out[False]); print(out[True])
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    refused, allowed = proc.stdout.strip().splitlines()
    assert refused.startswith("refused") and "allow_private_hosts" in refused
    assert allowed == "ok 127.0.0.1"


@pytest.mark.parametrize(
    ("source_type", "env", "session_of"),
    [
        ("x", {"X_BEARER_TOKEN": "t"}, lambda s: s.client.session),
        (
            "reddit",
            {"REDDIT_CLIENT_ID": "i", "REDDIT_CLIENT_SECRET": "s"},
            lambda s: s.reddit._core._authorizer._authenticator._requestor._http,
        ),
    ],
)
def test_platform_clients_ignore_env_proxies(
    source_type: str, env: dict[str, str], session_of: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """praw and tweepy use `requests`, which reads HTTPS_PROXY unless told not to."""
    pytest.importorskip({"x": "tweepy", "reddit": "praw"}[source_type])
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    options = {"queries": ["acme"]}
    plain = build_source(Source(name="p", type=source_type, options=options))
    session = session_of(plain)  # type: ignore[operator]
    assert session.trust_env is False and not session.proxies
    proxied = build_source(
        Source(name="p", type=source_type, options={**options, "proxy": "http://10.1.1.1:3128"})
    )
    assert session_of(proxied).proxies == {"http": "http://10.1.1.1:3128", "https": "http://10.1.1.1:3128"}  # type: ignore[operator]


class _PinnedToLoopback(GuardedTransport):
    """The guard with its address check answered by the test: every name "resolves" to the local
    TLS server, which no public check would pass. URL rewriting, Host and the TLS server name are
    the product's own code; the inner transport trusts the test's certificate authority."""

    def __init__(self, ca: str) -> None:
        super().__init__(Network())
        self.inner = httpx.HTTPTransport(verify=ssl.create_default_context(cafile=ca))

    def pin(self, host: str) -> str:
        return "127.0.0.1"


def test_https_to_the_pinned_address_checks_the_certificate_against_the_name(
    server: LocalServer, tmp_path: Path
) -> None:
    """Connecting to the checked IP must not break TLS: the server name sent (SNI) and the name the
    certificate is verified against stay the URL's host, and Host carries it, so a platform's
    certificate (issued for its name, not its IP) is accepted and virtual hosting still works."""
    pytest.importorskip("cryptography")
    cert_file, key_file = make_tls_files(tmp_path, "api.example.test")
    cert, key = str(cert_file), str(key_file)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    url = server.add("/v1/posts", b'{"ok": true}')
    port = url.split(":")[2].split("/")[0]
    with httpx.Client(transport=_PinnedToLoopback(cert)) as client:
        answer = client.get(f"https://api.example.test:{port}/v1/posts")
    assert answer.status_code == 200 and answer.content == b'{"ok": true}'
    assert names == ["api.example.test"]
    path, headers = server.requests[0]
    assert path == "/v1/posts" and headers["Host"] == f"api.example.test:{port}"
    with httpx.Client(transport=_PinnedToLoopback(cert)) as client, pytest.raises(httpx.ConnectError):
        client.get(f"https://other.example.test:{port}/v1/posts")  # the certificate names another host

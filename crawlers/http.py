"""The one HTTP client of the API and feed sources: guarded against the private network.

Every request (the first and each redirect hop) goes through `GuardedTransport`: http/https
only, the host resolved once, every answer refused when it is loopback, private, link-local,
multicast or reserved, and the connection made to the very address that was checked (the URL
is rewritten to the IP; the Host header and the TLS server name keep the real host, so virtual
hosting and certificate checks are unchanged). Checking a name and then letting the socket
resolve it again would leave a DNS-rebinding gap: a hostile name can answer a public address to
the check and 127.0.0.1 to the connect.

`allow_private_hosts: true` (NetworkOptions, on every source that fetches) turns the address
check off for lab setups and tests. `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` environment variables
are ignored: a proxy resolves and connects on our behalf, out of the guard's sight. A proxy is
used only when the source's `proxy` option names one, and even then it is asked for the checked
address, never for the name.

429 and 503 carry `retry_after` (from `Retry-After` or X's `x-rate-limit-reset`) so the scheduler
waits as long as the platform asks. Secrets (query keys, headers) are removed from any message.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import Field, field_validator

from groundswell.crawlers.urlpolicy import SCHEMES, Resolver, UrlPolicy, host_of, is_public, resolve
from groundswell.errors import SourceDisabled, SourceUnavailable, UrlRefused
from groundswell.http_hints import retry_after
from groundswell.options import PartOptions
from groundswell.redaction import redact

USER_AGENT = "groundswell/0.1 (+https://github.com/groundswell; social listening)"
TIMEOUT = httpx.Timeout(20.0, connect=10.0)


class ProxyOptions(PartOptions):
    """`proxy`: what the sources with a fixed platform endpoint (Reddit, X) take."""

    proxy: str | None = Field(
        default=None,
        description="http(s) proxy URL; HTTP(S)_PROXY environment variables are ignored",
    )

    @field_validator("proxy")
    @classmethod
    def _proxy_url(cls, value: str | None) -> str | None:
        if value is not None and httpx.URL(value).scheme not in SCHEMES:
            raise ValueError(f"{value!r}: a proxy is an http:// or https:// URL")
        return value


class NetworkOptions(ProxyOptions):
    """The network options of every source with a configurable URL (its Options model extends this one)."""

    allow_private_hosts: bool = Field(
        default=False,
        description="Allow loopback, private and link-local addresses (labs and tests only)",
    )


@dataclass(frozen=True)
class Network:
    """What a source's options say about the network, in the form the client needs."""

    allow_private: bool = False
    proxy: str | None = None
    resolver: Resolver = field(default=resolve, repr=False, compare=False)

    @classmethod
    def of(cls, options: Mapping[str, Any]) -> Network:
        return cls(bool(options.get("allow_private_hosts", False)), options.get("proxy") or None)

    def check_endpoint(self, source: str, url: str) -> None:
        """SourceDisabled, at build time, for a configured endpoint that can never be fetched:
        not http(s), or a private IP literal without `allow_private_hosts`. Names are resolved
        per request, since their answers change."""
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme not in SCHEMES:
            raise SourceDisabled(f"source {source!r}: {url[:200]}: only http and https URLs are fetched")
        if self.allow_private:
            return
        try:
            address = ipaddress.ip_address(host_of(url))
        except ValueError:
            return
        if not is_public(str(address)):
            raise SourceDisabled(
                f"source {source!r}: {url[:200]} is a private, loopback or link-local address; "
                "set allow_private_hosts: true on the source to reach it (labs and tests only)"
            )


def configure_session(session: Any, network: Network) -> Any:
    """A `requests` session (praw, tweepy) that ignores HTTP(S)_PROXY and uses `proxy` if set.

    Those clients reach one fixed platform host, so no address guard is needed, but an
    environment proxy would still carry the traffic (and the bearer token) somewhere unconfigured.
    """
    session.trust_env = False
    if network.proxy:
        session.proxies = {"http": network.proxy, "https": network.proxy}
    return session


class GuardedTransport(httpx.BaseTransport):
    """Checks each request's URL and connects to the address it checked (see the module docstring)."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.policy = UrlPolicy(allow_private=True, resolver=network.resolver)  # scheme and host only
        self.inner = httpx.HTTPTransport(proxy=network.proxy) if network.proxy else httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        self.policy.check(str(url))  # http(s) with a host, before anything is resolved
        if self.network.allow_private:
            return self.inner.handle_request(request)
        address = self.pin(url.host)
        extensions = dict(request.extensions)
        if url.scheme == "https":
            extensions["sni_hostname"] = url.host  # certificate checked against the name, not the IP
        pinned = httpx.Request(
            request.method,
            url.copy_with(host=address),
            headers=request.headers,  # holds Host: the name (set when the request was built)
            stream=request.stream,
            extensions=extensions,
        )
        return self.inner.handle_request(pinned)

    def pin(self, host: str) -> str:
        """The one address this request will connect to, after every answer for `host` passed."""
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            addresses = self.network.resolver(host)
        blocked = [a for a in addresses if not is_public(a)]
        if blocked or not addresses:
            raise UrlRefused(
                f"{host} is a private, loopback or link-local address ({', '.join(blocked) or 'no answer'}); "
                "set allow_private_hosts: true on the source to reach it"
            )
        return addresses[0]

    def close(self) -> None:
        self.inner.close()


def client(network: Network | None = None, **kwargs: Any) -> httpx.Client:
    """An httpx client whose every request and redirect passes the guard; env proxies ignored."""
    return httpx.Client(
        transport=GuardedTransport(network or Network()),
        trust_env=False,
        timeout=TIMEOUT,
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
        **kwargs,
    )


def request(
    method: str,
    url: str,
    *,
    network: Network | None = None,
    secrets: list[str] | None = None,
    what: str = "request",
    **kwargs: Any,
) -> httpx.Response:
    """One exchange through the guarded client; any transport failure or refusal -> SourceUnavailable."""
    secrets = secrets or []
    try:
        with client(network) as http_client:
            return http_client.request(method, url, **kwargs)
    except UrlRefused as exc:
        raise SourceUnavailable(f"{what}: refused: {redact(str(exc), *secrets)}") from None
    except httpx.TimeoutException:
        raise SourceUnavailable(f"{what}: timed out ({redact(url, *secrets)})") from None
    except httpx.HTTPError as exc:
        raise SourceUnavailable(f"{what}: {type(exc).__name__}: {redact(str(exc), *secrets)}") from None


def checked_body(
    response: httpx.Response, *, what: str, secrets: list[str] | None = None, accept: tuple[int, ...] = ()
) -> bytes:
    """Body of a 2xx response (or a status in `accept`, whose body explains the error);
    anything else raises SourceUnavailable with a redacted message."""
    if response.status_code in accept:
        return response.content
    if response.status_code in (429, 503):
        wait = retry_after(response.headers)
        raise SourceUnavailable(
            f"{what}: HTTP {response.status_code} (rate limited); retry in {wait or 'a while'} s",
            retry_after=wait,
        )
    if response.status_code >= 400:
        snippet = redact(response.text[:160].replace("\n", " "), *(secrets or []))
        raise SourceUnavailable(f"{what}: HTTP {response.status_code}: {snippet}")
    return response.content


def get(
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    secrets: list[str] | None = None,
    what: str = "request",
    accept: tuple[int, ...] = (),
    network: Network | None = None,
) -> bytes:
    """GET through the guarded client -> the body (see `checked_body`)."""
    response = request(
        "GET", url, network=network, secrets=secrets, what=what, params=params, headers=dict(headers or {})
    )
    return checked_body(response, what=what, secrets=secrets, accept=accept)


def post(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    secrets: list[str] | None = None,
    what: str = "request",
    network: Network | None = None,
    **kwargs: Any,
) -> bytes:
    """POST (`content=` or `json=`) through the guarded client -> the body (see `checked_body`)."""
    response = request(
        "POST", url, network=network, secrets=secrets, what=what, headers=dict(headers or {}), **kwargs
    )
    return checked_body(response, what=what, secrets=secrets)

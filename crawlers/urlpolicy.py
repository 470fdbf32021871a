"""Where a crawler may go: http(s) only, the configured sites, and no private network by default.

A crawled page is untrusted input: its `rel=next` link, a detail link or a redirect can point at
`file:///etc/passwd`, `http://169.254.169.254/` (cloud metadata) or an admin page on the LAN, and
the fetched text would be stored as a mention, searchable and shown in the dashboard. Every URL a
crawler requests (start URLs, followed links, redirects, robots.txt) is checked here first, before
any traffic to it. Lab setups and tests that crawl 127.0.0.1 say so explicitly with the source
option `allow_private_hosts: true`; other sites are reached only when listed in `allowed_domains`.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from groundswell.errors import UrlRefused

SCHEMES = frozenset({"http", "https"})
Resolver = Callable[[str], list[str]]


def resolve(host: str) -> list[str]:
    """The addresses `host` resolves to (a DNS lookup, no traffic to the host itself)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise UrlRefused(f"{host}: cannot resolve ({exc})") from None
    return sorted({str(info[4][0]) for info in infos})


def is_public(address: str) -> bool:
    """False for loopback, private (RFC 1918, ULA), link-local, CGNAT, multicast, reserved."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


@dataclass
class UrlPolicy:
    """`check(url)` raises UrlRefused, naming the URL and the option that would allow it."""

    domains: frozenset[str] = frozenset()  # empty: any host (API sources with a fixed endpoint)
    allow_private: bool = False
    resolver: Resolver = field(default=resolve, repr=False)

    @classmethod
    def for_sites(cls, start_urls: Iterable[str], options: dict[str, Any]) -> UrlPolicy:
        """The start URLs' hosts plus `allowed_domains`; `allow_private_hosts` for lab and tests."""
        domains = {host_of(u) for u in start_urls} | {
            str(d).lower() for d in options.get("allowed_domains") or []
        }
        return cls(frozenset(d for d in domains if d), bool(options.get("allow_private_hosts", False)))

    def check(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme.lower() not in SCHEMES:
            raise UrlRefused(
                f"{url[:200]}: only http and https URLs are fetched, not {parts.scheme or 'none'}:"
            )
        host = host_of(url)
        if not host:
            raise UrlRefused(f"{url[:200]}: no host")
        if self.domains and not any(host == d or host.endswith("." + d) for d in self.domains):
            raise UrlRefused(f"{url[:200]}: {host} is not a configured site (add it to allowed_domains)")
        if self.allow_private:
            return
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            addresses = self.resolver(host)
        blocked = [a for a in addresses if not is_public(a)]
        if blocked or not addresses:
            raise UrlRefused(
                f"{url[:200]}: {host} is a private, loopback or link-local address ({', '.join(blocked)}); "
                "set allow_private_hosts: true on the source to crawl it"
            )

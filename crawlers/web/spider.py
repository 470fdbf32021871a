"""The scrapy side: one config-driven spider, run in its own process (`python -m groundswell.crawlers.web.spider`).

Twisted's reactor can start only once per process and would block the scheduler, so each crawl is
a child process: config JSON on stdin, one JSON line per item on stdout, then one `stats` line.
Politeness is on by default: robots.txt obeyed, AutoThrottle, 2 requests per domain at a time.
Incremental: rows whose key is in `seen` are neither followed nor emitted, and a list page that
holds any seen row ends the pagination (boards list newest first).

The network guard has two parts: `UrlPolicyMiddleware` refuses a request before it is queued
(scheme, configured sites, private addresses), and `PublicOnlyResolver` refuses a private answer
at the moment the downloader resolves the host to connect: a name that answered a public address
to the middleware's check cannot then send the connection to 127.0.0.1 (DNS rebinding).
Proxies come only from the source's `proxy` option, never from HTTP(S)_PROXY.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from groundswell.crawlers.urlpolicy import UrlPolicy, is_public
from groundswell.crawlers.web.extract import Template, extract_detail, extract_items, item_key, next_page
from groundswell.errors import UrlRefused

DEFAULT_SETTINGS: dict[str, Any] = {
    "ROBOTSTXT_OBEY": True,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 1.0,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "DOWNLOAD_TIMEOUT": 30,
    "RETRY_TIMES": 1,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "USER_AGENT": "groundswell/0.1 (+https://github.com/groundswell; social listening)",
    # only http(s): scrapy would otherwise read file://, ftp://, s3:// and data: URLs
    "DOWNLOAD_HANDLERS": {"file": None, "ftp": None, "s3": None, "data": None},
    # checks every request (start URLs, links, redirects, robots.txt) before it is sent
    "DOWNLOADER_MIDDLEWARES": {"groundswell.crawlers.web.spider.UrlPolicyMiddleware": 10},
    # checks the address the downloader connects to (see the module docstring)
    "DNS_RESOLVER": "groundswell.crawlers.web.spider.PublicOnlyResolver",
    # HTTP(S)_PROXY would reach hosts on our behalf, unchecked: a proxy is the `proxy` option only
    "HTTPPROXY_ENABLED": False,
}
# what a user's `settings` may not change
GUARDED = ("DNS_RESOLVER", "HTTPPROXY_ENABLED")


class PublicOnlyResolver(CachingThreadedResolver):
    """Scrapy's default resolver, refusing loopback/private/link-local/reserved answers
    unless the source set `allow_private_hosts` (GROUNDSWELL_ALLOW_PRIVATE_HOSTS)."""

    allow_private = False

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> PublicOnlyResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = crawler.settings.getbool("GROUNDSWELL_ALLOW_PRIVATE_HOSTS")
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> Any:
        answer = super().getHostByName(name, timeout)
        if not self.allow_private:
            answer.addCallback(self.refuse_private, name)
        return answer

    @staticmethod
    def refuse_private(address: str, name: str) -> str:
        if not is_public(address):
            raise DNSLookupError(
                f"{name} resolved to {address}, a private, loopback or link-local address; "
                "set allow_private_hosts: true on the source to crawl it"
            )
        return address


class UrlPolicyMiddleware:
    """Refuses a request that leaves the configured sites, http(s) or the public network."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> UrlPolicyMiddleware:
        return cls(crawler.stats)

    def process_request(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        policy: UrlPolicy = spider.policy  # type: ignore[attr-defined]
        try:
            policy.check(request.url)
        except UrlRefused as exc:
            self.stats.inc_value("groundswell/url_refused")
            spider.logger.warning("refused: %s", exc)
            raise IgnoreRequest(str(exc)) from None
        proxy = getattr(spider, "proxy", None)
        if proxy:
            request.meta["proxy"] = proxy


class TemplateSpider(scrapy.Spider):
    name = "groundswell_web"

    def __init__(self, config: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = list(config["start_urls"])
        self.template = Template.from_options(config.get("template", {}))
        self.seen = set(config.get("seen", []))
        self.max_pages = int(config.get("max_pages", 3))
        self.policy = UrlPolicy.for_sites(self.urls, config)
        self.proxy = config.get("proxy")

    async def start(self) -> AsyncIterator[scrapy.Request]:  # scrapy >= 2.13
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:  # older scrapy
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse_list, cb_kwargs={"depth": 1})

    def parse_list(self, response: Response, depth: int) -> Iterator[Any]:
        items = extract_items(response.text, response.url, self.template)
        fresh = 0
        for item in items:
            key = item_key(item)
            if key in self.seen:
                self.crawler.stats.inc_value("groundswell/already_seen")
                continue
            fresh += 1
            link = item.get(self.template.follow) if self.template.follow else None
            if link:
                yield scrapy.Request(link, callback=self.parse_detail, cb_kwargs={"item": item})
            else:
                yield {"kind": "item", "key": key, **item}
        link = next_page(response.text, response.url, self.template)
        if link and items and fresh == len(items) and depth < self.max_pages:
            yield scrapy.Request(link, callback=self.parse_list, cb_kwargs={"depth": depth + 1})

    def parse_detail(self, response: Response, item: dict[str, Any]) -> Iterator[dict[str, Any]]:
        found = extract_detail(response.text, response.url, self.template)
        yield {"kind": "item", "key": item_key(item), **item, **found}


def main() -> None:
    """Run one crawl: config JSON on stdin -> JSON lines on stdout."""
    config = json.load(sys.stdin)
    # a user's `settings` may add scrapy settings, never switch the URL checks off
    settings = {**DEFAULT_SETTINGS, **config.get("settings", {})}
    settings["DOWNLOAD_HANDLERS"] = {**settings["DOWNLOAD_HANDLERS"], **DEFAULT_SETTINGS["DOWNLOAD_HANDLERS"]}
    settings["DOWNLOADER_MIDDLEWARES"] = {
        **settings["DOWNLOADER_MIDDLEWARES"],
        **DEFAULT_SETTINGS["DOWNLOADER_MIDDLEWARES"],
    }
    settings.update({key: DEFAULT_SETTINGS[key] for key in GUARDED})
    settings["GROUNDSWELL_ALLOW_PRIVATE_HOSTS"] = bool(config.get("allow_private_hosts", False))
    process = CrawlerProcess(settings=settings)
    crawler = process.create_crawler(TemplateSpider)

    def emit(item: dict[str, Any], **_: Any) -> None:
        sys.stdout.write(json.dumps(dict(item), ensure_ascii=False) + "\n")
        sys.stdout.flush()

    def closed(spider: scrapy.Spider, reason: str) -> None:
        stats = {
            k: v for k, v in (crawler.stats.get_stats() or {}).items() if isinstance(v, int | float | str)
        }
        sys.stdout.write(json.dumps({"kind": "stats", "reason": reason, "stats": stats}, default=str) + "\n")
        sys.stdout.flush()

    crawler.signals.connect(emit, signal=signals.item_scraped)
    crawler.signals.connect(closed, signal=signals.spider_closed)
    process.crawl(crawler, config=config)
    process.start()


if __name__ == "__main__":
    main()

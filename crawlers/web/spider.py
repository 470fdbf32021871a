"""The scrapy side: one config-driven spider, run in its own process (`python -m groundswell.crawlers.web.spider`).

Twisted's reactor can start only once per process and would block the scheduler, so each crawl is
a child process: config JSON on stdin, one JSON line per item on stdout, then one `stats` line.
Politeness is on by default: robots.txt obeyed, AutoThrottle, 2 requests per domain at a time.
Incremental: rows whose key is in `seen` are neither followed nor emitted, and a list page that
holds any seen row ends the pagination (boards list newest first).
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response

from groundswell.crawlers.web.extract import Template, extract_detail, extract_items, item_key, next_page

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
}


class TemplateSpider(scrapy.Spider):
    name = "groundswell_web"

    def __init__(self, config: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = list(config["start_urls"])
        self.template = Template.from_options(config.get("template", {}))
        self.seen = set(config.get("seen", []))
        self.max_pages = int(config.get("max_pages", 3))

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
    settings = {**DEFAULT_SETTINGS, **config.get("settings", {})}
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

"""`web`: review sites, forums and Korean boards through the config-driven scrapy spider.

Options: `start_urls`, `template` (`review_site` | `korean_board`) and/or selector overrides
(`item`, `fields`, `next`, `follow`, `detail_fields`), `max_pages` (3), `timezone` (Asia/Seoul),
`lang`, `rating_scale` (the site's best mark when it is not 5, e.g. 10), `timeout` (s, 300), `settings` (scrapy settings, e.g. AUTOTHROTTLE_START_DELAY),
`base_url` (for `parse` of a saved page). Cursor: keys of rows already committed (bounded).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers.base import Batch, PayloadSource, as_list, optional_package, require
from groundswell.crawlers.urlpolicy import UrlPolicy
from groundswell.crawlers.web.dates import parse_when, zone
from groundswell.crawlers.web.extract import Template, extract_detail, extract_items, item_key
from groundswell.crawlers.web.options import WebOptions
from groundswell.errors import DropMention, InputError, SourceDisabled, SourceUnavailable, UrlRefused
from groundswell.ratings import normalize_rating
from groundswell.records import Author, Mention, Metrics

ROOT = Path(__file__).resolve().parents[2]
SEEN_LIMIT = 5000
_NUMBER = re.compile(r"\d[\d,]*")


def to_int(value: Any) -> int:
    """'1,234', '[3]', '조회 87' -> the number; blank -> 0."""
    match = _NUMBER.search(str(value or ""))
    return int(match.group().replace(",", "")) if match else 0


class WebSource(PayloadSource):
    type = "web"
    Options = WebOptions
    KNOWN_FIELDS = frozenset(
        {"kind", "key", "id", "title", "text", "author", "date", "rating", "url", "likes", "views", "replies",
         "page_url", "html"}
    )  # fmt: skip

    def __init__(self, name: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(name, options)
        self.template = Template.from_options(self.options)
        self.start_urls = as_list(self.options.get("start_urls"))
        self.tz = zone(self.options.get("timezone", "Asia/Seoul"))
        self.timeout = float(self.options.get("timeout", 300))
        self._now = datetime.now(UTC)

    @classmethod
    def from_settings(cls, cfg: SourceSettings) -> Self:
        optional_package("scrapy", "web")
        source = require(cls(cfg.name, cfg.options), "start_urls")
        policy = UrlPolicy.for_sites(source.start_urls, source.options)
        for url in source.start_urls:  # refused here, before any traffic
            try:
                policy.check(url)
            except UrlRefused as exc:
                raise SourceDisabled(f"source {cfg.name!r}: start URL refused: {exc}") from None
        return source

    # -- parse ---------------------------------------------------------------------------------------

    def items(self, raw: bytes | str) -> Iterable[Any]:
        """A saved HTML page: list/review rows, or one post page for a board template."""
        html = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        if "<" not in html[:2000]:
            raise InputError(f"{self.name}: expected an HTML page")
        url = str(self.options.get("base_url", "http://localhost/"))
        self._now = datetime.now(UTC)
        rows = extract_items(html, url, self.template) if self.template.item else []
        rows = [r for r in rows if r.get("text") or r.get("title")]
        if not rows and self.template.detail_fields:
            detail = extract_detail(html, url, self.template)
            if detail.get("text"):
                return [{"url": url, "page_url": url, **detail}]
        if not rows and not self.template.item:
            rows = extract_items(html, url, self.template)
        return rows

    def map_item(self, item: Any) -> Mention:
        title, body = item.get("title"), item.get("text")
        text = f"{title}\n\n{body}" if title and body and not body.startswith(title) else (body or title)
        if not text:
            raise DropMention("empty")
        created = parse_when(item["date"], self._now, self.tz) if item.get("date") else self._now
        return self.mention(
            item.get("key") or item_key(item),
            text=text,
            title=title,
            created_at=created,
            url=item.get("url") or item.get("page_url"),
            lang=self.options.get("lang"),
            **self._rating(item.get("rating")),
            author=Author(handle=item.get("author")),
            metrics=Metrics(
                likes=to_int(item.get("likes")),
                replies=to_int(item.get("replies")),
                views=to_int(item.get("views")),
            ),
            raw={k: v for k, v in item.items() if k != "kind"},
        )

    def _rating(self, value: Any) -> dict[str, float | None]:
        """`rating` (1-5) and `rating_scale` fields; a mark that is not a rating leaves the review unrated."""
        try:
            rating = normalize_rating(value, self.options.get("rating_scale"))
        except ValueError:
            return {}
        return {"rating": rating.value, "rating_scale": rating.scale} if rating else {}

    # -- fetch ---------------------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> Batch:
        seen: list[str] = json.loads(cursor) if cursor else []
        config = {
            "start_urls": self.start_urls,
            "template": {
                k: self.options[k]
                for k in ("template", "item", "fields", "next", "follow", "detail_fields")
                if k in self.options
            },
            "seen": seen,
            "max_pages": int(self.options.get("max_pages", 3)),
            "settings": dict(self.options.get("settings", {})),
            "allowed_domains": as_list(self.options.get("allowed_domains")),
            "allow_private_hosts": self.network.allow_private,
            "proxy": self.network.proxy,
        }
        lines, stats = self._crawl(config)
        self._now = datetime.now(UTC)
        batch = Batch()
        for item in lines:
            batch.fetched += 1
            try:
                mention = self.map_item(item)
            except DropMention as exc:
                batch.skipped[exc.reason] += 1
                continue
            except (KeyError, TypeError, ValueError) as exc:
                batch.skipped[f"malformed:{type(exc).__name__}"] += 1
                continue
            batch.mentions.append(mention)
        for reason, stat in (
            ("robots-forbidden", "robotstxt/forbidden"),
            ("already-seen", "groundswell/already_seen"),
            ("url-refused", "groundswell/url_refused"),
        ):
            if stats.get(stat):
                batch.skipped[reason] += int(stats[stat])
        ok = sum(v for k, v in stats.items() if k.startswith("downloader/response_status_count/2"))
        if not ok and not lines:
            statuses = {
                k.rsplit("/", 1)[1]: v
                for k, v in stats.items()
                if k.startswith("downloader/response_status_count/")
            }
            errors = {
                k.rsplit("/", 1)[1]: v
                for k, v in stats.items()
                if k.startswith("downloader/exception_type_count/")
            }
            raise SourceUnavailable(
                f"{self.name}: no page could be fetched (HTTP {statuses or '-'}, errors {errors or '-'})"
            )
        seen.extend(m.native_id for m in batch.mentions)
        batch.next_cursor = json.dumps(seen[-SEEN_LIMIT:])
        return batch

    def _crawl(self, config: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "groundswell.crawlers.web.spider"],
                input=json.dumps(config), capture_output=True, text=True, timeout=self.timeout, env=env,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise SourceUnavailable(f"{self.name}: the crawl took longer than {self.timeout:.0f}s") from None
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise SourceUnavailable(f"{self.name}: the spider failed (exit {proc.returncode}): {last[:200]}")
        items, stats = [], {}
        for line in proc.stdout.splitlines():
            record = json.loads(line)
            if record.get("kind") == "stats":
                stats = record["stats"]
            else:
                items.append(record)
        return items, stats

"""News: RSS/Atom feeds and news-search RSS queries (feedparser), Korean legacy encodings included.

Many Korean feeds are EUC-KR/CP949 with no declared encoding (or a wrong one); feedparser alone
falls back to windows-1252 and produces mojibake, so bytes are decoded here first (declared ->
UTF-8 -> CP949 if it yields Hangul -> windows-1252) and handed to feedparser as UTF-8.
Options: `feeds` (URLs), `queries` with `search_url` (a template with `{query}`, e.g. Google News
RSS), `encoding` (force one), `lang`. Cursor: ids already committed (bounded), per source.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from calendar import timegm
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus

from pydantic import Field

from groundswell.crawlers import http
from groundswell.crawlers.base import Batch, PayloadSource, SeenIds, as_list
from groundswell.crawlers.http import NetworkOptions
from groundswell.errors import DropMention, InputError, SourceUnavailable
from groundswell.options import StrList
from groundswell.records import Author, Mention

SEEN_LIMIT = 5000
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']", re.I)
_BLOCK = re.compile(r"</?(?:p|br|div|li|ul|ol|h[1-6]|tr|td|blockquote)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def decode_feed(data: bytes, declared: str | None = None, force: str | None = None) -> str:
    """Feed bytes -> text, trusting a declaration only when the bytes agree with it."""
    if force:
        return data.decode(force, "replace")
    match = _XML_DECL.match(data[:200])
    for enc in filter(None, [declared, match.group(1).decode() if match else None]):
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp949")
        non_ascii = [c for c in text if ord(c) > 127]
        if non_ascii and sum("\uac00" <= c <= "\ud7a3" for c in non_ascii) / len(non_ascii) > 0.5:
            return text
    except UnicodeDecodeError:
        pass
    return data.decode("windows-1252", "replace")


def plain_text(markup: str) -> str:
    """HTML -> text: block tags become spaces, inline tags (<b>, <a>, <span>) vanish."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", _BLOCK.sub(" ", markup or "")))).strip()


class RssOptions(NetworkOptions):
    """Options of an `rss` source."""

    feeds: StrList = Field(default_factory=list, description="RSS/Atom feed URLs")
    queries: StrList = Field(default_factory=list, description="Searches, each put into `search_url`")
    search_url: str | None = Field(default=None, description="News-search feed URL with `{query}`")
    encoding: str | None = Field(default=None, description="Force a text encoding (e.g. cp949)")
    lang: str | None = Field(default=None, description="Language of the posts; default: the feed's")


class RssSource(PayloadSource):
    type = "rss"
    Options = RssOptions
    ENDPOINTS = ("feeds", "search_url")
    KNOWN_FIELDS = frozenset(
        {"title", "title_detail", "summary", "summary_detail", "link", "links", "id", "guidislink",
         "published", "published_parsed", "updated", "updated_parsed", "author", "author_detail",
         "authors", "content", "tags"}
    )  # fmt: skip

    def __init__(self, name: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(name, options)
        self.urls = as_list(self.options.get("feeds"))
        template = self.options.get("search_url")
        for query in as_list(self.options.get("queries")) if template else []:
            self.urls.append(str(template).replace("{query}", quote_plus(query)))
        self._declared: str | None = None
        self._now = datetime.now(UTC)

    # -- parse ---------------------------------------------------------------------------------------

    def items(self, raw: bytes | str) -> Iterable[Any]:
        import feedparser

        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        if not data.strip():
            raise InputError(f"{self.name}: empty feed body")
        text = decode_feed(data, self._declared, self.options.get("encoding"))
        if text.lstrip()[:1] in "{[":
            raise InputError(f"{self.name}: expected RSS/Atom XML but got JSON")
        body = _XML_DECL.sub(b'<?xml version="1.0" encoding="utf-8"', text.encode("utf-8"), count=1)
        parsed = feedparser.parse(body, response_headers={"content-type": "application/xml; charset=utf-8"})
        if not parsed.entries and parsed.get("bozo"):
            exc = parsed.get("bozo_exception")
            raise InputError(f"{self.name}: not an RSS/Atom feed ({type(exc).__name__}: {exc})")
        self._feed = parsed.feed
        self._now = datetime.now(UTC)
        return parsed.entries

    def map_item(self, item: Any) -> Mention:
        title = plain_text(item.get("title", ""))
        content = item.get("content") or []
        body = plain_text(content[0].get("value", "") if content else item.get("summary", ""))
        if not title and not body:
            raise DropMention("empty")
        link = item.get("link")
        native = item.get("id") or link or hashlib.sha1(f"{title}\n{body}".encode()).hexdigest()[:20]
        when = item.get("published_parsed") or item.get("updated_parsed")
        created = datetime.fromtimestamp(timegm(when), UTC) if when else self._now
        text = f"{title}\n\n{body}" if title and body and not body.startswith(title) else (body or title)
        author = item.get("author") or (self._feed.get("title") if getattr(self, "_feed", None) else None)
        return self.mention(
            native,
            text=text,
            title=title or None,
            created_at=created,
            url=link,
            lang=self.options.get("lang") or _lang(getattr(self, "_feed", {})),
            author=Author(handle=plain_text(author) if author else None),
            raw={k: v for k, v in item.items() if not k.endswith("_parsed")},
        )

    # -- fetch ---------------------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> Batch:
        seen = SeenIds(json.loads(cursor) if cursor else [])
        batch, failures = Batch(), []
        for url in self.urls:
            try:
                page = self._fetch_url(url)
            except (SourceUnavailable, InputError) as exc:
                failures.append(str(exc))
                batch.skipped["feed-unavailable"] += 1
                continue
            seen.keep_new(page)
            batch.extend(page)
        if failures and len(failures) == len(self.urls):
            raise SourceUnavailable(f"{self.name}: every feed failed; first: {failures[0]}")
        batch.next_cursor = json.dumps(seen.newest(SEEN_LIMIT), ensure_ascii=False)
        return batch

    def _fetch_url(self, url: str) -> Batch:
        response = http.request("GET", url, network=self.network, what=f"{self.name}: {url}")
        body = http.checked_body(response, what=f"{self.name}: {url}")
        self._declared = response.charset_encoding
        try:
            return self.parse_batch(body)
        finally:
            self._declared = None


def _lang(feed: Any) -> str | None:
    lang = (feed.get("language") or "").lower() if feed else ""
    return lang.split("-")[0] or None

"""Naver Search API (blog, news, cafearticle): the main Korean listening surface.

`GET https://openapi.naver.com/v1/search/{kind}.json?query=&display=100&start=&sort=date` with
`X-Naver-Client-Id`/`X-Naver-Client-Secret` from the environment (`client_id_env`,
`client_secret_env`; defaults NAVER_CLIENT_ID / NAVER_CLIENT_SECRET). The API cannot filter by date,
so the cursor keeps the links already committed per (kind, query), and paging (sort=date) stops at
the first page that holds only seen links. Dates: news `pubDate` (RFC 822), blog `postdate`
(YYYYMMDD: today's posts get the fetch time, older ones 00:00 KST), cafe articles none (fetch time).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Literal, Self

from pydantic import Field

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers import http
from groundswell.crawlers.base import Batch, PayloadSource, SeenIds, as_list, load_object, require, secret
from groundswell.crawlers.http import NetworkOptions
from groundswell.crawlers.rss import plain_text
from groundswell.errors import DropMention, InputError, SourceUnavailable
from groundswell.options import StrList
from groundswell.records import Author, Mention

KST = timezone(timedelta(hours=9))
API = "https://openapi.naver.com/v1/search"
NaverKind = Literal["blog", "news", "cafearticle"]
KINDS: tuple[NaverKind, ...] = ("blog", "news", "cafearticle")
SEEN_PER_STREAM = 1000


class NaverOptions(NetworkOptions):
    """Options of a `naver` source."""

    queries: StrList = Field(default_factory=list, description="Search queries")
    query: str | None = Field(default=None, description="One query; same as a one-item `queries`")
    kinds: list[NaverKind] = Field(
        default_factory=lambda: list(KINDS), description="Which Naver searches to run"
    )
    base_url: str = Field(default=API, description="API root (tests point it at a local server)")
    max_pages: int = Field(default=3, ge=1, le=10, description="Pages (100 items) per kind and query")
    client_id_env: str = Field(default="NAVER_CLIENT_ID", description="Env var with the client id")
    client_secret_env: str = Field(default="NAVER_CLIENT_SECRET", description="Env var with the secret")


class NaverSource(PayloadSource):
    type = "naver"
    Options = NaverOptions
    ENDPOINTS = ("base_url",)
    KNOWN_FIELDS = frozenset(
        {"title", "link", "description", "bloggername", "bloggerlink", "postdate", "originallink",
         "pubDate", "cafename", "cafeurl"}
    )  # fmt: skip

    def __init__(
        self, name: str, options: dict[str, Any] | None = None, keys: tuple[str, str] = ("", "")
    ) -> None:
        super().__init__(name, options)
        self.keys = keys
        self.queries = as_list(self.options.get("queries") or self.options.get("query"))
        self.kinds = [k for k in as_list(self.options.get("kinds")) or list(KINDS)]
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"naver: unknown kinds {sorted(unknown)}; use {', '.join(KINDS)}")
        self.base_url = str(self.options["base_url"]).rstrip("/")
        self.max_pages = int(self.options["max_pages"])
        self._now = datetime.now(UTC)

    @classmethod
    def from_settings(cls, cfg: SourceSettings) -> Self:
        keys = (
            secret(cfg, "client_id_env", "NAVER_CLIENT_ID"),
            secret(cfg, "client_secret_env", "NAVER_CLIENT_SECRET"),
        )
        return require(cls(cfg.name, cfg.options, keys), "queries").checked()

    # -- parse ---------------------------------------------------------------------------------------

    def items(self, raw: bytes | str) -> Iterable[Any]:
        body = load_object(raw, f"{self.name}: Naver response")
        if "errorCode" in body:
            raise SourceUnavailable(
                f"{self.name}: Naver error {body['errorCode']}: {body.get('errorMessage')}"
            )
        self._now = datetime.now(UTC)
        items = body.get("items")
        if not isinstance(items, list):
            raise InputError(f"{self.name}: Naver response has no items list")
        return items

    def map_item(self, item: Any) -> Mention:
        link = item.get("link") or item.get("originallink")
        if not link:
            raise DropMention("missing-link")
        title, body = plain_text(item.get("title", "")), plain_text(item.get("description", ""))
        if not title and not body:
            raise DropMention("empty")
        if "bloggername" in item or "postdate" in item:
            kind, created = "blog", self._postdate(item.get("postdate"))
            author = Author(id=item.get("bloggerlink"), handle=item.get("bloggername"))
        elif "cafename" in item:
            kind, created = "cafe", self._now
            author = Author(id=item.get("cafeurl"), handle=item.get("cafename"))
        else:
            kind = "news"
            created = parsedate_to_datetime(item["pubDate"]) if item.get("pubDate") else self._now
            author = Author(handle=_domain(item.get("originallink") or link))
        return self.mention(
            f"{kind}-{hashlib.sha1(link.encode()).hexdigest()[:16]}",
            text=f"{title}\n\n{body}" if body else title,
            title=title or None,
            created_at=created,
            url=item.get("originallink") or link,
            lang="ko",
            author=author,
            raw=item,
        )

    def _postdate(self, value: Any) -> datetime:
        day = datetime.strptime(str(value), "%Y%m%d").replace(tzinfo=KST)
        if day.date() >= self._now.astimezone(KST).date():
            return self._now
        return day

    # -- fetch ---------------------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> Batch:
        state: dict[str, list[str]] = json.loads(cursor) if cursor else {}
        batch = Batch()
        for kind in self.kinds:
            for query in self.queries:
                key = f"{kind}:{query}"
                seen = SeenIds(state.get(key, []))
                for page in range(self.max_pages):
                    body = http.get(
                        f"{self.base_url}/{kind}.json",
                        params={"query": query, "display": 100, "start": 1 + 100 * page, "sort": "date"},
                        headers={"X-Naver-Client-Id": self.keys[0], "X-Naver-Client-Secret": self.keys[1]},
                        secrets=list(self.keys),
                        what=f"{self.name}: Naver {kind}",
                        network=self.network,
                    )
                    result = self.parse_batch(body)
                    seen.keep_new(result)
                    batch.extend(result)
                    if len(result.mentions) < result.fetched or result.fetched < 100:
                        break
                state[key] = seen.newest(SEEN_PER_STREAM)
        batch.next_cursor = json.dumps(state, ensure_ascii=False, sort_keys=True)
        return batch


def _domain(url: str) -> str | None:
    from urllib.parse import urlparse

    return urlparse(url).hostname

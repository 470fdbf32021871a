"""App Store customer reviews: Apple's public RSS feed in its JSON form, most recent first.

`https://itunes.apple.com/{country}/rss/customerreviews/page={n}/id={app}/sortby=mostrecent/json`
(pages 1-10, 50 reviews each; no key). Every field is wrapped as `{"label": ...}`; a feed with one
review gives `entry` as an object, not a list; older feeds put the app itself first (no
`im:rating`), which is skipped. Options: `app_ids`, `country` (kr), `max_pages`. Cursor: a
watermark per app on the review's `updated` time (UTC).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Self

from pydantic import Field

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers import http
from groundswell.crawlers.base import Batch, PayloadSource, Watermark, as_list, load_json, require
from groundswell.crawlers.http import NetworkOptions
from groundswell.errors import DropMention, InputError
from groundswell.options import StrList
from groundswell.records import Author, Mention, Metrics

FEED = "https://itunes.apple.com/{country}/rss/customerreviews/page={page}/id={app}/sortby=mostrecent/json"


def label(node: Any, key: str) -> Any:
    value = node.get(key) if isinstance(node, dict) else None
    return value.get("label") if isinstance(value, dict) else value


class AppStoreOptions(NetworkOptions):
    """Options of an `appstore` source."""

    app_ids: StrList = Field(default_factory=list, description="Numeric App Store ids")
    app_id: str | None = Field(default=None, description="One app; same as a one-item `app_ids`")
    country: str = Field(default="kr", description="Store country code")
    max_pages: int = Field(default=3, ge=1, le=10, description="Feed pages (50 reviews) per app and run")
    feed_url: str = Field(default=FEED, description="Feed URL template (tests point it at a local server)")


class AppStoreSource(PayloadSource):
    type = "appstore"
    Options = AppStoreOptions
    ENDPOINTS = ("feed_url",)
    KNOWN_FIELDS = frozenset(
        {"author", "updated", "im:rating", "im:version", "id", "title", "content", "link", "im:voteSum",
         "im:contentType", "im:voteCount"}
    )  # fmt: skip

    def __init__(self, name: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(name, options)
        self.app_ids = as_list(self.options.get("app_ids") or self.options.get("app_id"))
        self.country = str(self.options["country"])
        self.max_pages = int(self.options["max_pages"])  # 1-10: bounded by AppStoreOptions
        self.feed_url = str(self.options["feed_url"])

    @classmethod
    def from_settings(cls, cfg: SourceSettings) -> Self:
        return require(cls(cfg.name, cfg.options), "app_ids").checked()

    # -- parse ---------------------------------------------------------------------------------------

    def items(self, raw: bytes | str) -> Iterable[Any]:
        body = load_json(raw, f"{self.name}: App Store review feed")
        feed = body.get("feed") if isinstance(body, dict) else None
        if not isinstance(feed, dict):
            raise InputError(f"{self.name}: App Store response has no feed object")
        entries = feed.get("entry") or []
        return [entries] if isinstance(entries, dict) else entries

    def map_item(self, item: Any) -> Mention:
        if "im:rating" not in item:
            raise DropMention("app-info")
        title, body = label(item, "title") or "", label(item, "content") or ""
        if not isinstance(body, str) or not (title or body):
            raise DropMention("empty")
        review_id = label(item, "id")
        created = datetime.fromisoformat(str(label(item, "updated"))).astimezone(UTC)
        author = item.get("author") or {}
        link = (item.get("link") or {}).get("attributes", {}).get("href")
        votes = int(label(item, "im:voteSum") or 0)
        return self.mention(
            review_id,
            text=f"{title}\n\n{body}".strip(),
            title=title or None,
            created_at=created,
            url=link or label(author, "uri"),
            rating=float(label(item, "im:rating")),
            author=Author(id=label(author, "uri"), handle=label(author, "name")),
            metrics=Metrics(likes=max(0, votes), replies=0),
            raw=item,
        )

    # -- fetch ---------------------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> Batch:
        state: dict[str, Any] = json.loads(cursor) if cursor else {}
        batch = Batch()
        for app in self.app_ids:
            mark = Watermark.load(state.get(app))
            newest = Watermark(mark.at, set(mark.ids))
            for page_no in range(1, self.max_pages + 1):
                url = self.feed_url.format(country=self.country, page=page_no, app=app)
                page = self.parse_batch(
                    http.get(url, what=f"{self.name}: App Store {app}", network=self.network)
                )
                fresh = [m for m in page.mentions if mark.is_new(m.created_at.isoformat(), m.native_id)]
                batch.extend(page)
                for m in fresh:
                    newest.advance(m.created_at.isoformat(), m.native_id)
                if not page.mentions or len(fresh) < page.fetched - page.rejected:
                    break
            state[app] = newest.dump()
        batch.next_cursor = json.dumps(state, sort_keys=True)
        return batch

"""Google Play reviews: the Play Store's `batchexecute` (rpc `oCPfdb`), newest first.

The request body comes from google-play-scraper's own format (`Formats.Reviews`), but the call
and the parsing are ours: its `reviews()` swallows every exception (an outage would read as "no
new reviews") and builds naive local-time datetimes. Here a failure is SourceUnavailable and
times are UTC. `parse` reads the raw `)]}'` response, or a JSON list of review dicts as
google-play-scraper returns them (exports). Options: `app_ids`, `lang` (ko), `country` (kr),
`count` (per page, 100), `max_pages`. Cursor: a watermark per app on review time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Self

from pydantic import Field

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers import http
from groundswell.crawlers.base import Batch, PayloadSource, Watermark, as_list, require
from groundswell.crawlers.http import NetworkOptions
from groundswell.errors import DropMention, InputError
from groundswell.options import StrList
from groundswell.records import Author, Mention, Metrics

PREFIX = ")]}'"


def _at(path: list[int], node: Any) -> Any:
    for index in path:
        if not isinstance(node, list) or index >= len(node):
            return None
        node = node[index]
    return node


def review_from_array(row: list[Any]) -> dict[str, Any]:
    """One review array (positions as in google-play-scraper's ElementSpecs.Review) -> dict."""
    when, replied = _at([5, 0], row), _at([7, 2, 0], row)
    return {
        "reviewId": _at([0], row),
        "userName": _at([1, 0], row),
        "content": _at([4], row),
        "score": _at([2], row),
        "thumbsUpCount": _at([6], row),
        "reviewCreatedVersion": _at([10], row),
        "at": datetime.fromtimestamp(when, UTC).isoformat() if isinstance(when, int | float) else None,
        "replyContent": _at([7, 1], row),
        "repliedAt": datetime.fromtimestamp(replied, UTC).isoformat()
        if isinstance(replied, int | float)
        else None,
    }


def split_batchexecute(text: str) -> tuple[list[Any], str | None]:
    """Review arrays and the next-page token of a raw `oCPfdb` response."""
    body = text[len(PREFIX) :] if text.startswith(PREFIX) else text
    for line in body.strip().splitlines():
        line = line.strip()
        if not line.startswith("[["):
            continue
        try:
            envelope = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"Google Play response: broken envelope (truncated?): {exc.msg}") from None
        for entry in envelope:
            if isinstance(entry, list) and len(entry) > 2 and entry[:2] == ["wrb.fr", "oCPfdb"]:
                if entry[2] is None:
                    return [], None
                payload = json.loads(entry[2])
                reviews = payload[0] if payload and isinstance(payload[0], list) else []
                token = _at([1, 1], payload)
                return reviews, token if isinstance(token, str) else None
    raise InputError("Google Play response: no oCPfdb reviews payload (an error page?)")


class GooglePlayOptions(NetworkOptions):
    """Options of a `googleplay` source."""

    app_ids: StrList = Field(default_factory=list, description="Package names, e.g. com.example.app")
    app_id: str | None = Field(default=None, description="One app; same as a one-item `app_ids`")
    lang: str = Field(default="ko", description="Review language")
    country: str = Field(default="kr", description="Store country code")
    count: int = Field(default=100, ge=1, le=200, description="Reviews per page")
    max_pages: int = Field(default=3, ge=1, le=100, description="Pages per app and run")
    base_url: str | None = Field(default=None, description="Play Store root (tests: a local server)")


class GooglePlaySource(PayloadSource):
    type = "googleplay"
    Options = GooglePlayOptions
    ENDPOINTS = ("base_url",)
    KNOWN_FIELDS = frozenset(
        {"reviewId", "userName", "userImage", "content", "score", "thumbsUpCount", "reviewCreatedVersion",
         "at", "replyContent", "repliedAt", "appVersion", "appId"}
    )  # fmt: skip

    def __init__(self, name: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(name, options)
        self.app_ids = as_list(self.options.get("app_ids") or self.options.get("app_id"))
        self.lang = str(self.options["lang"])
        self.country = str(self.options["country"])
        self.count = int(self.options["count"])
        self.max_pages = int(self.options["max_pages"])
        self.base_url = self.options.get("base_url")
        self._app: str | None = None
        self._token: str | None = None

    @classmethod
    def from_settings(cls, cfg: SourceSettings) -> Self:
        return require(cls(cfg.name, cfg.options), "app_ids").checked()

    # -- parse ---------------------------------------------------------------------------------------

    def items(self, raw: bytes | str) -> Iterable[Any]:
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        stripped = text.lstrip()
        if stripped.startswith(PREFIX):
            rows, self._token = split_batchexecute(stripped)
            return [review_from_array(r) if isinstance(r, list) else r for r in rows]
        if stripped.startswith("["):
            from groundswell.crawlers.base import load_json

            return list(load_json(stripped, f"{self.name}: Google Play reviews"))
        raise InputError(f"{self.name}: not a Google Play reviews response: {stripped[:60]!r}")

    def map_item(self, item: Any) -> Mention:
        if not item.get("reviewId"):
            raise DropMention("missing-id")
        text = item.get("content")
        if not isinstance(text, str) or not text.strip():
            raise DropMention("empty")
        app = item.get("appId") or self._app
        return self.mention(
            item["reviewId"],
            text=text,
            created_at=item["at"],
            url=f"https://play.google.com/store/apps/details?id={app}&reviewId={item['reviewId']}"
            if app
            else None,
            lang=self.lang if self._app else None,
            rating=float(item["score"]) if item.get("score") is not None else None,
            author=Author(handle=item.get("userName")),
            metrics=Metrics(likes=int(item.get("thumbsUpCount") or 0)),
            raw={**item, "appId": app} if app else item,
        )

    # -- fetch ---------------------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> Batch:
        from google_play_scraper.constants.request import Formats

        state: dict[str, Any] = json.loads(cursor) if cursor else {}
        batch = Batch()
        url = self.base_url or Formats.Reviews.build(lang=self.lang, country=self.country)
        for app in self.app_ids:
            mark = Watermark.load(state.get(app))
            newest = Watermark(mark.at, set(mark.ids))
            token = None
            self._app = app
            for _page in range(self.max_pages):
                body = Formats.Reviews.build_body(app, 2, self.count, "null", "null", token)
                raw = http.post(
                    url,
                    content=body,
                    headers=FORM,
                    what=f"{self.name}: Google Play {app}",
                    network=self.network,
                )
                page = self.parse_batch(raw)
                token = self._token
                fresh = [m for m in page.mentions if mark.is_new(m.created_at.isoformat(), m.native_id)]
                batch.extend(page)
                for m in fresh:
                    newest.advance(m.created_at.isoformat(), m.native_id)
                if not token or len(fresh) < page.fetched - page.rejected:
                    break
            state[app] = newest.dump()
        self._app = None
        batch.next_cursor = json.dumps(state, sort_keys=True)
        return batch


FORM = {"content-type": "application/x-www-form-urlencoded"}

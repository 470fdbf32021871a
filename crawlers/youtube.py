"""YouTube comments via the Data API v3 `commentThreads.list` (top-level comments and replies).

`part=snippet,replies`, `order=time`, `textFormat=plainText`, per video (`video_ids`) or channel
(`channel_ids` -> allThreadsRelatedToChannelId), optional `search_terms`. The API key comes from
the environment (`api_key_env`, default YOUTUBE_API_KEY) and travels in the `X-Goog-Api-Key`
header, never in a URL that could be logged. Cursor: a watermark per stream on `publishedAt`.
`quotaExceeded` (403) waits an hour instead of burning retries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Self

from pydantic import BeforeValidator, Field

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers import http
from groundswell.crawlers.base import Batch, PayloadSource, Watermark, as_list, load_object, require, secret
from groundswell.crawlers.http import NetworkOptions
from groundswell.errors import DropMention, SourceUnavailable
from groundswell.options import StrList
from groundswell.records import Author, Mention, Metrics

API = "https://www.googleapis.com/youtube/v3"


def _joined(value: Any) -> Any:
    """The API takes one `searchTerms` string; a YAML list of words is read as that string."""
    return " ".join(str(v) for v in value) if isinstance(value, list) else value


class YouTubeOptions(NetworkOptions):
    """Options of a `youtube` source."""

    video_ids: StrList = Field(default_factory=list, description="Videos whose comments are read")
    channel_ids: StrList = Field(default_factory=list, description="Channels whose comments are read")
    search_terms: Annotated[str | None, BeforeValidator(_joined)] = Field(
        default=None, description="Only comments containing these words (a list is joined by spaces)"
    )
    base_url: str = Field(default=API, description="API root (tests point it at a local server)")
    max_pages: int = Field(default=3, ge=1, le=100, description="Pages per stream and run")
    api_key_env: str = Field(default="YOUTUBE_API_KEY", description="Env var with the API key")


class YouTubeSource(PayloadSource):
    type = "youtube"
    Options = YouTubeOptions
    ENDPOINTS = ("base_url",)
    KNOWN_FIELDS = frozenset({"kind", "etag", "id", "snippet", "replies", "_thread"})

    def __init__(self, name: str, options: dict[str, Any] | None = None, key: str = "") -> None:
        super().__init__(name, options)
        self.key = key
        self.base_url = str(self.options["base_url"]).rstrip("/")
        self.video_ids = as_list(self.options.get("video_ids"))
        self.channel_ids = as_list(self.options.get("channel_ids"))
        self.search_terms = self.options.get("search_terms")
        self.max_pages = int(self.options["max_pages"])

    @classmethod
    def from_settings(cls, cfg: SourceSettings) -> Self:
        source = cls(cfg.name, cfg.options, secret(cfg, "api_key_env", "YOUTUBE_API_KEY"))
        return require(source, "video_ids", "channel_ids").checked()

    # -- parse ---------------------------------------------------------------------------------------

    def items(self, raw: bytes | str) -> Iterable[Any]:
        body = load_object(raw, f"{self.name}: YouTube response")
        if "error" in body:
            raise _api_error(self.name, body["error"])
        return list(_comments(body.get("items") or []))

    def map_item(self, item: Any) -> Mention:
        snippet = item["snippet"]
        text = snippet.get("textOriginal") or snippet.get("textDisplay")
        if not isinstance(text, str) or not text.strip():
            raise DropMention("empty")
        thread = item.get("_thread") or {}
        video = snippet.get("videoId") or thread.get("videoId")
        parent = snippet.get("parentId")
        return self.mention(
            item["id"],
            text=text,
            created_at=snippet["publishedAt"],
            url=f"https://www.youtube.com/watch?v={video}&lc={item['id']}" if video else None,
            author=Author(
                id=(snippet.get("authorChannelId") or {}).get("value"),
                handle=snippet.get("authorDisplayName"),
            ),
            metrics=Metrics(
                likes=int(snippet.get("likeCount") or 0), replies=int(thread.get("totalReplyCount") or 0)
            ),
            parent_id=Mention.make_id(self.name, parent) if parent else None,
            thread_id=Mention.make_id(self.name, parent or item["id"]),
            raw={k: v for k, v in item.items() if k != "_thread"},
        )

    # -- fetch ---------------------------------------------------------------------------------------

    def streams(self) -> list[tuple[str, dict[str, Any]]]:
        out = [(f"video:{v}", {"videoId": v}) for v in self.video_ids]
        out += [(f"channel:{c}", {"allThreadsRelatedToChannelId": c}) for c in self.channel_ids]
        if self.search_terms:
            for _, params in out:
                params["searchTerms"] = self.search_terms
        return out

    def fetch(self, cursor: str | None) -> Batch:
        state: dict[str, Any] = json.loads(cursor) if cursor else {}
        batch = Batch()
        for key, selector in self.streams():
            mark = Watermark.load(state.get(key))
            newest = Watermark(mark.at, set(mark.ids))
            page_token = None
            for _page in range(self.max_pages):
                params = {"part": "snippet,replies", "order": "time", "maxResults": 100,
                          "textFormat": "plainText", **selector}  # fmt: skip
                if page_token:
                    params["pageToken"] = page_token
                body = http.get(f"{self.base_url}/commentThreads", params=params,
                                headers={"X-Goog-Api-Key": self.key}, secrets=[self.key],
                                what=f"{self.name}: YouTube {key}", accept=(400, 403, 404), network=self.network)  # fmt: skip
                page = self.parse_batch(body)
                stamps = {m.native_id: m.raw["snippet"]["publishedAt"] for m in page.mentions if m.raw}
                fresh = [m for m in page.mentions if mark.is_new(stamps[m.native_id], m.native_id)]
                batch.extend(page)
                for m in fresh:
                    newest.advance(stamps[m.native_id], m.native_id)
                page_token = json.loads(body).get("nextPageToken")
                if not page_token or len(fresh) < len(stamps):
                    break
            state[key] = newest.dump()
        batch.next_cursor = json.dumps(state, sort_keys=True)
        return batch


def _comments(threads: list[Any]) -> Iterator[dict[str, Any]]:
    """Top-level comment then its replies, each carrying its thread's snippet for context."""
    for thread in threads:
        if not isinstance(thread, dict):
            yield thread
            continue
        snippet = thread.get("snippet") or {}
        context = {"videoId": snippet.get("videoId"), "totalReplyCount": snippet.get("totalReplyCount")}
        top = snippet.get("topLevelComment")
        if isinstance(top, dict):
            yield {**top, "_thread": context}
        else:
            yield {"id": thread.get("id"), "_thread": context}  # counted as malformed
        for reply in (thread.get("replies") or {}).get("comments") or []:
            yield {**reply, "_thread": {"videoId": snippet.get("videoId")}}


def _api_error(name: str, error: Any) -> SourceUnavailable:
    reasons = [e.get("reason") for e in (error.get("errors") or [])] if isinstance(error, dict) else []
    message = error.get("message") if isinstance(error, dict) else error
    wait = 3600.0 if {"quotaExceeded", "rateLimitExceeded", "dailyLimitExceeded"} & set(reasons) else None
    return SourceUnavailable(
        f"{name}: YouTube error {', '.join(filter(None, reasons)) or ''}: {message}", wait
    )

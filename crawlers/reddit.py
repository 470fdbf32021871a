"""Reddit via praw (OAuth, rate limits handled by prawcore), reading listings as plain JSON.

Streams: each `queries` entry searched (sort=new) in `subreddits` (default r/all); each subreddit's
new submissions (`new: true`) and new comments (`comments: true`). Cursor per stream: a
`Watermark` (the newest `created_utc` committed and the ids at that second, the same cursor the
app stores use), so paging stops at what is already stored.
Options: `client_id_env` (REDDIT_CLIENT_ID), `client_secret_env` (REDDIT_CLIENT_SECRET),
`user_agent`, `max_pages` (per stream and run, 100 items a page).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, Self

from pydantic import Field

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers.base import (
    Batch,
    PayloadSource,
    Watermark,
    as_list,
    load_json,
    optional_package,
    secret,
)
from groundswell.crawlers.http import Network, ProxyOptions, configure_session
from groundswell.errors import DropMention, SourceDisabled, SourceUnavailable
from groundswell.options import StrList
from groundswell.records import Author, Mention, Metrics

logging.getLogger("prawcore").setLevel(logging.INFO)  # its DEBUG lines carry request details
USER_AGENT = "python:groundswell:0.1 (social listening)"


class RedditOptions(ProxyOptions):
    """Options of a `reddit` source."""

    queries: StrList = Field(default_factory=list, description="Searches (sort=new), one stream each")
    query: str | None = Field(default=None, description="One search; same as a one-item `queries`")
    subreddits: StrList = Field(default_factory=lambda: ["all"], description="Where to search and follow")
    new: bool = Field(default=False, description="Follow each subreddit's new submissions")
    comments: bool = Field(default=False, description="Follow each subreddit's new comments")
    user_agent: str = Field(default=USER_AGENT, description="Sent to Reddit, which requires one")
    max_pages: int = Field(default=3, ge=1, le=100, description="Pages (100 items) per stream and run")
    client_id_env: str = Field(default="REDDIT_CLIENT_ID", description="Env var with the OAuth client id")
    client_secret_env: str = Field(default="REDDIT_CLIENT_SECRET", description="Env var with the secret")


class RedditSource(PayloadSource):
    type = "reddit"
    Options = RedditOptions
    KNOWN_FIELDS = frozenset({"kind", "data"})

    def __init__(self, name: str, options: dict[str, Any] | None = None, reddit: Any = None) -> None:
        super().__init__(name, options)
        self.reddit = reddit
        self.queries = as_list(self.options.get("queries") or self.options.get("query"))
        self.subreddits = as_list(self.options.get("subreddits")) or ["all"]
        self.max_pages = int(self.options["max_pages"])

    @classmethod
    def from_settings(cls, cfg: SourceSettings) -> Self:
        client_id = secret(cfg, "client_id_env", "REDDIT_CLIENT_ID")
        client_secret = secret(cfg, "client_secret_env", "REDDIT_CLIENT_SECRET")
        praw = optional_package("praw", "reddit")
        import requests

        reddit = praw.Reddit(
            client_id=client_id,
            client_secret=client_secret,
            user_agent=str(cfg.options.get("user_agent", USER_AGENT)),
            check_for_updates=False,
            requestor_kwargs={"session": configure_session(requests.Session(), Network.of(cfg.options))},
        )
        reddit.read_only = True
        source = cls(cfg.name, cfg.options, reddit)
        if not source.streams():
            raise SourceDisabled(f"source {cfg.name!r}: set options.queries or options.subreddits")
        return source

    def streams(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(key, path, params) per listing this source follows."""
        multi = "+".join(self.subreddits)
        out = []
        for query in self.queries:
            params = {"q": query, "sort": "new", "restrict_sr": multi != "all", "t": "week", "limit": 100}
            out.append((f"search:{multi}:{query}", f"/r/{multi}/search", params))
        for sub in self.subreddits if self.options.get("new") else []:
            out.append((f"new:{sub}", f"/r/{sub}/new", {"limit": 100}))
        for sub in self.subreddits if self.options.get("comments") else []:
            out.append((f"comments:{sub}", f"/r/{sub}/comments", {"limit": 100}))
        return out

    # -- parse ---------------------------------------------------------------------------------------

    def items(self, raw: bytes | str | Any) -> Iterable[Any]:
        body = load_json(raw, f"{self.name}: Reddit listing") if isinstance(raw, bytes | str) else raw
        if isinstance(body, dict) and "error" in body and "data" not in body:
            raise SourceUnavailable(
                f"{self.name}: Reddit error {body.get('error')}: {body.get('message', '')}"
            )
        return list(_walk(body))

    def map_item(self, item: Any) -> Mention:
        kind, data = item.get("kind"), item.get("data")
        if not isinstance(data, dict):
            raise DropMention("malformed:no-data")
        fullname = data.get("name") or (f"{kind}_{data['id']}" if data.get("id") else "")
        if data.get("author") in ("[deleted]", None) and data.get("body", data.get("selftext")) in (
            "[deleted]",
            "[removed]",
        ):
            raise DropMention("deleted")
        if kind == "t3":
            title, body = data.get("title") or "", data.get("selftext") or ""
            text = f"{title}\n\n{body}".strip() if body else title
            replies, thread = int(data.get("num_comments") or 0), None
        else:
            title, text = None, data.get("body")
            replies, thread = 0, data.get("link_id")
        if not isinstance(text, str) or not text:
            raise DropMention("missing-text")
        permalink = data.get("permalink")
        return self.mention(
            fullname,
            text=text,
            title=title,
            created_at=datetime.fromtimestamp(float(data["created_utc"]), UTC),
            url=f"https://www.reddit.com{permalink}" if permalink else data.get("url"),
            author=Author(id=data.get("author_fullname"), handle=data.get("author")),
            metrics=Metrics(
                likes=max(0, int(data.get("score") or 0)),
                replies=replies,
                shares=int(data.get("num_crossposts") or 0),
            ),
            parent_id=Mention.make_id(self.name, data["parent_id"]) if data.get("parent_id") else None,
            thread_id=Mention.make_id(self.name, thread) if thread else None,
            raw=item,
        )

    # -- fetch ---------------------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> Batch:
        state: dict[str, Any] = json.loads(cursor) if cursor else {}
        batch = Batch()
        for key, path, params in self.streams():
            mark = Watermark.load(state.get(key))
            newest = Watermark(mark.at, set(mark.ids))
            after = None
            for _page in range(self.max_pages):
                body = self._get(path, {**params, "after": after} if after else params)
                page = self.parse_batch(body)
                fresh = [m for m in page.mentions if mark.is_new(m.created_at.isoformat(), m.native_id)]
                batch.extend(page)
                for m in fresh:
                    newest.advance(m.created_at.isoformat(), m.native_id)
                after = (body.get("data") or {}).get("after") if isinstance(body, dict) else None
                if len(fresh) < page.fetched or not after:
                    break
            state[key] = newest.dump()
        batch.next_cursor = json.dumps(state, sort_keys=True)
        return batch

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        import prawcore

        try:
            return self.reddit.request(method="GET", path=path, params=params)
        except prawcore.exceptions.TooManyRequests as exc:
            wait = float(exc.retry_after) if exc.retry_after else None
            raise SourceUnavailable(f"{self.name}: Reddit rate limit (429)", retry_after=wait) from None
        except prawcore.exceptions.ResponseException as exc:
            raise SourceUnavailable(
                f"{self.name}: Reddit HTTP {exc.response.status_code} on {path}"
            ) from None
        except prawcore.exceptions.PrawcoreException as exc:
            raise SourceUnavailable(f"{self.name}: Reddit request failed: {type(exc).__name__}") from None


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Submissions and comments of a listing, a [post, comments] pair, or nested replies."""
    if isinstance(node, list):
        for child in node:
            yield from _walk(child)
    elif isinstance(node, dict):
        kind = node.get("kind")
        data = node.get("data")
        if kind == "Listing" and isinstance(data, dict):
            yield from _walk(data.get("children") or [])
        elif kind in ("t1", "t3"):
            yield node
            if isinstance(data, dict) and isinstance(data.get("replies"), dict):
                yield from _walk(data["replies"])

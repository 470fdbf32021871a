"""Bluesky: `app.bsky.feed.searchPosts` (sort=latest) over XRPC, with an optional app password.

The AppView may refuse anonymous search, so `identifier_env` + `app_password_env` (if set) open a
session (`com.atproto.server.createSession`) and the access token rides in a header. Cursor per
query: the newest `indexedAt` committed plus the post URIs at that instant; later runs pass it as
`since` and page with the response `cursor` until they reach it. Native id: `did/rkey` of the
post's at:// URI. `parse` also reads getPostThread, getPosts and feed bodies.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, Self

from pydantic import Field

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers import http
from groundswell.crawlers.base import Batch, PayloadSource, as_list, load_object, require, secret
from groundswell.crawlers.http import NetworkOptions
from groundswell.errors import DropMention, InputError, SourceUnavailable
from groundswell.options import StrList
from groundswell.records import Author, Mention, Metrics

SERVICE = "https://public.api.bsky.app"


def post_key(uri: str) -> str:
    """at://did:plc:abc/app.bsky.feed.post/3kx -> did:plc:abc/3kx"""
    if not uri.startswith("at://") or "/app.bsky.feed.post/" not in uri:
        raise DropMention("not-a-post")
    did, _, rkey = uri[5:].partition("/app.bsky.feed.post/")
    return f"{did}/{rkey}"


class BlueskyOptions(NetworkOptions):
    """Options of a `bluesky` source."""

    queries: StrList = Field(default_factory=list, description="searchPosts queries")
    query: str | None = Field(default=None, description="One query; same as a one-item `queries`")
    lang: str | None = Field(default=None, description="Only posts in this language")
    service: str = Field(default=SERVICE, description="AppView URL")
    max_pages: int = Field(default=5, ge=1, le=100, description="Pages per query and run")
    identifier_env: str | None = Field(default=None, description="Env var with the login handle")
    app_password_env: str | None = Field(default=None, description="Env var with an app password")


class BlueskySource(PayloadSource):
    type = "bluesky"
    Options = BlueskyOptions
    ENDPOINTS = ("service",)
    KNOWN_FIELDS = frozenset(
        {"uri", "cid", "author", "record", "embed", "replyCount", "repostCount", "likeCount", "quoteCount",
         "indexedAt", "labels", "viewer", "bookmarkCount", "threadgate"}
    )  # fmt: skip

    def __init__(
        self, name: str, options: dict[str, Any] | None = None, login: tuple[str, str] | None = None
    ) -> None:
        super().__init__(name, options)
        self.service = str(self.options["service"]).rstrip("/")
        self.queries = as_list(self.options.get("queries") or self.options.get("query"))
        self.lang = self.options.get("lang")
        self.max_pages = int(self.options["max_pages"])
        self.login = login
        self._token = ""

    @classmethod
    def from_settings(cls, cfg: SourceSettings) -> Self:
        login = None
        if cfg.options.get("identifier_env") or cfg.options.get("app_password_env"):  # a login: both
            login = (secret(cfg, "identifier_env"), secret(cfg, "app_password_env"))
        return require(cls(cfg.name, cfg.options, login), "queries").checked()

    # -- parse ---------------------------------------------------------------------------------------

    def items(self, raw: bytes | str) -> Iterable[Any]:
        body = load_object(raw, f"{self.name}: Bluesky response")
        if "error" in body and "posts" not in body:
            raise SourceUnavailable(f"{self.name}: Bluesky error {body['error']}: {body.get('message', '')}")
        if "posts" in body:
            return body["posts"]
        if "feed" in body:
            return [entry.get("post") for entry in body["feed"]]
        if "thread" in body:
            return list(_thread_posts(body["thread"]))
        raise InputError(f"{self.name}: no posts, feed or thread in the Bluesky response")

    def map_item(self, item: Any) -> Mention:
        record = item.get("record") or {}
        text = record.get("text") or ""
        alts = [str(img["alt"]) for img in _images(record.get("embed")) if img.get("alt")]
        text = "\n".join([text, *alts]).strip()
        if not text:
            raise DropMention("empty")
        author = item.get("author") or {}
        key = post_key(item["uri"])
        reply = record.get("reply") or {}
        parent, root = (reply.get("parent") or {}).get("uri"), (reply.get("root") or {}).get("uri")
        return self.mention(
            key,
            text=text,
            created_at=record.get("createdAt") or item["indexedAt"],
            url=f"https://bsky.app/profile/{author.get('handle') or author.get('did')}/post/{key.rsplit('/', 1)[1]}",
            lang=(record.get("langs") or [None])[0],
            author=Author(
                id=author.get("did"),
                handle=author.get("handle"),
                display_name=author.get("displayName") or None,
            ),
            metrics=Metrics(
                likes=int(item.get("likeCount") or 0),
                shares=int(item.get("repostCount") or 0) + int(item.get("quoteCount") or 0),
                replies=int(item.get("replyCount") or 0),
            ),
            parent_id=Mention.make_id(self.name, post_key(parent)) if parent else None,
            thread_id=Mention.make_id(self.name, post_key(root)) if root else None,
            raw=item,
        )

    # -- fetch ---------------------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> Batch:
        state: dict[str, dict[str, Any]] = json.loads(cursor) if cursor else {}
        batch = Batch()
        for query in self.queries:
            seen = state.get(query, {"since": "", "uris": []})
            newest, newest_uris = seen["since"], set(seen["uris"])
            page_cursor = None
            for _page in range(self.max_pages):
                params: dict[str, Any] = {"q": query, "sort": "latest", "limit": 100}
                if seen["since"]:
                    params["since"] = seen["since"]
                if self.lang:
                    params["lang"] = self.lang
                if page_cursor:
                    params["cursor"] = page_cursor
                body = self._get("/xrpc/app.bsky.feed.searchPosts", params)
                posts = {
                    p["uri"]: p.get("indexedAt", "") for p in json.loads(body).get("posts", []) if "uri" in p
                }
                page = self.parse_batch(body)
                old = [
                    u
                    for u, t in posts.items()
                    if t < seen["since"] or (t == seen["since"] and u in seen["uris"])
                ]
                batch.extend(page)  # re-seen posts stay in: their new counters update metrics history
                for uri, at in posts.items():
                    if at > newest:
                        newest, newest_uris = at, {uri}
                    elif at == newest:
                        newest_uris.add(uri)
                page_cursor = json.loads(body).get("cursor")
                if old or not page_cursor or not posts:
                    break
            state[query] = {"since": newest, "uris": sorted(newest_uris)}
        batch.next_cursor = json.dumps(state, sort_keys=True)
        return batch

    def _get(self, path: str, params: dict[str, Any]) -> bytes:
        if self.login and not self._token:
            self._token = self._session()
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        secrets = [self._token, *(self.login or ())]
        return http.get(self.service + path, params=params, headers=headers, secrets=secrets,
                        what=f"{self.name}: Bluesky search", network=self.network)  # fmt: skip

    def _session(self) -> str:
        assert self.login is not None
        body = http.post(
            self.service + "/xrpc/com.atproto.server.createSession",
            json={"identifier": self.login[0], "password": self.login[1]},
            secrets=list(self.login),
            what=f"{self.name}: Bluesky login failed",
            network=self.network,
        )
        return str(load_object(body, f"{self.name}: Bluesky login").get("accessJwt", ""))


def _thread_posts(node: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(node, dict):
        return
    if isinstance(node.get("parent"), dict):
        yield from _thread_posts(node["parent"])
    if isinstance(node.get("post"), dict):
        yield node["post"]
    for reply in node.get("replies") or []:
        yield from _thread_posts(reply)


def _images(embed: Any) -> list[dict[str, Any]]:
    if not isinstance(embed, dict):
        return []
    images = list(embed.get("images") or [])
    return images + _images(embed.get("media"))

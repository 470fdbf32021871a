"""Mastodon: hashtag timelines (public, no token) and status search (`/api/v2/search`, token).

Streams page forward with `min_id` (the statuses immediately newer than the cursor), so a run
that stops half-way resumes without a gap. Ids: a status id is local to the instance that
serves it, so the native id is derived from the global `uri` (the same toot seen through two
instances is one mention). Boosts map to the boosted status. `groundswell parse` also takes a
status context (`/api/v1/statuses/:id/context`, the replies to a brand's post), whose replies
are linked to their parents. Options: `instance` (URL),
`hashtags`, `queries`, `access_token_env` (needed for search), `limit` (<= 40), `max_pages`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from typing import Any, Self
from urllib.parse import quote

from pydantic import Field

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers import http
from groundswell.crawlers.base import Batch, PayloadSource, as_list, load_json, secret
from groundswell.crawlers.http import NetworkOptions
from groundswell.crawlers.rss import plain_text
from groundswell.errors import DropMention, InputError, SourceDisabled, SourceUnavailable
from groundswell.options import StrList
from groundswell.records import Author, Mention, Metrics

log = logging.getLogger(__name__)


class MastodonOptions(NetworkOptions):
    """Options of a `mastodon` source."""

    instance: str = Field(default="https://mastodon.social", description="Instance URL")
    hashtags: StrList = Field(default_factory=list, description="Hashtag timelines to follow (public)")
    queries: StrList = Field(default_factory=list, description="Status searches (need a token)")
    access_token_env: str | None = Field(default=None, description="Env var with an access token")
    limit: int = Field(default=40, ge=1, le=40, description="Statuses per page")
    max_pages: int = Field(default=5, ge=1, le=100, description="Pages per stream and run")


class MastodonSource(PayloadSource):
    type = "mastodon"
    Options = MastodonOptions
    ENDPOINTS = ("instance",)
    KNOWN_FIELDS = frozenset(
        {"id", "created_at", "content", "spoiler_text", "url", "uri", "language", "account",
         "favourites_count", "reblogs_count", "replies_count", "quotes_count", "reblog", "in_reply_to_id",
         "visibility"}
    )  # fmt: skip

    def __init__(self, name: str, options: dict[str, Any] | None = None, token: str = "") -> None:
        super().__init__(name, options)
        self.instance = str(self.options["instance"]).rstrip("/")
        self.token = token
        self.hashtags = [h.lstrip("#") for h in as_list(self.options.get("hashtags"))]
        self.queries = as_list(self.options.get("queries"))
        self.limit = int(self.options["limit"])  # 1-40: bounded by MastodonOptions
        self.max_pages = int(self.options["max_pages"])
        self._local: dict[str, str] = {}  # local status id -> native id, within one context payload

    @classmethod
    def from_settings(cls, cfg: SourceSettings) -> Self:
        env = cfg.options.get("access_token_env")
        token = secret(cfg, "access_token_env", required=False)
        source = cls(cfg.name, cfg.options, token)
        if source.queries and not token:
            log.warning(
                "%s: search needs a token (set %s); only hashtags are followed",
                cfg.name,
                env or "access_token_env",
            )
            source.queries = []
        if not source.hashtags and not source.queries:
            raise SourceDisabled(
                f"source {cfg.name!r}: set options.hashtags (or queries with access_token_env)"
            )
        return source.checked()

    def streams(self) -> list[tuple[str, str, dict[str, Any]]]:
        out: list[tuple[str, str, dict[str, Any]]] = [
            (f"tag:{t}", f"/api/v1/timelines/tag/{quote(t)}", {}) for t in self.hashtags
        ]
        out += [(f"search:{q}", "/api/v2/search", {"q": q, "type": "statuses"}) for q in self.queries]
        return out

    # -- parse ---------------------------------------------------------------------------------------

    def items(self, raw: bytes | str) -> Iterable[Any]:
        body = load_json(raw, f"{self.name}: Mastodon response")
        self._local = {}
        if isinstance(body, dict) and "error" in body:
            raise SourceUnavailable(f"{self.name}: Mastodon error: {body['error']}")
        if isinstance(body, dict) and "statuses" in body:  # v2 search
            body = body["statuses"]
        elif isinstance(body, dict) and ("ancestors" in body or "descendants" in body):
            body = self._context(body)
        elif isinstance(body, dict) and "id" in body:  # one status
            body = [body]
        if not isinstance(body, list):
            raise InputError(
                f"{self.name}: expected a list of statuses, a search result or a context "
                '({"ancestors": [...], "descendants": [...]})'
            )
        return body

    def _context(self, body: dict[str, Any]) -> list[Any]:
        """`/api/v1/statuses/:id/context`: the thread above and the replies below a status.

        A reply names its parent by the instance-local id; within one context the parent's
        global id is known, so `parent_id` links replies to the posts they answer.
        """
        statuses = []
        for key in ("ancestors", "descendants"):
            part = body.get(key) or []
            if not isinstance(part, list):
                raise InputError(f"{self.name}: context field {key!r} must be a list of statuses")
            statuses += part
        self._local = {
            str(s["id"]): _native(s) for s in statuses if isinstance(s, dict) and s.get("id") and _uri(s)
        }
        return statuses

    def map_item(self, item: Any) -> Mention:
        status = item.get("reblog") or item
        if status.get("visibility") in ("private", "direct"):
            raise DropMention("not-public")
        text = plain_text(status.get("content") or "")
        if status.get("spoiler_text"):
            text = f"{status['spoiler_text']}\n\n{text}".strip()
        if not text:
            raise DropMention("empty")
        account = status.get("account") or {}
        if not _uri(status):
            raise KeyError("uri")
        parent = self._local.get(str(status.get("in_reply_to_id")))
        return self.mention(
            _native(status),
            parent_id=Mention.make_id(self.name, parent) if parent else None,
            text=text,
            created_at=status["created_at"],
            url=status.get("url") or _uri(status),
            lang=status.get("language"),
            author=Author(
                id=account.get("url") or account.get("id"),
                handle=account.get("acct"),
                display_name=account.get("display_name") or None,
                followers=account.get("followers_count"),
            ),
            metrics=Metrics(
                likes=int(status.get("favourites_count") or 0),
                shares=int(status.get("reblogs_count") or 0) + int(status.get("quotes_count") or 0),
                replies=int(status.get("replies_count") or 0),
            ),
            raw=item,
        )

    # -- fetch ---------------------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> Batch:
        state: dict[str, str] = json.loads(cursor) if cursor else {}
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        batch = Batch()
        for key, path, params in self.streams():
            for _page in range(self.max_pages):
                query = {**params, "limit": self.limit}
                if state.get(key):
                    query["min_id"] = state[key]
                body = http.get(self.instance + path, params=query, headers=headers, secrets=[self.token],
                                what=f"{self.name}: Mastodon {key}", network=self.network)  # fmt: skip
                ids = [
                    int(s["id"])
                    for s in self.items(body)
                    if isinstance(s, dict) and str(s.get("id", "")).isdigit()
                ]
                batch.extend(self.parse_batch(body))
                if ids:
                    state[key] = str(max(ids, default=0))
                if len(ids) < self.limit:
                    break
            batch.more = False
        batch.next_cursor = json.dumps(state, sort_keys=True)
        return batch


def _uri(status: dict[str, Any]) -> str | None:
    return status.get("uri") or status.get("url")


def _native(status: dict[str, Any]) -> str:
    """The native id: from the global `uri`, so one toot seen through two instances is one mention."""
    return hashlib.sha1(str(_uri(status)).encode()).hexdigest()[:20]

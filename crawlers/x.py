"""X (Twitter) API v2 recent search via tweepy, one `since_id` cursor per query.

Options: `queries` (list), `bearer_token_env` (default X_BEARER_TOKEN), `max_results` (10-100),
`max_pages` (per query and run). Pages are newest first, so a page's cursor keeps the old
`since_id` plus the `next_token` until the last page is committed: a crash mid-pagination resumes
the pages instead of skipping them. 429 -> SourceUnavailable with `x-rate-limit-reset`.
Tweets without `created_at` (default fields only) get it from the snowflake id.

`mode: stream` uses the filtered stream instead: each run makes sure a rule (tagged
`groundswell:<source>`) exists per query, listens for `stream_seconds` (default 60), then
disconnects; there is no cursor (ids dedupe). The stream's own reconnect loop is off
(`max_retries=0`): a failed connection is one failed run, retried by the scheduler's backoff.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal, Self

from pydantic import Field

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers.base import (
    Batch,
    PayloadSource,
    as_list,
    load_object,
    optional_package,
    require,
    secret,
)
from groundswell.crawlers.http import ProxyOptions, configure_session
from groundswell.errors import DropMention, InputError, SourceUnavailable
from groundswell.html_entities import unescape_once
from groundswell.http_hints import retry_after
from groundswell.options import StrList
from groundswell.records import Author, Mention, Metrics

# tweepy logs request headers (the bearer token) at DEBUG: keep it quiet even under -v.
logging.getLogger("tweepy.client").setLevel(logging.INFO)
log = logging.getLogger(__name__)

TWEET_FIELDS = ["created_at", "public_metrics", "lang", "conversation_id", "in_reply_to_user_id",
                "referenced_tweets", "author_id", "entities"]  # fmt: skip
USER_FIELDS = ["username", "name", "public_metrics", "verified"]
EXPANSIONS = ["author_id"]
TWITTER_EPOCH_MS = 1288834974657


def snowflake_time(tweet_id: str) -> datetime:
    """Creation time encoded in a tweet id (ms since the Twitter epoch in the top bits)."""
    return datetime.fromtimestamp(((int(tweet_id) >> 22) + TWITTER_EPOCH_MS) / 1000, UTC)


class XOptions(ProxyOptions):
    """Options of an `x` source."""

    queries: StrList = Field(default_factory=list, description="Recent-search queries (X query syntax)")
    query: str | None = Field(default=None, description="One query; same as a one-item `queries`")
    max_results: int = Field(
        default=100, ge=10, le=100, description="Tweets per page (the API allows 10-100)"
    )
    max_pages: int = Field(default=5, ge=1, le=100, description="Pages per query and run")
    mode: Literal["search", "stream"] = Field(
        default="search", description="Recent search or filtered stream"
    )
    stream_seconds: float = Field(default=60, gt=0, le=3600, description="Listening time per run (stream)")
    bearer_token_env: str = Field(default="X_BEARER_TOKEN", description="Env var with the bearer token")


class XSource(PayloadSource):
    type = "x"
    Options = XOptions
    KNOWN_FIELDS = frozenset(
        {"id", "text", "created_at", "author_id", "public_metrics", "lang", "conversation_id",
         "in_reply_to_user_id", "referenced_tweets", "edit_history_tweet_ids", "entities"}
    )  # fmt: skip

    def __init__(self, name: str, options: dict[str, Any] | None = None, client: Any = None) -> None:
        super().__init__(name, options)
        self.client = client
        self.queries = as_list(self.options.get("queries") or self.options.get("query"))
        self.max_results = int(self.options["max_results"])  # 10-100: bounded by XOptions
        self.max_pages = int(self.options["max_pages"])
        self._users: dict[str, dict[str, Any]] = {}
        self._meta: dict[str, Any] = {}
        self.token = ""
        self.mode = str(self.options["mode"])
        self.stream_seconds = float(self.options["stream_seconds"])

    @classmethod
    def from_settings(cls, cfg: SourceSettings) -> Self:
        token = secret(cfg, "bearer_token_env", "X_BEARER_TOKEN")
        tweepy = optional_package("tweepy", "x")
        import requests

        client = tweepy.Client(bearer_token=token, return_type=requests.Response, wait_on_rate_limit=False)
        client.session.request = functools.partial(client.session.request, timeout=30)
        source = cls(cfg.name, cfg.options, client)
        configure_session(client.session, source.network)
        source.token = token
        return require(source, "queries")

    # -- parse ---------------------------------------------------------------------------------------

    def items(self, raw: bytes | str) -> Iterable[Any]:
        body = load_object(raw, f"{self.name}: X response")
        if "data" not in body and body.get("errors") and not body.get("meta"):
            raise SourceUnavailable(
                f"{self.name}: X error: {body['errors'][0].get('detail', body['errors'][0])}"
            )
        includes = body.get("includes") or {}
        self._meta = body.get("meta") or {}
        self._users = {u["id"]: u for u in includes.get("users", []) if isinstance(u, dict) and "id" in u}
        data = body.get("data") or []
        return data if isinstance(data, list) else [data]

    def map_item(self, item: Any) -> Mention:
        if not isinstance(item, dict) or not item.get("id"):
            raise DropMention("missing-id")
        text = item.get("text")
        if not isinstance(text, str):
            raise DropMention("missing-text")
        tweet_id = str(item["id"])
        created = item.get("created_at") or snowflake_time(tweet_id)
        pm = item.get("public_metrics") or {}
        user = self._users.get(str(item.get("author_id")), {})
        upm = user.get("public_metrics") or {}
        handle = user.get("username")
        parent = next(
            (r["id"] for r in item.get("referenced_tweets") or [] if r.get("type") == "replied_to"), None
        )
        return self.mention(
            tweet_id,
            text=unescape_once(text),  # the X API escapes &, < and > in tweet text
            created_at=created,
            url=f"https://x.com/{handle or 'i/web'}/status/{tweet_id}",
            lang=item.get("lang") if item.get("lang") not in (None, "und", "zxx") else None,
            author=Author(
                id=str(item["author_id"]) if item.get("author_id") else None,
                handle=handle,
                display_name=user.get("name"),
                followers=upm.get("followers_count"),
            ),
            metrics=Metrics(
                likes=pm.get("like_count", 0),
                shares=pm.get("retweet_count", 0) + pm.get("quote_count", 0),
                replies=pm.get("reply_count", 0),
                views=pm.get("impression_count", 0),
            ),
            parent_id=Mention.make_id(self.name, str(parent)) if parent else None,
            thread_id=Mention.make_id(self.name, str(item["conversation_id"]))
            if item.get("conversation_id")
            else None,
            raw={"tweet": item, "author": user or None},
        )

    # -- fetch ---------------------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> Batch:
        """One page of one query; `more` until every query has reached its newest tweets."""
        if self.mode == "stream":
            return self.listen()
        state: dict[str, Any] = json.loads(cursor) if cursor else {}
        turn = int(state.get("_turn", 0)) % len(self.queries)
        query = self.queries[turn]
        qstate = dict(state.get(query, {}))
        batch = self.parse_batch(self._search(query, qstate))
        meta = self._meta
        if not qstate.get("next_token") and meta.get("newest_id"):
            qstate["newest"] = meta["newest_id"]  # first page of a pass: remember the newest id
        qstate["pages"] = qstate.get("pages", 0) + 1
        if meta.get("next_token") and qstate["pages"] < self.max_pages:
            qstate["next_token"] = meta["next_token"]
            batch.more = True
        else:  # pass complete: from now on only tweets newer than this pass's newest
            qstate["since_id"] = qstate.pop("newest", None) or qstate.get("since_id")
            qstate.pop("next_token", None)
            qstate["pages"] = 0
            turn += 1
            batch.more = turn < len(self.queries)
        state[query] = qstate
        state["_turn"] = turn % len(self.queries)
        batch.next_cursor = json.dumps(state, sort_keys=True)
        return batch

    def _search(self, query: str, qstate: dict[str, Any]) -> bytes:
        import requests
        import tweepy

        kwargs: dict[str, Any] = {
            "max_results": self.max_results,
            "expansions": EXPANSIONS,
            "tweet_fields": TWEET_FIELDS,
            "user_fields": USER_FIELDS,
        }
        if qstate.get("since_id"):
            kwargs["since_id"] = qstate["since_id"]
        if qstate.get("next_token"):
            kwargs["next_token"] = qstate["next_token"]
        try:
            response = self.client.search_recent_tweets(query, **kwargs)
        except tweepy.TooManyRequests as exc:
            wait = retry_after(exc.response.headers)
            raise SourceUnavailable(
                f"{self.name}: X rate limit (429); reset in {wait or '?'} s", wait
            ) from None
        except tweepy.HTTPException as exc:
            raise SourceUnavailable(f"{self.name}: X HTTP {exc.response.status_code}: {exc}") from None
        except requests.RequestException as exc:
            raise SourceUnavailable(f"{self.name}: X request failed: {type(exc).__name__}") from None
        return bytes(response.content)

    # -- filtered stream ---------------------------------------------------------------------------------

    def listen(self) -> Batch:
        """Sync the rules, collect `stream_seconds` of the filtered stream, parse each message."""
        from groundswell.crawlers.x_stream import collect

        lines = collect(self.token, self.name, self.queries, self.stream_seconds, network=self.network,
                        expansions=EXPANSIONS, tweet_fields=TWEET_FIELDS, user_fields=USER_FIELDS)  # fmt: skip
        batch = Batch()
        for line in lines:
            try:
                batch.extend(self.parse_batch(line))
            except (InputError, SourceUnavailable) as exc:  # an operational message, not a tweet
                log.warning("%s: stream message skipped: %s", self.name, exc)
                batch.skipped["stream-message"] += 1
        return batch

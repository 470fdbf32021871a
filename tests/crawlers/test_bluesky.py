"""Bluesky: recorded real getPostThread body (atproto SDK fixture), docs-built searchPosts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from groundswell.crawlers.bluesky import BlueskySource, post_key
from groundswell.errors import DropMention, InputError, SourceUnavailable
from tests.crawlers.crawler_testserver import LocalServer


def load(fixtures: Path, name: str) -> bytes:
    return (fixtures / "bluesky" / name).read_bytes()


def test_recorded_thread_quote_post_without_text_is_counted(fixtures: Path) -> None:
    batch = BlueskySource("bsky").parse_batch(load(fixtures, "thread_view_post_with_embed_media.json"))
    assert batch.fetched == 1 and batch.mentions == [] and batch.skipped == {"empty": 1}


def test_search_posts(fixtures: Path) -> None:
    batch = BlueskySource("bsky").parse_batch(load(fixtures, "search_posts_docs.json"))
    assert len(batch.mentions) == 2 and batch.rejected == 1
    ko, reply = batch.mentions
    assert ko.id == "bsky:did:plc:4xk2mhl5ffpmz6vqxuzbtkq3/3lbxq2ksd7c2v" and ko.lang == "ko"
    assert ko.url == "https://bsky.app/profile/seoyeon.bsky.social/post/3lbxq2ksd7c2v"
    assert (ko.metrics.likes, ko.metrics.shares, ko.metrics.replies) == (21, 9, 3)
    assert "swollen phone battery" in reply.text  # image alt text is searchable
    assert reply.parent_id == "bsky:did:plc:4xk2mhl5ffpmz6vqxuzbtkq3/3lbxpzzzz7c2v"


def test_post_key_rejects_other_records() -> None:
    with pytest.raises(DropMention):
        post_key("at://did:plc:x/app.bsky.feed.like/1")


def test_error_bodies() -> None:
    with pytest.raises(SourceUnavailable, match="AuthMissing"):
        BlueskySource("bsky").parse_batch(b'{"error":"AuthMissing","message":"Authentication Required"}')
    with pytest.raises(InputError, match="HTML"):
        BlueskySource("bsky").parse_batch(b"<html>502 Bad Gateway</html>")


def test_fetch_then_since_cursor(server: LocalServer, fixtures: Path) -> None:
    body = json.loads(load(fixtures, "search_posts_docs.json"))
    del body["cursor"]
    server.add("/xrpc/app.bsky.feed.searchPosts", json.dumps(body))
    src = BlueskySource("bsky", {"service": server.url, "allow_private_hosts": True, "queries": ["아크미"]})
    first = src.fetch(None)
    assert len(first.mentions) == 2
    state = json.loads(first.next_cursor or "{}")["아크미"]
    assert state["since"] == "2026-11-24T05:31:03.001Z"
    second = src.fetch(first.next_cursor)
    assert "since=2026-11-24T05%3A31%3A03.001Z" in server.requests[-1][0]
    # the local server ignores `since`, as a post at the boundary can come back: re-seen posts are
    # passed on (their counters update metrics history) and the watermark does not move back
    assert len(second.mentions) == 2 and second.next_cursor == first.next_cursor

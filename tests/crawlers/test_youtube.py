"""YouTube commentThreads: docs-built payloads, replies, quota errors, watermark cursor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from groundswell.crawlers.youtube import YouTubeSource
from groundswell.errors import SourceUnavailable
from tests.crawlers.crawler_testserver import LocalServer


def load(fixtures: Path, name: str) -> bytes:
    return (fixtures / "youtube" / name).read_bytes()


def test_threads_and_replies(fixtures: Path) -> None:
    batch = YouTubeSource("yt").parse_batch(load(fixtures, "comment_threads_docs.json"))
    assert len(batch.mentions) == 2 and batch.rejected == 1
    top, reply = batch.mentions
    assert top.metrics.likes == 128 and top.metrics.replies == 1 and top.author.handle == "@hyunwoo_park"
    assert top.url == "https://www.youtube.com/watch?v=dQw4acme001&lc=UgyA1b2C3d4E5f6G7h94AaABAg"
    assert reply.parent_id == top.id and reply.thread_id == top.id
    assert "_thread" not in (reply.raw or {})


def test_quota_error_waits_an_hour(fixtures: Path, server: LocalServer) -> None:
    with pytest.raises(SourceUnavailable, match="quotaExceeded") as info:
        YouTubeSource("yt").parse_batch(load(fixtures, "quota_exceeded_docs.json"))
    assert info.value.retry_after == 3600
    server.add("/commentThreads", load(fixtures, "quota_exceeded_docs.json"), status=403)
    src = YouTubeSource(
        "yt", {"base_url": server.url, "allow_private_hosts": True, "video_ids": ["v1"]}, key="AIzaSECRET"
    )
    with pytest.raises(SourceUnavailable, match="quotaExceeded") as info:
        src.fetch(None)
    path, headers = server.requests[-1]
    assert "AIzaSECRET" not in path and headers["X-Goog-Api-Key"] == "AIzaSECRET"


def test_fetch_watermark(fixtures: Path, server: LocalServer) -> None:
    body = json.loads(load(fixtures, "comment_threads_docs.json"))
    del body["nextPageToken"]
    server.add("/commentThreads", json.dumps(body))
    src = YouTubeSource(
        "yt", {"base_url": server.url, "allow_private_hosts": True, "video_ids": ["dQw4acme001"]}, key="k"
    )
    first = src.fetch(None)
    assert len(first.mentions) == 2
    assert json.loads(first.next_cursor or "{}")["video:dQw4acme001"]["at"] == "2026-11-24T05:10:02Z"
    assert "videoId=dQw4acme001" in server.requests[0][0] and "order=time" in server.requests[0][0]
    second = src.fetch(first.next_cursor)
    assert len(second.mentions) == 2 and second.next_cursor == first.next_cursor  # like counts refresh


def test_timeout_is_source_unavailable(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    from groundswell.crawlers import http

    monkeypatch.setattr(http, "TIMEOUT", httpx.Timeout(0.2))
    server.add("/commentThreads", "{}", delay=1.0)
    src = YouTubeSource(
        "yt", {"base_url": server.url, "allow_private_hosts": True, "video_ids": ["v"]}, key="k"
    )
    with pytest.raises(SourceUnavailable, match="timed out"):
        src.fetch(None)

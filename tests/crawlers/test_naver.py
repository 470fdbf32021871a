"""Naver Search API: blog/news/cafearticle payloads (built from the developer docs), paging, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from groundswell.config.settings import Source
from groundswell.crawlers.naver import NaverSource
from groundswell.errors import InputError, SourceDisabled, SourceUnavailable
from tests.crawlers.crawler_testserver import LocalServer


def load(fixtures: Path, name: str) -> bytes:
    return (fixtures / "naver" / name).read_bytes()


def test_blog(fixtures: Path) -> None:
    batch = NaverSource("naver").parse_batch(load(fixtures, "blog_docs.json"))
    assert len(batch.mentions) == 2 and batch.skipped == {"empty": 1}
    m = batch.mentions[0]
    assert m.title == "아크미 갤럭시 배터리 부풀음 서비스센터 후기"  # <b> tags removed
    assert m.author.handle == "민지의 하루" and m.lang == "ko"
    assert m.created_at.isoformat() == "2026-11-22T15:00:00+00:00"  # 2026-11-23 00:00 KST
    assert m.native_id.startswith("blog-")


def test_news_uses_pubdate_and_original_link(fixtures: Path) -> None:
    first, _ = NaverSource("naver").parse(load(fixtures, "news_docs.json"))
    assert first.created_at.isoformat() == "2026-11-24T05:55:00+00:00"
    assert first.url == "https://www.etnews.com/20261124000123" and '"원인 조사 중"' in first.title
    assert first.author.handle == "www.etnews.com"


def test_cafe_articles(fixtures: Path) -> None:
    batch = NaverSource("naver").parse_batch(load(fixtures, "cafearticle_docs.json"))
    assert [m.native_id[:5] for m in batch.mentions] == ["cafe-", "cafe-"]
    assert batch.mentions[0].author.handle == "스마트폰 사용자 모임"


def test_error_body_and_broken_payloads(fixtures: Path) -> None:
    with pytest.raises(SourceUnavailable, match="024"):
        NaverSource("naver").parse_batch(load(fixtures, "error_401_docs.json"))
    with pytest.raises(InputError):
        NaverSource("naver").parse_batch(b'{"items": [')
    batch = NaverSource("naver").parse_batch(
        b'{"items": [{"title": "x", "link": "l", "postdate": "2026-11"}]}'
    )
    assert batch.rejected == 1


def test_fetch_pages_until_seen_and_sends_keys_as_headers(server: LocalServer, fixtures: Path) -> None:
    server.add("/blog.json", load(fixtures, "blog_docs.json"))
    server.add("/news.json", load(fixtures, "news_docs.json"))
    src = NaverSource("naver", {"queries": ["아크미"], "kinds": ["blog", "news"], "base_url": server.url, "allow_private_hosts": True},
                      keys=("id-123", "secret-456"))  # fmt: skip
    first = src.fetch(None)
    assert len(first.mentions) == 4
    path, headers = server.requests[0]
    assert "query=%EC%95%84%ED%81%AC%EB%AF%B8" in path and "sort=date" in path
    assert headers["X-Naver-Client-Secret"] == "secret-456" and "secret-456" not in path
    second = src.fetch(first.next_cursor)
    assert second.mentions == [] and second.skipped["already-seen"] == 4


def test_401_and_429(server: LocalServer, fixtures: Path) -> None:
    server.add("/blog.json", load(fixtures, "error_401_docs.json"), status=401)
    src = NaverSource(
        "naver",
        {"queries": ["a"], "kinds": ["blog"], "base_url": server.url, "allow_private_hosts": True},
        keys=("i", "s3cr3t"),
    )
    with pytest.raises(SourceUnavailable, match="HTTP 401") as info:
        src.fetch(None)
    assert "s3cr3t" not in str(info.value)
    server.add(
        "/blog.json", '{"errorMessage":"Rate limit exceeded.","errorCode":"012"}', status=429, retry_after=7
    )
    with pytest.raises(SourceUnavailable) as info:
        src.fetch(None)
    assert info.value.retry_after == 7


def test_needs_env_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NAVER_CLIENT_ID", raising=False)
    with pytest.raises(SourceDisabled, match="NAVER_CLIENT_ID"):
        NaverSource.from_settings(Source(name="n", type="naver", options={"queries": ["a"]}))

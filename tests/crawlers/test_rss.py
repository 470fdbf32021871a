"""RSS/Atom: real EUC-KR feed without declared encoding, docs-built feeds, a local HTTP server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from groundswell.crawlers.rss import RssSource, decode_feed
from groundswell.errors import InputError, SourceUnavailable
from tests.crawlers.crawler_testserver import LocalServer


def test_real_euckr_feed_without_declared_encoding(fixtures: Path) -> None:
    batch = RssSource("news").parse_batch((fixtures / "rss" / "euckr.xml").read_bytes())
    [m] = batch.mentions
    assert m.title == "EUC-KR 에서 TypeKey 한글닉네임 표시하기"
    assert "한글로 된 닉네임" in m.text and m.id.startswith("news:")


def test_euckr_declared_feed(fixtures: Path) -> None:
    [m] = RssSource("news").parse((fixtures / "rss" / "euckr_declared_docs.xml").read_bytes())
    assert m.title == "아크미, 배터리 무상 교체 검토" and m.lang == "ko"
    assert m.created_at.isoformat() == "2026-11-24T06:20:00+00:00"
    assert m.url == "https://www.example.co.kr/news/0001"


def test_news_search_rss(fixtures: Path) -> None:
    batch = RssSource("news").parse_batch((fixtures / "rss" / "news_search_docs.xml").read_bytes())
    assert [m.native_id for m in batch.mentions] == ["CBMiAAA001", "CBMiAAA002"]
    assert batch.skipped == {"empty": 1}
    first = batch.mentions[0]
    assert "<a" not in first.text and "전자신문" in first.text


def test_atom(fixtures: Path) -> None:
    [m] = RssSource("news").parse((fixtures / "rss" / "atom_docs.xml").read_bytes())
    assert m.text.startswith("Statement on battery safety") and "swelling batteries" in m.text
    assert m.created_at.isoformat() == "2026-11-23T23:30:00+00:00"


@pytest.mark.parametrize(
    ("body", "message"), [(b"", "empty"), (b'{"error": 1}', "JSON"), (b"<html><p>oops", "not an RSS")]
)
def test_malformed_bodies(body: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        RssSource("news").parse_batch(body)


def test_fetch_over_http_with_cursor_and_partial_failure(server: LocalServer, fixtures: Path) -> None:
    good = server.add(
        "/feed.xml", (fixtures / "rss" / "euckr.xml").read_bytes(), content_type="application/rss+xml"
    )
    bad = server.add("/down.xml", "<html>error</html>", status=500, content_type="text/html")
    search = server.add(
        "/search", (fixtures / "rss" / "news_search_docs.xml").read_bytes(), content_type="text/xml"
    )
    src = RssSource(
        "news",
        {
            "feeds": [good, bad],
            "queries": ["아크미 배터리"],
            "search_url": search + "?q={query}",
            "allow_private_hosts": True,
        },
    )
    first = src.fetch(None)
    assert len(first.mentions) == 3 and first.skipped["feed-unavailable"] == 1
    assert any("q=%EC%95%84" in path for path, _ in server.requests)
    second = src.fetch(first.next_cursor)
    assert second.mentions == [] and second.skipped["already-seen"] == 3
    assert len(json.loads(second.next_cursor or "[]")) == 3


def test_all_feeds_down_is_source_unavailable(server: LocalServer) -> None:
    url = server.add("/limited", "slow down", status=429, content_type="text/plain", retry_after=30)
    with pytest.raises(SourceUnavailable, match="every feed failed"):
        RssSource("news", {"feeds": [url]}).fetch(None)


@given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=2, max_size=50))
def test_hangul_roundtrips_through_cp949_detection(text: str) -> None:
    data = f"<rss><channel><item><title>{text}</title></item></channel></rss>".encode("cp949", "ignore")
    try:  # some CP949 byte strings are valid UTF-8 too ('짬' is C2 AB, '«'): no detector can tell
        data.decode("utf-8")
        assume(False)
    except UnicodeDecodeError:
        pass
    decoded = decode_feed(data)
    assert text.encode("cp949", "ignore").decode("cp949") in decoded

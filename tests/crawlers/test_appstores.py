"""App Store review RSS (JSON) and Google Play batchexecute reviews: parse, fetch, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from groundswell.crawlers.appstore import AppStoreSource
from groundswell.crawlers.googleplay import GooglePlaySource, split_batchexecute
from groundswell.errors import InputError, SourceUnavailable
from tests.crawlers.crawler_testserver import LocalServer


def test_appstore_feed(fixtures: Path) -> None:
    batch = AppStoreSource("ios").parse_batch(
        (fixtures / "appstore" / "customerreviews_docs.json").read_bytes()
    )
    assert batch.skipped == {"app-info": 1, "empty": 1}
    bad, good = batch.mentions
    assert bad.rating == 1.0 and bad.title == "업데이트 후 배터리 광탈" and bad.author.handle == "배터리걱정"
    assert bad.created_at.isoformat() == "2026-11-24T04:04:38+00:00" and bad.metrics.likes == 4
    assert bad.id == "ios:11223344551" and good.rating == 5.0


def test_appstore_single_entry_is_an_object() -> None:
    one = {"feed": {"entry": {"im:rating": {"label": "2"}, "id": {"label": "7"}, "title": {"label": "t"},
                              "content": {"label": "c"}, "updated": {"label": "2026-01-01T00:00:00-07:00"}}}}  # fmt: skip
    [m] = AppStoreSource("ios").parse(json.dumps(one))
    assert m.native_id == "7" and m.text == "t\n\nc"
    assert list(AppStoreSource("ios").parse('{"feed": {"author": {}}}')) == []


def test_appstore_fetch_pages_and_watermark(server: LocalServer, fixtures: Path) -> None:
    body = (fixtures / "appstore" / "customerreviews_docs.json").read_bytes()
    server.add("/kr/1/123", body)
    server.add("/kr/2/123", '{"feed": {"author": {"name": {"label": "iTunes Store"}}}}')  # past the last page
    src = AppStoreSource(
        "ios",
        {
            "app_ids": ["123"],
            "feed_url": server.url + "/{country}/{page}/{app}",
            "allow_private_hosts": True,
            "max_pages": 2,
        },
    )
    first = src.fetch(None)
    assert len(first.mentions) == 2
    assert [p for p, _ in server.requests] == ["/kr/1/123", "/kr/2/123"]  # page 1 all new: read on
    second = src.fetch(first.next_cursor)
    # re-seen reviews come back (their vote counts update metrics history), and the
    # watermark stops the paging: page 2 is not read again
    assert len(second.mentions) == 2 and second.next_cursor == first.next_cursor
    assert [p for p, _ in server.requests].count("/kr/2/123") == 1


def test_appstore_http_errors(server: LocalServer) -> None:
    server.add(
        "/kr/1/9", "<html>Service Unavailable</html>", status=503, content_type="text/html", retry_after=120
    )
    src = AppStoreSource(
        "ios",
        {"app_ids": ["9"], "feed_url": server.url + "/{country}/{page}/{app}", "allow_private_hosts": True},
    )
    with pytest.raises(SourceUnavailable) as info:
        src.fetch(None)
    assert info.value.retry_after == 120


def test_google_play_batchexecute(fixtures: Path) -> None:
    raw = (fixtures / "googleplay" / "reviews_batchexecute_docs.txt").read_bytes()
    rows, token = split_batchexecute(raw.decode())
    assert len(rows) == 3 and token == "CsYBCsMBQUNBRV9wb3NfbmV4dF9wYWdl"
    batch = GooglePlaySource("play").parse_batch(raw)
    assert len(batch.mentions) == 2 and batch.skipped == {"empty": 1}
    ko = batch.mentions[0]
    assert ko.rating == 1.0 and ko.metrics.likes == 37 and ko.author.handle == "김도윤"
    assert ko.created_at.isoformat() == "2025-11-25T04:00:00+00:00"
    assert ko.raw and ko.raw["replyContent"].startswith("불편을 드려")


def test_google_play_export_list(fixtures: Path) -> None:
    [m] = GooglePlaySource("play").parse((fixtures / "googleplay" / "reviews_export_docs.json").read_bytes())
    assert m.text == "배송이 너무 늦어요" and m.rating == 2.0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<html>Error 404</html>", "not a Google Play"),
        (')]}\'\n\n[["wrb.fr","oCPfdb","[[[\\"gp:1\\"', "truncated"),
        (')]}\'\n\n[["di",12]]', "no oCPfdb"),
    ],
)
def test_google_play_broken(body: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        GooglePlaySource("play").parse_batch(body)


def test_google_play_null_payload_means_no_reviews() -> None:
    assert (
        GooglePlaySource("play")
        .parse_batch(')]}\'\n\n[["wrb.fr","oCPfdb",null,null,null,null,"generic"]]')
        .fetched
        == 0
    )


def test_google_play_fetch_posts_and_tracks_watermark(server: LocalServer, fixtures: Path) -> None:
    raw = (
        (fixtures / "googleplay" / "reviews_batchexecute_docs.txt")
        .read_text()
        .replace("CsYBCsMBQUNBRV9wb3NfbmV4dF9wYWdl", "")
    )
    server.add("/batchexecute", raw, content_type="application/json")
    src = GooglePlaySource(
        "play",
        {
            "app_ids": ["com.acme.store"],
            "base_url": server.url + "/batchexecute",
            "allow_private_hosts": True,
        },
    )
    first = src.fetch(None)
    assert len(first.mentions) == 2
    assert (
        first.mentions[0].url
        == "https://play.google.com/store/apps/details?id=com.acme.store&reviewId=gp:AOqpTOE1xK7aQ0Zb9c8d7e6f5g4h3j2k1l0"
    )
    second = src.fetch(first.next_cursor)
    assert second.next_cursor == first.next_cursor

"""Web spiders: templates on saved pages (pure), then real scrapy runs against a local server."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groundswell.crawlers.web.dates import KST, parse_when
from groundswell.crawlers.web.extract import Template
from groundswell.crawlers.web.source import WebSource, to_int
from groundswell.errors import InputError, SourceUnavailable
from tests.crawlers.crawler_testserver import LocalServer

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 15:00 KST
FAST = {"AUTOTHROTTLE_START_DELAY": 0, "DOWNLOAD_DELAY": 0, "RETRY_TIMES": 0}


def test_review_page_parse(fixtures: Path) -> None:
    src = WebSource(
        "reviews", {"template": "review_site", "base_url": "http://shop.example/products/x10/reviews"}
    )
    batch = src.parse_batch((fixtures / "web" / "reviews" / "page1.html").read_bytes())
    assert [m.native_id for m in batch.mentions] == ["r-1042", "r-1041"]
    bad = batch.mentions[0]
    assert bad.rating == 1.0 and bad.author.handle == "qwer1234" and bad.metrics.likes == 12
    assert bad.created_at.isoformat() == "2026-11-24T04:40:00+00:00"
    assert bad.text.startswith("배터리가 부풀었어요\n\n구매 3개월 만에") and "2주 기다리래요" in bad.text
    assert bad.url == "http://shop.example/products/x10/reviews/r-1042"


def test_review_page_with_unparseable_date_counts_it(fixtures: Path) -> None:
    batch = WebSource("reviews", {"template": "review_site"}).parse_batch(
        (fixtures / "web" / "reviews" / "page2.html").read_bytes()
    )
    assert len(batch.mentions) == 1 and batch.skipped == {"malformed:ValueError": 1}


def test_board_list_and_post_pages(fixtures: Path) -> None:
    src = WebSource("board", {"template": "korean_board", "base_url": "http://board.example/board/list"})
    rows = src.parse_batch((fixtures / "web" / "board" / "list1.html").read_bytes())
    assert [m.title for m in rows.mentions][:2] == [
        "아크미 배터리 부푼 사람 또 있냐",
        "서비스센터 대기 3시간 실화냐",
    ]
    first = rows.mentions[0]
    assert first.created_at.isoformat() == "2026-11-24T05:03:11+00:00"  # from the title attribute
    assert (first.metrics.views, first.metrics.likes, first.metrics.replies) == (1532, 41, 23)
    post_html = (fixtures / "web" / "board" / "view_48213.html").read_bytes().decode("euc-kr")
    [post] = src.parse(post_html)
    assert "서비스센터 가니까 2주" in post.text and post.created_at.isoformat() == "2026-11-24T05:03:11+00:00"


def test_not_html() -> None:
    with pytest.raises(InputError, match="HTML"):
        WebSource("w", {"template": "review_site"}).parse_batch(b'{"json": true}')
    with pytest.raises(ValueError, match="unknown web template"):
        Template.from_options({"template": "nope"})


def test_to_int() -> None:
    assert (to_int("1,532"), to_int("[23]"), to_int(None), to_int("도움돼요 12")) == (1532, 23, 0, 12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026.11.24 14:03", "2026-11-24T05:03:00"),
        ("3시간 전", "2026-11-24T03:00:00"),
        ("방금 전", "2026-11-24T06:00:00"),
        ("어제 14:03", "2026-11-23T05:03:00"),
        ("14:03", "2026-11-24T05:03:00"),
        ("16:30", "2026-11-23T07:30:00"),  # later than now: yesterday's
        ("11.25", "2025-11-24T15:00:00"),  # later than today: last year's
        ("24.11.24", "2024-11-23T15:00:00"),
        ("2026년 11월 24일 오후 2시 3분", "2026-11-24T05:03:00"),
        ("2026.11.24 (화) 오후 2:03", "2026-11-24T05:03:00"),
        ("2026-11-24T05:03:00Z", "2026-11-24T05:03:00"),
        ("3 hours ago", "2026-11-24T03:00:00"),
        ("Nov 24, 2026", "2026-11-23T15:00:00"),
    ],
)
def test_dates(text: str, expected: str) -> None:
    assert parse_when(text, NOW).replace(tzinfo=None).isoformat() == expected


@pytest.mark.parametrize("text", ["", "언젠가", "2026.13.45", "99시간후", "25:99"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_when(text, NOW)


@given(st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 12, 31)))
def test_dotted_dates_roundtrip(value: datetime) -> None:
    value = value.replace(second=0, microsecond=0)
    text = value.strftime("%Y.%m.%d %H:%M")
    assert parse_when(text, NOW) == value.replace(tzinfo=KST).astimezone(UTC)


@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(["분", "시간", "일"]))
def test_relative_korean(n: int, unit: str) -> None:
    delta = {"분": timedelta(minutes=n), "시간": timedelta(hours=n), "일": timedelta(days=n)}[unit]
    assert parse_when(f"{n}{unit} 전", NOW) == NOW - delta


@given(st.text(max_size=40))
def test_any_text_is_date_or_value_error(text: str) -> None:
    with contextlib.suppress(ValueError):
        assert parse_when(text, NOW).tzinfo is not None


def serve_site(server: LocalServer, fixtures: Path) -> None:
    web = fixtures / "web"
    server.add(
        "/products/x10/reviews",
        (web / "reviews" / "page1.html").read_bytes(),
        content_type="text/html; charset=utf-8",
    )
    server.add(
        "/products/x10/reviews?page=2",
        (web / "reviews" / "page2.html").read_bytes(),
        content_type="text/html",
    )
    server.add("/robots.txt", (web / "board" / "robots.txt").read_bytes(), content_type="text/plain")
    server.add("/board/list", (web / "board" / "list1.html").read_bytes(), content_type="text/html")
    server.add("/board/list?page=2", (web / "board" / "list2.html").read_bytes(), content_type="text/html")
    for no in ("48213", "48210", "48150"):
        server.add(
            f"/board/view?no={no}", (web / "board" / f"view_{no}.html").read_bytes(), content_type="text/html"
        )
    server.add("/board/secret?no=48199", "<html>secret</html>", content_type="text/html")


def test_spiders_against_local_server(server: LocalServer, fixtures: Path) -> None:
    """One test runs both templates (each crawl is a real subprocess: keep the count low)."""
    serve_site(server, fixtures)
    reviews = WebSource(
        "reviews",
        {
            "template": "review_site",
            "start_urls": [server.url + "/products/x10/reviews"],
            "settings": FAST,
            "allow_private_hosts": True,
        },
    )
    batch = reviews.fetch(None)
    assert sorted(m.native_id for m in batch.mentions) == ["r-1039", "r-1041", "r-1042"]
    assert batch.skipped == {"malformed:ValueError": 1}

    board = WebSource(
        "board",
        {
            "template": "korean_board",
            "start_urls": [server.url + "/board/list"],
            "settings": FAST,
            "allow_private_hosts": True,
        },
    )
    first = board.fetch(None)
    by_title = {m.title: m for m in first.mentions}
    assert set(by_title) == {
        "아크미 배터리 부푼 사람 또 있냐",
        "서비스센터 대기 3시간 실화냐",
        "아크미 신제품 언제 나옴?",
    }
    hot = by_title["아크미 배터리 부푼 사람 또 있냐"]
    assert "서비스센터 가니까 2주 걸린다더라" in hot.text  # EUC-KR post page decoded via its meta tag
    assert hot.metrics.replies == 23 and hot.created_at.isoformat() == "2026-11-24T05:03:11+00:00"
    assert first.skipped["robots-forbidden"] == 1
    assert not any(p.startswith("/board/secret") for p, _ in server.requests)

    before = len(server.requests)
    second = board.fetch(first.next_cursor)
    assert second.mentions == [] and second.skipped["already-seen"] >= 2
    fetched = [p for p, _ in server.requests[before:]]
    assert not any(p.startswith("/board/view") for p in fetched)  # seen posts are not re-downloaded
    assert "/board/list?page=2" not in fetched  # a page with seen rows ends the pagination
    assert json.loads(second.next_cursor or "[]") == json.loads(first.next_cursor or "[]")


def test_spider_on_a_dead_site_is_source_unavailable(server: LocalServer) -> None:
    server.add("/down", "<html>500</html>", status=500, content_type="text/html")
    src = WebSource(
        "w",
        {
            "template": "review_site",
            "start_urls": [server.url + "/down"],
            "settings": FAST,
            "allow_private_hosts": True,
        },
    )
    with pytest.raises(SourceUnavailable, match="no page could be fetched"):
        src.fetch(None)


def test_spider_that_runs_too_long_is_killed(server: LocalServer) -> None:
    server.add("/slow", "<html></html>", content_type="text/html", delay=4.0)
    src = WebSource(
        "w",
        {
            "template": "review_site",
            "start_urls": [server.url + "/slow"],
            "timeout": 1.5,
            "settings": FAST,
            "allow_private_hosts": True,
        },
    )
    with pytest.raises(SourceUnavailable, match="longer than"):
        src.fetch(None)


def test_gallery_style_board_rows(fixtures: Path) -> None:
    src = WebSource(
        "gall", {"template": "korean_board", "base_url": "https://gall.example/board/lists/?id=smartphone"}
    )
    batch = src.parse_batch((fixtures / "web" / "board" / "gallery_list_docs.html").read_bytes())
    assert [m.title for m in batch.mentions] == [
        "아크미 배터리 스웰링 이거 리콜 각이냐",
        "부푼 배터리 사진.jpg",
    ]
    hot = batch.mentions[0]
    assert (hot.metrics.replies, hot.metrics.views, hot.metrics.likes) == (58, 2873, 96)
    assert hot.author.handle == "ㅇㅇ" and hot.created_at.isoformat() == "2026-11-24T05:51:07+00:00"
    assert hot.url == "https://gall.example/board/view/?id=smartphone&no=902114&page=1"

"""Crawler throughput: parse + normalise + dedupe per source, a scrapy crawl, a replay run.

1. For each source, a realistic page (fixture shape, Korean and English text) is repeated into
   pages of 100 items with 10 % of ids re-appearing on a later page (as overlapping API pages do);
   `parse_batch` maps them to `Mention` records and a seen-id set drops the repeats. Target:
   >= 10,000 mentions/s.
2. The `web` source crawls a review site served on 127.0.0.1 (robots.txt on, AutoThrottle on with
   no start delay, 8 concurrent requests): pages/s and items/s including the child process.
3. `replay` through the scheduler into a real SQLite file (fetch -> plain records -> commit with
   the cursor in the same transaction): mentions/s committed.
Figures go to the "Crawlers" section of BENCHMARKS.md.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.report import peak_rss_mb, write_section
from groundswell.config.settings import Settings, Source
from groundswell.crawlers.base import PayloadSource
from groundswell.crawlers.bluesky import BlueskySource
from groundswell.crawlers.mastodon import MastodonSource
from groundswell.crawlers.naver import NaverSource
from groundswell.crawlers.reddit import RedditSource
from groundswell.crawlers.web.source import WebSource
from groundswell.crawlers.x import XSource
from groundswell.crawlers.youtube import YouTubeSource
from groundswell.indexer.base import MentionQuery
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.pipeline.scheduler import Scheduler

N_ITEMS = 20_000
PAGE = 100
START = datetime(2026, 11, 24, tzinfo=UTC)
TEXTS = [
    "아크미 배터리가 충전 중에 부풀어 올랐어요. 서비스센터 예약은 2주 뒤라고 하네요.",
    "Acme support kept me on hold for 40 minutes and then hung up. Not impressed.",
    "배송은 빨랐는데 포장이 엉망이었어요 ㅠㅠ 박스가 다 찌그러져서 왔습니다",
    "The new Acme app update drains my battery overnight, anyone else?",
]


def _ts(i: int) -> str:
    return (START + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def x_page(ids: list[int]) -> bytes:
    data = [{"id": str(1862400000000000000 + i), "text": TEXTS[i % 4], "author_id": str(i % 500), "created_at": _ts(i),
             "lang": "ko", "conversation_id": str(1862400000000000000 + i),
             "public_metrics": {"retweet_count": i % 7, "reply_count": i % 3, "like_count": i % 50, "quote_count": 0,
                                "impression_count": i * 3}} for i in ids]  # fmt: skip
    users = [{"id": str(u), "username": f"user{u}", "name": f"User {u}", "public_metrics": {"followers_count": u * 10}}
             for u in {i % 500 for i in ids}]  # fmt: skip
    return json.dumps(
        {"data": data, "includes": {"users": users}, "meta": {"result_count": len(data)}}
    ).encode()


def reddit_page(ids: list[int]) -> bytes:
    children = [{"kind": "t3", "data": {"name": f"t3_{i:x}", "id": f"{i:x}", "title": TEXTS[i % 4][:30], "selftext": TEXTS[(i + 1) % 4],
                 "created_utc": (START + timedelta(seconds=i)).timestamp(), "author": f"u{i % 300}", "score": i % 90,
                 "num_comments": i % 12, "permalink": f"/r/korea/comments/{i:x}/x/", "subreddit": "korea"}} for i in ids]  # fmt: skip
    return json.dumps({"kind": "Listing", "data": {"children": children, "after": None}}).encode()


def naver_page(ids: list[int]) -> bytes:
    items = [{"title": f"<b>아크미</b> {TEXTS[i % 4][:20]}", "originallink": f"https://news.example.kr/{i}",
              "link": f"https://n.news.naver.com/mnews/article/001/{i:010d}", "description": TEXTS[i % 4],
              "pubDate": "Tue, 24 Nov 2026 14:55:00 +0900"} for i in ids]  # fmt: skip
    return json.dumps(
        {"lastBuildDate": "Tue, 24 Nov 2026 15:12:01 +0900", "total": 9999, "items": items}
    ).encode()


def mastodon_page(ids: list[int]) -> bytes:
    return json.dumps([{"id": str(113530000000000000 + i), "created_at": _ts(i), "visibility": "public", "language": "ko",
                        "uri": f"https://mastodon.social/users/u{i % 80}/statuses/{i}", "url": f"https://mastodon.social/@u/{i}",
                        "content": f"<p>{TEXTS[i % 4]} <a href='#' class='hashtag'>#<span>아크미</span></a></p>", "spoiler_text": "",
                        "replies_count": 1, "reblogs_count": 2, "favourites_count": 3, "reblog": None,
                        "account": {"id": str(i % 80), "acct": f"u{i % 80}", "display_name": "U", "followers_count": 50}}
                       for i in ids]).encode()  # fmt: skip


def bluesky_page(ids: list[int]) -> bytes:
    posts = [{"uri": f"at://did:plc:u{i % 90}/app.bsky.feed.post/3l{i:08d}", "cid": "bafy", "indexedAt": _ts(i),
              "author": {"did": f"did:plc:u{i % 90}", "handle": f"u{i % 90}.bsky.social"},
              "record": {"text": TEXTS[i % 4], "createdAt": _ts(i), "langs": ["ko"]},
              "likeCount": i % 30, "repostCount": 1, "replyCount": 0, "quoteCount": 0} for i in ids]  # fmt: skip
    return json.dumps({"posts": posts}).encode()


def youtube_page(ids: list[int]) -> bytes:
    items = [{"kind": "youtube#commentThread", "id": f"Ug{i:012d}", "snippet": {"videoId": "v1", "totalReplyCount": 0,
              "topLevelComment": {"kind": "youtube#comment", "id": f"Ug{i:012d}", "snippet": {"videoId": "v1",
              "textOriginal": TEXTS[i % 4], "authorDisplayName": f"@u{i % 70}", "authorChannelId": {"value": f"UC{i % 70}"},
              "likeCount": i % 20, "publishedAt": _ts(i)[:19] + "Z"}}}} for i in ids]  # fmt: skip
    return json.dumps({"kind": "youtube#commentThreadListResponse", "items": items}).encode()


SOURCES: list[tuple[str, PayloadSource, Callable[[list[int]], bytes]]] = [
    ("x", XSource("x"), x_page),
    ("reddit", RedditSource("reddit"), reddit_page),
    ("naver", NaverSource("naver"), naver_page),
    ("mastodon", MastodonSource("mastodon"), mastodon_page),
    ("bluesky", BlueskySource("bluesky"), bluesky_page),
    ("youtube", YouTubeSource("youtube"), youtube_page),
]


def pages(make: Callable[[list[int]], bytes]) -> list[bytes]:
    """N_ITEMS items in pages of PAGE; each page repeats 10 ids of the page before (10 %)."""
    out, next_id = [], 0
    for p in range(N_ITEMS // PAGE):
        ids = list(range(next_id, next_id + PAGE))
        if p > 0:  # overlapping pages: 10 ids of each page were on the page before
            ids = ids[: PAGE - 10] + list(range(next_id - 10, next_id))
        next_id += len(set(ids) - set(range(0, next_id)))
        out.append(make(ids))
    return out


def bench_parse() -> tuple[list[str], float]:
    rows, total_n, total_s = [], 0, 0.0
    for name, source, make in SOURCES:
        bodies = pages(make)
        seen: set[str] = set()
        start = time.perf_counter()
        kept = dupes = 0
        for body in bodies:
            for mention in source.parse_batch(body).mentions:
                if mention.id in seen:
                    dupes += 1
                    continue
                seen.add(mention.id)
                kept += 1
        took = time.perf_counter() - start
        total_n, total_s = total_n + kept + dupes, total_s + took
        rows.append(f"| {name} | {kept + dupes:,} | {dupes:,} | {took:.2f} | {(kept + dupes) / took:,.0f} |")
    return rows, total_n / total_s


def review_site(pages_n: int, per_page: int) -> tuple[ThreadingHTTPServer, str]:
    def page(n: int) -> bytes:
        reviews = "".join(
            f'<div class="review" itemscope itemtype="https://schema.org/Review" data-review-id="r{n}-{k}">'
            f'<meta itemprop="ratingValue" content="{1 + k % 5}"><h3 itemprop="name">리뷰 {n}-{k}</h3>'
            f'<span itemprop="author">user{k}</span><span class="review-date">2026.11.{1 + n % 28:02d} 14:{k % 60:02d}</span>'
            f'<div itemprop="reviewBody">{TEXTS[k % 4]}</div></div>'
            for k in range(per_page)
        )
        nxt = f'<a rel="next" href="/reviews?page={n + 1}">next</a>' if n < pages_n else ""
        return f"<html><head><meta charset='utf-8'></head><body>{reviews}{nxt}</body></html>".encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/robots.txt":
                body, status = b"User-agent: *\nDisallow: /private\n", 200
            else:
                n = int(self.path.split("page=")[1]) if "page=" in self.path else 1
                body, status = page(n), 200
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return None

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/reviews"


def bench_scrapy(pages_n: int = 60, per_page: int = 20) -> str:
    httpd, url = review_site(pages_n, per_page)
    settings = {"AUTOTHROTTLE_START_DELAY": 0, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 8}
    source = WebSource(
        "bench", {"template": "review_site", "start_urls": [url], "max_pages": pages_n, "settings": settings}
    )
    start = time.perf_counter()
    batch = source.fetch(None)
    took = time.perf_counter() - start
    empty = WebSource("bench", {"template": "review_site", "start_urls": [url + "?page=999999"], "max_pages": 1,
                                "settings": settings})  # fmt: skip
    t0 = time.perf_counter()
    empty.fetch(None)
    overhead = time.perf_counter() - t0
    httpd.shutdown()
    return (
        f"{pages_n} pages x {per_page} reviews: {len(batch.mentions):,} mentions in {took:.2f} s "
        f"({pages_n / took:.1f} pages/s, {len(batch.mentions) / took:,.0f} items/s), "
        f"including {overhead:.2f} s to start the child process and crawl one page. Pages are sequential "
        f"(each links to the next), so this is a latency-bound crawl, the common case for boards."
    )


def bench_replay(n: int = 10_000) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posts.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i in range(n):
                post = {
                    "id": str(i),
                    "text": TEXTS[i % 4],
                    "created_at": _ts(i),
                    "author": {"handle": f"u{i % 99}"},
                }
                fh.write(json.dumps(post, ensure_ascii=False) + "\n")
        cfg = Source(name="replay", type="replay", options={"path": str(path), "batch_size": 500})
        store = SQLiteStore(Path(tmp) / "gs.db")
        scheduler = Scheduler(Settings(sources=[cfg]), store, max_pages=1000)
        start = time.perf_counter()
        run = scheduler.run_once("replay")
        took = time.perf_counter() - start
        assert store.count(MentionQuery()) == n == run.new
        store.close()
    return (
        f"{n:,} posts -> SQLite in {took:.2f} s ({n / took:,.0f} mentions/s committed, 500 per transaction)."
    )


def main() -> None:
    rows, overall = bench_parse()
    scrapy_line = bench_scrapy()
    replay_line = bench_replay()
    body = "\n".join(
        [
            "`python -m bench.bench_crawlers`. No network: generated pages in each platform's shape,",
            "and a review site served on 127.0.0.1.",
            "",
            f"**Parse + normalise + dedupe** ({N_ITEMS:,} items per source, pages of {PAGE}, 10 % repeats):",
            "",
            "| source | items | duplicates dropped | seconds | mentions/s |",
            "|---|---|---|---|---|",
            *rows,
            "",
            f"All sources together: **{overall:,.0f} mentions/s** (target >= 10,000).",
            "",
            f"**Scrapy spider** (`web`, review_site template, robots.txt + AutoThrottle on): {scrapy_line}",
            "",
            f"**Replay through the scheduler**: {replay_line}",
            "",
            f"Peak memory of the benchmark process: {peak_rss_mb():.0f} MB.",
        ]
    )
    write_section("Crawlers", body)
    print(body)


if __name__ == "__main__":
    main()

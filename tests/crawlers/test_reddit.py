"""Reddit: recorded real listings (praw's cassettes) through parse and through fetch with vcrpy."""

from __future__ import annotations

import json
from pathlib import Path

import praw
import pytest
import vcr

from groundswell.config.settings import Source
from groundswell.crawlers.reddit import RedditSource
from groundswell.errors import InputError, SourceDisabled, SourceUnavailable

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "reddit"
MATCH = ["method", "scheme", "host", "port", "path", "query"]


def body(cassette: str, index: int = 1) -> str:
    return json.loads((FIX / cassette).read_text())["interactions"][index]["response"]["body"]["string"]


def client() -> praw.Reddit:
    return praw.Reddit(client_id="cid", client_secret="csecret", user_agent="groundswell tests",
                       check_for_updates=False)  # fmt: skip


def test_search_listing() -> None:
    batch = RedditSource("reddit").parse_batch(body("TestSubreddit.test_search.json"))
    assert batch.fetched > 0 and len(batch.mentions) == batch.fetched - batch.rejected
    m = batch.mentions[0]
    assert m.id.startswith("reddit:t3_") and m.title and m.text.startswith(m.title)
    assert m.url and m.url.startswith("https://www.reddit.com/r/")
    assert m.raw and m.raw["kind"] == "t3"


def test_comment_tree_is_flattened_with_parents() -> None:
    batch = RedditSource("reddit").parse_batch(body("TestSubmission.test_comments.json"))
    kinds = [m.native_id[:2] for m in batch.mentions]
    assert kinds[0] == "t3" and kinds.count("t1") >= 1
    comment = next(m for m in batch.mentions if m.native_id.startswith("t1"))
    assert comment.thread_id == "reddit:t3_2gmzqe" and comment.parent_id


def test_new_listing_100_posts() -> None:
    batch = RedditSource("reddit").parse_batch(body("TestSubredditListings.test_new.json"))
    assert batch.fetched == 100 and len(batch.mentions) + batch.rejected == 100
    assert all(m.source == "reddit" for m in batch.mentions)


@pytest.mark.parametrize(
    "bad", ['{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "x"}}]}}']
)
def test_item_without_fields_is_skipped(bad: str) -> None:
    batch = RedditSource("reddit").parse_batch(bad)
    assert batch.mentions == [] and batch.rejected == 1


def test_html_instead_of_json() -> None:
    with pytest.raises(InputError, match="HTML"):
        RedditSource("reddit").parse_batch("<!doctype html><title>Too Many Requests</title>")


def test_fetch_replays_recorded_new_and_skips_seen_on_second_run() -> None:
    source = RedditSource("reddit", {"subreddits": ["askreddit"], "new": True, "max_pages": 1}, client())
    rec = vcr.VCR(record_mode="none", serializer="json", match_on=MATCH)
    with rec.use_cassette(str(FIX / "TestSubredditListings.test_new.json"), allow_playback_repeats=True):
        first = source.fetch(None)
        second = source.fetch(first.next_cursor)
    assert len(first.mentions) > 90
    # the same posts come back with their current scores (metrics history), not as new ones
    assert [m.id for m in second.mentions] == [m.id for m in first.mentions]
    assert second.next_cursor == first.next_cursor
    state = json.loads(first.next_cursor or "{}")["new:askreddit"]
    assert state["at"] == max(m.created_at for m in first.mentions).isoformat()


def test_429_becomes_source_unavailable(tmp_path: Path) -> None:
    cassette = json.loads((FIX / "TestSubredditListings.test_new.json").read_text())
    cassette["interactions"][1]["response"].update(
        status={"code": 429, "message": "Too Many Requests"},
        headers={"retry-after": ["42"], "content-type": ["text/html"]},
        body={"string": "<html>slow down</html>"},
    )
    path = tmp_path / "429.json"
    path.write_text(json.dumps(cassette))
    source = RedditSource("reddit", {"subreddits": ["askreddit"], "new": True}, client())
    with (
        vcr.VCR(record_mode="none", serializer="json", match_on=MATCH).use_cassette(str(path)),
        pytest.raises(SourceUnavailable) as info,
    ):
        source.fetch(None)
    assert info.value.retry_after == 42.0 and "csecret" not in str(info.value)


def test_credentials_from_env_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDDIT_CLIENT_ID", raising=False)
    cfg = Source(name="reddit", type="reddit", options={"queries": ["acme"]})
    with pytest.raises(SourceDisabled, match="REDDIT_CLIENT_ID"):
        RedditSource.from_settings(cfg)
    monkeypatch.setenv("REDDIT_CLIENT_ID", "id")
    monkeypatch.setenv("REDDIT_CLIENT_SECRET", "s")
    assert RedditSource.from_settings(cfg).streams()[0][1] == "/r/all/search"


def test_network_failure_is_source_unavailable() -> None:
    """A request the recording does not hold fails like a dropped connection would."""
    source = RedditSource("reddit", {"subreddits": ["korea"], "new": True}, client())
    rec = vcr.VCR(record_mode="none", serializer="json", match_on=MATCH)
    with (
        rec.use_cassette(str(FIX / "TestSubredditListings.test_new.json")),
        pytest.raises(SourceUnavailable) as info,
    ):
        source.fetch(None)
    assert "Reddit request failed" in str(info.value) and "csecret" not in str(info.value)

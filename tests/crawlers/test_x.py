"""X API v2: recorded real search response, docs-built expansions, cursors, 429 via vcrpy."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import requests
import tweepy
import vcr
import yaml

from groundswell.config.settings import Source
from groundswell.crawlers.x import XSource, snowflake_time
from groundswell.errors import InputError, SourceDisabled, SourceUnavailable

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "x"


def make_source(**options: object) -> XSource:
    client = tweepy.Client(bearer_token="test-token-xyz", return_type=requests.Response)
    return XSource("x", {"queries": ["Tweepy"], **options}, client)


def test_recorded_default_fields_response() -> None:
    batch = make_source().parse_batch((FIX / "search_recent_default_fields.json").read_bytes())
    assert len(batch.mentions) == 10 and batch.rejected == 0
    first = batch.mentions[0]
    assert first.id == "x:1578516068309794817"
    assert first.text == "2022-10-07 22:42:12.637103 tweepy"
    # no created_at requested: recovered from the snowflake id, matching the text's timestamp
    assert first.created_at.strftime("%Y-%m-%d %H:%M:%S") == "2022-10-07 22:42:12"
    assert batch.unmapped == {}


def test_expansions_map_author_and_metrics() -> None:
    batch = make_source().parse_batch((FIX / "search_recent_expansions.json").read_bytes())
    assert batch.fetched == 3 and len(batch.mentions) == 2
    assert batch.rejected == 1 and next(iter(batch.skipped)).startswith("malformed:")
    ko, reply = batch.mentions
    assert ko.author.handle == "minji_k" and ko.author.followers == 15230 and ko.lang == "ko"
    assert (ko.metrics.likes, ko.metrics.shares, ko.metrics.replies, ko.metrics.views) == (57, 15, 4, 9120)
    assert ko.url == "https://x.com/minji_k/status/1862400000000000001"
    assert reply.parent_id == "x:1862400000000000001" and reply.thread_id == "x:1862400000000000001"
    assert reply.raw and reply.raw["tweet"]["id"] == "1862400000000000009"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body>Over capacity</body></html>", "expected JSON but got HTML"),
        (b'{"data": [{"id": "1", "text": "trunc', "truncated"),
    ],
)
def test_broken_payloads_are_one_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        make_source().parse_batch(body)


def test_missing_credentials_disable_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    with pytest.raises(SourceDisabled, match="X_BEARER_TOKEN"):
        XSource.from_settings(Source(name="x", type="x", options={"queries": ["acme"]}))


def test_fetch_replays_recorded_traffic_and_builds_since_id_cursor() -> None:
    rec = vcr.VCR(record_mode="none", decode_compressed_response=True, match_on=["method", "host", "path"])
    with rec.use_cassette(str(FIX / "test_client_search_recent_tweets.yaml")):
        batch = make_source(max_pages=1).fetch(None)
    assert len(batch.mentions) == 10
    state = json.loads(batch.next_cursor or "{}")
    assert state["Tweepy"]["since_id"] == "1578516068309794817" and not batch.more


def _cassette(path: Path, status: int, body: str, headers: dict[str, list[str]]) -> Path:
    interaction = {
        "request": {"body": None, "headers": {}, "method": "GET",
                    "uri": "https://api.twitter.com/2/tweets/search/recent?query=x"},
        "response": {"body": {"string": body}, "headers": headers,
                     "status": {"code": status, "message": "error"}},
    }  # fmt: skip
    path.write_text(yaml.safe_dump({"interactions": [interaction], "version": 1}))
    return path


def test_429_carries_reset_and_hides_token(tmp_path: Path) -> None:
    reset = str(int(time.time()) + 600)
    body = json.dumps({"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429})
    cassette = _cassette(tmp_path / "429.yaml", 429, body, {"x-rate-limit-reset": [reset]})
    rec = vcr.VCR(record_mode="none", match_on=["method", "host", "path"])
    with rec.use_cassette(str(cassette)), pytest.raises(SourceUnavailable) as info:
        make_source().fetch(None)
    assert info.value.retry_after is not None and 500 < info.value.retry_after <= 600
    assert "test-token-xyz" not in str(info.value)


def test_429_with_retry_after_uses_the_shared_reader(tmp_path: Path) -> None:
    """X may send a plain Retry-After (seconds) instead of x-rate-limit-reset: both are read."""
    body = json.dumps({"title": "Too Many Requests", "status": 429})
    cassette = _cassette(tmp_path / "429.yaml", 429, body, {"Retry-After": ["90"]})
    rec = vcr.VCR(record_mode="none", match_on=["method", "host", "path"])
    with rec.use_cassette(str(cassette)), pytest.raises(SourceUnavailable) as info:
        make_source().fetch(None)
    assert info.value.retry_after == 90.0


def test_500_html_is_source_unavailable(tmp_path: Path) -> None:
    cassette = _cassette(tmp_path / "500.yaml", 503, "<html>down</html>", {})
    rec = vcr.VCR(record_mode="none", match_on=["method", "host", "path"])
    with rec.use_cassette(str(cassette)), pytest.raises(SourceUnavailable, match="503"):
        make_source().fetch(None)


def test_pagination_keeps_old_since_id_until_last_page(tmp_path: Path) -> None:
    src = make_source(max_pages=5)
    page1 = json.dumps(
        {"data": [{"id": "300", "text": "a"}], "meta": {"newest_id": "300", "next_token": "T2"}}
    )
    page2 = json.dumps({"data": [{"id": "200", "text": "b"}], "meta": {"newest_id": "200"}})
    src._search = lambda q, s: page1.encode() if not s.get("next_token") else page2.encode()  # type: ignore[method-assign]
    first = src.fetch(json.dumps({"Tweepy": {"since_id": "100"}}))
    mid = json.loads(first.next_cursor or "{}")["Tweepy"]
    assert first.more and mid["since_id"] == "100" and mid["next_token"] == "T2"
    second = src.fetch(first.next_cursor)
    done = json.loads(second.next_cursor or "{}")["Tweepy"]
    assert not second.more and done["since_id"] == "300" and "next_token" not in done


def test_snowflake_time() -> None:
    assert snowflake_time("1578516068309794817").year == 2022


def _interaction(method: str, uri: str, status: int, body: str) -> dict[str, object]:
    return {
        "request": {"body": None, "headers": {}, "method": method, "uri": uri},
        "response": {"body": {"string": body}, "headers": {"content-type": ["application/json"]},
                     "status": {"code": status, "message": "OK"}},
    }  # fmt: skip


def test_filtered_stream_mode_syncs_rules_and_collects(tmp_path: Path) -> None:
    """Built from the filtered-stream docs: rules GET/POST, then a stream of tweets and a keep-alive."""
    base = "https://api.twitter.com/2/tweets/search/stream"
    tweet = json.loads((FIX / "search_recent_expansions.json").read_text())
    lines = [
        json.dumps(
            {
                "data": tweet["data"][0],
                "includes": tweet["includes"],
                "matching_rules": [{"id": "1", "tag": "groundswell:x"}],
            },
            ensure_ascii=False,
        ),
        "",
        json.dumps(
            {
                "data": tweet["data"][1],
                "includes": tweet["includes"],
                "matching_rules": [{"id": "1", "tag": "groundswell:x"}],
            }
        ),
        json.dumps(
            {
                "errors": [
                    {
                        "title": "operational-disconnect",
                        "type": "https://api.twitter.com/2/problems/operational-disconnect",
                    }
                ]
            }
        ),
    ]
    cassette = {
        "version": 1,
        "interactions": [
            _interaction(
                "GET",
                base + "/rules",
                200,
                json.dumps({"meta": {"sent": "2026-11-24T05:00:00.000Z", "result_count": 0}}),
            ),
            _interaction(
                "POST",
                base + "/rules",
                201,
                json.dumps(
                    {
                        "data": [{"id": "1", "value": "Tweepy", "tag": "groundswell:x"}],
                        "meta": {
                            "sent": "2026-11-24T05:00:01.000Z",
                            "summary": {"created": 1, "not_created": 0, "valid": 1, "invalid": 0},
                        },
                    }
                ),
            ),
            _interaction("GET", base, 200, "\r\n".join(lines) + "\r\n"),
        ],
    }
    path = tmp_path / "stream.yaml"
    path.write_text(yaml.safe_dump(cassette, allow_unicode=True))
    src = XSource("x", {"queries": ["Tweepy"], "mode": "stream", "stream_seconds": 5})
    src.token = "test-token-xyz"
    with vcr.VCR(record_mode="none", match_on=["method", "host", "path"]).use_cassette(str(path)) as played:
        batch = src.fetch(None)
        assert played.all_played
    assert [m.native_id for m in batch.mentions] == ["1862400000000000001", "1862400000000000009"]
    assert batch.skipped == {"stream-message": 1}

"""Mastodon: recorded real search/status responses (mastodon.social), docs-built tag timeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from groundswell.config.settings import Source
from groundswell.crawlers.mastodon import MastodonSource
from groundswell.errors import SourceDisabled, SourceUnavailable
from tests.crawlers.crawler_testserver import LocalServer


def recorded(fixtures: Path, name: str, index: int) -> str:
    data = yaml.safe_load((fixtures / "mastodon" / name).read_text())
    return data["interactions"][index]["response"]["body"]["string"]


def test_recorded_search_v2(fixtures: Path) -> None:
    batch = MastodonSource("masto").parse_batch(recorded(fixtures, "test_entity_searchv2.yaml", 2))
    assert len(batch.mentions) == 2 and batch.rejected == 0
    m = batch.mentions[0]
    assert m.url == "https://icosahedron.website/@greg/116388148912635764"
    assert "Squarepusher" in m.text and "<span" not in m.text
    assert m.author.handle == "greg@icosahedron.website" and m.lang == "en"


def test_recorded_single_status_with_spoiler(fixtures: Path) -> None:
    [m] = MastodonSource("masto").parse(recorded(fixtures, "test_entity_status.yaml", 0))
    assert m.text.startswith("test post for mastodon.py stuff")
    assert m.created_at.isoformat() == "2023-05-28T12:06:50+00:00"


def test_tag_timeline_boosts_and_bad_items(fixtures: Path) -> None:
    batch = MastodonSource("masto").parse_batch(
        (fixtures / "mastodon" / "tag_timeline_docs.json").read_bytes()
    )
    assert len(batch.mentions) == 2 and batch.rejected == 1
    ko, boosted = batch.mentions
    assert ko.text == "#아크미 배터리 교체 접수했는데 2주 걸린대요 ㅠㅠ"
    assert (ko.metrics.likes, ko.metrics.shares, ko.metrics.replies) == (11, 5, 2)
    assert boosted.author.handle == "alex@hachyderm.io" and boosted.author.followers == 5400
    assert boosted.text.startswith("battery\n\nMy #acme phone")


def test_fetch_pages_forward_with_min_id(server: LocalServer, fixtures: Path) -> None:
    server.add("/api/v1/timelines/tag/acme", (fixtures / "mastodon" / "tag_timeline_docs.json").read_bytes())
    src = MastodonSource(
        "masto", {"instance": server.url, "allow_private_hosts": True, "hashtags": ["#acme"], "limit": 40}
    )
    first = src.fetch(None)
    assert json.loads(first.next_cursor or "{}") == {"tag:acme": "113530000000000002"}
    src.fetch(first.next_cursor)
    assert "min_id=113530000000000002" in server.requests[-1][0]


def test_errors(server: LocalServer) -> None:
    server.add("/api/v1/timelines/tag/acme", '{"error": "Too many requests"}', status=429, retry_after=300)
    src = MastodonSource("masto", {"instance": server.url, "allow_private_hosts": True, "hashtags": ["acme"]})
    with pytest.raises(SourceUnavailable) as info:
        src.fetch(None)
    assert info.value.retry_after == 300


def test_search_without_token_is_dropped_and_nothing_left_disables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTO_TOKEN", raising=False)
    cfg = Source(name="m", type="mastodon", options={"queries": ["acme"], "access_token_env": "MASTO_TOKEN"})
    with pytest.raises(SourceDisabled):
        MastodonSource.from_settings(cfg)
    monkeypatch.setenv("MASTO_TOKEN", "tok")
    assert [k for k, _, _ in MastodonSource.from_settings(cfg).streams()] == ["search:acme"]


def test_status_context_replies_are_parsed_and_linked(fixtures: Path) -> None:
    """`/api/v1/statuses/:id/context` ({"ancestors", "descendants"}), built from the API docs."""
    batch = MastodonSource("masto").parse_batch((fixtures / "mastodon" / "context_docs.json").read_bytes())
    assert len(batch.mentions) == 4 and dict(batch.skipped) == {"not-public": 1}
    root, reply, answer, english = batch.mentions
    assert root.author.handle == "lumio_kr@mastodon.social" and root.parent_id is None
    assert reply.text == "업데이트 후에 오히려 배터리가 더 빨리 닳아요 & 발열도 심해요"
    assert reply.parent_id is None  # it answers the focal status, which a context leaves out
    assert answer.parent_id == reply.id and english.parent_id == reply.id
    assert english.lang == "en" and answer.metrics.likes == 3


def test_parse_cli_accepts_a_context(fixtures: Path) -> None:
    from click.testing import CliRunner

    from groundswell.pipeline.cli import cli

    result = CliRunner().invoke(
        cli, ["parse", "--source", "mastodon", str(fixtures / "mastodon" / "context_docs.json")]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 4 and rows[2]["parent_id"] == rows[1]["id"]

"""Property tests: whatever a platform sends, a parser yields mentions, counts skips, or raises
one clear InputError/SourceUnavailable for the whole payload — never anything else."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers.appstore import AppStoreSource
from groundswell.crawlers.base import PayloadSource
from groundswell.crawlers.bluesky import BlueskySource
from groundswell.crawlers.googleplay import GooglePlaySource
from groundswell.crawlers.mastodon import MastodonSource
from groundswell.crawlers.naver import NaverSource
from groundswell.crawlers.reddit import RedditSource
from groundswell.crawlers.registry import SOURCES, source_class
from groundswell.crawlers.rss import RssSource
from groundswell.crawlers.web.source import WebSource
from groundswell.crawlers.x import XSource
from groundswell.crawlers.youtube import YouTubeSource
from groundswell.errors import InputError, SourceUnavailable

FIX = Path(__file__).resolve().parents[1] / "fixtures"
JSON_CASES = [
    (XSource, "x/search_recent_expansions.json"),
    (NaverSource, "naver/blog_docs.json"),
    (MastodonSource, "mastodon/tag_timeline_docs.json"),
    (BlueskySource, "bluesky/search_posts_docs.json"),
    (YouTubeSource, "youtube/comment_threads_docs.json"),
    (AppStoreSource, "appstore/customerreviews_docs.json"),
    (GooglePlaySource, "googleplay/reviews_export_docs.json"),
]
ODD = [
    None,
    0,
    -1,
    1.5,
    1e20,
    -(2**70),
    "",
    "x",
    "2026-99-99",
    "99991231",
    [],
    {},
    True,
    [1, 2],
    {"label": None},
]
EXPECTED = (InputError, SourceUnavailable)


def mutate(node: Any, rng: random.Random, rate: float) -> Any:
    """Replace, drop or keep each value at random, all the way down."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            roll = rng.random()
            if roll < rate / 2:
                continue  # field missing
            out[key] = rng.choice(ODD) if roll < rate else mutate(value, rng, rate)
        return out
    if isinstance(node, list):
        return [mutate(v, rng, rate) for v in node if rng.random() > rate / 3]
    return node


def check(source: PayloadSource, body: bytes | str) -> None:
    try:
        batch = source.parse_batch(body)
    except EXPECTED:
        return
    assert batch.fetched == len(batch.mentions) + batch.rejected
    for mention in batch.mentions:
        assert mention.id.startswith(f"{source.name}:") and mention.created_at.tzinfo is not None


@pytest.mark.parametrize(("cls", "fixture"), JSON_CASES, ids=[c.type for c, _ in JSON_CASES])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), rate=st.sampled_from([0.05, 0.2, 0.5]))
def test_mutated_payloads(cls: type[PayloadSource], fixture: str, seed: int, rate: float) -> None:
    original = json.loads((FIX / fixture).read_text(encoding="utf-8"))
    check(cls(cls.type), json.dumps(mutate(original, random.Random(seed), rate)))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_reddit_listing(seed: int) -> None:
    cassette = json.loads((FIX / "reddit" / "TestSubmission.test_comments.json").read_text())
    body = json.loads(cassette["interactions"][1]["response"]["body"]["string"])
    check(RedditSource("reddit"), json.dumps(mutate(body, random.Random(seed), 0.1)))


def _parser(type_name: str) -> Any:
    """What `groundswell parse --source TYPE` builds: no credentials, no network."""
    return source_class(type_name).for_parse(SourceSettings(name=type_name, type=type_name))


# Derived from the registry: a new source type is fuzzed without touching this file.
@pytest.mark.parametrize("type_name", sorted(SOURCES))
@settings(max_examples=40, deadline=None)
@given(body=st.one_of(st.binary(max_size=300), st.text(max_size=300), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10), lambda c: st.lists(c, max_size=4) |
    st.dictionaries(st.sampled_from(["data", "items", "posts", "feed", "entry", "statuses", "id", "error"]), c, max_size=4),
    max_leaves=20).map(json.dumps)))  # fmt: skip
def test_arbitrary_bodies(type_name: str, body: bytes | str) -> None:
    parser = _parser(type_name)
    if isinstance(parser, PayloadSource):
        check(parser, body)
        return
    try:  # a source with its own `parse` (replay): mentions or the expected errors, nothing else
        mentions = list(parser.parse(body))
    except EXPECTED:
        return
    assert all(m.created_at.tzinfo is not None for m in mentions)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=500))
def test_arbitrary_html_and_feeds(text: str) -> None:
    check(WebSource("web", {"template": "korean_board"}), "<html>" + text)
    check(RssSource("rss"), text)

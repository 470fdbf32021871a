"""The shared helpers of crawlers/base.py: the from_settings checks, JSON-object bodies, seen ids."""

from __future__ import annotations

import sys

import pytest

from groundswell.config.settings import Source
from groundswell.crawlers.base import Batch, SeenIds, load_object
from groundswell.crawlers.registry import build_source
from groundswell.errors import InputError, SourceDisabled
from groundswell.records import Mention


@pytest.mark.parametrize(
    ("type_", "env", "wanted"),
    [
        ("appstore", {}, "options.app_ids"),
        ("googleplay", {}, "options.app_ids"),
        ("web", {}, "options.start_urls"),
        ("bluesky", {}, "options.queries"),
        ("naver", {"NAVER_CLIENT_ID": "id", "NAVER_CLIENT_SECRET": "secret"}, "options.queries"),
        ("x", {"X_BEARER_TOKEN": "token"}, "options.queries"),
        ("youtube", {"YOUTUBE_API_KEY": "key"}, "options.video_ids or options.channel_ids"),
    ],
)
def test_a_source_with_nothing_to_follow_is_disabled_naming_the_option(
    type_: str, env: dict[str, str], wanted: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SourceDisabled) as info:
        build_source(Source(name="s", type=type_))
    assert str(info.value) == f"source 's': set {wanted}"


@pytest.mark.parametrize(("type_", "module"), [("x", "tweepy"), ("reddit", "praw"), ("web", "scrapy")])
def test_a_missing_optional_package_disables_the_source_with_the_install_hint(
    type_: str, module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("X_BEARER_TOKEN", "REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET"):
        monkeypatch.setenv(name, "value")
    monkeypatch.setitem(sys.modules, module, None)  # `import module` now raises ImportError
    with pytest.raises(SourceDisabled) as info:
        options = {"start_urls": ["http://x"]} if type_ == "web" else {"queries": ["q"]}
        build_source(Source(name="s", type=type_, options=options))
    assert str(info.value) == f"source type {type_!r} needs {module}: pip install 'groundswell[crawlers]'"


def test_load_object_refuses_a_json_body_that_is_not_an_object() -> None:
    assert load_object(b'{"items": []}', "s: API response") == {"items": []}
    with pytest.raises(InputError, match=r"^s: API response is not an object$"):
        load_object("[1, 2]", "s: API response")
    with pytest.raises(InputError, match="expected JSON but got HTML"):
        load_object("<html>", "s: API response")


def _page(*native_ids: str) -> Batch:
    mentions = [
        Mention(id=f"s:{n}", source="s", native_id=n, text=n, created_at="2026-03-01T00:00Z")
        for n in native_ids
    ]
    return Batch(mentions=mentions, fetched=len(mentions))


def test_seen_ids_drop_what_was_taken_before_and_keep_the_newest() -> None:
    seen = SeenIds(["a", "b"])
    page = _page("b", "c", "d")
    seen.keep_new(page)
    assert [m.native_id for m in page.mentions] == ["c", "d"] and page.skipped["already-seen"] == 1
    again = _page("c", "e")
    seen.keep_new(again)
    assert [m.native_id for m in again.mentions] == ["e"]
    assert seen.newest(3) == ["c", "d", "e"] and seen.newest(10) == ["a", "b", "c", "d", "e"]

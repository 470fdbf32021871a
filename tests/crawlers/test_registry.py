"""Registry: every built-in type imports and is documented; unknown and duplicate names fail."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from groundswell.config.settings import Source
from groundswell.crawlers.registry import SOURCES, build_source, source_class

README = Path(__file__).resolve().parents[2] / "crawlers" / "README.md"


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_type_imports_parses_and_is_documented(name: str) -> None:
    cls = source_class(name)
    assert cls.type == name and hasattr(cls, "for_parse") and hasattr(cls, "from_settings")
    assert f"| `{name}` |" in README.read_text(encoding="utf-8")


def test_unknown_type_lists_known() -> None:
    with pytest.raises(KeyError, match=r"known: .*reddit"):
        source_class("friendster")


SECRET_CASES = [
    ("x", {"queries": ["a"]}, "X_BEARER_TOKEN"),
    ("reddit", {"queries": ["a"]}, "REDDIT_CLIENT_SECRET"),
    ("naver", {"queries": ["a"]}, "NAVER_CLIENT_SECRET"),
    ("youtube", {"video_ids": ["v"]}, "YOUTUBE_API_KEY"),
]


@pytest.mark.parametrize(("type_", "options", "env"), SECRET_CASES)
def test_secrets_only_from_env_and_never_logged(
    type_: str,
    options: dict[str, object],
    env: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for var in ("X_BEARER_TOKEN", "REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET", "NAVER_CLIENT_ID",
                "NAVER_CLIENT_SECRET", "YOUTUBE_API_KEY"):  # fmt: skip
        monkeypatch.setenv(var, "SUPERSECRET-" + var)
    caplog.set_level(logging.DEBUG)
    source = build_source(Source(name="s", type=type_, options=options))
    assert "SUPERSECRET" not in repr(vars(source).get("options"))
    assert "SUPERSECRET" not in caplog.text
    monkeypatch.delenv(env)
    from groundswell.errors import SourceDisabled

    with pytest.raises(SourceDisabled) as info:
        build_source(Source(name="s", type=type_, options=options))
    assert env in str(info.value) and "SUPERSECRET" not in str(info.value)

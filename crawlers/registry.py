"""`SOURCES`: source type -> class, built-ins registered like third-party ones.

Values are import paths so a platform client (praw, tweepy, scrapy...) is imported only when a
source of that type is built: a missing optional package becomes SourceDisabled, not an
ImportError at start. Unknown type: KeyError listing the known ones. Duplicate type: error at import.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers.base import Source
from groundswell.errors import SourceDisabled

BUILTIN_SOURCES: tuple[tuple[str, str], ...] = (
    ("replay", "groundswell.crawlers.replay:ReplaySource"),
    ("reddit", "groundswell.crawlers.reddit:RedditSource"),
    ("x", "groundswell.crawlers.x:XSource"),
    ("rss", "groundswell.crawlers.rss:RssSource"),
    ("naver", "groundswell.crawlers.naver:NaverSource"),
    ("mastodon", "groundswell.crawlers.mastodon:MastodonSource"),
    ("bluesky", "groundswell.crawlers.bluesky:BlueskySource"),
    ("youtube", "groundswell.crawlers.youtube:YouTubeSource"),
    ("appstore", "groundswell.crawlers.appstore:AppStoreSource"),
    ("googleplay", "groundswell.crawlers.googleplay:GooglePlaySource"),
    ("web", "groundswell.crawlers.web.source:WebSource"),
)


def register(entries: Iterable[tuple[str, str]], into: dict[str, str] | None = None) -> dict[str, str]:
    """Add (type, "module:Class") pairs; a type registered twice is an error, not a silent override."""
    registry = {} if into is None else into
    for name, target in entries:
        if name in registry:
            raise ValueError(f"source type {name!r} registered twice ({registry[name]} and {target})")
        registry[name] = target
    return registry


SOURCES: dict[str, str] = register(BUILTIN_SOURCES)


def source_class(type_name: str) -> type[Source]:
    try:
        target = SOURCES[type_name]
    except KeyError:
        raise KeyError(f"unknown source type {type_name!r}; known: {', '.join(sorted(SOURCES))}") from None
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SourceDisabled(
            f"source type {type_name!r} needs {exc.name}: pip install 'groundswell[crawlers]'"
        ) from None
    return getattr(module, attr)  # type: ignore[no-any-return]


def build_source(cfg: SourceSettings) -> Source:
    """The configured source; SourceDisabled when credentials or packages are missing."""
    return source_class(cfg.type).from_settings(cfg)

"""`SOURCES`: source type -> class, through the one registry mechanism (`groundswell.plugins`).

Values are import paths so a platform client (praw, tweepy, scrapy...) is imported only when a
source of that type is built: a missing optional package becomes SourceDisabled, not an
ImportError at start. Unknown type: `UnknownName` (a KeyError) listing the known ones.
"""

from __future__ import annotations

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers.base import Source
from groundswell.errors import SourceDisabled
from groundswell.plugins import SOURCES


def source_class(type_name: str) -> type[Source]:
    """The class registered as `type_name` (or named by a `pkg.mod:Class` path)."""
    try:
        cls: type[Source] = SOURCES.load(type_name)
    except ImportError as exc:
        raise SourceDisabled(
            f"source type {type_name!r} needs {exc.name}: pip install 'groundswell[crawlers]'"
        ) from None
    return cls


def build_source(cfg: SourceSettings) -> Source:
    """The configured source; SourceDisabled when credentials or packages are missing."""
    return source_class(cfg.type).from_settings(cfg)


__all__ = ["SOURCES", "build_source", "source_class"]

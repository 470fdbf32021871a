"""Sources -> `Mention` records: one module (or subpackage) per platform, chosen by `type` in config.

See crawlers/README.md for every source type and its options. Platform clients (praw, tweepy,
scrapy, feedparser...) are imported only when a source of that type is built.
"""

from groundswell.crawlers.base import Batch, PayloadSource, Source
from groundswell.crawlers.registry import SOURCES, build_source, source_class

__all__ = ["SOURCES", "Batch", "PayloadSource", "Source", "build_source", "source_class"]

"""Every extension point, declared in one file (Datasette's hookspecs.py, Scrapy's default settings).

Each registry maps a config name to the import path of what builds it; a new built-in is one line
here plus its module, and a third-party package adds names through the entry-point group shown.
What each kind must provide:

- `SOURCES` (`sources[].type`): a class with `from_settings(cfg) -> Source` and `for_parse(cfg)`
  (crawlers/base.py), and an `Options` pydantic model describing `sources[].options`.
- `CHANNELS` (`channels[].type`): a callable `(name, options) -> AlertChannel`, with an `Options`
  model describing `channels[].options`.
- `SENTIMENT_BACKENDS` (`nlp.sentiment_backend`): a callable `(NlpSettings) -> SentimentModel`.
- `STORES` (`store.backend`): a class with `from_settings(settings, db_path) -> Store`.
"""

from __future__ import annotations

from groundswell.registry import Registry

SOURCES = Registry(
    "source type",
    "groundswell.sources",
    [
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
    ],
)

CHANNELS = Registry(
    "alert channel type",
    "groundswell.channels",
    [
        ("slack", "groundswell.alerts.channels._slack:SlackChannel"),
        ("teams", "groundswell.alerts.channels._teams:TeamsChannel"),
        ("email", "groundswell.alerts.channels._email:EmailChannel"),
        ("webhook", "groundswell.alerts.channels._webhook:WebhookChannel"),
    ],
)

SENTIMENT_BACKENDS = Registry(
    "sentiment backend",
    "groundswell.sentiment",
    [
        ("default", "groundswell.nlp.sentiment.backends:default"),
        ("vader", "groundswell.nlp.sentiment.backends:vader"),
        ("transformers", "groundswell.nlp.sentiment.backends:transformers"),
    ],
)

STORES = Registry(
    "store backend",
    "groundswell.stores",
    [
        ("sqlite", "groundswell.indexer.sqlite:SQLiteStore"),
        ("elasticsearch", "groundswell.indexer.elasticsearch:ElasticsearchStore"),
    ],
)

REGISTRIES = {"sources": SOURCES, "channels": CHANNELS, "sentiment": SENTIMENT_BACKENDS, "stores": STORES}

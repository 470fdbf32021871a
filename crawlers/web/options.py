"""Options of a `web` source, kept apart from the spider so config checks never import scrapy.

Selector keys (`item`, `fields`, `next`, `follow`, `detail_fields`) default to None, not empty:
an absent key keeps the named template's selector, a given one overrides it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from groundswell.crawlers.http import NetworkOptions
from groundswell.options import StrList


class WebOptions(NetworkOptions):
    """Options of a `web` source."""

    start_urls: StrList = Field(default_factory=list, description="List or board pages to start from")
    template: Literal["review_site", "korean_board"] | None = Field(
        default=None, description="Built-in selector set; the keys below override parts of it"
    )
    item: StrList | None = Field(default=None, description="CSS/XPath selectors of one row")
    fields: dict[str, StrList] | None = Field(default=None, description="Field name -> selectors in a row")
    next: StrList | None = Field(default=None, description="Selectors of the next-page link")
    follow: str | None = Field(default=None, description="Selector of a row's link to its post page")
    detail_fields: dict[str, StrList] | None = Field(default=None, description="Fields read on a post page")
    max_pages: int = Field(default=3, ge=1, le=1000, description="List pages per run")
    timezone: str = Field(default="Asia/Seoul", description="Zone of dates the site prints without one")
    lang: str | None = Field(default=None, description="Language of the posts; default: detected")
    rating_scale: float | None = Field(
        default=None, ge=1, le=100, description="The site's best mark when it is not 5, e.g. 10"
    )
    allowed_domains: StrList = Field(
        default_factory=list, description="Hosts besides the start URLs' that links may lead to"
    )
    timeout: float = Field(default=300, gt=0, le=86_400, description="Seconds one crawl may run")
    settings: dict[str, Any] = Field(default_factory=dict, description="Scrapy settings, e.g. DOWNLOAD_DELAY")
    base_url: str = Field(default="http://localhost/", description="Base of relative links in `parse`")

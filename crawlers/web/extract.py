"""Page -> items by a template of CSS/XPath selectors: shared by the spider and by `parse`.

Pure (parsel only, no Twisted), so `groundswell parse --source web FILE` runs exactly the code the
spider runs. A template has `item` (one block per post or review, or omitted: the whole page is
one post), `fields` (name -> selector or list of fallbacks; `xpath:` prefix for XPath), `next`
(next-page link) and, for boards, `follow` (link from a list row to the post page) with
`detail_fields` read on that page. Two built-in templates: `review_site` and `korean_board`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from parsel import Selector

TEMPLATES: dict[str, dict[str, Any]] = {
    # A review site with schema.org Review markup or the usual class names.
    "review_site": {
        "item": ["[itemtype*='schema.org/Review']", "div.review", "article.review", "li.review"],
        "fields": {
            "id": ["::attr(data-review-id)", "::attr(id)"],
            "title": [
                "xpath:.//*[@itemprop='name'][not(ancestor::*[@itemprop='author' or @itemprop='itemReviewed'])]//text()",
                ".review-title ::text",
            ],
            "text": ["[itemprop=reviewBody] ::text", ".review-body ::text", ".review-text ::text"],
            "author": [
                "[itemprop=author] [itemprop=name]::text",
                "[itemprop=author]::text",
                ".review-author ::text",
            ],
            "date": [
                "[itemprop=datePublished]::attr(content)",
                "time::attr(datetime)",
                ".review-date ::text",
            ],
            "rating": [
                "[itemprop=ratingValue]::attr(content)",
                ".rating::attr(data-rating)",
                ".rating ::text",
            ],
            "url": ["a.permalink::attr(href)", "a[rel=bookmark]::attr(href)"],
            "likes": [".helpful-count ::text"],
        },
        "next": ["a[rel=next]::attr(href)", ".pagination a.next::attr(href)"],
    },
    # A Korean community board: a list of rows (notices skipped) linking to post pages.
    "korean_board": {
        "item": [
            "table.board-list tbody tr:not(.notice)",
            "ul.board-list > li:not(.notice)",
            "tr.ub-content:not([data-type=icon_notice])",  # gallery-style boards
        ],
        "fields": {
            "title": [
                "td.title a::text",
                ".subject a::text",
                ".title a::text",
                "td.gall_tit > a:first-child ::text",
            ],
            "url": [
                "td.title a::attr(href)",
                ".subject a::attr(href)",
                ".title a::attr(href)",
                "td.gall_tit > a:first-child::attr(href)",
            ],
            "author": [
                "td.writer ::text",
                ".nickname ::text",
                ".writer ::text",
                "td.gall_writer::attr(data-nick)",
            ],
            "date": [
                "td.date::attr(title)",
                "td.date ::text",
                ".date ::text",
                "td.gall_date::attr(title)",
                "td.gall_date ::text",
            ],
            "views": ["td.views ::text", ".hit ::text", "td.gall_count ::text"],
            "likes": ["td.recommend ::text", ".recommend ::text", "td.gall_recommend ::text"],
            "replies": [".reply-count ::text", ".cmt ::text", ".reply_num ::text"],
        },
        "follow": "url",
        "detail_fields": {
            "text": [
                ".post-content ::text",
                ".view-content ::text",
                "#article-body ::text",
                ".write_div ::text",
            ],
            "date": [".post-info .date ::text", ".gall_date::attr(title)", ".view-info .date ::text"],
            "author": [".post-info .writer ::text", ".nickname ::text"],
        },
        "next": ["a.next::attr(href)", "a[rel=next]::attr(href)", ".pagination a.next::attr(href)"],
    },
}


@dataclass
class Template:
    item: list[str] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)
    next: list[str] = field(default_factory=list)
    follow: str | None = None
    detail_fields: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> Template:
        """`template: korean_board` plus any selector overrides given in options."""
        name = options.get("template")
        if name is not None and name not in TEMPLATES:
            raise ValueError(f"unknown web template {name!r}; known: {', '.join(TEMPLATES)}")
        base: dict[str, Any] = dict(TEMPLATES.get(name or "", {}))
        for key in ("item", "next", "follow"):
            if key in options:
                base[key] = options[key]
        for key in ("fields", "detail_fields"):
            if key in options:
                base[key] = {**base.get(key, {}), **options[key]}
        return cls(
            item=_as_list(base.get("item")),
            fields={k: _as_list(v) for k, v in base.get("fields", {}).items()},
            next=_as_list(base.get("next")),
            follow=base.get("follow"),
            detail_fields={k: _as_list(v) for k, v in base.get("detail_fields", {}).items()},
        )


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def select(node: Selector, selectors: list[str]) -> str | None:
    """First selector with a non-blank result; text nodes are joined and whitespace-normalised."""
    for sel in selectors:
        found = node.xpath(sel[6:]).getall() if sel.startswith("xpath:") else node.css(sel).getall()
        text = " ".join(" ".join(found).split())
        if text:
            return text
    return None


def _blocks(page: Selector, selectors: list[str]) -> list[Selector]:
    for sel in selectors:
        found = page.xpath(sel[6:]) if sel.startswith("xpath:") else page.css(sel)
        if found:
            return list(found)
    return []


def extract_items(html: str, url: str, template: Template) -> list[dict[str, Any]]:
    """Items of one list/review page (or of one post page when the template has no `item`)."""
    page = Selector(text=html)
    blocks = _blocks(page, template.item) if template.item else [page]
    items = []
    for block in blocks:
        item: dict[str, Any] = {name: select(block, sels) for name, sels in template.fields.items()}
        if item.get("url"):
            item["url"] = urljoin(url, item["url"])
        item.setdefault("url", None)
        item["page_url"] = url
        item["html"] = block.get()[:20000]
        items.append(item)
    return items


def extract_detail(html: str, url: str, template: Template) -> dict[str, Any]:
    page = Selector(text=html)
    found = {name: select(page, sels) for name, sels in template.detail_fields.items()}
    return {k: v for k, v in found.items() if v}


def next_page(html: str, url: str, template: Template) -> str | None:
    link = select(Selector(text=html), template.next) if template.next else None
    return urljoin(url, link) if link else None


def item_key(item: dict[str, Any]) -> str:
    """Stable native id: the page's own id if any, else a hash of the post URL (or content)."""
    if item.get("id"):
        return str(item["id"])
    basis = (
        item.get("url")
        or f"{item.get('page_url')}|{item.get('author')}|{item.get('date')}|{item.get('text')}"
    )
    return hashlib.sha1(str(basis).encode()).hexdigest()[:16]

"""Replies to the brand's own posts are context, not complaints about the brand, unless they complain.

A brand's joke tweet draws replies that quote it, tease it or shrug ("lol ok", "why is this on my
feed"); a sentiment model reads many of them as leaning negative, and four of them once made an
alert (issue #14). Such a reply still counts when it is plainly negative (a customer answering the
brand's post with a complaint); the weaker "neutral but leaning negative" reading, which catches
dry complaints elsewhere, is not enough under the brand's own post.

The parent post is read from the store (one batched `get` per detection step for the new replies,
remembered); the brand's own account is the parent's author whose handle or display name is the
brand's name or starts with it (`@united`, `@AmericanAir` for "American"). A reply whose parent was
never collected is counted as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from groundswell.indexer.base import Store
from groundswell.nlp.detect.keys import Post
from groundswell.records import Author, SentimentLabel

OWN_PREFIX_MIN = 4  # a brand term this long may start the brand's handle (american -> americanair)
REMEMBERED = 20_000
_NOT_WORD = re.compile(r"[^0-9a-z\uac00-\ud7a3]")


def own_account(author: Author, brand_terms: frozenset[str], brand: str) -> bool:
    """Is this the brand's own account (by handle or display name)?"""
    whole = _NOT_WORD.sub("", brand.lower())
    for name in (author.handle, author.display_name):
        n = _NOT_WORD.sub("", (name or "").lower())
        if not n:
            continue
        if n == whole or n in brand_terms:
            return True
        if any(n.startswith(t) and len(t) >= OWN_PREFIX_MIN for t in (whole, *brand_terms)):
            return True
    return False


class ReplyContext:
    """Marks weak complaints that reply to the brand's own post as context (`Post.complaint = False`)."""

    def __init__(self, brand_terms: Mapping[str, frozenset[str]]) -> None:
        self.brand_terms = brand_terms
        self._parents: dict[str, Author | None] = {}

    def mark(self, store: Store, posts: Iterable[Post]) -> int:
        """Returns how many posts were marked."""
        weak = [
            p
            for p in posts
            if p.complaint
            and p.mention.parent_id
            and p.mention.sentiment is not None
            and p.mention.sentiment.label != SentimentLabel.NEGATIVE
        ]
        if not weak:
            return 0
        if len(self._parents) > REMEMBERED:
            self._parents.clear()
        missing = list({p.mention.parent_id for p in weak if p.mention.parent_id not in self._parents})
        if missing:
            found = {m.id: m.author for m in store.get([i for i in missing if i])}
            self._parents.update((i, found.get(i or "")) for i in missing if i)
        marked = 0
        for p in weak:
            author = self._parents.get(p.mention.parent_id or "")
            if author is None:
                continue
            if any(own_account(author, self.brand_terms.get(b, frozenset()), b) for b in p.mention.brands):
                p.complaint = False
                marked += 1
        return marked

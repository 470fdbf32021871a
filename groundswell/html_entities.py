"""HTML character references in post text: `&amp;` -> `&`, decided in one place.

Exports from X and scraped pages carry text HTML-escaped once (`AT&amp;T`, `&lt;3`). Mappers
unescape it exactly once when a post is read (`unescape_once`): a post that literally says
`&amp;amp;` keeps its `&amp;`. Display and indexing normalisation (nlp.normalize) unescape until
none is left (`unescape_all`), because scraped text is often escaped twice; that form is never
stored as the post's text. The SQLite store's schema 6 migration applies `unescape_once` to text
stored before it, once (indexer/sqlite_schema.py).
"""

from __future__ import annotations

import html
import re

# A named reference (`&amp;`) or a numeric one (`&#38;`, `&#x26;`), terminated by `;`. The
# SQLite full-text index was built with nlp.normalize using this very pattern: changing it changes
# index_text, which needs a schema migration that rebuilds mentions_fts (a contentless FTS5 row is
# deleted with the exact text it was indexed with).
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")


def has_entity(text: str | None) -> bool:
    return text is not None and "&" in text and ENTITY.search(text) is not None


def unescape_once(text: str | None) -> str | None:
    """`text` with its character references replaced once; None and plain text unchanged."""
    if text is None or not has_entity(text):
        return text
    return html.unescape(text)


def unescape_all(text: str) -> str:
    """Unescaped until no reference is left (`&amp;amp;` -> `&`): for display and index forms only."""
    while has_entity(text):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text

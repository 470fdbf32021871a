"""One rule for HTML character references in post text (groundswell/html_entities.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from groundswell.crawlers.generic import parse_generic_line
from groundswell.html_entities import unescape_all, unescape_once
from groundswell.nlp.normalize import normalize


def test_stored_text_is_unescaped_once_and_display_forms_fully() -> None:
    assert unescape_once("AT&amp;T &lt;3") == "AT&T <3"
    assert unescape_once("write &amp;amp; in HTML") == "write &amp; in HTML"  # once: what the author typed
    assert unescape_once("no entity & here") == "no entity & here" and unescape_once(None) is None
    assert unescape_all("&amp;amp;lt;") == "<"
    line = '{"id": "1", "text": "write &amp;amp; in HTML", "created_at": "2024-01-01T00:00:00Z"}'
    assert parse_generic_line(line, 1).text == "write &amp; in HTML"


@given(st.text(alphabet=st.sampled_from(list("a&;#x1mp lt")), max_size=40))
def test_the_index_form_is_the_same_before_and_after_the_stored_unescape(text: str) -> None:
    """Why schema 6 need not rebuild the full-text index: normalize(unescape_once(x)) == normalize(x)."""
    assert normalize(unescape_once(text) or "") == normalize(text)

"""Normalisation keeps the signal (emoji, emoticons, elongation) and masks what is unbounded."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from groundswell.nlp.normalize import URL_TOKEN, USER_TOKEN, normalize


def test_masks_urls_and_mentions() -> None:
    out = normalize("@acme_help see https://t.co/abc123 and www.example.com/x now")
    assert out == f"{USER_TOKEN} see {URL_TOKEN} and {URL_TOKEN} now"


def test_splits_hashtags() -> None:
    assert normalize("#NeverAgain #worst_service #배송지연") == "Never Again worst service 배송지연"


def test_squashes_elongation_but_not_numbers() -> None:
    assert normalize("sooooo goooood!!!!! ㅋㅋㅋㅋㅋㅋ ㅠㅠㅠㅠ") == "soo good!! ㅋㅋ ㅠㅠ"
    assert normalize("paid 100000 won....") == "paid 100000 won..."
    assert normalize("hahahaha") == "haha"


def test_width_forms_and_entities() -> None:
    assert normalize("Ｆｕｌｌ　ｗｉｄｔｈ １２３") == "Full width 123"
    assert normalize("Tom &amp;amp; Jerry &lt;3 &#128545;") == "Tom & Jerry <3 😡"


def test_keeps_emoji_emoticons_and_jamo() -> None:
    text = "별로 ㅠㅠ :( T_T ^^ 😡👍"
    assert normalize(text) == text


def test_empty_and_whitespace() -> None:
    assert normalize("") == ""
    assert normalize(" \n\t ") == ""


def test_unknown_entity_does_not_loop() -> None:
    assert normalize("Black&Blue; B2ST") == "Black&Blue; B2ST"


_piece = st.sampled_from(
    [*list("abcXYZ ㅋㅠ가나#@&;.!:()0123😡 ｗ\u3000"), "&amp;", "&#35;", "http://x.co/a", "@u"]
)
_social = st.lists(_piece, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_social)
def test_idempotent_on_social_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_unicode_is_safe(text: str) -> None:
    out = normalize(text)
    assert isinstance(out, str)
    assert out == out.strip()
    assert "  " not in out
    assert len(out) <= 3 * len(text) + 10  # masks may lengthen a little, never blow up


def _every_step(text: str) -> str:
    """`normalize` with every pattern run on every post (what it did before its guards)."""
    from groundswell.nlp import normalize as n

    if not text:
        return ""
    if "&" in text:
        text = n.unescape_all(text)
    text = n._nfkc(text)
    text = n._URL.sub(f" {URL_TOKEN} ", text)
    text = n._HASHTAG.sub(n._split_hashtag, text)
    text = n._MENTION.sub(USER_TOKEN, text)
    text = n._LAUGH.sub(r"\1", text)
    text = n._ELONGATION.sub(r"\1\1", text)
    text = n._DOTS.sub("...", text)
    return re.sub(r"\s+", " ", text).strip()


_guarded = st.sampled_from(
    [
        *list("haejiHAEJI wW./#@:&;.ㅋ가\u00a0\u2003\x1c\t\n"),
        "www.",
        "WWW.",
        "https://",
        "x.com/",
        "....",
        "haha",
        "HeHe",
        "jaja",
        "ahah",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(_guarded, max_size=30).map("".join), _social, st.text(max_size=60)))
def test_guards_skip_only_patterns_that_cannot_match(text: str) -> None:
    assert normalize(text) == _every_step(text)


def test_federated_handles_are_masked_whole() -> None:
    assert normalize("@alice.bsky.social your app is down") == f"{USER_TOKEN} your app is down"
    assert normalize("@bob@mastodon.social the app crashes") == f"{USER_TOKEN} the app crashes"
    assert normalize("thanks @lumio.com!") == f"thanks {USER_TOKEN}!"
    # a sentence glued to a handle keeps its words; an e-mail address is no handle
    assert normalize("@delta.Thanks for nothing") == f"{USER_TOKEN}.Thanks for nothing"
    assert normalize("write to a@b.com") == "write to a@b.com"

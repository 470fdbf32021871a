"""Links and handles, defined once (groundswell.addresses), are never words at any place that uses them."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from groundswell import addresses
from groundswell.nlp.detect import narrative, story, summary
from groundswell.nlp.entities import _NOISE
from groundswell.nlp.langid import _MASKS
from groundswell.nlp.normalize import URL_TOKEN, USER_TOKEN, normalize
from groundswell.nlp.topics.tokens import tokenize
from groundswell.terms import terms_of

_WORD = st.text(alphabet="abcdefghijklmnoprstuvwy", min_size=3, max_size=9)
_KOREAN = st.sampled_from(["배송", "환불", "고객센터", "최악", "앱이", "느려요"])
_NAME = st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True)
_LABEL = st.from_regex(r"[a-z0-9]{1,10}", fullmatch=True)
_PATH = st.from_regex(r"[A-Za-z0-9_\-/?=.]{0,20}", fullmatch=True)

_HANDLES = st.one_of(
    _NAME.map(lambda n: f"@{n}"),
    st.tuples(_NAME, _LABEL).map(lambda t: f"@{t[0]}@{t[1]}.social"),  # Mastodon
    _NAME.map(lambda n: f"@{n}.bsky.social"),  # Bluesky
    _NAME.map(lambda n: f"@{n}.com"),  # a Bluesky custom domain
)
_URLS = st.one_of(
    st.tuples(st.sampled_from(["http", "https", "HTTPS"]), _LABEL, _PATH).map(
        lambda t: f"{t[0]}://{t[1]}.com/{t[2]}"
    ),
    st.tuples(_LABEL, _PATH).map(lambda t: f"www.{t[0]}.org/{t[1]}"),
    st.tuples(
        st.sampled_from(["bit.ly", "t.co", "pic.twitter.com", "blog.naver.com", "youtu.be"]), _LABEL
    ).map(lambda t: f"{t[0]}/{t[1]}"),
)


def _insert(words: list[str], at: int, address: str) -> str:
    i = at % (len(words) + 1)
    return " ".join([*words[:i], address, *words[i:]])


@given(
    st.lists(st.one_of(_WORD, _KOREAN), min_size=1, max_size=6), st.integers(0, 6), st.one_of(_HANDLES, _URLS)
)
def test_an_address_anywhere_adds_no_term(words: list[str], at: int, address: str) -> None:
    assert terms_of(_insert(words, at, address)) == terms_of(" ".join(words))


@given(st.lists(_WORD, min_size=1, max_size=6), st.integers(0, 6), st.one_of(_HANDLES, _URLS))
def test_an_address_anywhere_adds_no_topic_token(words: list[str], at: int, address: str) -> None:
    plain = " ".join(words)
    assert tokenize([_insert(words, at, address)], ["en"]) == tokenize([plain], ["en"])


@given(st.lists(st.one_of(_WORD, _KOREAN), min_size=1, max_size=6), st.integers(0, 6), _HANDLES)
def test_normalize_masks_every_handle_whole(words: list[str], at: int, handle: str) -> None:
    assert normalize(_insert(words, at, handle)) == normalize(_insert(words, at, USER_TOKEN))


@given(st.lists(st.one_of(_WORD, _KOREAN), min_size=1, max_size=6), st.integers(0, 6), _URLS)
def test_normalize_masks_every_url_whole(words: list[str], at: int, url: str) -> None:
    assert normalize(_insert(words, at, url)) == normalize(_insert(words, at, URL_TOKEN))


def test_edge_cases_in_normalize() -> None:
    cases = {
        "@bob@mastodon.social hi": "@user hi",
        "thanks @alice.bsky.social": "thanks @user",
        "see https://t.co/abc123": "see <url>",
        "see www.example.com/x": "see <url>",
        "see bit.ly/abc": "see <url>",
        "look pic.twitter.com/xyz": "look <url>",  # not "pic. <url>"
        "see t.co/abc123": "see <url>",
        "email me at joe@example.com": "email me at joe@example.com",  # an e-mail is not a handle
        "@KFC_UKI cold": "@user cold",
        "RT @user: hi": "RT @user: hi",
        "배송 언제 와요 https://coupang.com/x 환불": "배송 언제 와요 <url> 환불",
        "but nawwww.": "but naww.",  # "www." inside a word is not a link
        "via @@TheFullMount": "via @user",
    }
    for text, expected in cases.items():
        assert normalize(text) == expected, text


def test_edge_cases_in_terms_and_tokens() -> None:
    assert terms_of("@bob@mastodon.social @alice.bsky.social bit.ly/abc pic.twitter.com/xyz refund") == [
        "refund"
    ]
    assert terms_of("email me at joe@example.com") == ["email", "joe"]  # the domain is dropped, as before
    assert terms_of("@KFC_UKI cold chicken") == ["cold", "chicken"]
    # "@" as a quote mark, not an e-mail domain
    assert terms_of("부활@이다.엑스맨의 신작") == ["부활", "엑스맨", "신작"]
    assert tokenize(["@alice.bsky.social outage www.example.com/x bit.ly/abc"], ["en"]) == [["outage"]]


def test_each_place_drops_what_it_should() -> None:
    post = "RT @alice.bsky.social: refund please www.example.com/x bit.ly/y joe@example.com"
    assert summary.sentences(post) == ["refund please joe@example.com"]  # a quote keeps the e-mail
    assert narrative._HANDLE.findall("RT @techjun_tv and @alice.bsky.social, @bob@mastodon.social") == [
        "techjun_tv",
        "alice",
        "bob",
    ]
    assert narrative._HANDLE.findall("최고!!@@최고 joe@example.com") == []  # an emoticon, an e-mail
    assert story._HANDLE_URL.sub(" ", "v2.3 pic.twitter.com/ab12cd @x1y2").split() == ["v2.3"]
    assert _MASKS.sub(" ", "<url> @user hello www.example.com/x").split() == ["hello"]
    masked = _NOISE.sub(lambda m: " " * len(m.group()), "Ask @KFC_UKI at bit.ly/kfc")
    assert masked.split() == ["Ask", "at"] and len(masked) == len("Ask @KFC_UKI at bit.ly/kfc")


def test_the_shared_patterns_compile_and_leave_words_alone() -> None:
    for pattern in (addresses.URL, addresses.HANDLE, addresses.AT_TAIL, addresses.ADDRESSES.full.pattern):
        assert re.compile(pattern).search("plain words, 3.14 and a.m. and/or e.g. 배송") is None


_TEXT_PIECES = st.one_of(
    _WORD, _KOREAN, _HANDLES, _URLS, st.sampled_from(["www.kfc.co.uk", "WWW.A.COM", "nawwww.", "/", " "])
)


@given(st.lists(_TEXT_PIECES, max_size=8).map(" ".join))
def test_the_quick_forms_find_what_the_full_pattern_finds(text: str) -> None:
    """A text without "/" or "www" is searched without the link forms it cannot hold: the same answer."""
    pattern = addresses.ADDRESSES
    assert pattern.sub("|", text) == pattern.full.sub("|", text)
    assert pattern.findall(text) == pattern.full.findall(text)

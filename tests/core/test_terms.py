"""Top terms: words a person reads, never the addresses a post carries."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from groundswell.terms import terms_of


def test_handles_and_links_are_not_terms() -> None:
    text = "@KFC_UKI fried several times https://t.co/CaXI1XQGwO #NotWorthIt pic.twitter.com/6sM9AowDPJ"
    assert terms_of(text) == ["fried", "times", "notworthit"]
    assert terms_of("mail help@kfc.com or www.kfc.co.uk/contact about the refund") == [
        "mail",
        "help",
        "refund",
    ]


def test_korean_words_keep_their_stems_beside_a_handle() -> None:
    assert terms_of("@쿠팡 배송이 늦어요 https://coupang.com/x") == ["배송", "늦어"]


_WORD = st.text(alphabet="abcdefghij", min_size=3, max_size=8)


@given(st.lists(_WORD, min_size=1, max_size=6), _WORD, _WORD)
def test_an_address_adds_no_term(words: list[str], handle: str, path: str) -> None:
    """Putting a handle or a link anywhere in a post leaves its terms as they were."""
    plain = " ".join(words)
    for address in (f"@{handle}_uk", f"https://t.co/{path}", f"www.{handle}.com/{path}"):
        assert terms_of(f"{address} {plain} {address}") == terms_of(plain)

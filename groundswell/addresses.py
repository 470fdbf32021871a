"""Links and account handles, written once for every place that masks or drops them.

A handle or a link is an address, never a word: it must not become a term, a label word, a topic
word, an entity or a story token anywhere. Eight places used to spell these patterns each a little
differently, so "@alice.bsky.social" or "bit.ly/x" was dropped in one and split into words
("bsky", "social", "bit") in the next. Each place now builds its own compiled regex from these
pieces and adds only what is its own (normalize's tokens, summary's leading RT, ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# A link: with a scheme (even cut off, "http://"), www. starting a word ("nawwww." is not one), or a
# bare domain with a path ("bit.ly/x", "t.co/abc", "pic.twitter.com/xyz", "blog.naver.com/id");
# case-insensitive. The bare form starts only where a dotted run starts (after "..." too), so a long
# "a.b.c..." costs one pass, not one per dot.
URL_WWW = r"(?i:www(?<!\wwww)\.\S*)"
URL_SCHEMED = rf"(?i:https?://\S*)|{URL_WWW}"
URL_BARE = r"(?i:(?<![\w-])(?<!\w\.)[\w-]++\.(?:[\w-]+\.)*(?:com|net|org|kr|co|ly|io|me|gl|be|tv|app)/\S*)"
URL = rf"{URL_SCHEMED}|{URL_BARE}"

# A handle: @name, and the whole of a Mastodon handle (@name@instance.social) or a Bluesky one
# (@name.bsky.social, or a custom domain @brand.com): left as "@user.bsky.social", its domain
# became words ("bsky", "social"). Not after a letter: joe@example.com is an e-mail. A run of @ is a
# typo before a Latin name (via @@TheFullMount; longer runs too, which normalize squashes to two)
# but an emoticon before Hangul (@@최고: "best").
HANDLE_AT = r"@(?<![\w@]@)(?:@+(?=[A-Za-z0-9_]))?"  # the @ first: a lookbehind at every position costs
HANDLE_NAME = r"\w{1,30}"
HANDLE_DOMAIN = (
    r"(?:@[\w-]+(?:\.[\w-]+)+|(?:\.[A-Za-z0-9-]+){2,}(?![\w-])"
    r"|\.(?:com|net|org|io|co|kr|app|dev|social|me)(?![\w.-]))"
)
HANDLE = rf"{HANDLE_AT}{HANDLE_NAME}{HANDLE_DOMAIN}?"

# An @ glued to a word: an e-mail's domain (help@kfc.com) or a run-together handle (RT@bob).
# Places that only drop addresses drop it too; normalize, which keeps what a reader needs, does not.
# A domain's labels start with a Latin letter or digit: "부활@이다.엑스맨의" keeps 엑스맨의, while a particle
# glued to a domain goes with it ("joe@gmail.com으로").
AT_TAIL = r"@\w+(?:[.-][A-Za-z0-9]\w*)*"

# Handles and what follows a glued @: with the links, what a place that drops addresses drops.
HANDLES = rf"{HANDLE}|{AT_TAIL}"


class AddressRegex:
    """One place's compiled pattern: a link (URL) or what `rest` adds, used like `re.Pattern`.

    Matching a link is most of the cost, and most posts hold none: every link form but www. needs
    a "/", and www. needs "www", so a text without them is searched with the forms it can hold
    only (the same matches; ~9 -> ~1 us an English post without a link)."""

    def __init__(self, rest: str) -> None:
        self.full = re.compile(rf"{URL}|{rest}")
        self.www = re.compile(rf"{URL_WWW}|{rest}")
        self.rest = re.compile(rest)

    def _for(self, text: str) -> re.Pattern[str]:
        if "/" in text:
            return self.full
        return self.www if "www" in text.lower() else self.rest

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self._for(text).sub(repl, text)

    def findall(self, text: str) -> list[Any]:
        return self._for(text).findall(text)


# What a place that only drops addresses drops (story tokens, entities): links, handles, what
# follows a glued @.
ADDRESSES = AddressRegex(HANDLES)

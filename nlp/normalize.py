"""Text normalisation that keeps the sentiment signal.

Social posts carry meaning in things a plain cleaner throws away: emoji, emoticons (``:(``, ``ㅠㅠ``,
``^^``), elongations (``sooooo``, ``ㅋㅋㅋㅋㅋ``) and hashtags (``#NeverAgain``). We keep all of them,
squash what only varies in length, and mask what is identifying or unbounded (URLs, @handles).
"""

from __future__ import annotations

import re
import unicodedata

from groundswell.addresses import HANDLE, URL
from groundswell.html_entities import unescape_all

URL_TOKEN = "<url>"
USER_TOKEN = "@user"

_URL = re.compile(URL)
_MENTION = re.compile(HANDLE)  # the whole handle, Mastodon's and Bluesky's domains too; not an e-mail
_HASHTAG = re.compile(r"(?<![\w&#])#+(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
# One character (not a digit, not a dot) repeated 3+ times -> twice: "sooooo" -> "soo", "ㅋㅋㅋㅋ" -> "ㅋㅋ".
_ELONGATION = re.compile(r"([^\d.\s])\1{2,}")
_DOTS = re.compile(r"\.{4,}")
_LAUGH = re.compile(r"\b((?:ha|he|hi|ja|ah){2})(?:ha|he|hi|ja|ah)+\b", re.IGNORECASE)
# A laugh needs three syllables of h/j and a vowel: six such letters in a row, found by a plain scan.
_LAUGH_HINT = re.compile(r"[aehij]{6}", re.IGNORECASE)
# Hangul compatibility jamo (ㅋ ㅠ ㅜ ㅎ ...) must survive NFKC, which would turn them into conjoining jamo.
_NOT_COMPAT_JAMO = re.compile(r"[^\u3130-\u318F]+")


def _nfkc(text: str) -> str:
    """Fold full/half-width forms and compatibility characters, but leave ㅋ/ㅠ as they are."""
    if text.isascii():
        return text
    return _NOT_COMPAT_JAMO.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _split_hashtag(match: re.Match[str]) -> str:
    word = match.group(1).replace("_", " ")
    return _CAMEL.sub(" ", word)


def normalize(text: str) -> str:
    """Clean one post for display, indexing and features; idempotent: normalize(normalize(x)) == normalize(x).

    Each pattern runs only where the character it needs is present: most posts have no link,
    hashtag, handle or laugh, and skipping those scans halves the cost (~28 -> ~14 µs an English
    tweet), which every post of `analyze` and `ingest` pays."""
    if not text:
        return ""
    if "&" in text:
        text = unescape_all(text)  # until none is left: scraped text is often double-escaped
    text = _nfkc(text)
    if "/" in text or ("." in text and "www." in text.lower()):
        text = _URL.sub(f" {URL_TOKEN} ", text)
    if "#" in text:
        text = _HASHTAG.sub(_split_hashtag, text)  # before @handles: "@#a" must not become "@a" later
    if "@" in text:
        text = _MENTION.sub(USER_TOKEN, text)
    if _LAUGH_HINT.search(text):
        text = _LAUGH.sub(r"\1", text)
    text = _ELONGATION.sub(r"\1\1", text)
    if "...." in text:
        text = _DOTS.sub("...", text)
    return " ".join(text.split())  # str.split() splits on exactly the characters `\s` matches

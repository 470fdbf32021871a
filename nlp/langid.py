"""Language identification tuned for short social posts in a Korean + English market.

Most posts are decided by their script alone (Hangul -> ko, kana -> ja, Han only -> zh, ...), which
costs microseconds; an English function-word check settles most Latin-script posts; only the rest
go to lingua, restricted to a small language set so it is both faster and less often wrong on
short text. A post with a Hangul share above ``HANGUL_SHARE`` is Korean even when it mixes in
English words ("배송 너무 늦음 worst service"), because the Korean-market user reads it as Korean.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, cached_property
from typing import TYPE_CHECKING

from groundswell.addresses import HANDLES, AddressRegex

if TYPE_CHECKING:
    from lingua import LanguageDetector

UNDETERMINED = "und"
EN_PRIOR = 2.0
HANGUL_SHARE = 0.2
LATIN_LANGS = ("en", "es", "fr", "de", "pt", "it", "nl", "id", "tr", "vi")

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_WORD = re.compile(r"[a-z']+")
_MASKS = AddressRegex(rf"<url>|{HANDLES}")  # normalize's <url> and @user, and raw links and handles
# Frequent English words that are not also frequent words of the other Latin languages we detect.
_EN_TEXT = """the and you your is are was were be been it it's its this that with for of to my i i'm im
not don't dont can't cant won't didn't doesn't isn't just what why how when who they them
have has had will would should could get got but if or at on from by about all out up one do did
we our us he she his her him there their here now today love like good bad great best worst
thanks thank really very much time day new going go know think want need see lol omg please
an as after before being because than then these those which while would your yours myself
am any been both each few more most other some such only own same too off over under again further
once where every never always nothing something anything everyone people still back even also
tomorrow tonight night morning last next first year years week watch game show win new happy"""
_EN_WORDS = frozenset(_EN_TEXT.split())
# Function words of the other Latin-script languages detected; one of them sends a post to lingua.
_FOREIGN_TEXT = """de la el los las que y en un una es por con para del al lo se su sus muy pero
le les des et est une pas je il elle nous vous sont avec pour dans sur qui ce cette mais ou
der die das und ist nicht ich mit ein eine den dem zu von auf auch sich es sie wir
o os um uma não nao com para mas como mais muito eu ele ela você voce
il di che è non per una sono gli della anche ma ho
het een van ik je niet dat met zijn voor op ook
yang dan di ini itu tidak ada aku kamu dengan untuk dari ke
bir ve bu da ne ile için çok ama
và của là không có những được một người"""
_FOREIGN_WORDS = frozenset(_FOREIGN_TEXT.split()) - _EN_WORDS
_NON_ENGLISH_LETTERS = re.compile(r"[à-öø-ÿœßğşçñ]")  # on lower-cased text


@cache
def _english_lexicon() -> frozenset[str]:
    """VADER's 7,500 English sentiment words: short English posts are mostly such words."""
    from groundswell.nlp.sentiment.lexicon import vader_lexicon

    return frozenset(vader_lexicon())


def script_language(text: str) -> str | None:
    """Decide by script when the script is unambiguous; None when Latin text needs a closer look."""
    if text.isascii():
        return None if _ASCII_LETTER.search(text) else UNDETERMINED
    letters = len(_LETTER.findall(text))
    if letters == 0:
        return UNDETERMINED
    hangul = len(_HANGUL.findall(text))
    if hangul and hangul / letters >= HANGUL_SHARE:
        return "ko"
    if _KANA.search(text):
        return "ja"
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    if han and han >= latin:
        return "zh"
    for pattern, code in ((_CYRILLIC, "ru"), (_ARABIC, "ar"), (_THAI, "th")):
        n = len(pattern.findall(text))
        if n and n >= latin:
            return code
    if hangul and hangul >= latin:
        return "ko"
    if latin == 0:
        return UNDETERMINED
    return None


class LinguaLangId:
    """The default language-id part: script rules, an English fast path, then lingua.

    lingua's models for the Latin languages load lazily on the first post that needs them.
    """

    def __init__(self, latin_langs: Sequence[str] = LATIN_LANGS, min_relative_distance: float = 0.0) -> None:
        self.latin_langs = tuple(latin_langs)
        self.min_relative_distance = min_relative_distance

    @cached_property
    def _detector(self) -> LanguageDetector:
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        codes = [getattr(IsoCode639_1, code.upper()) for code in self.latin_langs]
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        return builder.with_minimum_relative_distance(self.min_relative_distance).build()

    def detect_one(self, text: str) -> str:
        lang = script_language(text)
        if lang is not None:
            return lang
        lowered = _MASKS.sub(" ", text.lower())
        words = _WORD.findall(lowered)
        if not words:
            return UNDETERMINED
        english = sum(1 for w in words if w in _EN_WORDS)
        plain = not _NON_ENGLISH_LETTERS.search(lowered)
        if plain and ((english >= 2 and english / len(words) >= 0.15) or (english and len(words) <= 3)):
            return "en"
        if len(words) <= 3 and lowered.isascii() and any(w in _english_lexicon() for w in words):
            return "en"  # "terrible", "awesome": too short for n-gram models, English is the better bet
        if plain and len(words) > 3 and not any(w in _FOREIGN_WORDS for w in words):
            return "en"  # headlines and name lists: no sign of another language, and lingua costs ~1 ms
        values = self._detector.compute_language_confidence_values(lowered)
        if not values or values[0].value <= 0:
            return UNDETERMINED
        # English is the usual Latin-script language of this market: it wins unless another
        # language is at least EN_PRIOR times as likely (headlines and name lists are ambiguous).
        best = max(
            values, key=lambda v: v.value * (EN_PRIOR if v.language.iso_code_639_1.name == "EN" else 1)
        )
        return best.language.iso_code_639_1.name.lower()

    def detect(self, texts: Sequence[str]) -> list[str]:
        """ISO 639-1 codes, or "und" when a post has no letters or no clear language."""
        return [self.detect_one(text) for text in texts]

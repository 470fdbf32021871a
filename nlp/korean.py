"""Korean morphology with Kiwi, loaded once, lazily, and shared by whoever needs morphemes.

Kiwi's model takes seconds to load, so nothing loads it at import time; the first call does, and
every later call reuses it. Batch calls go through Kiwi's own pool (`num_workers` >= 1 is required
for batch tokenisation). Posts are capped at `MAX_CHARS` so one 100 KB paste cannot stall a batch.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

MAX_CHARS = 5000
NUM_WORKERS = 1
_lock = threading.Lock()
_kiwi: Kiwi | None = None


def kiwi() -> Kiwi:
    """The shared Kiwi instance (created on first use)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi(num_workers=NUM_WORKERS)
    return _kiwi


def morphemes(texts: Sequence[str]) -> list[list[tuple[str, str]]]:
    """(form, POS tag) per morpheme for each text, in one batch call: 안 좋아요 -> 안/MAG 좋/VA 아요/EF.

    Kiwi marks conjugation classes on stems (어려워요 -> 어렵/VA-I, 들어요 -> 듣/VV-I); the tag
    comes back without that suffix (VA, VV), so a filter on content tags keeps 아쉽다, 아깝다,
    어렵다: complaint words a tag set of plain VA/VV silently dropped.
    """
    if not texts:
        return []
    analysed = kiwi().tokenize([t[:MAX_CHARS] for t in texts])
    return [[(tok.form, base_tag(tok.tag)) for tok in tokens] for tokens in analysed]


def base_tag(tag: str) -> str:
    """A Kiwi tag without its conjugation-class suffix: VA-I -> VA, VV-R -> VV, NNG -> NNG."""
    return tag.split("-", 1)[0]


def lemmas(
    texts: Sequence[str], tags: frozenset[str] = frozenset({"NNG", "NNP", "VV", "VA", "XR", "SL"})
) -> list[list[str]]:
    """Content morphemes (nouns, verb/adjective stems, roots, foreign words): 배송이 늦어요 -> 배송, 늦."""
    return [[form for form, tag in row if tag in tags] for row in morphemes(texts)]

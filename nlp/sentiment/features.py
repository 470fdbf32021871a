"""Sparse features shared by training (scripts/train_sentiment.py) and inference, so they cannot drift.

Hashing instead of a fitted vocabulary keeps the shipped model a few arrays (fast to load, no pickle)
and the featuriser stateless. Per post we emit:
- word 1-2 grams with negation scope marking ("not good" -> ``good_NEG``), the classic cue that a bag
  of words otherwise misses;
- character 2-5 grams inside words (robust to typos, elongations and Korean endings, no tokenizer needed);
- prior features: VADER lexicon hits (flipped under negation), emoji and emoticon polarity, !/? runs,
  ALL-CAPS words; they generalise beyond words seen in training.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from nlp.sentiment.lexicon import EMOTICON, emoji_polarity, emoticon_polarity, vader_lexicon

N_FEATURES = 2**20
Flavour = Literal["en", "ko"]

_TOKEN = re.compile(
    EMOTICON.pattern + r"|<url>|@user|[\w']+|[!?]+|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2764]",
    re.UNICODE,
)
_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "nor",
        "neither",
        "cannot",
        "cant",
        "can't",
        "dont",
        "don't",
        "doesnt",
        "doesn't",
        "didnt",
        "didn't",
        "isnt",
        "isn't",
        "wasnt",
        "wasn't",
        "arent",
        "aren't",
        "werent",
        "weren't",
        "wont",
        "won't",
        "wouldnt",
        "wouldn't",
        "shouldnt",
        "shouldn't",
        "couldnt",
        "couldn't",
        "havent",
        "haven't",
        "hasnt",
        "hasn't",
        "hadnt",
        "hadn't",
        "aint",
        "ain't",
        "without",
        "n't",
    ]
)
# Korean negation is a pre-verbal 안/못 or a -지 않/못 ending; marking the next word captures "안 좋아요".
_KO_NEGATORS = frozenset(
    {"안", "못", "않", "아니", "아닌", "아니고", "아니다", "없", "없다", "없어요", "없음"}
)
_KO_NEG_SUFFIX = re.compile(r"(?:지\s?않|지\s?못|지\s?마|안\s?[가-힣]|못\s?[가-힣])")
_CLAUSE_END = re.compile(r"^[.,;:!?]+$|^(?:but|however|though)$")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _prior_features(toks: Sequence[str], raw: str) -> list[str]:
    lexicon = vader_lexicon()
    out: list[str] = []
    negated = False
    for tok in toks:
        if tok in _NEGATORS or tok.endswith("n't"):
            negated = True
            continue
        if _CLAUSE_END.match(tok):
            negated = False
            if "!" in tok:
                out.append("__excl")
            if "?" in tok:
                out.append("__quest")
            continue
        if len(tok) == 1 and not tok.isalnum():
            pol = emoji_polarity(tok)
            if pol:
                out.append("__emoji_pos" if pol > 0 else "__emoji_neg")
            continue
        pol = emoticon_polarity(tok)
        if pol:
            out.append("__emoticon_pos" if pol > 0 else "__emoticon_neg")
            continue
        valence = lexicon.get(tok)
        if valence is not None and abs(valence) >= 0.5:
            sign = (valence > 0) != negated
            strength = "strong" if abs(valence) >= 2 else "weak"
            out.append(f"__lex_{'pos' if sign else 'neg'}_{strength}")
            if negated:
                out.append("__lex_negated")
    caps = sum(1 for w in raw.split() if len(w) > 2 and w.isupper() and w.isalpha())
    out.extend(["__caps"] * min(caps, 3))
    return out


def analyze_en(text: str) -> list[str]:
    """English features for one normalised post."""
    toks = tokens(text)
    words: list[str] = []
    negated = False
    for tok in toks:
        if _CLAUSE_END.match(tok):
            negated = False
            words.append(tok)
            continue
        words.append(tok + "_NEG" if negated else tok)
        if tok in _NEGATORS or tok.endswith("n't"):
            negated = True
    feats = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    feats.extend(_char_ngrams(toks, 2, 5))
    feats.extend(_prior_features(toks, text))
    return feats


def analyze_ko(text: str) -> list[str]:
    """Korean features: eojeol 1-2 grams, negation-marked eojeol, character 1-3 grams, emoji/emoticons."""
    toks = tokens(text)
    words: list[str] = []
    negated = False
    for tok in toks:
        if _CLAUSE_END.match(tok):
            negated = False
        words.append(tok + "_NEG" if negated else tok)
        negated = tok in _KO_NEGATORS
    feats = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    feats.extend(_char_ngrams(toks, 1, 3, min_n_ascii=3))
    if _KO_NEG_SUFFIX.search(text):
        feats.append("__ko_neg")
    feats.extend(_prior_features(toks, text))
    return feats


def _char_ngrams(toks: Iterable[str], lo: int, hi: int, min_n_ascii: int | None = None) -> list[str]:
    out: list[str] = []
    for tok in toks:
        word = f" {tok} "
        start = lo if min_n_ascii is None or not tok.isascii() else max(lo, min_n_ascii)
        n_chars = len(word)
        for n in range(start, min(hi, n_chars) + 1):
            out.extend("#" + word[i : i + n] for i in range(n_chars - n + 1))
    return out


ANALYZERS = {"en": analyze_en, "ko": analyze_ko}


def vectorizer(flavour: Flavour) -> HashingVectorizer:
    """Raw term counts (sublinear tf and idf are applied by `transform`)."""
    return HashingVectorizer(
        analyzer=ANALYZERS[flavour], n_features=N_FEATURES, alternate_sign=False, norm=None, dtype=np.float32
    )


def transform(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf * idf, then l2-normalised rows, the same at training and at inference."""
    x = counts.copy()
    np.log1p(x.data, out=x.data)
    x = x.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms).dot(x).tocsr().astype(np.float32)

"""Korean label words as the posts write them, not as the morphological analyser cut them.

Kiwi reads a name it does not know as pieces (the demo's phone 에스나인 as 에스나 + 이 + ㄴ, or 에스 +
나인) and splits compounds (보상판매, 중복결제), so topic labels built from its morphemes read
`고민 · 사진 · 에스나`. These rules give such a word back from the posts' own eojeols; a word that
also stands alone keeps its form.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

_EOJEOL = re.compile(r"[\uac00-\ud7a3a-z0-9]+")
_HANGUL_ONLY = re.compile(r"[\uac00-\ud7a3]{2,}")
# what follows a whole noun inside an eojeol: a verb made of it (업데이트하고, 설치했는데, 연결돼요) or a
# dependent noun or suffix (업데이트후, 점검중, 고객님, 상담원분, 부탁드려요), or a place noun (가방안에,
# 박스속, 화면위: KOTE comments read `가방안에 · 요즘 · 사진`)
_NOT_A_PIECE = frozenset("하했해한할함합되된됐돼될됨드후중때시들님분씨께적상내전안밖속위옆앞뒤")
_ENDS_A_VERB = frozenset("요다네죠음함임")  # 짜증나네요, 실망이네요: a sentence, not a word
# particles and copula forms that follow a noun inside its eojeol, longest first
PARTICLES_KO = "이 가 은 는 을 를 에 의 도 만 와 과 랑 이랑 으로 로 에서 에게 한테 보다 처럼 까지 부터 하고 이나 나 이든 든 이에요 예요 이다 입니다 이라 라"  # fmt: skip
_PARTICLES = sorted(PARTICLES_KO.split(" "), key=len, reverse=True)
_PARTICLE_SET = frozenset(_PARTICLES)
# particles no noun ends with: taken off even where the posts never write the word bare
_PLAIN_PARTICLES = ("는", "를", "을", "에서", "으로", "에게", "한테", "까지", "부터", "처럼", "보다", "이랑", "하고")  # fmt: skip
WHOLE_SHARE = 0.6  # a Korean label word is a longer word's piece when this share of its eojeols say it
ALONE_SHARE = 0.1  # ... and at most this share say the word alone (with particles)


def whole_words(phrases: Sequence[str], texts: Sequence[str]) -> list[str]:
    """Korean label words as the posts write them: Kiwi reads an unknown name as pieces ("에스나인"
    -> 에스나 + 이 + ㄴ or 에스 + 나인; the demo's `고민 · 사진 · 에스나`). A word that almost never
    stands alone (with its particles), where most of the eojeols it starts start with one longer
    word as written, is given back that word (two pieces of it side by side become the one word:
    "네이버 페이" -> 네이버페이). A word that also stands alone keeps its form: 고객 of 고객센터. A
    noun the posts write with the suffix 적 is given back with it (이기 -> 이기적, "selfish"), though
    other suffixes are not pieces (업데이트후)."""
    korean = {w for p in phrases for w in p.split(" ") if _HANGUL_ONLY.fullmatch(w) and not w.endswith("다")}
    if not korean:
        return list(phrases)
    eojeols = [e for text in texts for e in _EOJEOL.findall(text.lower())]
    whole: dict[str, str] = {}  # word -> the longer word it is a piece of
    for word in korean:
        starts = [e for e in eojeols if e.startswith(word)]
        if sum(_strip_particle(e, len(word)) == word for e in starts) > ALONE_SHARE * len(starts):
            continue  # the word stands alone (with its particles) often enough to be one
        if starts and sum(e.startswith(word + "적") for e in starts) >= WHOLE_SHARE * len(starts):
            whole[word] = word + "적"  # 이기적인, 이기적이고: the posts say "selfish" (이기적), not 이기
            continue
        # the longer word as the posts write it: the most frequent eojeol, its particles taken off
        # where the posts write it bare or with other particles too (고객센터는 -> 고객센터, but
        # 네이버페이 stays), that most of the others start with
        written = Counter(starts)
        for form, _n in written.most_common():
            form = _without_particles(form, len(word) + 1, written)
            rest = form[len(word) :]
            if not rest:
                break
            if len(rest) <= 3 and rest[0] not in _NOT_A_PIECE and rest[-1] not in _ENDS_A_VERB:
                if sum(e.startswith(form) for e in starts) >= WHOLE_SHARE * len(starts):
                    whole[word] = form
                break
    out: list[str] = []
    for phrase in phrases:
        words, joined = phrase.split(" "), []
        while words:
            word = words.pop(0)
            stem = whole.get(word, word)
            if words and stem.startswith(word + words[0]):
                stem = word + words.pop(0)  # "에스 나인", "고객 센터" (고객센터는): pieces of one word
            joined.append(stem)
        phrase = " ".join(dict.fromkeys(joined))
        if not any(within(phrase, earlier) for earlier in out):  # 배송 조회 -> 배송조회, then 배송조회
            out.append(phrase)
    return out


def within(phrase: str, earlier: str) -> bool:
    """The phrase says nothing `earlier` does not: the same, or Korean words inside its words (페이
    after 네이버페이)."""
    if phrase == earlier:
        return True
    words = earlier.split(" ")
    return all(_HANGUL_ONLY.fullmatch(w) and any(w in e for e in words) for w in phrase.split(" "))


def _without_particles(form: str, keep: int, written: Counter[str]) -> str:
    """`form` less its particles when the posts write that stem bare or with two particles or more,
    or the particle is one no noun ends with (고객센터는, 배송조회를; but 네이버페이 keeps its 이)."""
    stem = _strip_particle(form, keep)
    if stem == form or stem in written or form[len(stem) :].startswith(_PLAIN_PARTICLES):
        return stem
    endings = {e[len(stem) :] for e in written if e.startswith(stem)}
    return stem if len(endings & _PARTICLE_SET) >= 2 else form


def _strip_particle(eojeol: str, keep: int) -> str:
    """The eojeol without the particles it ends with (up to two: 땡볕에서도), never shorter than its
    first `keep` letters."""
    for _ in range(2):
        for particle in _PARTICLES:
            if eojeol.endswith(particle) and len(eojeol) - len(particle) >= keep:
                eojeol = eojeol[: -len(particle)]
                break
        else:
            break
    return eojeol

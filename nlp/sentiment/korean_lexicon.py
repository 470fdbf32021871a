"""Korean polarity priors: polar stems, negation, and the idioms of product and service posts.

The Korean training data is movie reviews (NSMC) plus a few thousand online comments (KOTE), so the
n-grams never see most of what shoppers and fans write ("배송 빠르고 꼼꼼해요", "앱이 계속 튕겨요",
"실물 미쳤다", "이건 못 참지"). These priors map such words onto a handful of shared features
(``__ko_lex_pos``, ``__ko_lex_neg`` ...) whose weights the model learns from the words the training
data does contain (좋, 최고, 최악 ...): a new word inherits the weight of its class. The lists are
hand-built from general Korean usage, not from any evaluation set; see nlp/MODEL_CARD.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

# Stems matched at the start of an eojeol; those of two or more syllables also inside one
# (개쩐다, 갓성비, 대만족). One-syllable stems only at the start: 갑 must not match 갑자기.
KO_POSITIVE = (
    "좋", "최고", "재밌", "재미있", "맛있", "만족", "추천", "감동", "훌륭", "멋지", "멋있", "멋져", "예쁘",
    "예뻐", "예쁨", "이쁘", "이뻐", "이쁨", "귀엽", "귀여", "친절", "빠르", "빨라", "빨랐", "빠름", "신속", "편하",
    "편해", "편리", "깔끔", "꼼꼼", "튼튼", "든든", "행복", "감사", "고맙", "사랑", "완벽", "대박", "짱", "강추",
    "기쁘", "신나", "즐겁", "괜찮", "굿", "혜자", "꿀템", "득템", "인생템", "최애", "취저", "존맛", "존예", "쩐다",
    "쩔어", "쩔었", "쩌는", "지린다", "지렸", "오진다", "오지네", "영롱", "세련", "고급스", "알차", "유용",
    "잘샀", "재구매", "대만족", "흡족", "감탄", "설레", "기대돼", "기대된", "갖고싶", "사고싶",
    "탐나", "당첨", "성공", "축하", "뿌듯", "갓성비", "가성비갑", "레전드",
    # shopping, delivery, apps and games (review language; see scripts/ko_review_seed.py)
    "빠른", "쾌적", "직관적", "간편", "정성", "빵빵", "쏠쏠", "안정적", "중독성", "필수앱", "필수템", "인생겜",
    "갓겜", "저렴", "다양", "번창", "짱짱", "혜택", "푸짐", "신속정확",
    # what a useful service is called: useful, helpful, trustworthy, the best of its kind
    "유익", "엄지척", "원탑", "실용적", "갓앱", "꿀앱", "탁월", "신뢰",
)  # fmt: skip
KO_NEGATIVE = (
    "나쁘", "나빠", "최악", "별로", "실망", "짜증", "불친절", "느리", "느려", "느림", "늦", "불량", "불편",
    "쓰레기", "환불", "아깝", "지루", "재미없", "싫", "화나", "화가", "어이없", "엉망", "후회", "비싸", "비쌈",
    "고장", "망했", "망함", "구리", "구려", "구림", "노잼", "답답", "거지같", "개판", "형편없", "분실", "파손",
    "튕기", "튕겨", "튕김", "먹통", "오류", "에러", "버그", "버벅", "끊기", "끊겨", "끊김", "방전", "발열",
    "깨짐", "깨졌", "깨져", "누락", "지연", "오배송", "짝퉁", "가품", "먹튀", "호구", "창렬", "실패",
    "바가지", "불만", "항의", "피해", "손해", "허접", "조잡", "엉성", "엉터리", "악취", "누수", "결함", "리콜",
    "소음", "시끄럽", "열받", "빡치", "빡쳐", "빡침", "킹받", "황당", "어처구니", "무책임", "무성의", "성의없",
    "허위", "과대광고", "속았", "낚였", "비추", "극혐", "노답", "에바", "불안", "위험", "안되", "안돼",
    "안됨", "안됐", "안와", "안옴",
    # apps and games: what breaks, and what makes players pay
    "꺼짐", "꺼져", "꺼졌", "멈춤", "멈춰", "멈췄", "무한로딩", "날아감", "날아갔", "날렸", "날림", "보풀",
    "렉", "현질유도", "과금유도", "조작", "너프", "임박", "복붙", "먹통됨",
)  # fmt: skip
_NEGATED_NEXT = ("않", "못", "안", "없")

# Idioms a bag of words reads backwards. Hype: an attribute "went crazy / is it real / tore it up"
# is praise ("실물 미쳤다", "색감 실화냐"), and "못 참지" (can't resist) is desire, not a negated verb.
# Price "went crazy" is the opposite: too expensive.
_ATTRIBUTE = (
    r"(?:실물|색감|색상|성능|화질|음질|디자인|분위기|퀄리티|퀄|야경|카메라|핏|비주얼|사운드|맛|향|"
    r"가성비|스펙|연출|무대|비율|발색|착용감|손맛|마감|완성도|텐션|라인업|구성)"
)
_HYPE = r"(?:미쳤|미친|실화|대박|오지|오졌|지리|지렸|쩔|쩐|찢었|레전드|역대급)"
_PRICE = r"(?:가격|값|요금|배송비|수수료|물가|구독료)"
KO_PHRASES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(_ATTRIBUTE + r"\s?(?:이|가|은|는|도|까지|진짜|완전|너무|개|좀)?\s?" + _HYPE), 1),
    (re.compile(r"못\s?참|안\s?살\s?수\s?(?:가\s?)?없|갖고\s?싶|사고\s?싶|사야\s?(?:돼|되|겠|지|함|할|해)|기대\s?(?:돼|된|중)"), 1),
    (re.compile(r"잘\s?(?:샀|산|삼|구매)|다시\s?(?:살|사고|구매할)\s?(?:래|거|것|의향)"), 1),
    (re.compile(_PRICE + r"\s?(?:이|가|은|는|도)?\s?(?:진짜|완전|너무|좀)?\s?(?:미쳤|미친|실화|에바|사악|창렬|오바)"), -1),
    (re.compile(r"다시는\s?(?:\S+\s)?(?:안|절대)|두\s?번\s?다시|연결\s?(?:이\s?)?안\s?[되돼됨]|(?:안|못)\s?(?:와요|옴|왔|받았|받음)"), -1),
)  # fmt: skip
# A fault that is absent is praise ("불편한 점 없어요", "광고 없어서 쾌적", "렉 하나도 없고"); a service one
# "cannot live without" is praise ("쿠팡없으면 못살지경", "없으면 안되는 필수앱"); many coupons/items is
# praise, many ads/bugs or heavy pay-to-win is a complaint.
_FAULT = r"(?:불편|문제|렉|광고|버그|오류|고장|과금\s?유도|현질\s?유도|튕김|끊김)"
_PERK = r"(?:쿠폰|혜택|이벤트|상품|종류|할인|적립|선택지|컨텐츠|콘텐츠|보상|선물)"
_PEST = r"(?:광고|팝업|버그|오류|렉|현질|과금|핵|점검)"
_MANY = r"\S*\s?(?:도|이|가|은|는)?\s?(?:너무|진짜|엄청|정말|넘|개)?\s?"
KO_PHRASES += (
    (
        re.compile(
            _FAULT + r"\S*\s?(?:한\s?)?(?:점\s?)?(?:은|이|가|도|는)?\s?(?:하나도|전혀|1도|일도)?\s?없"
        ),
        1,
    ),
    (re.compile(r"없으면\s?(?:못\s?살|안\s?(?:되|돼))"), 1),
    (re.compile(_PERK + _MANY + r"(?:많|다양|빵빵|푸짐|혜자)"), 1),
    (re.compile(_PEST + _MANY + r"(?:많|심하|심해|심함|심각|쩔|유도)"), -1),
    # a service in use and doing its job: "도움이 많이 됩니다", "잘 사용하고 있습니다", "유용하게 쓰고
    # 있어요", "믿고 거래해요", "안심하고 쓸 수 있어요" (formal app-review praise the n-grams of movie
    # reviews read as neutral or negative)
    (re.compile(r"도움이?\s?(?:많이|큰|정말|너무|진짜|엄청)?\s?(?:됩|되|돼|됐|받|얻)"), 1),
    (
        re.compile(
            r"(?:잘|유용하게|유익하게|편리하게|편하게|알차게)\s?(?:잘\s?)?(?:쓰|써|사용|이용)(?:하)?\s?(?:고|는|하고|중)"
        ),
        1,
    ),
    (re.compile(r"믿고\s?(?:쓰|써|사|거래|이용|맡기)|안심\s?(?:하고|할\s?수|돼|됩|이\s?돼)"), 1),
)
# The phrases above that also look like a negation to the generic "안/못 + verb" cue.
NOT_NEGATION = re.compile(r"못\s?참|안\s?살\s?수\s?(?:가\s?)?없|없으면\s?(?:못\s?살|안\s?(?:되|돼))")


# A claim quoted to be denied: "빠른 배송이라더니 일주일 걸림" (it was said to be fast delivery, and
# then...), "빠르댔는데", "가성비는 개뿔", "친절 같은 소리". The polar words of the
# quoted claim count as negated (the model learns what a negated praise weighs, as for 안 좋아요);
# "좋다더니 역시 좋네요" confirms the claim and is left alone. "X은 무슨" was left out: in movie
# reviews it is as often a plain question ("그는 무슨 생각으로"), and it moved the review figures.
_CLAIM_DENIED = re.compile(r"[다라]더니(?:만)?|[랬댔]는데|\s개뿔|같은\s?소리")
_CLAIM_CONFIRMED = re.compile(r"\S*\s?(?:역시|진짜로|정말로|과연|소문대로|명불허전|듣던\s?대로)")
_PRAISE_TAIL = ("짱", "갑", "굿", "최고")
FEATURES = ("__ko_lex_pos", "__ko_lex_neg", "__ko_lex_pos_negated", "__ko_lex_neg_negated")
_LONG_POS = tuple(s for s in KO_POSITIVE if len(s) > 1)
_LONG_NEG = tuple(s for s in KO_NEGATIVE if len(s) > 1)


@lru_cache(maxsize=1 << 16)
def token_polarity(tok: str) -> tuple[int, bool]:
    """(+1/-1/0, negated inside the token) for one eojeol: 좋아요 (+1), 안좋아요 (+1, negated), 최악 (-1)."""
    if tok.startswith(("안되", "안돼", "안됨", "안됐", "안와", "안옴", "못받")):
        return -1, False  # "doesn't work / hasn't come": negative on its own, not a negated verb
    inner = tok.startswith(("안", "못")) and len(tok) > 2
    body = tok[1:] if inner else tok
    if body.endswith(_PRAISE_TAIL) and len(body) > 1:
        return 1, inner  # 배송짱, 가성비갑, 서비스굿: one-syllable praise glued to the end of a word
    if body.startswith(KO_NEGATIVE) or any(stem in body for stem in _LONG_NEG):
        return -1, inner
    if body.startswith(KO_POSITIVE) or any(stem in body for stem in _LONG_POS):
        return 1, inner
    return 0, False


def lexicon_features(toks: Sequence[str], text: str) -> list[str]:
    """Names (of `FEATURES`) for the Korean polar stems, with negation, then the idioms.

    안 좋아요 / 좋지 않아요 are negative evidence.

    NSMC rarely says "안 좋아요" politely, so the n-grams alone learn "좋아요" as positive whatever
    precedes it; a prior that knows negation lets the model weigh it.
    """
    out: list[str] = []
    quoted = _quoted_claim_tokens(toks, text)
    for k, tok in enumerate(toks):
        polarity, negated = token_polarity(tok)
        if not polarity:
            continue
        if k < quoted:
            negated = not negated
        elif k and toks[k - 1] in ("안", "못"):
            negated = True
        if k + 1 < len(toks) and tok.endswith(("지", "진")) and toks[k + 1].startswith(_NEGATED_NEXT):
            negated = True
        if _absent(toks, k):
            negated = not negated
        name = "__ko_lex_pos" if polarity > 0 else "__ko_lex_neg"
        out.append(name + ("_negated" if negated else ""))
    for pattern, polarity in KO_PHRASES:
        if pattern.search(text):
            out.extend(["__ko_lex_pos" if polarity > 0 else "__ko_lex_neg"] * 2)
    return out


_ABSENT_FILLER = frozenset(
    {"점", "점이", "점은", "점도", "게", "거", "건", "것", "하나도", "전혀", "1도", "일도", "별로"}
)


def _absent(toks: Sequence[str], k: int) -> bool:
    """Is the polar word at `k` said to be absent: "불편한게 없네요", "렉 하나도 없고", "좋은 점이 없어요"?

    Absence turns a fault into praise and a merit into a complaint, as a negation does; the
    words in between may only be fillers (점, 게, 하나도, 전혀)."""
    for j in range(k + 1, min(k + 4, len(toks))):
        if toks[j].startswith("없"):
            return True
        if toks[j] not in _ABSENT_FILLER:
            return False
    return False


def _quoted_claim_tokens(toks: Sequence[str], text: str) -> int:
    """How many leading tokens a denied claim spans (0 if none): 빠른 배송이라더니 -> 2."""
    match = _CLAIM_DENIED.search(text)
    if match is None or _CLAIM_CONFIRMED.match(text, match.end()):
        return 0
    end, pos = match.start(), 0
    for k, tok in enumerate(toks):
        pos = text.find(tok, pos)
        if pos < 0 or pos >= end:
            return k
        pos += len(tok)
    return len(toks)

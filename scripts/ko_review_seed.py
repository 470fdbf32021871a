"""Hand-built Korean review phrases (shopping, delivery, apps, games) for the Korean sentiment model.

Why: the Korean training data is movie reviews (NSMC) and online comments (KOTE). Neither says
"배송 빨라요" or "앱이 계속 튕겨요", and in KOTE "배송" appears mostly in complaints, so the model
learned the *aspect* words of a review as negative: `빠른배송` read -0.52, `배송짱` negative. These
phrases pair neutral aspect words (배송, 포장, 앱, 업데이트, 서버, 과금 ...) with both praise and
complaint predicates, so the model learns that the predicate carries the polarity, and add the
idioms of review language (강추, 존맛, 꿀템, 가성비 갑, 못살지경, 현질 유도, 무한로딩 ...), with
spacing variants (빠른배송 / 빠른 배송).

The lists are written from general Korean usage by the developer; they are not sentences from any
evaluation set (tests/nlp/data/ko_reviews_eval.jsonl was written separately, as whole reviews).
`review_seed()` is deterministic: the same phrases every run.
"""

from __future__ import annotations

import random

ASPECTS = {
    "shopping": (
        "배송", "택배", "포장", "상품", "제품", "물건", "가격", "품질", "마감", "사이즈", "색상", "재질", "맛",
        "구성", "쿠폰", "할인", "반품", "교환", "고객센터", "상담원", "기사님", "로켓배송", "새벽배송",
        "당일배송", "쿠팡", "마켓", "판매자", "셀러", "옷", "신발",
    ),
    "app": (
        "앱", "어플", "업데이트", "로그인", "결제", "화면", "알림", "기능", "디자인", "속도", "인증", "검색",
        "지도", "서버", "동기화", "간편결제", "UI", "새 버전", "고객센터", "적립",
    ),
    "game": (
        "게임", "그래픽", "스토리", "캐릭터", "타격감", "밸런스", "운영", "이벤트", "보상", "매칭", "서버",
        "가챠", "확률", "컨텐츠", "최적화", "브금", "전투", "패치", "신캐", "던전",
    ),
}  # fmt: skip
JOSA = (
    "",
    "",
    "이",
    "은",
    "도",
    "이 진짜",
    "은 정말",
    "도 완전",
)  # 이/은 after a final consonant, else 가/는
POSITIVE = (
    "좋아요", "좋음", "좋네요", "최고", "최고예요", "짱", "짱짱", "만족", "만족해요", "대만족", "빨라요",
    "빠름", "빠르고 좋아요", "깔끔해요", "꼼꼼해요", "편해요", "편리해요", "간편해요", "괜찮아요", "훌륭해요",
    "마음에 들어요", "맘에 듦", "굿", "강추", "추천해요", "완벽해요", "감사해요", "친절해요", "안정적이에요",
    "쾌적해요", "만족스러워요", "칭찬해요", "잘 돼요", "문제없어요", "최고네요", "훌륭함", "편함", "빠르네요",
    # the formal register of app and service reviews (습니다), as common in praise as in complaints
    "좋습니다", "편리합니다", "유용합니다", "유익합니다", "만족스럽습니다", "최고입니다", "훌륭합니다",
    "잘 됩니다", "빠릅니다", "도움이 됩니다", "신뢰가 갑니다", "편해졌습니다", "깔끔합니다", "추천합니다",
)  # fmt: skip
NEGATIVE = (
    "별로", "별로예요", "최악", "최악이에요", "느려요", "느림", "늦어요", "엉망", "실망", "실망이에요",
    "불편해요", "짜증나요", "안 돼요", "안됨", "안 와요", "오류나요", "먹통", "튕겨요", "튕김", "멈춰요",
    "멈춤", "꺼져요", "렉 걸려요", "끊겨요", "너무 비싸요", "허접해요", "엉터리", "불친절해요",
    "답이 없네요", "개선해주세요", "고쳐주세요", "형편없어요", "이상해요", "구려요", "최악임", "실망스럽네요",
    "문제 많아요", "답답해요",
    "불편합니다", "실망했습니다", "느립니다", "안 됩니다", "오류가 납니다", "최악입니다", "별로입니다",
    "짜증납니다", "개선이 필요합니다", "답답합니다", "이용이 불가능합니다", "수정 부탁드립니다",
    "쓸 수가 없습니다", "엉망입니다",
    # praise negated ("안 좋아요", "-지 않아요"): movie reviews rarely say it politely
    "좋지 않아요", "좋지 않습니다", "빠르지 않아요", "편하지 않아요", "친절하지 않아요",
)  # fmt: skip
# Whole idioms of review language (both polarities), spacing variants added below.
PRAISE = (
    "강추", "강추합니다", "존맛", "존맛탱", "꿀템", "득템", "인생템", "인생겜", "갓겜", "혜자", "혜자구성",
    "가성비 갑", "가성비 최고", "가성비 좋아요", "재구매 각", "재구매 의사 있어요", "또 살게요", "또 시킬게요",
    "없으면 못살아요", "없으면 못살지경", "이거 없으면 못 살아", "필수템", "필수앱", "쿠폰 많아요",
    "혜택 많아요", "할인 많아요", "종류 다양해요", "상품 다양해요", "저렴해요", "싸고 좋아요", "저렴하고 좋아요",
    "무과금도 할만해요", "무과금 가능", "과금 유도 없어요", "광고 없어서 좋아요", "렉 없어요", "렉 하나도 없음",
    "불편한 점 없어요", "문제 하나도 없어요", "배송 빠름", "빠른배송", "배송짱", "로켓배송 최고",
    "다음날 도착", "하루만에 왔어요", "새벽에 도착해서 좋아요", "번창하세요", "대박", "미쳤다 진짜 좋음",
    "잘 쓰고 있어요", "잘 샀어요", "만족합니다", "별 다섯개", "오천점", "백점 만점", "믿고 삽니다",
    "잘 사용하고 있습니다", "유용하게 잘 쓰고 있습니다", "잘 이용하고 있어요", "덕분에 편해졌어요",
    "큰 도움이 됐어요", "전혀 불편한 게 없네요", "불편한 게 하나도 없어요", "이만한 앱이 없어요", "엄지척",
    "강력 추천합니다", "정말 유용한 앱입니다", "생활에 꼭 필요한 앱", "안심하고 거래해요", "믿고 쓰는 앱",
    # a fault negated: "느리지 않아요", "나쁘지 않아요"
    "느리지 않아요", "불편하지 않아요", "나쁘지 않아요",
)  # fmt: skip
COMPLAINT = (
    "현질 유도", "현질 유도 심해요", "과금 유도 심해요", "과금 강요", "확률 조작", "렉 심해요", "렉 때문에 못함",
    "핵 너무 많아요", "광고 너무 많아요", "무한로딩", "무한 로딩", "강제종료", "강제 종료돼요", "접속 불가",
    "인증번호 안 와요", "환불 안 해줌", "연락 두절", "오배송", "구성품 누락", "파손돼서 옴", "짝퉁",
    "돈 날림", "다시는 안 사요", "비추", "노잼", "고객센터 연결 안 됨", "배송 지연", "배송 느림",
    "택배 분실", "반품 거부", "환불 거부", "먹튀", "사기", "로그인 안 됨", "결제 오류", "업데이트 후 튕김",
    "데이터 날아감", "서버 터짐", "점검 너무 잦아요", "매칭 안 잡힘", "돈만 빠져나감", "별 하나도 아까움",
    "사용할 수가 없습니다", "불편해서 삭제했습니다", "쓸 수가 없네요", "다시는 사용 안 합니다",
    "몇 번을 해도 안 됩니다", "계속 오류가 납니다", "빠른 수정 부탁드립니다", "도움이 하나도 안 돼요",
)  # fmt: skip
INTENSIFIERS = ("", "", "", "너무 ", "진짜 ", "완전 ", "정말 ", "넘 ", "개 ")
ENDINGS = ("", "", "", " ㅎㅎ", " ㅋㅋ", "!!", " 👍", "~", ".", " ㅠㅠ")


def _josa(noun: str, josa: str) -> str:
    """The particle that agrees with the noun's last syllable: 배송이 / 포장은 but 서버가 / 캐릭터는."""
    last = noun[-1]
    closed = "\uac00" <= last <= "\ud7a3" and (ord(last) - 0xAC00) % 28 != 0
    if not closed and josa.startswith(("이", "은")):
        josa = {"이": "가", "은": "는"}[josa[0]] + josa[1:]
    return noun + josa


def _squeeze(text: str, rng: random.Random) -> str:
    """Korean spacing in reviews is inconsistent: a third of the phrases lose their spaces."""
    return text.replace(" ", "") if rng.random() < 1 / 3 else text


def review_seed(n: int = 6000, seed: int = 20261204) -> tuple[list[str], list[int]]:
    """(phrases, labels 1 = positive / 0 = negative), balanced, deterministic."""
    rng = random.Random(seed)
    aspects = [a for group in ASPECTS.values() for a in group]
    texts: list[str] = []
    labels: list[int] = []
    for k in range(n):
        label = k % 2
        words, idioms = (POSITIVE, PRAISE) if label else (NEGATIVE, COMPLAINT)
        kind = rng.random()
        if kind < 0.45:
            text = f"{_josa(rng.choice(aspects), rng.choice(JOSA))} {rng.choice(INTENSIFIERS)}{rng.choice(words)}"
        elif kind < 0.75:
            text = rng.choice(idioms)
        else:
            first, second = rng.sample(aspects, 2)
            text = f"{first} {rng.choice(words)} {_josa(second, rng.choice(JOSA))} {rng.choice(words)}"
        texts.append(_squeeze(text + rng.choice(ENDINGS), rng).strip())
        labels.append(label)
    return texts, labels

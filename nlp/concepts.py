"""Complaint concepts: the family of words people use for one kind of failure, counted as one key.

Real complaints of one kind rarely share a word: a login burst says 로그인, 비밀번호, 인증서, 아이디
and "can't sign in", "password reset", "locked out". Each word alone grows too slowly to be
significant within the first ten posts, and meaning vectors (nlp.detect.semantic) separate some
kinds barely better than chance (Korean crash, sync and update reviews). A concept gives all its
words one series: a post that names any of them also holds the concept's *name* as a term
(``로그인`` for "비번 오류", ``baggage`` for "my suitcase never came"), so the word series of
the name counts the whole family, and the label, the evidence ranking and incident matching
treat it as the word it is.

The lists are written from general knowledge of service complaints in Korean and English
(apps, shops and delivery, finance, telecom, travel, food, devices), not fitted to any evaluation
set: BENCHMARKS.md ("Complaint concepts") says how they were written and what they measured.
Matching is by regular expression on the normalised text: English fragments start at a word
boundary; Korean fragments match inside a word (stems such as 튕기/튕겨/튕김 for every ending, and
spacing variants such as 로그인 안됨 / 로그인안됨 alike). Only complaints are counted towards keys,
so praise that names a concept (배송 빨라요) never moves its series.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np

from groundswell.nlp import concept_filter
from groundswell.query import normalize


@dataclass(frozen=True)
class Concept:
    """One kind of failure: the names a label shows (one per language) and the words that name it."""

    en: str
    ko: str
    en_words: str  # regex alternatives, each matched from a word boundary
    ko_words: str  # regex alternatives, matched anywhere


# Append new concepts at the end: a fitted topic model keeps the concept columns it was built with,
# by position (nlp/topics/embed.py, `_FIRST_CONCEPTS`).
CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "login",
        "로그인",
        r"log(?:ging)? ?in\b|logins?\b|log ?out|sign(?:ing)? ?in\b|password|passcode|verification code"
        r"|2fa\b|two[- ]factor|otp\b|locked out|authenticat|account (?:is |was |got |has been )?"
        r"(?:locked|suspended|disabled|blocked)",
        r"로그인|로그아웃|비밀번호|비번|패스워드|아이디|본인 ?인증|인증(?!샷)|공인인증|계정|회원 ?가입|지문|생체",
    ),
    Concept(
        "crash",
        "튕김",
        r"crash(?:es|ed|ing)?\b|freez(?:e|es|ing)\b|froze|force[sd]? (?:close|quit)"
        r"|keeps? (?:closing|shutting|quitting|stopping|restarting)|shuts? (?:itself )?down"
        r"|won'?t (?:open|load|start|launch)|(?:doesn'?t|does not|will not) (?:open|launch|start)"
        r"|(?:black|white|blank) screen|stuck on|unresponsive",
        r"튕기|튕겨|튕김|튕깁|팅기|팅겨|팅김|강제 ?종료|강종|꺼지|꺼져|꺼짐|꺼집|멈추|멈춰|멈춤|먹통"
        r"|실행이? ?안|안 ?열[려리]|열리지|켜지지|(?:하얀|흰|검은|까만) ?화면|종료[되돼됨]|응답 ?없",
    ),
    Concept(
        "error",
        "오류",
        r"errors?\b|bug(?:s|gy)?\b|glitch(?:es|y)?\b|not working|(?:doesn'?t|does not|won'?t|isn'?t) work"
        r"|stopped working|malfunction",
        r"오류|에러|버그|장애|작동(?:이|을)? ?안|작동하지|먹히지|오작동",
    ),
    Concept(
        "slow",
        "속도",
        r"slow(?:ly|er|ness|s)?\b|lag(?:s|gy|ging)?\b|takes? forever|taking forever|loading|load times?"
        r"|sluggish|buffering|spinning wheel",
        r"느려|느림|느리|느린|로딩|버벅|렉(?![서스])|랙(?!킹)|속도|오래 ?걸|한참",
    ),
    Concept(
        "connection",
        "접속",
        r"connect(?:ion|ions|ing|ed|s)?\b|servers?\b|network|offline\b|outage|(?:is|was|are|were|been|goes|went) down\b"
        r"|no (?:signal|service|internet)|wi-?fi|timed? ?out|timeout|broadband|internet\b|coverage|reception\b"
        r"|signal\b|[345]g\b|lte\b|latency|blackout|power (?:cut|outage|failure)|no (?:power|electricity)"
        r"|(?:service|broadband|internet|network|phones?|lines?|site|website) down\b"  # "X is down": the alternative above
        r"|dropp(?:ed|ing) calls?|can'?t (?:make|receive) (?:any )?(?:outgoing |incoming )?calls",
        r"접속|연결|서버|네트워크|통신|점검|와이파이|타임 ?아웃|시간 ?초과|끊기|끊겨|끊김|정전|불통",
    ),
    Concept(
        "billing",
        "결제",
        # charging a customer; charging a device is battery (below)
        r"charges?\b|(?<!fully )charged\b(?! up\b)"
        r"|charging (?:me|us|you|them|my|our|customers|people|extra|for|twice)\b|overcharg"
        r"|payments?\b|billing|billed|bills?\b|cards?\b|declined|subscription|fees?\b|transactions?\b",
        r"결제|결재|요금|청구|카드|과금|출금|입금|송금|수수료|구독|(?:카카오|네이버|삼성|토스|애플|스마일)페이|페이코",
    ),
    Concept(
        "refund",
        "환불",
        r"refund(?:s|ed|ing)?\b|money back|reimburs|compensat|chargeback",
        r"환불|환급|반품|보상|돌려 ?받|돌려 ?주|돈 ?돌려",
    ),
    Concept(
        "cancellation",
        "취소",
        r"cancel(?:l?ed|l?ing|lations?|s)?\b|unsubscrib",
        r"취소|결항|해지|탈퇴",
    ),
    Concept(
        "delivery",
        "배송",
        r"deliver(?:y|ies|ed|ing)?\b|shipping|shipment|shipped|packages?\b|parcels?\b|courier|tracking"
        r"|arriv(?:e|ed|al)\b|never (?:came|arrived|received)|(?:hasn'?t|has not|haven'?t) (?:arrived|come)"
        r"|dispatch",
        r"배송|택배|배달|도착|출고|송장|기사님|라이더|안 ?와요|안 ?옴|안 ?왔|(?<![나어])오지 ?않|받지 ?못|못 ?받|수령",
    ),
    Concept(
        "support",
        "고객센터",
        r"customer (?:service|support|care)|support team|call ?cent|on hold|hold for|agents?\b"
        r"|representatives?\b|no (?:reply|response|answer)|never (?:replied|responded|answered|heard back)"
        r"|repl(?:y|ied|ies)\b|respon(?:d|ded|se)\b|live chat|hotline|e-?mails?\b|dms?\b",
        r"고객 ?센터|콜 ?센터|상담|문의|답변|응대|연락|전화|답장|회신|챗봇|민원",
    ),
    Concept(
        "ads",
        "광고",
        r"ads?\b|advert|commercials?\b|pop-?ups?\b|spam|notifications?\b|push (?:notification|alert)s?",
        r"광고|알림|푸시|푸쉬|스팸|팝업|문자 ?폭탄|마케팅 ?(?:수신|문자|동의)",
    ),
    Concept(
        "update",
        "업데이트",
        r"updat(?:e|es|ed|ing)\b|upgrad(?:e|es|ed|ing)\b|new version|latest version|version \d|patch(?:ed|es)?\b",
        r"업뎃|업데|버전|패치|개편|리뉴얼|바뀐 ?(?:후|뒤|이후)|바뀌고|변경 ?(?:후|이후|뒤)",
    ),
    Concept(
        "sync",
        "연동",
        r"sync(?:ing|ed|s)?\b|not showing|(?:doesn'?t|won'?t|does not|will not) show|disappear|missing\b|vanish"
        r"|history\b|records?\b|balance\b|statement",
        r"연동|동기화|내역|반영|안 ?떠|안 ?뜨|뜨지 ?않|표시가? ?안|표시되지|사라지|사라졌|사라짐|없어졌|누락|조회|불러오",
    ),
    Concept(
        "baggage",
        "수하물",
        r"bags?\b|baggage|luggage|suitcases?\b|carry-?ons?\b|belongings",
        r"수하물|캐리어|(?<![가-힣])짐(?:이|을|은|도|가|들)?(?![가-힣])",
    ),
    Concept(
        "delay",
        "지연",
        r"delay(?:s|ed|ing)?\b|late\b|missed (?:my |our |the )?connect|tarmac|hours? late|been waiting|still waiting"
        r"|waited\b|long (?:lines?|queues?|wait)|queu(?:e|es|ed|ing)\b|in line\b",
        r"지연|연착|늦어|늦게|늦음|늦는|대기 ?시간|기다리|기다려|기다림",
    ),
    Concept(
        "price",
        "가격",
        r"pric(?:e|es|ey|ing)\b|expensive|overpriced|rip-?off|costs?\b|costly",
        r"가격|비싸|비쌈|비쌉|인상|값이|값을|바가지",
    ),
    Concept(
        "defect",
        "불량",
        r"broken|broke\b|breaks\b|defect|damaged|faulty|cracked|scratch|dead on arrival"
        r"|(?:doesn'?t|won'?t|will not) (?:turn|power|switch) on|poor quality|cheaply made|quality\b"
        r"|fell apart|falling apart|coming apart|came apart|fell off|falls off|falling off|ripped|torn\b"
        r"|stitch|seams?\b|leak(?:s|ed|ing|y)?\b|recall(?:s|ed)?\b|warranty|repairs?\b|repaired|replacement"
        r"|flicker|pixels?\b|(?:turns?|turned|turning|powers?|powered|powering|shuts?|shutting) (?:itself )?off"
        r"|won'?t (?:print|charge|stay on|work properly)|stopped (?:charging|printing)",
        r"불량|하자|파손|고장|깨짐|깨져|깨졌|찢어|흠집|스크래치|찍힘|품질|수리|리콜|누수|녹슬|뜯어졌|벗겨|에이에스",
    ),
    Concept(
        "battery",
        "배터리",
        r"batter(?:y|ies)\b|overheat|heats? up|drain(?:s|ed|ing)?\b|charger|won'?t charge|not charging|swell"
        r"|charging\b(?! (?:me|us|you|them|my|our|customers|people|extra|for|twice)\b)|fully charged|charged up"
        r"|(?:holds?|holding) (?:a |its |the )?charge",
        r"배터리|발열|뜨거|뜨겁|충전|방전|부풀",
    ),
    Concept(
        "staff",
        "직원",
        r"rude|staff|employees?\b|attitude|manager|unprofessional|cashier|waiter|waitress|crew\b"
        r"|flight attendants?|drivers?\b",
        r"불친절|직원|태도|매니저|점원|알바생|승무원|상담원|말투|반말|무례",
    ),
    Concept(
        "food",
        "위생",
        r"food poisoning|stale|spoiled|rotten|undercooked|hair in|bug in|(?:food|it) was cold|expired|mou?ldy?\b",
        r"이물질|머리카락|벌레|상했|상한|식중독|유통 ?기한|곰팡이|비린|덜 ?익|식었|식어서",
    ),
    Concept(
        "security",
        "보안",
        r"hack(?:ed|er|ers|ing)?\b|scam(?:med|mers?|s)?\b|fraud|phishing|stolen|unauthori[sz]ed"
        r"|data (?:breach|leak)|privacy|breach",
        r"해킹|개인 ?정보|유출|사기|도용|피싱|털렸|보안",
    ),
    Concept(
        "booking",
        "예약",
        r"reservations?\b|booking|booked|itinerary|rebook|overbook|bumped",
        r"예약|예매|오버 ?부킹",
    ),
    Concept(
        "online",  # apps and websites alike: an alert on an app storm must not say "website"
        "온라인",
        r"web ?sites?\b|sites?\b|web ?pages?\b|apps?\b|application\b|browser|portal\b|mobile web",
        r"홈페이지|홈피|웹 ?사이트|사이트|모바일 ?웹",
    ),
)


class ConceptWords(Protocol):
    """A deployment's own words for a concept (config `concepts:`, `config.settings.ConceptWords`)."""

    @property
    def name(self) -> str: ...
    @property
    def name_ko(self) -> str | None: ...
    @property
    def words(self) -> Sequence[str]: ...


class ConceptSet:
    """Compiled concepts: the shipped ones, or those extended by a deployment's own words."""

    def __init__(self, concepts: Sequence[Concept] = CONCEPTS) -> None:
        self.concepts = tuple(concepts)
        self._patterns = tuple(
            (
                c,
                re.compile(rf"\b(?:{c.en_words})") if c.en_words else None,
                re.compile(rf"(?:{c.ko_words})") if c.ko_words else None,
            )
            for c in self.concepts
        )
        self._key = {name.lower(): c.en for c in self.concepts for name in (c.en, c.ko)}
        # which patterns could match, in one pass (nlp.concept_filter): most posts name no concept
        flat = [p for c in self.concepts for p in (c.en_words or None, c.ko_words or None)]
        self._filter = concept_filter.build(flat, [True, False] * len(self.concepts))

    def key(self, name: str) -> str | None:
        """The concept either of its names (any case) names, by its English name; None for no concept."""
        return self._key.get(name.strip().lower())

    def of(self, text: str) -> list[str]:
        """The names of the concepts a text names, in the language it names them in (both when it
        names one in both), in the order of the set."""
        norm = normalize(text)
        could = self._filter.candidates(norm)
        if not could:
            return []
        out: list[str] = []
        for at in sorted(could, key=_set_order):  # pattern 2k is concept k's English, 2k + 1 its Korean
            concept, english, korean = self._patterns[at // 2]
            pattern, name = (korean, concept.ko) if at % 2 else (english, concept.en)
            if pattern is not None and pattern.search(norm):
                out.append(name)
        return out

    def extended(self, extra: Sequence[ConceptWords]) -> ConceptSet:
        """This set plus a deployment's words: words under a shipped concept's name (either language)
        join it (`배송`: 로켓배송, 새벽배송), any other name is a new concept. Words are literal, not
        patterns: a Latin word matches whole words, case-insensitively; a Korean word matches inside
        words, its spaces optional (로켓 배송 finds 로켓배송)."""
        if not extra:
            return self
        concepts = list(self.concepts)
        for item in extra:
            en_words = "|".join(_latin(w) for w in item.words if w.strip() and w.strip().isascii())
            ko_words = "|".join(_korean(w) for w in item.words if w.strip() and not w.strip().isascii())
            names = {n.strip().lower() for n in (item.name, item.name_ko) if n}
            at = next((k for k, c in enumerate(concepts) if {c.en.lower(), c.ko.lower()} & names), None)
            if at is None:
                concepts.append(Concept(item.name, item.name_ko or item.name, en_words, ko_words))
                continue
            old = concepts[at]
            concepts[at] = Concept(
                old.en,
                old.ko,
                "|".join(filter(None, [old.en_words, en_words])),
                "|".join(filter(None, [old.ko_words, ko_words])),
            )
        return ConceptSet(concepts)


def _set_order(at: int) -> tuple[int, int]:
    """Concept by concept, the Korean name before the English (the order `ConceptSet.of` answers in)."""
    return at // 2, -(at % 2)


def _latin(word: str) -> str:
    return r"\s+".join(map(re.escape, normalize(word).split())) + (
        r"\b" if word.strip()[-1].isalnum() else ""
    )


def _korean(word: str) -> str:
    return " ?".join(map(re.escape, normalize(word).split()))


SHIPPED = ConceptSet()


@dataclass(frozen=True)
class _Words:
    name: str
    name_ko: str | None
    words: tuple[str, ...]


def for_config(extra: Sequence[ConceptWords]) -> ConceptSet:
    """The shipped concepts plus a deployment's words, compiled once per distinct list: the detector
    and the enricher of one process read the same set (~90 patterns, compiled in milliseconds, but
    every worker and test builds several)."""
    return _compiled(tuple(_Words(c.name, c.name_ko, tuple(c.words)) for c in extra))


@lru_cache(maxsize=8)
def _compiled(extra: tuple[_Words, ...]) -> ConceptSet:
    return SHIPPED.extended(extra)


def shipped_concepts() -> tuple[str, ...]:
    """The shipped concepts' English names, in order: the columns of `concept_rows`."""
    return tuple(c.en for c in SHIPPED.concepts)


def concept_rows(
    texts: Sequence[str], names: Sequence[str] | None = None, concepts: ConceptSet | None = None
) -> np.ndarray:
    """One unit row per text over the shipped complaint concepts it names (zeros for none).

    `names` are the columns, in order (a fitted model's own; all shipped concepts by default).
    `concepts` reads the texts (default: the shipped set): a deployment's set (`for_config`) lets
    its own words for a shipped concept (로켓배송 for delivery) mark that concept's column; a
    concept of its own has no column. Topics keep the shipped set: a fitted topic model's vectors
    must not move when the config is edited."""
    names = list(names) if names is not None else list(shipped_concepts())
    reader = concepts or SHIPPED
    column = {name: i for i, name in enumerate(names)}
    rows = np.zeros((len(texts), len(names)), np.float32)
    for r, text in enumerate(texts):
        for name in reader.of(text):
            key = reader.key(name)
            if key in column:
                rows[r, column[key]] = 1.0
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)

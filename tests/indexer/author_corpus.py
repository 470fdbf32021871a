"""Mentions whose authors stress handle matching: case, full-width letters, a leading '@', Hangul,
handles that are only an author id, and texts that @-mention the same names.

Shared by the author property tests and by the legacy-database test, whose checked-in file
(tests/indexer/data/store_v1.db) was written from `author_corpus()` by the schema-1 store.
"""

from __future__ import annotations

import random
from datetime import timedelta

from groundswell.records import EnrichedMention
from tests.indexer.builders import mention

AUTHOR_HANDLES = [
    "acme_fan",
    "Acme_Fan",
    "@acme_help",
    "ＡＣＭＥ_ｆａｎ",
    "민수",
    "애크미_공식",
    "globex",
    "Straße",
    "user42",
    "user421",
    None,  # the author column then holds the author id, `u-<native id>`
]
TEXT_WORDS = [
    "acme",
    "battery",
    "delivery",
    "배송이",
    "애크미",
    "great",
    "@acme_fan",
    "@acme_help",
    "@globex",
    "@민수",
    "@user42",
    "#acme",
    "acme_fan",
    "strasse",
]
AUTHOR_QUERIES = [
    "@acme_fan",
    "@ACME_FAN",
    "@ａｃｍｅ_fan",
    "@acme_help",
    "@globex",
    "@민수",
    "@애크미",
    "@공식",
    "@straße",
    "@strasse",
    "@user42",
    "@user4*",
    "@user*1",
    "@acme*",
    "@*fan",
    "@애*",
    "@u",
    "@nobody",
    "@acme_fan OR @globex",
    "@acme_fan battery",
    "@globex NOT delivery",
    "battery NOT @acme_help",
    "(@민수 OR 배송) AND great",
    "@acme_fan NEAR/2 battery",
    "acme_fan",
    "#acme OR @user42",
]


def author_corpus(n: int = 90, seed: int = 11) -> list[EnrichedMention]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        words = [rng.choice(TEXT_WORDS) for _ in range(rng.randint(1, 6))]
        docs.append(
            mention(
                str(i),
                " ".join(words),
                at=timedelta(minutes=41 * i),
                source=rng.choice(["x", "reddit", "news"]),
                handle=rng.choice(AUTHOR_HANDLES),
                brands=tuple(rng.sample(["Acme", "Globex"], rng.randint(0, 1))),
                sentiment=rng.choice([None, -0.7, 0.5]),
            )
        )
    return docs

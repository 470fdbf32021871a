"""A small, real SQLite store and config that look like the demo, plus hostile posts.

Deterministic (seeded): three brands, four days, Korean and English, four sources, touchpoints
with owners, one growing battery complaint with an alert, source runs (one unhealthy), and posts
whose text, author and URL try HTML/script/markdown injection.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from groundswell.indexer.sqlite import SQLiteStore
from groundswell.records import (
    Alert,
    Author,
    EnrichedMention,
    Metrics,
    Sentiment,
    SentimentLabel,
    Severity,
    SourceRun,
    TopicRef,
)

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
END = datetime(2026, 3, 5, 0, 0, tzinfo=UTC)
START = END - timedelta(days=4)
ALERT_ID = "alert-acme-battery"
HOSTILE_TEXTS = (
    "<script>window.__pwned = 1</script> 애크미 배터리 최악",
    '<img src=x onerror="window.__pwned=1"> Acme battery',
    "[click me](javascript:window.__pwned=1) Acme support",
)

CONFIG = """\
brands:
  - name: Acme
    query: '"acme" OR 애크미'
    competitors: [Globex, Initech]
  - name: Globex
    query: globex OR 글로벡스
  - name: Initech
    query: initech
sources:
  - {name: x, type: x}
  - {name: reddit, type: reddit}
  - {name: review, type: rss}
  - {name: clien, type: rss}
  - {name: naver, type: naver, enabled: false}
touchpoints:
  - {name: battery, owner: product-quality@acme.example, keywords: [battery, 배터리, 발열]}
  - {name: delivery, owner: logistics@acme.example, keywords: [delivery, 배송]}
  - {name: call center, owner: cx-callcenter@acme.example, keywords: [상담, support]}
alert_rules:
  - {name: emerging-complaint, window: 1h, min_posts: 5}
playbooks:
  - {touchpoint: battery, text: "1. 제품안전팀 확인\\n2. Hold statement within 2h"}
  - {touchpoint: "*", text: Acknowledge publicly and route to the owner.}
dashboard:
  language: en
"""

TOPICS = {
    0: TopicRef(id=0, label="배터리 발열", keywords=["배터리", "발열", "battery", "overheat"]),
    1: TopicRef(id=1, label="delivery delay", keywords=["delivery", "배송", "late"]),
    2: TopicRef(id=2, label="new phone launch", keywords=["launch", "camera", "출시"]),
}
TEXTS = {
    0: ["애크미 폰 배터리 발열이 심해요 충전 중에 뜨거워짐", "Acme phone battery overheating while charging"],
    1: ["애크미 배송이 일주일째 안 와요", "Acme delivery is late again, no tracking update"],
    2: ["애크미 신제품 카메라 정말 좋네요", "The new Acme camera looks great, love the launch"],
}
SOURCES = ("x", "reddit", "review", "clien")
# named entities of complaints (nlp/entities.py) by topic and language: (Korean, English)
ENTITIES = {0: (["애크미X2"], ["Acme X2"]), 1: (["대한통운"], ["FedEx", "Chicago"]), 2: ([], [])}


def _sentiment(score: float) -> Sentiment:
    label = (
        SentimentLabel.NEGATIVE
        if score < -0.2
        else SentimentLabel.POSITIVE
        if score > 0.2
        else SentimentLabel.NEUTRAL
    )
    return Sentiment(label=label, score=score, confidence=0.8)


def mentions(seed: int = 7) -> list[EnrichedMention]:
    rng = random.Random(seed)
    out: list[EnrichedMention] = []
    for i in range(600):
        at = START + timedelta(minutes=rng.randrange(0, 4 * 24 * 60))
        brand = rng.choice(["Acme", "Acme", "Acme", "Globex", "Initech"])
        topic = rng.choice([1, 2, 2])
        ko = rng.random() < 0.5
        score = -0.6 if topic == 1 else rng.choice([0.6, 0.0, 0.5])
        out.append(_make(i, at, brand, topic, ko, score, rng))
    for i in range(600, 660):  # the growing battery complaint, last 12 hours, accelerating
        at = END - timedelta(hours=12) + timedelta(minutes=int(720 * (1 - (rng.random() ** 2))))
        out.append(_make(i, min(at, END - timedelta(minutes=1)), "Acme", 0, rng.random() < 0.6, -0.8, rng))
    for j, text in enumerate(HOSTILE_TEXTS):
        out.append(
            EnrichedMention(
                id=f"x:hostile{j}",
                source="x",
                native_id=f"hostile{j}",
                text=text,
                created_at=END - timedelta(hours=1, minutes=j),
                url="javascript:window.__pwned=1",
                lang="en",
                author=Author(id=f"h{j}", handle='<b onmouseover="window.__pwned=1">evil</b>', followers=5),
                brands=["Acme"],
                sentiment=_sentiment(-0.7),
                topic=TOPICS[0],
                touchpoints=["battery"],
            )
        )
    return out


def _make(
    i: int, at: datetime, brand: str, topic: int, ko: bool, score: float, rng: random.Random
) -> EnrichedMention:
    source = rng.choice(SOURCES)
    text = TEXTS[topic][0 if ko else 1]
    if brand != "Acme":
        text = text.replace("애크미", "글로벡스" if brand == "Globex" else "이니텍").replace("Acme", brand)
    touch = {0: ["battery"], 1: ["delivery"], 2: []}[topic]
    if rng.random() < 0.1 and score < 0:
        touch = [*touch, "call center"]
    return EnrichedMention(
        id=f"{source}:{i}",
        source=source,
        native_id=str(i),
        text=f"{text} #{i}",
        created_at=at,
        fetched_at=at + timedelta(minutes=5),
        url=f"https://{source}.example.com/p/{i}",
        lang="ko" if ko else "en",
        author=Author(id=f"u{i % 50}", handle=f"user{i % 50}", followers=(i % 50) * 137 + 10),
        metrics=Metrics(likes=i % 17, shares=i % 5, replies=i % 7, views=i * 3),
        brands=[brand],
        sentiment=_sentiment(score),
        topic=TOPICS[topic],
        touchpoints=touch,
        entities=ENTITIES[topic][0 if ko else 1] if score < 0 else [],
    )


def alert(evidence: list[str]) -> Alert:
    return Alert(
        id=ALERT_ID,
        brand="Acme",
        fired_at=END - timedelta(hours=6),
        updated_at=END - timedelta(hours=1),
        first_seen=END - timedelta(hours=12),
        severity=Severity.HIGH,
        rule="emerging-complaint",
        topic=TOPICS[0],
        touchpoints=["battery"],
        owners=["product-quality@acme.example"],
        summary="Battery overheating complaints <script>x</script> growing 6x",
        observed=40,
        expected=6.5,
        growth=6.2,
        spread_risk=0.72,
        evidence_ids=evidence,
        playbook="1. 제품안전팀 확인\n2. Hold statement within 2h",
    )


def runs() -> list[SourceRun]:
    out = []
    for k in range(3):
        for source in SOURCES:
            started = END - timedelta(hours=3 - k)
            healthy = not (source == "clien" and k == 2)
            out.append(
                SourceRun(
                    source=source,
                    started_at=started,
                    finished_at=started + timedelta(seconds=40),
                    fetched=30 + k,
                    new=10 + k,
                    errors=0 if healthy else 3,
                    error=None if healthy else "HTTP 503 from clien.net; retrying with backoff",
                    healthy=healthy,
                    next_run_at=started + timedelta(minutes=15),
                )
            )
    return out


def build(directory: Path) -> tuple[Path, Path]:
    """Write config.yaml and store.db under `directory`; returns (config path, db path)."""
    config = directory / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    db = directory / "store.db"
    store = SQLiteStore(db)
    try:
        items = mentions()
        store.upsert(items)
        evidence = [m.id for m in items if m.topic and m.topic.id == 0][-20:]
        store.save_alert(alert(evidence))
        for run in runs():
            store.record_source_run(run)
    finally:
        store.close()
    return config, db

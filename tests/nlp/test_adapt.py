"""`sentiment adapt`: a deployment's rated reviews correct the shipped model, which is replaced only
when the correction wins on posts it did not train on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from groundswell.config.settings import NlpSettings
from groundswell.nlp.sentiment import build
from groundswell.nlp.sentiment.adapt import RatedPost, active_dir, adapt, held_out, weak_label
from groundswell.pipeline.cli import cli

NOUNS = ("폰", "케이스", "충전기", "이어폰", "워치", "태블릿", "키보드", "마우스", "스피커", "모니터")


def slang_reviews(n: int = 400) -> list[RatedPost]:
    """Reviews in a slang the shipped model never saw: 쌉인정 (5 stars) / 쌉에바 (1 star)."""
    posts = []
    for k in range(n):
        good = k % 2 == 0
        text = f"{NOUNS[k % len(NOUNS)]} {'쌉인정' if good else '쌉에바'} {k // 20}번째"
        posts.append(RatedPost(id=f"play:{k}", text=text, lang="ko", rating=5.0 if good else 1.0))
    return posts


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_weak_labels_and_a_stable_split() -> None:
    assert [weak_label(r) for r in (1, 2, 2.5, 3, 3.5, 4, 5)] == ["negative"] * 3 + ["neutral"] + [
        "positive"
    ] * 3
    ids = [f"play:{k}" for k in range(2000)]
    share = sum(map(held_out, ids)) / len(ids)
    assert 0.25 < share < 0.35 and [held_out(i) for i in ids] == [held_out(i) for i in ids]


def test_a_deployment_slang_is_learned_and_activated(tmp_path: Path) -> None:
    out = tmp_path / "models"
    report = adapt(slang_reviews(), out, min_rated=100)
    ko = next(r for r in report.langs if r.lang == "ko")
    assert ko.activated and ko.adapted is not None and ko.shipped is not None
    assert ko.adapted > ko.shipped and ko.adapted >= 0.95
    assert ko.train + ko.held_out == 400
    assert {p.name for p in out.iterdir()} == {"sentiment_en.npz", "sentiment_ko.npz", "adapt.json"}
    en = next(r for r in report.langs if r.lang == "en")
    assert not en.activated and "fewer than 100" in en.reason


def test_the_shipped_model_stays_when_it_is_as_good(tmp_path: Path) -> None:
    posts = [
        RatedPost(
            f"p:{k}",
            "정말 최고예요 만족합니다" if k % 2 else "최악이에요 환불해주세요",
            "ko",
            5.0 if k % 2 else 1.0,
        )
        for k in range(300)
    ]
    report = adapt(posts, tmp_path / "models", min_rated=100)
    ko = next(r for r in report.langs if r.lang == "ko")
    assert ko.shipped == 1.0 and not ko.activated
    assert not (tmp_path / "models").exists()


def _ingest(tmp_path: Path, posts: list[RatedPost]) -> Path:
    lines = [
        json.dumps(
            {"id": p.id.split(":")[1], "text": p.text, "created_at": f"2026-11-{1 + k % 28:02d}", "lang": "ko",
             "rating": p.rating, "brand": "Lumio", "source": "play"},
            ensure_ascii=False,
        )
        for k, p in enumerate(posts)
    ]  # fmt: skip
    path = tmp_path / "reviews.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "store.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(path)])
    assert result.exit_code == 0, result.output
    return db


def test_the_command_reads_the_store_and_the_default_backend_switches(tmp_path: Path, data_dir: Path) -> None:
    db = _ingest(tmp_path, slang_reviews())
    assert active_dir() is None
    before = build("default").predict(["마우스 쌉인정 2번째"], ["ko"])[0]
    result = CliRunner().invoke(
        cli, ["sentiment", "adapt", "--db", str(db), "--brand", "Lumio", "--min-rated", "100", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    ko = next(r for r in report["langs"] if r["lang"] == "ko")
    assert report["activated"] and ko["adapted"] > ko["shipped"] and ko["train"] + ko["held_out"] == 400
    assert active_dir() == data_dir / "models" / "sentiment"
    after = build("default").predict(["마우스 쌉인정 2번째"], ["ko"])[0]
    assert after.label.value == "positive" and after.score > before.score
    shipped = build("default", NlpSettings(use_adapted=False)).predict(["마우스 쌉인정 2번째"], ["ko"])[0]
    assert shipped.score == before.score


def test_the_command_reports_too_few_rated_posts(tmp_path: Path) -> None:
    db = _ingest(tmp_path, slang_reviews(40))
    result = CliRunner().invoke(cli, ["sentiment", "adapt", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "ko: train" in result.output and "not activated (40 rated posts, fewer than 200)" in result.output
    assert active_dir() is None


@pytest.mark.parametrize("with_three_stars", [True, False])
def test_english_keeps_three_classes(tmp_path: Path, with_three_stars: bool) -> None:
    """The 3-class English model folds back in its own class order; an unseen class is never predicted."""
    words = [("bussin fr", 5.0), ("mid ngl", 1.0)] + ([("whatever meh", 3.0)] if with_three_stars else [])
    posts = [
        RatedPost(f"p:{k}", f"the app {words[k % len(words)][0]} {k // 30}", "en", words[k % len(words)][1])
        for k in range(450)
    ]
    ko = adapt(posts, tmp_path / "models", min_rated=100).langs[0]
    assert ko.lang == "en" and ko.activated and ko.adapted == 1.0
    from groundswell.nlp.sentiment._linear import LinearSentiment

    model = LinearSentiment(tmp_path / "models")
    labels = [
        s.label.value for s in model.predict(["the app bussin fr 3", "the app mid ngl 4"], ["en", "en"])
    ]
    assert labels == ["positive", "negative"]

"""The app-review replay reads `<app>.jsonl` review files and injects bursts of one failure kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.app_replay import BURSTS, build_app_replay, load_reviews
from bench.eval_detection import BURST_POSTS
from bench.kind_bursts import max_word_share, split_of


def _write(folder: Path, app: str, rows: list[dict]) -> None:
    with (folder / f"{app}.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({"app": app, "date": "2020-01-01", **row}, ensure_ascii=False) + "\n")


def _reviews(tmp_path: Path, apps: int = 7) -> Path:
    for a in range(apps):
        rows = [{"rating": 5, "text": f"좋아요 app{a} praise{i}", "kind": "praise"} for i in range(150)]
        rows += [  # every word its own, so any 40 of them pass the 30% word rule
            {"rating": 1, "text": f"{kind}{a}x{i} broke{a}y{i}", "kind": kind}
            for kind in ("login", "crash")
            for i in range(60)
        ]
        rows.append({"rating": 5, "text": rows[0]["text"], "kind": "praise"})  # a repeat: read once
        _write(tmp_path, f"app{a}", rows)
    return tmp_path


def test_reads_every_app_once_per_text(tmp_path: Path) -> None:
    apps = load_reviews(_reviews(tmp_path))
    assert sorted(apps) == [f"app{a}" for a in range(7)]
    assert all(len(rows) == 270 for rows in apps.values())
    post, kind, date = apps["app0"][0]
    assert post.label == "positive" and post.lang == "ko" and kind == "praise" and date == "2020-01-01"


def test_bursts_are_one_failure_kind_of_the_split(tmp_path: Path) -> None:
    replay = build_app_replay(load_reviews(_reviews(tmp_path)), "dev", seed=1, per_app_day=20)
    assert 1 <= len(replay.bursts) <= BURSTS
    assert len({b.brand for b in replay.bursts}) == len(replay.bursts), "one burst per app"
    by_id = {m.id: m for m in replay.mentions}
    for burst in replay.bursts:
        posts = [by_id[i] for i in burst.times]
        assert len(posts) == BURST_POSTS and burst.theme in ("login", "crash")
        assert all(p.brands == [burst.brand] and split_of(p.text) == "dev" for p in posts)
        assert max_word_share(posts) <= 0.3  # type: ignore[arg-type]
    in_bursts = {i for b in replay.bursts for i in b.times}
    background = [m for m in replay.mentions if m.id not in in_bursts]
    assert background and all(split_of(m.text) == "dev" for m in background)
    assert not {m.text for m in background} & {by_id[i].text for i in in_bursts}


def test_real_order_keeps_the_newest_reviews_in_date_order(tmp_path: Path) -> None:
    rows = [
        {"rating": 5, "text": f"후기{i} 좋아요{i}", "kind": "praise", "date": f"2020-01-{i % 28 + 1:02d}"}
        for i in range(400)
    ]
    _write(tmp_path, "solo", rows)
    replay = build_app_replay(load_reviews(tmp_path), "dev", seed=3, per_app_day=10, real_order=True)
    assert not replay.bursts  # no failure kinds: background only
    dated = {r["text"]: r["date"] for r in rows}
    ordered = sorted(replay.mentions, key=lambda m: m.created_at)
    days = [dated[m.text] for m in ordered]
    assert days == sorted(days) and len(set(days)) > 5
    dev = sorted(d for t, d in dated.items() if split_of(t) == "dev")
    assert days[-1] == dev[-1], "the newest reviews are kept"


def test_a_broken_line_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "app.jsonl").write_text('{"text": "ok", "rating": 5, "kind": "praise"}\n{"text": "x"}\n')
    with pytest.raises(SystemExit, match=r"app\.jsonl:2"):
        load_reviews(tmp_path)


def test_app_sentiment_scores_stars_against_the_shipped_model(tmp_path: Path) -> None:
    from bench.eval_app_sentiment import evaluate

    _write(tmp_path, "shop", [
        {"rating": 5, "text": "배송도 빠르고 정말 좋아요 최고예요", "kind": "praise"},
        {"rating": 1, "text": "최악이에요 환불도 안 해주고 고객센터는 전화도 안 받아요", "kind": "support"},
        {"rating": 3, "text": "그냥 그래요", "kind": "praise"},  # three stars: left out
    ])  # fmt: skip
    figures = evaluate(tmp_path)
    assert figures["all"]["reviews"] == 2 == figures["shop"]["reviews"]
    assert figures["all"]["macro_recall"] == 1.0 and figures["all"]["negatives_flagged_as_complaints"] == 1.0


def test_korean_app_touchpoints_are_scored_per_failure_kind(tmp_path: Path) -> None:
    from bench.eval_touchpoints import evaluate_korean_apps

    texts = {
        "login": ["로그인이 안 돼요", "인증 문자가 안 와서 가입을 못 해요", "비밀번호가 맞는데 로그인 실패"],
        "payment": ["결제가 두 번 됐어요", "환불을 안 해줘요", "쿠폰 적용이 안 돼서 결제 취소"],
    }
    rows = [
        {"rating": 1, "text": f"{t} {i}번째", "kind": k}
        for k, ts in texts.items()
        for t in ts
        for i in range(12)
    ]
    _write(tmp_path, "bank", rows)
    dev = evaluate_korean_apps(tmp_path, "dev")
    test = evaluate_korean_apps(tmp_path, "test")
    assert dev["posts"] + test["posts"] + 4 == len(rows), "the 2 examples per kind are left out"
    words = test["words"]
    assert isinstance(words, dict) and words["untagged"] < 0.2 and words["macro_f1"] > 0.1


def test_the_review_set_rebuilds_from_the_public_csv_and_our_kinds(tmp_path: Path) -> None:
    import csv
    import gzip
    import hashlib

    from scripts.build_app_reviews import build, review_text

    source = tmp_path / "src" / "EDA" / "shop.csv"
    source.parent.mkdir(parents=True)
    comments = ["배송이 너무 늦어요\n일주일째", "좋아요", "잘린 리뷰"]
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["user_name", "user_app_rating", "user_review_date", "company_comment_date", "user_comment"]
        )
        for i, comment in enumerate(comments):
            writer.writerow([f"u{i}", 5 - 4 * (i == 0), "2020년 1월 9일", "no_answer", comment])
    md5 = [hashlib.md5(review_text(c).encode()).hexdigest() for c in comments]
    kinds = ["app\tsource\trating\tdate\ttext_md5\tkind"]
    kinds += [
        f"shop\tEDA/shop.csv\t1\t2020-01-09\t{md5[0]}\tdelivery",
        f"shop\tEDA/shop.csv\t5\t2020-01-09\t{md5[1]}\tpraise",
    ]
    kinds += ["shop\tEDA/shop.csv\t4\t2020-01-08\t" + "0" * 32 + "\tpraise"]  # changed upstream: not found
    kinds_file = tmp_path / "kinds.tsv.gz"
    kinds_file.write_bytes(gzip.compress(("\n".join(kinds) + "\n").encode()))
    assert build(tmp_path / "src", tmp_path / "out", kinds_file) == {"shop": (2, 1)}
    apps = load_reviews(tmp_path / "out")
    assert [(p.text, k) for p, k, _ in apps["shop"]] == [
        ("배송이 너무 늦어요 일주일째", "delivery"),
        ("좋아요", "praise"),
    ]

"""Korean app-store bursts: real Google Play reviews, bursts of one kind of app failure.

    python -m bench.app_replay REVIEWS_DIR [--split dev|test] [--seeds 3] [--sentiment model|labels]

The kind-burst harness (bench.kind_bursts) has no Korean reviews: its Korean kinds are emotions
and stances drawn from the same comment corpora as the background. This one replays what a
Korean deployment watches: each app is a brand whose background is its own real reviews, and a
burst is 40 real reviews of one kind of failure (login, crash, connection, sync, slow, payment,
delivery, ads, update, support), growing e-fold every 30 minutes over 2 hours, with no content
word in more than 30% of its posts (bench.kind_bursts.draw_burst). The detector and the scoring
are bench.eval_detection's.

REVIEWS_DIR holds one ``<app>.jsonl`` per app: ``{"app", "rating", "date", "text", "kind"}``, the
kind read from each review's meaning. The reviews are public Google Play reviews scraped in
2019-2020 (github.com/timetobye/playstore_app_review_data, no licence: evaluation only, not in
this repository); the kinds were assigned by reading, not by keyword, and are in this repository
without the text (bench/data/ko_app_review_kinds.tsv.gz): `scripts/build_app_reviews.py` rebuilds
REVIEWS_DIR from a checkout of that repository. Bursts and background are
split by a hash of the text (bench.kind_bursts.split_of): `dev` is what detection may be tuned
on, `test` is run once.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench.eval_detection import (
    Burst,
    Replay,
    _brief,
    _mention,
    add_step_arguments,
    arrivals,
    model_sentiment,
    place_burst,
    replay_detector,
    score,
    set_step,
    settings_for,
)
from bench.kind_bursts import draw_burst, split_of
from bench.replay_data import Post
from groundswell.records import EnrichedMention

FAILURE_KINDS = (
    "login", "crash", "connection", "sync", "slow", "payment", "delivery", "ads", "update", "support",
)  # fmt: skip
BURSTS = 6  # per seed, one per app, as in the replays the issue reports
PER_APP_DAY = 100.0  # reviews per app per day in the replay


def _label(rating: int) -> str:
    return "negative" if rating <= 2 else "neutral" if rating == 3 else "positive"


Review = tuple[Post, str, str]  # the post, its kind, its date (YYYY-MM-DD)


def review_rows(root: Path) -> Iterator[tuple[str, str, int, str, str]]:
    """(app, text, stars, kind, date) of every line of the folder's `<app>.jsonl` files, in file
    order, exact repeats included; a line that is not a review stops with its file and number."""
    for path in sorted(root.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text, rating, kind = str(row["text"]).strip(), int(row["rating"]), str(row["kind"])
                date = str(row.get("date", ""))
            except (ValueError, KeyError, TypeError) as exc:
                raise SystemExit(f"{path}:{number}: not a review line ({exc})") from exc
            yield path.stem, text, rating, kind, date


def load_reviews(root: Path) -> dict[str, list[Review]]:
    """app -> [(post, kind, date)], each review once (the first of exact repeats)."""
    apps: dict[str, list[Review]] = {}
    seen: dict[str, set[str]] = {}
    for app, text, rating, kind, date in review_rows(root):
        rows = apps.setdefault(app, [])
        if text and text not in seen.setdefault(app, set()):
            seen[app].add(text)
            rows.append((Post(text, _label(rating), "ko", app), kind, date))
    return {app: rows for app, rows in apps.items() if rows}


def stars_of(root: Path) -> dict[str, int]:
    """Each review text's stars (the first of exact repeats, as `load_reviews` keeps it)."""
    stars: dict[str, int] = {}
    for _app, text, rating, _kind, _date in review_rows(root):
        stars.setdefault(text, rating)
    return stars


def build_app_replay(
    apps: dict[str, list[Review]],
    split: str,
    seed: int,
    per_app_day: float = PER_APP_DAY,
    real_order: bool = False,
) -> Replay:
    """Every app a brand; BURSTS of its apps get one burst of a kind pooled over all apps' reviews.

    The background is shuffled, or with `real_order` the app's newest reviews in the order of
    their real dates: a real outage day's one-star reviews stay together (a real surge the
    detector may rightly find, which the scoring counts as a false alarm)."""
    rng = random.Random(seed)
    pools: dict[str, list[Post]] = {}
    for rows in apps.values():
        for post, kind, _ in rows:
            if kind in FAILURE_KINDS and split_of(post.text) == split:
                pools.setdefault(kind, []).append(post)
    kinds = [k for k in FAILURE_KINDS if k in pools]
    rng.shuffle(kinds)
    names = sorted(apps)
    hosts = rng.sample(names, min(BURSTS, len(names)))
    mentions = []
    bursts: list[Burst] = []
    taken: set[str] = set()
    for app in hosts:
        posts = None
        while kinds and posts is None:
            kind = kinds.pop(0)
            posts = draw_burst([p for p in pools[kind] if p.text not in taken], rng)
        if posts is None:
            break
        bursts.append(place_burst(mentions, app, kind, posts, [], rng, seed))
        taken.update(p.text for p in posts)
    for app in names:
        rows = [(p, d) for p, _, d in apps[app] if p.text not in taken and split_of(p.text) == split]
        rng.shuffle(rows)
        if real_order:
            mentions += _in_real_order(app, rows, per_app_day, rng, len(mentions))
            continue
        for k, t in enumerate(arrivals(rng, per_app_day, "ko") if rows else ()):
            post = rows[k % len(rows)][0]
            mentions.append(_mention(len(mentions), app, t, post, rng, f"{app}-u{rng.randrange(20000)}"))
    return Replay(mentions, bursts, names)


def _in_real_order(
    app: str, rows: list[tuple[Post, str]], per_app_day: float, rng: random.Random, first_id: int
) -> list[EnrichedMention]:
    """The app's newest reviews at the replay's times, oldest first (fewer reviews: fewer times)."""
    times = list(arrivals(rng, per_app_day, "ko"))
    newest = sorted(rows, key=lambda r: r[1])[-len(times) :]
    if len(newest) < len(times):
        times = sorted(rng.sample(times, len(newest)))
    return [
        _mention(first_id + k, app, t, post, rng, f"{app}-u{rng.randrange(20000)}")
        for k, (t, (post, _)) in enumerate(zip(times, newest, strict=True))
    ]


def run(
    root: Path,
    split: str,
    seeds: int,
    sentiment: str,
    per_app_day: float,
    real_order: bool = False,
    rated: bool = False,
) -> list[dict]:
    apps = load_reviews(root)
    stars = stars_of(root) if rated else {}
    results = []
    for seed in range(1, seeds + 1):
        replay = build_app_replay(apps, split, seed, per_app_day, real_order)
        if rated:  # as a Play Store crawler stores them: the enricher blends stars and words
            replay.mentions = [m.model_copy(update={"rating": float(stars[m.text])}) for m in replay.mentions]
        if sentiment == "model":
            replay.mentions = model_sentiment(replay.mentions)
        with tempfile.TemporaryDirectory() as tmp:
            fired, elapsed = replay_detector(replay, settings_for(replay.brands), Path(tmp) / "eval.db")
        ours = score(replay, fired)
        ours["replay_seconds"] = round(elapsed, 1)
        ours["posts"] = len(replay.mentions)
        results.append({"seed": seed, "detector": ours})
        brief = _brief(ours) | {"kinds": [b.theme for b in replay.bursts]}
        print(json.dumps({"seed": seed, **brief}, ensure_ascii=False), file=sys.stderr)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reviews_dir", type=Path)
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--sentiment", choices=["labels", "model"], default="model")
    parser.add_argument("--per-app-day", type=float, default=PER_APP_DAY)
    parser.add_argument(
        "--real-order", action="store_true", help="background in the order of the reviews' real dates"
    )
    parser.add_argument(
        "--ratings",
        action="store_true",
        help="reviews keep their stars (sentiment blends them, as ingest does)",
    )
    add_step_arguments(parser)
    args = parser.parse_args(argv)
    set_step(args.step, args.hot_step)
    if not any(args.reviews_dir.glob("*.jsonl")):
        print(f"no <app>.jsonl review files in {args.reviews_dir}", file=sys.stderr)
        return 2
    runs = run(
        args.reviews_dir,
        args.split,
        args.seeds,
        args.sentiment,
        args.per_app_day,
        args.real_order,
        args.ratings,
    )
    within = sum(r["detector"]["caught_within_10"] for r in runs)
    caught = sum(r["detector"]["caught"] for r in runs)
    total = sum(len(r["detector"]["bursts"]) for r in runs)
    fa = [r["detector"]["false_alarms_per_brand_day"] for r in runs]
    summary = {
        "split": args.split,
        "ratings": args.ratings,
        "within_10": f"{within}/{total}",
        "caught": f"{caught}/{total}",
        "false_alarms_per_brand_day": round(sum(fa) / len(fa), 3),
        "runs": runs,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

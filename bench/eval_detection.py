"""How early and how quietly does the detector catch a complaint that starts to spread?

    python -m bench.eval_detection [DATA_DIR] [--seeds 3] [--sentiment labels|model] [--write]

Real posts from ../shared/data (NSMC, KOTE, Korean hate speech, SemEval tweets) are replayed on a
14-day clock with a daily and weekly rhythm for four brands. Into each brand's stream go bursts of
40 real negative posts that share a theme word (a noun that is rare in the background), with the
cumulative count growing e-fold every 30 minutes over 2 hours, so only a handful appear in the
first hour. The detector (exactly `nlp.detect.Detector`) runs every 15 minutes; so does a
commercial-style rule (negative posts of the last hour >= 3x the hourly mean of the 12 hours
before, and >= 8; 6 h cooldown). Reported: per burst, how many of its posts had appeared when the
first alert fired and the minutes from onset; false alarms per brand per day (alerts whose
evidence is not mostly burst posts). `--write` puts the figures in BENCHMARKS.md ("Detection").
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.commercial_rule import rule_fires
from bench.replay_data import Post, load_pools, shared_data_dir, shuffled
from groundswell.config.settings import AlertRule, Brand, Settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp.detect import Detector
from groundswell.pipeline.replay import HOT_STEP as DEFAULT_HOT_STEP
from groundswell.pipeline.replay import next_step
from groundswell.records import Author, EnrichedMention, Sentiment, SentimentLabel
from groundswell.terms import terms_of

START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
DAYS = 14
MINUTE = timedelta(minutes=1)
STEP = timedelta(minutes=15)
HOT_STEP: timedelta | None = DEFAULT_HOT_STEP  # the default sources' hot_interval


def add_step_arguments(parser: argparse.ArgumentParser) -> None:
    """--step and --hot-step (minutes), the cadence options every replay bench takes (`set_step`)."""
    parser.add_argument(
        "--step",
        type=float,
        default=STEP / MINUTE,
        help="minutes between detector runs (a crawl cycle's length)",
    )
    parser.add_argument(
        "--hot-step",
        type=float,
        default=DEFAULT_HOT_STEP / MINUTE,
        help="minutes between runs while a brand is warming (0: off)",
    )


def set_step(minutes: float, hot_minutes: float = DEFAULT_HOT_STEP / MINUTE) -> None:
    """Run the detector every `minutes`, as a deployment whose crawl cycle is that long would, and
    every `hot_minutes` while a brand is warming (its sources' hot_interval; 0: never sooner)."""
    global STEP, HOT_STEP
    STEP = timedelta(minutes=minutes)
    HOT_STEP = timedelta(minutes=hot_minutes) if hot_minutes > 0 else None


BURST_POSTS, BURST_HOURS, EFOLD_MIN = 40, 2.0, 30.0
WARMUP_DAYS = 2  # bursts start after this; false alarms are counted after it too
BRANDS = {  # brand -> pool mix, rhythm language
    "Alpha": ({"nsmc": 0.6, "kote": 0.4}, "ko"),
    "Beta": ({"kote": 0.5, "hate": 0.5}, "ko"),
    "Gamma": ({"semeval": 1.0}, "en"),
    "Delta": ({"semeval": 0.5, "kote": 0.5}, "en"),
}
KO_HOURLY = [1.0, 0.7, 0.4, 0.2, 0.15, 0.15, 0.25, 0.5, 0.85, 0.9, 0.95, 1.0,
             1.25, 1.1, 1.0, 1.0, 1.05, 1.15, 1.35, 1.55, 1.75, 1.85, 1.7, 1.35]  # fmt: skip  # KST
EN_HOURLY = [1.3, 1.35, 1.3, 1.15, 1.0, 0.8, 0.6, 0.45, 0.35, 0.3, 0.35, 0.45,
             0.6, 0.8, 1.0, 1.1, 1.15, 1.2, 1.2, 1.2, 1.2, 1.25, 1.3, 1.3]  # fmt: skip  # UTC
SOURCES = ["x", "community", "reviews", "news", "reddit"]


@dataclass
class Burst:
    brand: str
    theme: str
    onset: datetime
    times: dict[str, datetime] = field(default_factory=dict)  # mention id -> created_at


@dataclass
class Replay:
    mentions: list[EnrichedMention]
    bursts: list[Burst]
    brands: list[str]


def rhythm(lang: str, t: datetime) -> float:
    if lang == "ko":
        factor = KO_HOURLY[(t.hour + 9) % 24]
        weekday = (t + timedelta(hours=9)).weekday()
    else:
        factor, weekday = EN_HOURLY[t.hour], t.weekday()
    return factor * (0.85 if weekday >= 5 else 1.0)


def arrivals(rng: random.Random, per_day: float, lang: str) -> Iterator[datetime]:
    """A brand's post times over the replay, in order: a Poisson stream at the daily and weekly
    rhythm's peak, thinned by `rhythm`. Lazy, so a caller that draws from `rng` for each post
    between two times keeps the replay's sequence of draws."""
    peak, t, end = per_day / 24 * 1.9, START, START + timedelta(days=DAYS)
    while True:
        t += timedelta(hours=rng.expovariate(peak))
        if t >= end:
            return
        if rng.random() * 1.9 <= rhythm(lang, t):
            yield t


def _themes(posts: list[Post], rng: random.Random, n: int, used: set[str]) -> list[tuple[str, list[Post]]]:
    """Theme words: >= 45 negative posts contain them, <= 2% of the pool does; proper-noun-ish in English."""
    df: Counter[str] = Counter()
    neg: dict[str, list[Post]] = {}
    for p in posts:
        terms = set(terms_of(p.text))
        df.update(terms)
        if p.label == "negative":
            for term in terms:
                neg.setdefault(term, []).append(p)
    limit = 0.02 * len(posts)
    candidates = sorted(
        t
        for t, ps in neg.items()
        if len(ps) >= BURST_POSTS + 5 and df[t] <= limit and t not in used and _is_name(t, ps)
    )
    rng.shuffle(candidates)
    return [(t, rng.sample(neg[t], BURST_POSTS)) for t in candidates[:n]]


def _is_name(term: str, posts: list[Post]) -> bool:
    """A theme is a thing people complain about: a noun (Kiwi) in Korean, a capitalised word in English."""
    if term.isascii():
        capital = sum(1 for p in posts if term.capitalize() in p.text or term.upper() in p.text)
        return capital >= 0.6 * len(posts)
    tokens = _kiwi().tokenize(term)
    return len(tokens) == 1 and tokens[0].tag in {"NNG", "NNP"} and len(term) >= 2


_KIWI: list = []


def _kiwi():
    if not _KIWI:
        from kiwipiepy import Kiwi

        _KIWI.append(Kiwi())
    return _KIWI[0]


def _burst_minutes(rng: random.Random) -> list[float]:
    span = math.exp(BURST_HOURS * 60 / EFOLD_MIN) - 1
    return sorted(EFOLD_MIN * math.log1p(rng.random() * span) for _ in range(BURST_POSTS))


def _mention(i: int, brand: str, t: datetime, post: Post, rng: random.Random, author: str) -> EnrichedMention:
    score = {"negative": -0.7, "neutral": 0.0, "positive": 0.7}[post.label]
    return EnrichedMention(
        id=f"replay:{i}",
        source=rng.choice(SOURCES),
        native_id=str(i),
        text=post.text,
        created_at=t,
        fetched_at=t,
        lang=post.lang,
        brands=[brand],
        author=Author(id=author, followers=int(rng.lognormvariate(5, 1.6))),
        sentiment=Sentiment(label=SentimentLabel(post.label), score=score, confidence=0.8),
    )


def place_burst(
    mentions: list[EnrichedMention],
    brand: str,
    theme: str,
    posts: list[Post],
    onsets: list[datetime],
    rng: random.Random,
    seed: int,
) -> Burst:
    """Append one growing burst of `posts` to `mentions`, its onset >= 10 h from the brand's others."""
    while True:
        onset = START + timedelta(days=rng.uniform(WARMUP_DAYS, DAYS - 0.5))
        onset = onset.replace(second=0, microsecond=0)
        if all(abs((onset - o).total_seconds()) > 10 * 3600 for o in onsets):
            break
    onsets.append(onset)
    burst = Burst(brand, theme, onset)
    for minutes, post in zip(_burst_minutes(rng), posts, strict=True):
        t = onset + timedelta(minutes=minutes)
        m = _mention(len(mentions), brand, t, post, rng, f"burst-{seed}-{len(mentions)}")
        mentions.append(m)
        burst.times[m.id] = t
    return burst


def build_replay(
    pools: dict[str, list[Post]], seed: int, per_brand_day: float = 270, bursts_per_brand: int = 3
) -> Replay:
    rng = random.Random(seed)
    mentions: list[EnrichedMention] = []
    bursts: list[Burst] = []
    used: set[str] = set()
    brands = [b for b, (mix, _) in BRANDS.items() if any(p in pools for p in mix)]
    for b_index, brand in enumerate(brands):
        mix, lang = BRANDS[brand]
        mix = {p: w for p, w in mix.items() if p in pools}
        stream = {p: shuffled(pools[p], seed * 100 + b_index) for p in mix}
        mine = [post for p in mix for post in stream[p][:20000]]
        themes = _themes(mine, rng, bursts_per_brand, used)
        taken = set()
        onsets: list[datetime] = []
        for theme, posts in themes:
            used.add(theme)
            bursts.append(place_burst(mentions, brand, theme, posts, onsets, rng, seed))
            taken.update(id(post) for post in posts)
        background = [post for post in mine if id(post) not in taken]
        rng.shuffle(background)
        weights = list(mix.values())
        by_pool = {p: [x for x in background if x.pool == p] for p in mix}
        cursors = dict.fromkeys(mix, 0)
        for t in arrivals(rng, per_brand_day, lang):
            pool = rng.choices(list(mix), weights)[0]
            post = by_pool[pool][cursors[pool] % len(by_pool[pool])]
            cursors[pool] += 1
            author = f"{brand}-u{rng.randrange(20000)}"
            mentions.append(_mention(len(mentions), brand, t, post, rng, author))
    return Replay(mentions, bursts, brands)


INGEST_BATCH = 500  # groundswell ingest's batch


def model_sentiment(mentions: list[EnrichedMention], touchpoints: bool = False) -> list[EnrichedMention]:
    """Replace label sentiment by the project's enricher (what a real deployment would see); rated
    posts (app reviews with their stars) get the stars' say, as ingest gives it. With `touchpoints`,
    complaints also get the bundled taxonomy's touchpoints (config/default.yaml), in time order, as
    ingest gives them (the `@touchpoint` series the detector tests)."""
    from groundswell.config.loader import load_settings
    from groundswell.config.settings import Settings as _S
    from groundswell.nlp.enrich import Enricher

    settings = _S(touchpoints=load_settings(environ={}).touchpoints) if touchpoints else _S()
    enricher = Enricher.from_settings(settings)
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].created_at)
    rated = any(m.rating is not None for m in mentions)
    out = list(mentions)
    for start in range(0, len(order), INGEST_BATCH):  # what a stream-learned touchpoint knows by then
        chunk = order[start : start + INGEST_BATCH]
        result = enricher.analyze(
            [mentions[i].text for i in chunk],
            [mentions[i].lang for i in chunk],
            [mentions[i].rating for i in chunk] if rated else None,
        )
        for k, i in enumerate(chunk):
            update = {"sentiment": result.sentiment[k], "complaint": result.complaint[k]}
            if touchpoints:
                update["touchpoints"] = result.touchpoints[k]
            out[i] = mentions[i].model_copy(update=update)
    return out


def assign_topics(mentions: list[EnrichedMention], english: str, brands: list[str]) -> list[EnrichedMention]:
    """Topics as `groundswell ingest` gives them: the online model, posts in time order, in batches
    (the topic key `#id` is one of the series the detector tests). `english`: its English vectors."""
    from groundswell.nlp.topics import TopicModeler

    model = TopicModeler(english=english)
    model.brand_names = [b.lower() for b in brands]
    ordered = sorted(mentions, key=lambda m: m.created_at)
    topics: dict[str, object] = {}
    for start in range(0, len(ordered), INGEST_BATCH):
        chunk = ordered[start : start + INGEST_BATCH]
        for m, ref in zip(
            chunk, model.assign([m.text for m in chunk], [m.lang or "" for m in chunk]), strict=True
        ):
            topics[m.id] = ref
    return [m.model_copy(update={"topic": topics[m.id]}) for m in mentions]


def settings_for(brands: list[str]) -> Settings:
    return Settings(
        brands=[Brand(name=b, query=b.lower()) for b in brands],
        alert_rules=[AlertRule(name="emerging-complaint", window=timedelta(hours=1), min_posts=4)],
    )


@dataclass
class Fired:
    brand: str
    at: datetime
    evidence: list[str]
    label: str = ""


def replay_detector(
    replay: Replay, settings: Settings, db: Path, detector: Detector | None = None
) -> tuple[list[Fired], float]:
    """Index everything, then step the clock: each alert is recorded when it first fires."""
    store = SQLiteStore(db)
    store.upsert(sorted(replay.mentions, key=lambda m: m.created_at))
    detector = detector or Detector.from_settings(settings)
    fired: list[Fired] = []
    seen: set[str] = set()
    t = START + STEP
    began = time.perf_counter()
    steps = 0
    while t <= START + timedelta(days=DAYS):
        steps += 1
        for alert in detector.run(store, t):
            if alert.id not in seen:
                seen.add(alert.id)
                fired.append(
                    Fired(alert.brand, t, alert.evidence_ids, alert.topic.label if alert.topic else "")
                )
        t = next_step(t, STEP, HOT_STEP, bool(detector.warming))
    elapsed = time.perf_counter() - began
    store.close()
    regular = int(timedelta(days=DAYS) / STEP)
    print(f"detector steps: {steps} ({steps - regular} while warming)", file=sys.stderr, flush=True)
    return fired, elapsed


def replay_commercial(replay: Replay) -> list[Fired]:
    """The commercial-style rule (bench/commercial_rule.py) at the same steps; evidence = last hour."""
    negatives: dict[str, list[tuple[float, str]]] = {}
    for m in replay.mentions:
        if m.sentiment is not None and m.sentiment.label == SentimentLabel.NEGATIVE:
            negatives.setdefault(m.brands[0], []).append((m.created_at.timestamp(), m.id))
    fired: list[Fired] = []
    end = (START + timedelta(days=DAYS)).timestamp()
    for brand, rows in negatives.items():
        rows.sort()
        times = [r[0] for r in rows]
        for now in rule_fires(times, START.timestamp(), end, STEP.total_seconds()):
            lo, hi = bisect_left(times, now - 3600), bisect_left(times, now)
            fired.append(Fired(brand, datetime.fromtimestamp(now, UTC), [rows[i][1] for i in range(lo, hi)]))
    return fired


def score(replay: Replay, fired: list[Fired], mention_burst: bool = True) -> dict:
    """Per burst: posts seen and minutes at the first alert about it; false alarms per brand-day."""
    owner = {mid: i for i, b in enumerate(replay.bursts) for mid in b.times}
    first: dict[int, Fired] = {}
    false_alarms = []
    for f in sorted(fired, key=lambda f: f.at):
        if f.at < START + timedelta(days=WARMUP_DAYS):
            continue
        hits = Counter(owner[e] for e in f.evidence if e in owner)
        if mention_burst:
            best = hits.most_common(1)[0] if hits else None
            matched = (
                best is not None
                and best[1] >= 0.5 * len(f.evidence)
                and replay.bursts[best[0]].brand == f.brand
            )
            index = best[0] if matched and best else None
        else:  # a brand-level rule names no posts of a topic: any alert in the burst's first 6 h counts
            index = next(
                (i for i, b in enumerate(replay.bursts)
                 if b.brand == f.brand and b.onset <= f.at <= b.onset + timedelta(hours=6)),
                None,
            )  # fmt: skip
        if index is None:
            false_alarms.append(f)
        elif index not in first:
            first[index] = f
    rows = []
    for i, b in enumerate(replay.bursts):
        f = first.get(i)
        if f is None or f.at > b.onset + timedelta(hours=6):
            rows.append(
                {
                    "brand": b.brand,
                    "theme": b.theme,
                    "onset": b.onset.isoformat(),
                    "posts": None,
                    "minutes": None,
                }
            )
            continue
        seen = sum(1 for t in b.times.values() if t <= f.at)
        rows.append({
            "brand": b.brand, "theme": b.theme, "onset": b.onset.isoformat(), "posts": seen,
            "minutes": round((f.at - b.onset).total_seconds() / 60), "label": f.label,
        })  # fmt: skip
    brand_days = len(replay.brands) * (DAYS - WARMUP_DAYS)
    caught = [r["posts"] for r in rows if r["posts"] is not None]
    return {
        "bursts": rows,
        "caught": len(caught),
        "caught_within_10": sum(1 for p in caught if p <= 10),
        "median_posts": statistics.median(caught) if caught else None,
        "median_minutes": statistics.median([r["minutes"] for r in rows if r["minutes"] is not None])
        if caught
        else None,
        "false_alarms": len(false_alarms),
        "false_alarms_per_brand_day": round(len(false_alarms) / brand_days, 3),
        "false_alarm_examples": [
            {"brand": f.brand, "at": f.at.isoformat(), "label": f.label} for f in false_alarms[:5]
        ],
    }


def run(
    pools: dict[str, list[Post]],
    seeds: int,
    sentiment: str,
    jsonl: Path | None = None,
    kinds: dict[str, list[Post]] | None = None,
    topics: str = "off",
    touchpoints: bool = False,
) -> list[dict]:
    """`kinds` (bench.kind_bursts) switches from theme-word bursts to bursts of one kind;
    `touchpoints` gives complaints the bundled taxonomy's touchpoints (with `sentiment` "model")."""
    results = []
    for seed in range(1, seeds + 1):
        if kinds is not None:
            from bench.kind_replay import build_kind_replay

            replay = build_kind_replay(pools, kinds, seed)
        else:
            replay = build_replay(pools, seed)
        if sentiment == "model":
            replay.mentions = model_sentiment(replay.mentions, touchpoints)
        if topics != "off":
            replay.mentions = assign_topics(replay.mentions, topics, replay.brands)
        if jsonl and seed == 1:
            write_jsonl(replay, jsonl)
        with tempfile.TemporaryDirectory() as tmp:
            fired, elapsed = replay_detector(replay, settings_for(replay.brands), Path(tmp) / "eval.db")
        ours = score(replay, fired)
        ours["by_language"] = by_language(ours["bursts"])
        commercial = score(replay, replay_commercial(replay), mention_burst=False)
        ours["replay_seconds"] = round(elapsed, 1)
        ours["posts"] = len(replay.mentions)
        results.append({"seed": seed, "detector": ours, "commercial": commercial})
        brief = {
            "sentiment": sentiment,
            "seed": seed,
            "detector": _brief(ours),
            "commercial": _brief(commercial),
        }
        print(json.dumps(brief, ensure_ascii=False), file=sys.stderr)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=shared_data_dir())
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--sentiment", choices=["labels", "model", "both"], default="labels")
    parser.add_argument("--write", action="store_true", help="Write the Detection section of BENCHMARKS.md")
    parser.add_argument(
        "--demo", action="store_true", help="Also evaluate the demo scenario (bench.eval_demo)"
    )
    parser.add_argument(
        "--topics", action="store_true", help="Also measure topic quality (bench.eval_topics)"
    )
    parser.add_argument("--jsonl", type=Path, help="Also write the first replay as generic JSON Lines")
    parser.add_argument(
        "--bursts",
        choices=["word", "kind"],
        default="word",
        help="word: bursts share a theme noun; kind: bursts share a human category (bench.kind_bursts)",
    )
    parser.add_argument("--split", choices=["dev", "test"], default="dev", help="kind bursts: which half")
    parser.add_argument(
        "--en-kinds",
        choices=["domains", "reasons"],
        default="domains",
        help="kind bursts: English kinds by brand domain or by complaint reason (bench.complaint_reasons)",
    )
    parser.add_argument(
        "--assign-topics",
        choices=["off", "static", "onnx", "minilm"],
        default="off",
        help="give posts topics as ingest does (online model, this English encoder) before the replay",
    )
    parser.add_argument(
        "--touchpoints",
        action="store_true",
        help="with --sentiment model: complaints get the bundled taxonomy's touchpoints, as at ingest",
    )
    add_step_arguments(parser)
    args = parser.parse_args(argv)
    set_step(args.step, args.hot_step)
    if args.data_dir is None or not args.data_dir.is_dir():
        print("no data dir: pass ../shared/data or set GROUNDSWELL_SHARED_DATA", file=sys.stderr)
        return 2
    pools = load_pools(args.data_dir)
    print(f"pools: {', '.join(f'{k} {len(v)}' for k, v in pools.items())}", file=sys.stderr)
    sources = ["labels", "model"] if args.sentiment == "both" else [args.sentiment]
    kinds = None
    if args.bursts == "kind":
        from bench.kind_bursts import kind_pools

        kinds = kind_pools(args.data_dir, args.split, args.en_kinds)
    runs = {
        source: run(pools, args.seeds, source, args.jsonl, kinds, args.assign_topics, args.touchpoints)
        for source in sources
    }
    if kinds is not None:
        print(json.dumps({"bursts": "kind", "split": args.split, "runs": runs}, ensure_ascii=False, indent=1))
        return 0
    demo = topics = None
    if args.demo:
        from bench.eval_demo import evaluate as evaluate_demo

        demo = evaluate_demo()
    if args.topics:
        from bench.eval_topics import evaluate as evaluate_topics

        topics = evaluate_topics(args.data_dir)
    print(json.dumps({"runs": runs, "demo": demo, "topics": topics}, ensure_ascii=False, indent=1))
    if args.write:
        from bench.detection_report import write

        write(runs, demo, topics)
    return 0


def by_language(rows: list[dict]) -> dict[str, dict[str, int]]:
    """Bursts caught (and within 10 posts) per language: English brands vs Korean ones."""
    from bench.kind_replay import KIND_BRANDS

    out: dict[str, dict[str, int]] = {}
    for row in rows:
        lang = KIND_BRANDS.get(row["brand"], ({}, "?"))[1]
        tally = out.setdefault(lang, {"bursts": 0, "caught": 0, "within_10": 0})
        tally["bursts"] += 1
        tally["caught"] += row["posts"] is not None
        tally["within_10"] += row["posts"] is not None and row["posts"] <= 10
    return out


def _brief(r: dict) -> dict:
    keys = (
        "caught",
        "caught_within_10",
        "median_posts",
        "median_minutes",
        "false_alarms",
        "false_alarms_per_brand_day",
    )
    return {k: r[k] for k in keys} | {
        "posts_at_alert": [b["posts"] for b in r["bursts"]],
        **({"by_language": r["by_language"]} if "by_language" in r else {}),
    }


def write_jsonl(replay: Replay, path: Path) -> None:
    """The replay in the generic post format (`groundswell backtest --input`), labels kept in `label`."""
    import gzip

    burst_of = {mid: b.theme for b in replay.bursts for mid in b.times}
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as out:  # type: ignore[operator]
        for m in sorted(replay.mentions, key=lambda m: m.created_at):
            line = {
                "id": m.native_id, "text": m.text, "created_at": m.created_at.isoformat(), "source": m.source,
                "lang": m.lang, "brand": m.brands[0], "author": {"id": m.author.id, "followers": m.author.followers},
                "label": m.sentiment.label.value if m.sentiment else None, "burst": burst_of.get(m.id),
            }  # fmt: skip
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())

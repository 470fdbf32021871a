"""Does each alert tell its incident's story? Touchpoint and owner against its evidence's majority.

    python -m bench.eval_alert_story [DATA_DIR] [--write]

Two replays through `groundswell backtest`'s own code path (real enrichment: sentiment, complaint
flag, touchpoint tagger; the detector every 15 minutes), with the bundled config:

* the demo scenario (pipeline/demo/scenario.jsonl.gz);
* "Skyway", an airline built from real complaint tweets (complaints_tweets_en, evaluation only,
  never copied into the repository): 14 days of background tweets of every domain (70 a day), then
  a 20-hour storm of the 43 real *transport* complaints that are about flying (delays,
  cancellations, bags, seats), rising and falling, all addressed to @skyway, read once with the
  bundled config's touchpoints and once ("skyway-airline") with the airline template's only, as an
  airline would set it up. Skipped when DATA_DIR has no complaints_tweets_en.

For every alert as it stands at the end (after all its updates), and for every state of it a
reader saw as it fired and was updated (the evidence of that moment): the majority touchpoint of its
evidence posts (as tagged at enrichment; none when no touchpoint is named by 30% of them and 3 posts) and
its owner, against the alert's first touchpoint and owner (also right when a majority of the
evidence names the alert's first touchpoint too); the share of evidence posts holding each label
word (a concept's name, support or 고객센터, in any of the concept's words); whether the
label has a `_`, a fragment or a generic word; and how many distinct labels its history notes
carry. `--write` puts the figures in BENCHMARKS.md ("Alert story").
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import math
import random
import re
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.replay_data import shared_data_dir
from groundswell.config.loader import load_settings
from groundswell.config.settings import Brand, Settings, Touchpoint
from groundswell.config.templates import template_touchpoints
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.nlp.concepts import for_config
from groundswell.nlp.detect.narrative import (
    GENERIC,
    TOUCHPOINT_POSTS,
    TOUCHPOINT_SHARE,
    touchpoint_counts,
    word_stem,
)
from groundswell.pipeline.commands.detect import run_backtest
from groundswell.records import Alert
from groundswell.terms import terms_of

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "pipeline" / "demo" / "scenario.jsonl.gz"
CONFIG = ROOT / "config" / "default.yaml"
START = datetime(2026, 3, 2, tzinfo=UTC)
DAYS = 14
PER_DAY = 70
INCIDENT_HOURS = 20.0
AIRLINE = re.compile(r"flight|airline|delay|cancel|bag|luggage|plane|seat|boarding|airport", re.I)


def airline_posts(data: Path, seed: int = 7) -> list[dict]:
    """Generic-format posts for the Skyway replay (see the module docstring)."""
    rows = list(csv.reader((data / "complaints_tweets_en" / "complaints-data.csv").open(encoding="utf-8")))
    rng = random.Random(seed)
    storm = [r for r in rows if r[3] == "transport" and r[2] == "1" and AIRLINE.search(r[1])]
    background = [r for r in rows if r not in storm]
    out: list[dict] = []

    def post(i: str, text: str, at: datetime, author: str) -> dict:
        body = " ".join(w for w in text.split() if not w.startswith("@"))
        return {
            "id": i,
            "text": f"@skyway {body}",
            "created_at": at.isoformat(),
            "source": rng.choice(["x", "x", "reddit", "community"]),
            "author": {"id": author, "handle": author, "followers": rng.randint(10, 5000)},
        }

    for d in range(DAYS):
        for k in range(PER_DAY):
            at = START + timedelta(days=d, hours=rng.uniform(0, 24))
            r = rng.choice(background)
            out.append(post(f"bg-{d}-{k}", r[1], at, f"u{rng.randrange(10**6)}"))
    onset = START + timedelta(days=9, hours=6)
    for k in range(len(storm)):  # rise and fall: a sine-shaped rate over INCIDENT_HOURS
        q = (k + 0.5) / len(storm)
        hours = INCIDENT_HOURS * math.acos(1 - 2 * q) / math.pi
        r = storm[k]
        out.append(post(f"storm-{k}", r[1], onset + timedelta(hours=hours), f"s{k}"))
    return sorted(out, key=lambda p: p["created_at"])


class Judge:
    """Reads one alert state against its evidence: the checks of the module docstring."""

    def __init__(self, settings: Settings, store: SQLiteStore) -> None:
        self.owners = {t.name: t.owner for t in settings.touchpoints}
        self.concepts = for_config(settings.concepts)
        self.store = store

    def __call__(self, a: Alert) -> dict:
        posts = self.store.get(a.evidence_ids)
        tps = touchpoint_counts(posts)
        n = max(len(posts), 1)
        top = tps.most_common(1)[0][0] if tps else None
        majority = (
            top if top and tps[top] >= max(TOUCHPOINT_SHARE * n, TOUCHPOINT_POSTS) else None
        )  # else: none shared
        first = a.touchpoints[0] if a.touchpoints else None
        # right: the evidence's most named touchpoint, or one that a majority names as well
        ok = first == majority or (first is not None and tps[first] >= 0.5 * n)
        owner = self.owners.get(first or "")
        words = a.topic.label.split(" · ") if a.topic else []
        # a post holds a label word in any of its forms (delay, delayed, delaying), as the detector counts,
        # and a concept's name (support, 고객센터) when it names the concept in any of its words
        said = [" ".join(filter(None, [m.title, m.text])) for m in posts]
        terms = [{word_stem(t) for t in terms_of(text)} for text in said]
        named = [{self.concepts.key(c) for c in self.concepts.of(text)} for text in said]
        shares = {
            w: round(
                sum(word_stem(w) in t or self.concepts.key(w) in c for t, c in zip(terms, named, strict=True))
                / max(len(terms), 1),
                2,
            )
            for w in words
        }
        return {
            "brand": a.brand,
            "touchpoint_counts": dict(tps.most_common(4)),
            "label": a.topic.label if a.topic else "",
            "evidence": len(posts),
            "majority_touchpoint": majority,
            "touchpoint_shares": {t: round(c / n, 2) for t, c in tps.most_common(4)},
            "alert_touchpoints": list(a.touchpoints),
            "owners": list(a.owners),
            "touchpoint_ok": ok,
            "owner_ok": ok and (a.owners[:1] == [owner] if owner else not a.owners),
            "label_word_shares": shares,
            "label_clean": not any("_" in w or w.lower() in GENERIC for w in words),
        }


def score(judge: Judge, alerts: list[Alert], updates: list[dict]) -> dict:
    """Per alert (final state), and over every state a reader saw as it was updated."""
    rows = []
    for a in alerts:
        row = judge(a)
        notes = [e.note.split("'")[1] for e in a.history if e.note.count("'") >= 2]
        seen = [u for u in updates if u["id"] == a.id]
        row |= {
            "labels_in_history": len(set(notes)),
            "history_labels": list(dict.fromkeys(notes)),
            "updates": sum(e.action == "updated" for e in a.history),
            "summary": a.summary,
            "states": len(seen),
            "states_touchpoint_ok": sum(u["touchpoint_ok"] for u in seen),
            "states_owner_ok": sum(u["owner_ok"] for u in seen),
            "states_label_clean": sum(u["label_clean"] for u in seen),
            # what a reader saw change: the first touchpoint and owner across the states
            "touchpoints_seen": list(
                dict.fromkeys(u["alert_touchpoints"][0] if u["alert_touchpoints"] else "-" for u in seen)
            ),
            "owners_seen": list(dict.fromkeys(u["owners"][0] if u["owners"] else "-" for u in seen)),
        }
        rows.append(row)
    return {
        "alerts": len(rows),
        "touchpoint_matches": sum(r["touchpoint_ok"] for r in rows),
        "owner_matches": sum(r["owner_ok"] for r in rows),
        "clean_labels": sum(r["label_clean"] for r in rows),
        "states": len(updates),
        "states_touchpoint_ok": sum(u["touchpoint_ok"] for u in updates),
        "states_owner_ok": sum(u["owner_ok"] for u in updates),
        "states_label_clean": sum(u["label_clean"] for u in updates),
        "rows": rows,
    }


def replay(settings: Settings, posts: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "story.db")
        judge = Judge(settings, store)
        updates: list[dict] = []

        def seen(alert: Alert, at: datetime) -> None:
            if alert.kind == "complaint":
                updates.append({"id": alert.id, "at": at.isoformat()} | judge(alert))

        with contextlib.redirect_stdout(io.StringIO()):
            run_backtest(settings, store, posts, timedelta(minutes=15), on_update=seen)
        try:
            final = [a for a in store.list_alerts() if a.kind == "complaint"]
            return score(judge, final, updates)
        finally:
            store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, help="shared data folder (complaints_tweets_en)")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md, section 'Alert story'")
    args = parser.parse_args(argv)
    settings = load_settings(CONFIG)
    report = {"demo": replay(settings, DEMO)}
    data = args.data or shared_data_dir()
    if data is not None and (data / "complaints_tweets_en").is_dir():
        rules = [r.model_copy(update={"language": "en"}) for r in settings.alert_rules]  # an English brand
        airline = settings.model_copy(
            update={"brands": [Brand(name="Skyway", query="skyway")], "alert_rules": rules, "timezone": "UTC"}
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "skyway.jsonl"
            path.write_text("".join(json.dumps(p) + "\n" for p in airline_posts(data)), encoding="utf-8")
            report["skyway"] = replay(airline, path)
            # the same storm as an airline deployment reads it: the bundled airline touchpoints only
            own = [Touchpoint(**t) for t in template_touchpoints("airline", CONFIG.parent)]
            report["skyway-airline"] = replay(airline.model_copy(update={"touchpoints": own}), path)
    else:
        print("complaints_tweets_en not found: the Skyway replay is skipped", file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.write:
        from bench.report import write_section

        write_section("Alert story", render(report))
    return 0


def render(report: dict) -> str:
    lines = [
        "`python -m bench.eval_alert_story ../shared/data --write`: each alert as it stands after all its",
        "updates, against the majority of its own evidence posts (touchpoints as tagged at enrichment);",
        "and every state a reader saw (each step it fired or was updated) against that moment's evidence.",
        "",
        "| replay | alert | label | evidence | evidence holding each label word | touchpoints of the evidence (share) | alert touchpoints | owner ok | labels in history / updates | states: touchpoint ok / owner ok / of | first touchpoints seen |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, part in report.items():
        for i, r in enumerate(part["rows"], 1):
            lines.append(
                f"| {name} | {i} ({r['brand']}) | `{r['label']}` | {r['evidence']} | "
                f"{', '.join(f'{w} {v}' for w, v in r['label_word_shares'].items()) or '-'} | "
                f"{', '.join(f'{t} {v}' for t, v in r['touchpoint_shares'].items()) or '-'} | "
                f"{', '.join(r['alert_touchpoints']) or '-'} | "
                f"{'yes' if r['owner_ok'] else 'no'} | {r['labels_in_history']} / {r['updates']} | "
                f"{r['states_touchpoint_ok']} / {r['states_owner_ok']} / {r['states']} | "
                f"{' -> '.join(r['touchpoints_seen'])} |"
            )
    lines.append("")
    for name, part in report.items():
        lines.append(
            f"- {name}: {part['alerts']} alert(s); first touchpoint = evidence majority in "
            f"{part['touchpoint_matches']}, owner in {part['owner_matches']}; labels free of `_` and "
            f"generic words: {part['clean_labels']}. Over all {part['states']} states seen: touchpoint right "
            f"in {part['states_touchpoint_ok']}, owner in {part['states_owner_ok']}, clean label in "
            f"{part['states_label_clean']}."
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())

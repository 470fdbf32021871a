"""The detector on the bundled demo scenario, through `groundswell backtest`'s own code path.

    python -m bench.eval_demo [--scenario pipeline/demo/scenario.jsonl.gz] [--config CFG]

Ground truth comes from pipeline/demo/README.md: the emerging complaint starts 2026-11-22 01:00Z
and its posts name Lumio and overheating / battery swelling (발열, 부풀, overheat, swell). Reported:
when the first alert about it fired, how many incident posts had appeared by then, minutes from
onset, and every other alert (false alarms per brand per day) - also for the commercial-style rule.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.commercial_rule import rule_fires
from groundswell.config.loader import load_settings
from groundswell.indexer.base import MentionQuery
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.pipeline.commands.detect import run_backtest
from groundswell.records import SentimentLabel

ONSET = datetime(2026, 11, 22, 1, tzinfo=UTC)
INCIDENT = re.compile(r"발열|부풀|뜨거|overheat|swell|hot", re.I)
DEFAULT = Path(__file__).resolve().parents[1] / "pipeline" / "demo" / "scenario.jsonl.gz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=DEFAULT)
    parser.add_argument("--config", type=Path)
    args = parser.parse_args(argv)
    if not args.scenario.exists():
        print(f"{args.scenario} not found", file=sys.stderr)
        return 2
    print(json.dumps(evaluate(args.scenario, args.config), ensure_ascii=False, indent=1))
    return 0


def evaluate(scenario: Path = DEFAULT, config: Path | None = None) -> dict:
    """Backtest the scenario with the (bundled) config and score it against the story's onset."""
    settings = load_settings(config)
    scenario = Path(scenario)
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "demo.db")
        with contextlib.redirect_stdout(io.StringIO()):
            fired = run_backtest(settings, store, scenario, timedelta(minutes=15))
        mentions = store.search(MentionQuery(brands=("Lumio",)), limit=100_000, order="oldest")
        incident = {m.id: m.created_at for m in mentions if m.created_at >= ONSET and INCIDENT.search(m.text)}
        span = store.time_range()
        brands = [b.name for b in settings.brands]
        negatives = {
            b: sorted(
                m.created_at
                for m in store.search(MentionQuery(brands=(b,), sentiments=("negative",)), limit=100_000)
                if m.sentiment and m.sentiment.label == SentimentLabel.NEGATIVE
            )
            for b in brands
        }
        store.close()
    assert span is not None
    days = (span[1] - span[0]).total_seconds() / 86400
    report: dict = {"alerts": [], "incident_posts": len(incident)}
    first = None
    false_alarms = 0
    for a in fired:
        hits = sum(1 for e in a.evidence_ids if e in incident)
        about = a.brand == "Lumio" and hits >= 0.5 * len(a.evidence_ids) and a.fired_at >= ONSET
        report["alerts"].append({"fired_at": a.fired_at.isoformat(), "brand": a.brand, "topic": a.topic.label if a.topic else "",
                                 "severity": a.severity.value, "incident": about})  # fmt: skip
        if about and first is None:
            first = a
        elif not about:
            false_alarms += 1
    if first is not None:
        report["first_alert"] = {
            "minutes_from_onset": round((first.fired_at - ONSET).total_seconds() / 60),
            "incident_posts_seen": sum(1 for t in incident.values() if t <= first.fired_at),
            "severity": first.severity.value,
            "topic": first.topic.model_dump() if first.topic else None,
            "touchpoints": first.touchpoints,
            "spread_risk": first.spread_risk,
        }
    report["false_alarms"] = false_alarms
    report["false_alarms_per_brand_day"] = round(false_alarms / (len(brands) * days), 3)
    report["commercial_rule"] = commercial(negatives, incident, span[0], span[1], len(brands) * days)
    return report


def commercial(
    negatives: dict[str, list[datetime]],
    incident: dict[str, datetime],
    start: datetime,
    end: datetime,
    brand_days: float,
) -> dict:
    """The commercial-style rule (bench/commercial_rule.py) on the same store, same steps."""
    fires = [
        (brand, datetime.fromtimestamp(t, UTC))
        for brand, times in negatives.items()
        for t in rule_fires([x.timestamp() for x in times], start.timestamp(), end.timestamp(), 900.0)
    ]
    hit = next((t for b, t in fires if b == "Lumio" and ONSET <= t <= ONSET + timedelta(hours=12)), None)
    out: dict = {
        "false_alarms_per_brand_day": round(
            sum(1 for b, t in fires if not (b == "Lumio" and t == hit)) / brand_days, 3
        )
    }
    if hit is not None:
        out["minutes_from_onset"] = round((hit - ONSET).total_seconds() / 60)
        out["incident_posts_seen"] = sum(1 for t in incident.values() if t <= hit)
    return out


if __name__ == "__main__":
    raise SystemExit(main())

"""Render the evaluation results as the "Detection" section of BENCHMARKS.md."""

from __future__ import annotations

import statistics
from typing import Any

from bench.report import write_section


def _pooled(results: list[dict[str, Any]], who: str) -> dict[str, Any]:
    rows = [b for r in results for b in r[who]["bursts"]]
    caught = [b["posts"] for b in rows if b["posts"] is not None]
    minutes = [b["minutes"] for b in rows if b["minutes"] is not None]
    fa = sum(r[who]["false_alarms"] for r in results)
    per_day = statistics.mean(r[who]["false_alarms_per_brand_day"] for r in results)
    return {
        "bursts": len(rows),
        "caught": len(caught),
        "within_10": sum(1 for p in caught if p <= 10),
        "within_6": sum(1 for p in caught if p <= 6),
        "median_posts": statistics.median(caught) if caught else None,
        "median_minutes": statistics.median(minutes) if minutes else None,
        "false_alarms": fa,
        "fa_per_brand_day": round(per_day, 3),
    }


def render(
    runs: dict[str, list[dict[str, Any]]], demo: dict[str, Any] | None, topics: dict[str, Any] | None
) -> str:
    """`runs`: sentiment source ("labels", "model") -> per-seed results of eval_detection."""
    out = [
        "`python -m bench.eval_detection ../shared/data --seeds 3 [--sentiment model]`: real posts (NSMC, KOTE,",
        "Korean hate speech, SemEval tweets) on a 14-day clock with daily/weekly rhythm, 4 brands, ~14.3k posts per",
        "replay; 3 bursts per brand of 40 real negative posts sharing a theme noun (a Kiwi noun in Korean, a",
        "capitalised name in English, <= 2% of the background), growing e-fold every 30 min over 2 h. Steps of",
        "15 min. A burst counts as caught by the first alert whose evidence is mostly its posts; any other",
        "alert is a false alarm (counted after a 2-day warm-up). Commercial-style rule: negative posts in the",
        "last hour >= 3x the hourly mean of the previous 12 h and >= 8, 6 h cooldown (a brand-level rule:",
        "any firing in a burst's first 6 h counts as catching it).",
        "",
        "| sentiment | method | bursts caught | within 10 posts | within 6 | median posts at alert | median min from onset | false alarms / brand / day |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for source, results in runs.items():
        for who, name in (("detector", "groundswell detector"), ("commercial", "commercial-style rule")):
            p = _pooled(results, who)
            out.append(
                f"| {source} | {name} | {p['caught']}/{p['bursts']} | {p['within_10']}/{p['bursts']} "
                f"| {p['within_6']}/{p['bursts']} | {p['median_posts']} | {p['median_minutes']} | {p['fa_per_brand_day']} |"
            )
    out += ["", "`labels`: sentiment from the data sets' human labels (isolates the detector); `model`: the",
            "shipped sentiment model (what a deployment sees).", ""]  # fmt: skip
    first = next(iter(runs.values()))[0]
    out += ["Per burst, first replay (labels): theme, posts seen when the first alert fired, minutes from onset.", "",
            "| brand | theme | detector posts | detector min | rule posts | rule min |", "|---|---|---|---|---|---|"]  # fmt: skip
    for ours, theirs in zip(first["detector"]["bursts"], first["commercial"]["bursts"], strict=True):
        out.append(
            f"| {ours['brand']} | {ours['theme']} | {ours['posts']} | {ours['minutes']} | {theirs['posts']} | {theirs['minutes']} |"
        )
    if demo:
        f = demo.get("first_alert", {})
        c = demo.get("commercial_rule", {})
        out += ["", "**Demo scenario** (`python -m bench.eval_demo`, `groundswell backtest` code path, bundled config):",
                f"{demo['incident_posts']} incident posts; first alert {f.get('minutes_from_onset')} min after onset with "
                f"{f.get('incident_posts_seen')} incident posts seen (topic '{(f.get('topic') or {}).get('label')}', "
                f"touchpoints {f.get('touchpoints')}, spread risk {f.get('spread_risk')}); "
                f"{len(demo['alerts'])} alert(s) in 14 days, false alarms {demo['false_alarms_per_brand_day']} / brand / day. "
                f"Commercial-style rule: {c.get('minutes_from_onset')} min, {c.get('incident_posts_seen')} posts seen, "
                f"{c.get('false_alarms_per_brand_day')} false alarms / brand / day."]  # fmt: skip
    if topics:
        out += ["", "**Topic quality** (`python -m bench.eval_topics ../shared/data`): NMI / ARI between topics and",
                "categories (outliers as one cluster). *domain*: which corpus a Korean/English post comes from;",
                "*entity-en*: SemEval tweets naming exactly one of 12 frequent names, the name removed.", "",
                "| set / model | NMI | ARI | NMI inliers | outliers | topics | seconds | posts |",
                "|---|---|---|---|---|---|---|---|"]  # fmt: skip
        for name, r in topics.items():
            out.append(
                f"| {name} | {r['nmi']} | {r['ari']} | {r['nmi_inliers']} | {r['outliers']} | {r['topics']} | {r['seconds']} | {r['docs']} |"
            )
    return "\n".join(out)


def write(
    runs: dict[str, list[dict[str, Any]]], demo: dict[str, Any] | None, topics: dict[str, Any] | None
) -> None:
    write_section("Detection", render(runs, demo, topics))

"""`groundswell backtest` through click's runner: alerts as JSON lines, when they first fire."""

from __future__ import annotations

import json
import math
import random
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.detect.synthetic import START, rhythm

pytest.importorskip("vaderSentiment")

CONFIG = """
brands:
  - name: Acme
    query: acme
nlp:
  sentiment_backend: vader
alert_rules:
  - name: emerging-complaint
    window: 1h
    min_posts: 4
playbooks:
  - touchpoint: '*'
    text: Reply within 2 hours.
"""
GOOD = ["love my acme {w}", "acme {w} is great", "nice {w} from acme", "acme {w} works fine"]
BAD = ["acme {w} is terrible", "awful {w} from acme", "acme {w} broke, hate it"]
WORDS = [
    "screen",
    "camera",
    "case",
    "charger",
    "speaker",
    "box",
    "strap",
    "lens",
    "button",
    "store",
    "app",
    "website",
    "price",
]


def write_input(path: Path, rng: random.Random) -> list[str]:
    lines, burst_ids = [], []
    t = START
    while t < START + timedelta(days=3):
        t += timedelta(hours=rng.expovariate(10))
        if rng.random() * 1.8 > rhythm(t):
            continue
        template = rng.choice(BAD if rng.random() < 0.3 else GOOD)
        text = template.format(w=rng.choice(WORDS)) + f" {rng.choice(WORDS)} {rng.choice(WORDS)}"
        lines.append(
            {
                "id": f"bg{len(lines)}",
                "text": text,
                "created_at": t.isoformat(),
                "author": {"id": f"u{rng.randrange(9999)}"},
            }
        )
    onset = START + timedelta(days=2, hours=10)
    for k in range(30):
        minutes = 30 * math.log1p((k + 0.5) / 30 * 54.6)
        burst_ids.append(f"burst{k}")
        lines.append({
            "id": f"burst{k}", "text": f"my acme battery is overheating, terrible and dangerous #{k}",
            "created_at": (onset + timedelta(minutes=minutes)).isoformat(), "author": {"id": f"b{k}"},
        })  # fmt: skip
    rng.shuffle(lines)
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return burst_ids


def test_backtest_prints_each_alert_once_with_input_ids(tmp_path: Path) -> None:
    from groundswell.pipeline.cli import cli

    config = tmp_path / "cfg.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    data = tmp_path / "posts.jsonl"
    burst_ids = write_input(data, random.Random(4))
    db = tmp_path / "kept.db"
    args = [
        "backtest",
        "--config",
        str(config),
        "--input",
        str(data),
        "--step",
        "15m",
        "--db",
        str(db),
        "--json",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    alerts = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert alerts, "the burst was not detected"
    burst_alerts = [a for a in alerts if set(a["evidence_ids"]) & set(burst_ids)]
    assert len(burst_alerts) == 1, "one incident, printed once"
    alert = burst_alerts[0]
    for key in ("fired_at", "brand", "severity", "topic", "evidence_ids", "spread_risk", "playbook"):
        assert key in alert
    assert alert["brand"] == "Acme"
    assert alert["evidence_ids"][0] in burst_ids
    assert {"battery", "overheating"} & set(alert["topic"]["keywords"])
    assert len({a["id"] for a in alerts}) == len(alerts)

    # `detect` on the kept store lists the open alert with the same id and input ids
    as_of = alert["updated_at"]
    shown = CliRunner().invoke(
        cli, ["--config", str(config), "--db", str(db), "detect", "--as-of", as_of, "--json"]
    )
    assert shown.exit_code == 0, shown.output
    current = [json.loads(line) for line in shown.stdout.splitlines() if line.strip()]
    assert alert["id"] in {a["id"] for a in current}
    assert all(not e.startswith("import:") for a in current for e in a["evidence_ids"])


def test_backtest_rejects_a_bad_step(tmp_path: Path) -> None:
    from groundswell.pipeline.cli import cli

    data = tmp_path / "posts.jsonl"
    data.write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["backtest", "--input", str(data), "--step", "soon"])
    assert result.exit_code == 2
    assert "duration" in result.output


def test_backtest_steps_on_the_grid_with_hot_step_off_and_rejects_a_bad_one(tmp_path: Path) -> None:
    from groundswell.pipeline.cli import cli

    config = tmp_path / "cfg.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    data = tmp_path / "posts.jsonl"
    write_input(data, random.Random(4))
    base = ["backtest", "--config", str(config), "--input", str(data), "--step", "15m", "--json"]
    off = CliRunner().invoke(cli, [*base, "--hot-step", "0"])
    assert off.exit_code == 0, off.output
    fired = [json.loads(line)["fired_at"] for line in off.stdout.splitlines() if line.strip()]
    assert fired and all(at[14:16] in ("00", "15", "30", "45") for at in fired)
    assert "while a brand warmed" not in off.stderr
    bad = CliRunner().invoke(cli, [*base, "--hot-step", "soon"])
    assert bad.exit_code == 2 and "duration" in bad.output

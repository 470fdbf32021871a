"""#15 item 8: SIGTERM to `groundswell dashboard` left Streamlit listening (the next start failed:
port not available); `run --once` with a failing source and an all-rejected ingest exited 0."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from groundswell.pipeline.cli import cli

pytest.importorskip("streamlit")
POST = {"id": "1", "text": "Lumio battery swelled", "created_at": "2026-11-24T10:00:00Z"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for(check, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_dashboard_command_stops_streamlit(tmp_path: Path, signum: int) -> None:
    posts = tmp_path / "p.jsonl"
    posts.write_text(json.dumps(POST) + "\n", encoding="utf-8")
    db = tmp_path / "gs.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "ingest", str(posts)]).exit_code == 0
    port = free_port()
    log = (tmp_path / "dash.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "groundswell.pipeline.cli", "--db", str(db), "dashboard", "--port", str(port)],
        stdout=log, stderr=log, start_new_session=True,  # a signal to this PID only, as `kill PID` sends
    )  # fmt: skip
    try:
        assert wait_for(lambda: listening(port), 90), (tmp_path / "dash.log").read_text(errors="replace")
        os.kill(proc.pid, signum)
        proc.wait(timeout=30)
        assert wait_for(lambda: not listening(port), 15), "streamlit still listens after its parent stopped"
    finally:
        if proc.poll() is None:
            proc.kill()
        os.killpg(proc.pid, signal.SIGKILL) if _group_alive(proc.pid) else None


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_run_once_with_a_failing_source_exits_non_zero(tmp_path: Path) -> None:
    config = tmp_path / "gs.yaml"
    source = {"name": "gone", "type": "replay", "options": {"path": str(tmp_path / "missing.jsonl")}}
    config.write_text(yaml.safe_dump({"sources": [source]}), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--config", str(config), "--db", str(tmp_path / "gs.db"), "run", "--once"]
    )
    assert result.exit_code != 0 and "gone" in result.stderr and "failed" in result.stderr


def test_run_once_with_the_bundled_config_reads_its_source(tmp_path: Path) -> None:
    from groundswell.config.loader import load_settings
    from groundswell.crawlers.registry import build_source

    settings = load_settings(None, environ={})
    replay = next(s for s in settings.sources if s.type == "replay")
    batch = build_source(replay).fetch(None)  # type: ignore[attr-defined]
    assert batch.fetched > 0 and batch.rejected == 0


def test_ingest_of_a_file_where_every_line_is_rejected_exits_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{nope\n[1]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "gs.db"), "ingest", str(bad), "--json"])
    assert result.exit_code != 0
    assert json.loads(result.stdout.splitlines()[-1])["rejected"] == 2

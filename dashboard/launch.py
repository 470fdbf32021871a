"""How the dashboard is started and where it finds its config and store.

`groundswell dashboard` runs `streamlit_command(...)`; the app then reads `--config` / `--db` from
the arguments after `--` or, failing those, `GROUNDSWELL_CONFIG` / `GROUNDSWELL_DB`, so the CLI, a
test and a user typing `streamlit run` all reach the same store. No Streamlit import here.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

APP = Path(__file__).with_name("app.py")


def streamlit_command(
    config_path: str | Path | None,
    db_path: str | Path | None,
    host: str = "127.0.0.1",
    port: int = 8501,
) -> list[str]:
    """The argv that serves the dashboard on host:port over the given config and store."""
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.address", host,
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--client.toolbarMode", "viewer",
        "--",
    ]  # fmt: skip
    if config_path is not None:
        command += ["--config", str(config_path)]
    if db_path is not None:
        command += ["--db", str(db_path)]
    return command


def resolve_paths(
    argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None
) -> tuple[str | None, str | None]:
    """(config path, db path) from the script arguments, then the environment; None means default."""
    argv = sys.argv[1:] if argv is None else argv
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--config")
    parser.add_argument("--db")
    known, _ = parser.parse_known_args(list(argv))
    config = known.config or environ.get("GROUNDSWELL_CONFIG") or None
    db = known.db or environ.get("GROUNDSWELL_DB") or None
    return config, db

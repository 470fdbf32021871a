"""How the dashboard is started and where it finds its config and store.

`groundswell dashboard` runs `streamlit_command(...)`; the app then reads `--config` / `--db` from
the arguments after `--` or, failing those, `GROUNDSWELL_CONFIG` / `GROUNDSWELL_DB`, so the CLI, a
test and a user typing `streamlit run` all reach the same store. No Streamlit import here.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType

APP = Path(__file__).with_name("app.py")
STOP_GRACE = 10.0  # seconds Streamlit gets to stop before it is killed
FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


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


def serve(command: Sequence[str]) -> int:
    """Run the Streamlit child until it exits or we are told to stop; never leave it behind.

    SIGTERM/SIGINT/SIGHUP to this process are passed on to the child, which then gets STOP_GRACE
    seconds before SIGKILL; on Linux the child also receives SIGTERM if this process dies without
    a chance to pass anything on (kill -9), so the port is always freed for the next start.
    """
    child = subprocess.Popen(list(command), preexec_fn=_die_with_parent)

    def forward(signum: int, _frame: FrameType | None) -> None:
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in FORWARDED}
    try:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:  # Ctrl+C reached us and the child (same process group)
                forward(signal.SIGINT, None)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _die_with_parent() -> None:
    """Linux: PR_SET_PDEATHSIG, so a SIGKILLed parent still takes Streamlit down with it."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG

"""The real dashboard as a Streamlit process on 127.0.0.1, for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from groundswell.dashboard.launch import streamlit_command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def streamlit_running(
    config: str | Path | None, db: str | Path, port: int, log: Path, cwd: Path | None = None
) -> Iterator[str]:
    """Start the dashboard, wait until it answers its health check, yield its URL, stop it.

    GROUNDSWELL_* variables of the test run are left out so that only the given config and store count.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GROUNDSWELL_")}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            streamlit_command(config, db, "127.0.0.1", port), stdout=out, stderr=out, env=env, cwd=cwd
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

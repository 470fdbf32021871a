"""Fixtures: a real SQLite store and config written once per session (dashboard_sample.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dashboard import dashboard_sample


@pytest.fixture(scope="session")
def sample_paths(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return dashboard_sample.build(tmp_path_factory.mktemp("dashboard-sample"))


@pytest.fixture
def app_env(sample_paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """The shared read-mostly store, selected the way `groundswell dashboard` does (env vars)."""
    config, db = sample_paths
    monkeypatch.setenv("GROUNDSWELL_CONFIG", str(config))
    monkeypatch.setenv("GROUNDSWELL_DB", str(db))
    yield config, db


@pytest.fixture
def private_env(
    sample_paths: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    """A copy of the store that a test may change (alert actions)."""
    config, db = sample_paths
    copy = tmp_path / "store.db"
    shutil.copy(db, copy)
    monkeypatch.setenv("GROUNDSWELL_CONFIG", str(config))
    monkeypatch.setenv("GROUNDSWELL_DB", str(copy))
    return config, copy

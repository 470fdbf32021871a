"""Fixtures: the dashboard's sample store (real SQLite, hostile posts included), opened read-only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from groundswell.config.loader import load_settings
from groundswell.config.settings import Settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.reports.period import Period
from tests.dashboard import dashboard_sample

# the sample spans Sun 2026-03-01 to Thu 2026-03-05 (UTC): this week is Mon 03-02 .. Sun 03-08
WEEK = Period.containing("week", dashboard_sample.END - timedelta(days=1), UTC)


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return dashboard_sample.build(tmp_path_factory.mktemp("report-sample"))


@pytest.fixture
def settings(sample: tuple[Path, Path]) -> Settings:
    return load_settings(sample[0])


@pytest.fixture
def store(sample: tuple[Path, Path]) -> Iterator[SQLiteStore]:
    db = SQLiteStore(sample[1])
    yield db
    db.close()

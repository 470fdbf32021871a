"""Fixtures for detector tests: a real SQLite store on disk and small brand settings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from groundswell.config.settings import AlertRule, Brand, Playbook, Settings, Touchpoint
from groundswell.indexer.sqlite import SQLiteStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(tmp_path / "detect.db")
    yield s
    s.close()


@pytest.fixture
def settings() -> Settings:
    return Settings(
        brands=[Brand(name="acme", query="acme"), Brand(name="beta", query="beta", sensitivity=1.0)],
        touchpoints=[Touchpoint(name="product_quality", owner="quality@example.com", keywords=["battery"])],
        alert_rules=[AlertRule(name="emerging", window=timedelta(hours=1), min_posts=4)],
        playbooks=[Playbook(touchpoint="*", text="Check the evidence posts.")],
    )

"""Shared fixtures: one Enricher per session (models load once), and the optional shared data dir."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.replay_data import shared_data_dir
from groundswell.nlp.enrich import Enricher
from groundswell.records import Mention


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = shared_data_dir()
    if path is None:
        pytest.skip("shared/data not found (set GROUNDSWELL_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def enricher() -> Enricher:
    return Enricher()


def mention(text: str, n: int = 0, lang: str | None = None) -> Mention:
    return Mention(
        id=f"test:{n}",
        source="test",
        native_id=str(n),
        text=text,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        lang=lang,
    )

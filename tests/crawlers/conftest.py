"""Fixtures for crawler tests: a local HTTP server and the fixtures folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawlers.crawler_testserver import FIXTURES, LocalServer, serving


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with serving() as srv:
        yield srv


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES

"""Backend fixtures for the store conformance suite: every backend runs the same tests.

SQLite runs everywhere on a tmp_path file. Elasticsearch runs only when GROUNDSWELL_ES_URL
points at a live cluster (credentials from GROUNDSWELL_ES_API_KEY or GROUNDSWELL_ES_PASSWORD);
each test gets its own index prefix and deletes its indices afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from groundswell.indexer.base import Store
from groundswell.indexer.sqlite import SQLiteStore
from tests.indexer.fake_es import FakeES, serve

BACKENDS = ["sqlite_store", "es_store"]


@pytest.fixture
def sqlite_store(tmp_path: Any) -> Iterator[Store]:
    store = SQLiteStore(tmp_path / "store.db")
    yield store
    store.close()


@pytest.fixture
def es_store() -> Iterator[Store]:
    url = os.environ.get("GROUNDSWELL_ES_URL")
    if not url:
        pytest.skip("Elasticsearch conformance needs a live cluster: set GROUNDSWELL_ES_URL to run it")
    from groundswell.indexer.elasticsearch import ElasticsearchStore

    store = ElasticsearchStore(
        url=url,
        index_prefix=f"gs-test-{uuid.uuid4().hex[:12]}",
        api_key=os.environ.get("GROUNDSWELL_ES_API_KEY"),
        username=os.environ.get("GROUNDSWELL_ES_USERNAME"),
        password=os.environ.get("GROUNDSWELL_ES_PASSWORD"),
        ca_certs=os.environ.get("GROUNDSWELL_ES_CA_CERTS"),
        refresh=True,
    )
    try:
        yield store
    finally:
        store.drop()
        store.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Store:
    """The backend under test, by fixture name (BERTopic's `request.getfixturevalue` pattern)."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def fake() -> Iterator[tuple[FakeES, str]]:
    """A recording Elasticsearch stand-in on 127.0.0.1: (its request log, its URL)."""
    es = FakeES()
    server, url = serve(es)
    yield es, url
    server.shutdown()
    server.server_close()

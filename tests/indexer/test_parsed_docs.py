"""The store's parsed-document cache: a window read again is the same data, never a stale or shared record."""

from __future__ import annotations

from pathlib import Path

from groundswell.indexer.base import MentionQuery
from groundswell.indexer.parsed import ParsedDocs
from groundswell.indexer.sqlite import SQLiteStore
from tests.indexer.builders import mention


def test_a_window_read_twice_gives_equal_but_separate_records(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert([mention("1", "battery swelling", brands=("Lumio",)), mention("2", "late delivery")])
    first = store.search(MentionQuery(), limit=10, order="oldest")
    again = store.search(MentionQuery(), limit=10, order="oldest")
    assert first == again and all(a is not b for a, b in zip(first, again, strict=True))
    first[0].text = "changed by a caller"  # a caller's assignment stays with its own copy
    assert store.search(MentionQuery(), limit=10, order="oldest")[0].text == "battery swelling"
    store.close()


def test_an_updated_document_is_parsed_anew(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert([mention("1", "battery swelling", brands=("Lumio",))])
    assert store.search(MentionQuery())[0].brands == ["Lumio"]
    store.upsert([mention("1", "battery swelling", brands=("Lumio", "Vexa"))])
    assert store.search(MentionQuery())[0].brands == ["Lumio", "Vexa"]
    store.close()


def test_the_cache_is_bounded() -> None:
    docs = ParsedDocs(limit=2)
    for rid in range(5):
        parsed = docs.mention(rid, mention(str(rid), f"post {rid}").model_dump_json())
        assert parsed.text == f"post {rid}"
    assert len(docs._docs) <= 2

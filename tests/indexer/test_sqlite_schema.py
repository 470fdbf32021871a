"""SQLite files written by an older schema keep working, read-only as they are and upgraded when
opened for writing; `@handle` queries then read the author index instead of every row.

tests/indexer/data/store_v1.db was written by the schema-1 store (commit 2b6cade) from
`author_corpus()` plus a raw payload on mention 0, a re-observation of mention 3 that changed its
text (so its FTS row was deleted and re-added), a cursor and a state key; then checkpointed and
vacuumed. It cannot be regenerated with the current code, which writes schema 2.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from groundswell.indexer.base import MentionQuery
from groundswell.indexer.sqlite import SCHEMA_VERSION, SQLiteStore
from groundswell.query import Document, normalize, parse_query
from groundswell.records import EnrichedMention, Metrics
from tests.indexer.author_corpus import AUTHOR_QUERIES, author_corpus
from tests.indexer.builders import mention

V1 = Path(__file__).parent / "data" / "store_v1.db"


@pytest.fixture
def v1_path(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    shutil.copy(V1, path)
    return path


def _sql(path: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _all(store: SQLiteStore) -> list[EnrichedMention]:
    return [m for batch in store.iter_mentions() for m in batch]


def _check_queries(store: SQLiteStore) -> None:
    mentions = _all(store)
    for query in AUTHOR_QUERIES:
        node = parse_query(query)
        expected = {m.id for m in mentions if node.evaluate(Document(m.text, m.author.handle or m.author.id))}
        q = MentionQuery(text=query)
        assert {m.id for m in store.search(q, limit=500)} == expected, query
        assert store.count(q) == len(expected), query


def _fts(store: SQLiteStore, table: str, phrase: str) -> list[int]:
    rows = store._conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", ('"' + phrase + '"',))
    return [r[0] for r in rows]


def _plan(store: SQLiteStore, text: str) -> str:
    sql, params = store._where(MentionQuery(text=text), exact=False)
    rows = store._conn.execute(f"EXPLAIN QUERY PLAN SELECT m.rid FROM mentions m WHERE {sql}", params)
    return " | ".join(r[3] for r in rows)


def test_the_fixture_is_a_schema_1_file() -> None:
    assert _sql(V1, "PRAGMA user_version") == [(1,)]
    tables = {r[0] for r in _sql(V1, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "mentions" in tables and "mention_authors" not in tables


def test_an_old_file_opened_read_only_answers_as_it_is(v1_path: Path) -> None:
    store = SQLiteStore(v1_path, read_only=True)
    try:
        assert store.count(MentionQuery()) == 90
        _check_queries(store)  # @handle by the exact check over every row, as schema 1 did
    finally:
        store.close()
    assert _sql(v1_path, "PRAGMA user_version") == [(1,)]


def test_an_old_file_opened_for_writing_is_upgraded_and_keeps_its_data(v1_path: Path) -> None:
    store = SQLiteStore(v1_path)
    try:
        assert _sql(v1_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
        assert store.count(MentionQuery()) == 90
        assert store.get_cursor("x") == "c90"
        assert store.get_state("detector") == {"k": 1}
        assert store.get(["x:0", "news:0", "reddit:0"])[0].raw == {"native": 0}
        assert "SCAN mention_authors VIRTUAL TABLE" in _plan(store, "@acme_fan")
        _check_queries(store)
    finally:
        store.close()


def test_old_rows_update_cleanly_after_the_upgrade(v1_path: Path) -> None:
    """Old FTS rows are deleted with the body they were indexed with; authors follow updates."""
    store = SQLiteStore(v1_path)
    try:
        old = next(m for m in _all(store) if "oldword" in m.text)  # mention 3, re-observed under schema 1
        changed = old.model_copy(
            update={
                "text": "brand new words",
                "author": old.author.model_copy(update={"handle": "Someone_Else"}),
                "metrics": Metrics(likes=9),
                "fetched_at": old.fetched_at + timedelta(hours=2),
            }
        )
        assert store.upsert([changed]).updated == 1
        assert _fts(store, "mentions_fts", "oldword") == []
        was = normalize(old.author.handle or old.author.id or "").lstrip("@")
        rid = store._conn.execute("SELECT rid FROM mentions WHERE id = ?", (old.id,)).fetchone()[0]
        assert rid in _fts(store, "mention_authors", "someone_else")
        assert rid not in _fts(store, "mention_authors", was)  # deleted with the body it was indexed with
        assert [m.id for m in store.search(MentionQuery(text="@someone_else"))] == [old.id]
        assert [m.id for m in store.search(MentionQuery(text="brand new"))] == [old.id]
        store.commit_batch([mention("new", "hello @acme_fan", handle="@Newcomer")])
        assert [m.id for m in store.search(MentionQuery(text="@newcomer"))] == ["x:new"]
        _check_queries(store)
    finally:
        store.close()


def test_reopening_repairs_the_index_after_an_older_version_wrote(v1_path: Path) -> None:
    """An older version that opens the file sets user_version back to 1 and skips mention_authors."""
    SQLiteStore(v1_path).close()
    conn = sqlite3.connect(v1_path)  # as the schema-1 store updates a mention: mentions only
    conn.execute(
        "UPDATE mentions SET author = 'Late_Comer', doc = json_set(doc, '$.author.handle', 'Late_Comer') "
        "WHERE id = 'reddit:0'"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = SQLiteStore(v1_path)
    try:
        assert [m.id for m in store.search(MentionQuery(text="@late_comer"))] == ["reddit:0"]
        assert "reddit:0" not in {m.id for m in store.search(MentionQuery(text="@straße"), limit=500)}
        _check_queries(store)
    finally:
        store.close()


def test_a_new_file_is_the_current_schema(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "new.db").close()
    assert _sql(tmp_path / "new.db", "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    store = SQLiteStore(tmp_path / "new.db")  # opening again changes nothing
    try:
        store.commit_batch(author_corpus())
        for query in ["@user4*", "@acme_fan OR battery", "@민수 great"]:
            assert "SCAN mention_authors VIRTUAL TABLE" in _plan(store, query), query
        _check_queries(store)
    finally:
        store.close()


def test_an_old_file_gets_the_complaint_flag_from_its_stored_records(v1_path: Path) -> None:
    """Schema 3: the flag enrichment stores; older rows get it by the same rule from their sentiment."""
    old = SQLiteStore(v1_path, read_only=True)
    try:
        expected = {m.id for m in _all(old) if m.complaint}
        assert old.count(MentionQuery(complaint=True)) == len(expected)  # read from each doc
    finally:
        old.close()
    assert expected, "the fixture has complaints"
    store = SQLiteStore(v1_path)
    try:
        assert {m.id for m in store.search(MentionQuery(complaint=True), limit=500)} == expected
        assert store.count(MentionQuery(complaint=False)) == 90 - len(expected)
    finally:
        store.close()
    assert _sql(v1_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    flags = dict(_sql(v1_path, "SELECT id, complaint FROM mentions"))
    assert {i for i, flag in flags.items() if flag} == expected


def test_a_schema_3_index_is_rebuilt_for_particles_and_spacing(tmp_path: Path) -> None:
    """Schema 4 indexes `acme의` under acme and 로켓 배송 under 켓배: a schema-3 FTS body is rebuilt."""
    path = tmp_path / "v3.db"
    store = SQLiteStore(path)
    store.commit_batch([mention("1", "acme의 로켓 배송 늦어요"), mention("2", "로켓배송 최고")])
    conn = store._conn
    conn.execute("INSERT INTO mentions_fts (mentions_fts) VALUES ('delete-all')")
    for rid, text in conn.execute("SELECT rid, text FROM mentions").fetchall():  # the schema-3 formula
        norm = normalize(text)
        runs = [w for w in norm.split() if all("\uac00" <= c <= "\ud7af" for c in w) and len(w) > 1]
        bigrams = [r[i : i + 2] for r in runs for i in range(len(r) - 1)]
        conn.execute(
            "INSERT INTO mentions_fts (rowid, body) VALUES (?, ?)", (rid, norm + "\n" + " ".join(bigrams))
        )
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    assert _fts(store, "mentions_fts", "acme") == [] and _fts(store, "mentions_fts", "켓배") == [2]
    store.close()
    store = SQLiteStore(path)
    try:
        assert _sql(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
        assert _fts(store, "mentions_fts", "acme") == [1] and sorted(_fts(store, "mentions_fts", "켓배")) == [
            1,
            2,
        ]
        for query in ("acme", "로켓배송", '"로켓 배송"'):
            assert {m.id for m in store.search(MentionQuery(text=query))} >= {"x:1"}, query
        assert store.count(MentionQuery(text="로켓배송")) == 2
    finally:
        store.close()


def _escaped(i: int, text: str, raw: dict[str, object] | None, title: str | None = None) -> EnrichedMention:
    return mention(str(i), text).model_copy(update={"raw": raw, "title": title})


def test_schema_6_unescapes_stored_text_once(tmp_path: Path) -> None:
    """#16 item 5: `search` showed `&amp;` from text stored before mappers unescaped at read time."""
    path = tmp_path / "v5.db"
    store = SQLiteStore(path)
    old_with_raw = _escaped(1, "Lumio &amp; Vexa &lt;3", {"text": "Lumio &amp; Vexa &lt;3"})
    old_without_raw = _escaped(2, "AT&amp;T signal", None, title="Q&amp;A")
    # written by a version that already unescaped once: the author literally typed `&amp;`
    already = _escaped(3, "in HTML write &amp; for &", {"text": "in HTML write &amp;amp; for &amp;"})
    store.commit_batch([old_with_raw, old_without_raw, already])
    store._conn.execute("PRAGMA user_version = 5")
    store._conn.commit()
    store.close()

    store = SQLiteStore(path)
    try:
        assert _sql(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
        by_id = {m.id: m for m in _all(store)}
        assert by_id[old_with_raw.id].text == "Lumio & Vexa <3"
        assert (by_id[old_without_raw.id].text, by_id[old_without_raw.id].title) == ("AT&T signal", "Q&A")
        assert by_id[already.id].text == "in HTML write &amp; for &"  # not unescaped twice
        assert _sql(path, f"SELECT text FROM mentions WHERE id = '{old_with_raw.id}'") == [
            ("Lumio & Vexa <3",)
        ]
        assert {m.id for m in store.search(MentionQuery(text="vexa"))} == {old_with_raw.id}
        # the FTS body did not change: a later update deletes and re-adds the row cleanly
        store.commit_batch([by_id[old_with_raw.id].model_copy(update={"metrics": Metrics(likes=9)})])
        assert store.count(MentionQuery(text="vexa")) == 1
        assert store._conn.execute("INSERT INTO mentions_fts (mentions_fts) VALUES ('integrity-check')")
    finally:
        store.close()
    store = SQLiteStore(path)  # reopening never runs it again
    try:
        assert {m.id: m.text for m in _all(store)}[already.id] == "in HTML write &amp; for &"
    finally:
        store.close()


def test_schema_7_fills_the_entity_index_from_stored_documents(tmp_path: Path) -> None:
    """#13: an older file's documents that carry entities (or an older version's writes after an
    upgrade, which left mention_entities stale) get the index rebuilt from the documents."""
    path = tmp_path / "v6.db"
    store = SQLiteStore(path)
    store.commit_batch(
        [
            mention("1", "delayed in Chicago", entities=("Chicago", "Delta")),
            mention("2", "nothing named"),
            mention("3", "Delta lost my bag", entities=("Delta",)),
        ]
    )
    store._conn.execute("DELETE FROM mention_entities")  # as a version-6 program left it
    store._conn.execute("PRAGMA user_version = 6")
    store._conn.commit()
    store.close()

    read_only = SQLiteStore(path, read_only=True)  # no index yet: the filter reads the documents
    try:
        assert {m.native_id for m in read_only.search(MentionQuery(entities=("Delta",)))} == {"1", "3"}
        assert read_only.facets(MentionQuery(), "entity") == []
    finally:
        read_only.close()

    store = SQLiteStore(path)
    try:
        assert _sql(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
        assert [(f.value, f.count) for f in store.facets(MentionQuery(), "entity")] == [
            ("Delta", 2),
            ("Chicago", 1),
        ]
        assert store.count(MentionQuery(entities=("Chicago",))) == 1
        sql, params = store._where(MentionQuery(entities=("Delta",)))
        plan = store._conn.execute(f"EXPLAIN QUERY PLAN SELECT m.rid FROM mentions m WHERE {sql}", params)
        assert "mention_entities" in " ".join(r[3] for r in plan)
        # an update replaces the post's entities
        (first,) = store.get(["x:1"])
        store.commit_batch([first.model_copy(update={"entities": ["O'Hare"], "metrics": Metrics(likes=3)})])
        assert [(f.value, f.count) for f in store.facets(MentionQuery(), "entity")] == [
            ("Delta", 1),
            ("O'Hare", 1),
        ]
    finally:
        store.close()

"""`groundswell migrate --to elasticsearch` from a real SQLite file into a FAKE Elasticsearch.

The fake (tests/indexer/fake_es.py) records what the official client sends; this checks that
every kind of data leaves the SQLite store in the right requests. It is not a live migration.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner

from groundswell.indexer.sqlite import SQLiteStore
from groundswell.pipeline.commands.migrate import migrate
from groundswell.pipeline.context import CliState
from groundswell.records import Alert, Metrics, Severity, SourceRun
from tests.indexer.builders import T0, mention
from tests.indexer.fake_es import FakeES


def _fill(path: Path) -> None:
    store = SQLiteStore(path)
    first = mention("1", "배송이 늦어요", raw={"id": 1})
    store.commit_batch([first, mention("2", "battery"), mention("3", "fire")], source="x", cursor="c3")
    later = first.model_copy(
        update={"metrics": Metrics(likes=7), "fetched_at": first.fetched_at + timedelta(hours=1)}
    )
    store.upsert([later])
    store.save_alert(Alert(id="a1", brand="Acme", fired_at=T0, updated_at=T0, first_seen=T0,
                           severity=Severity.HIGH, rule="r"))  # fmt: skip
    store.record_source_run(SourceRun(source="x", started_at=T0, finished_at=T0, fetched=3))
    store.set_state("detector", {"k": 1})
    store.close()


def test_migrate_sends_every_kind_of_data(fake: tuple[FakeES, str], tmp_path: Path) -> None:
    es, url = fake
    db, config = tmp_path / "s.db", tmp_path / "c.yaml"
    config.write_text("sources:\n  - {name: x, type: replay}\n", encoding="utf-8")
    _fill(db)
    es.route("POST", "/gs-mentions/_count", lambda r: (200, {"count": 3}))
    result = CliRunner().invoke(
        migrate,
        ["--to", "elasticsearch", "--url", url, "--index-prefix", "gs", "--batch-size", "2", "--json"],
        obj=CliState(str(config), str(db)),
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["mentions"] == 3 and summary["new"] == 3 and summary["in_target"] == 3
    assert summary["observations"] == 4 and summary["alerts"] == 1 and summary["cursors"] == 1
    bulks = es.find("(PUT|POST)", "/_bulk")
    created = [a["create"]["_id"] for b in bulks for a in b.ndjson if "create" in a]
    assert sorted(created) == ["x:1", "x:2", "x:3"]
    docs = [line for b in bulks for line in b.ndjson if line.get("id") == "x:1"]
    assert docs[0]["raw"] == {"id": 1} and docs[0]["metrics"]["likes"] == 7
    observed = {
        a["index"]["_id"] for b in bulks for a in b.ndjson if a.get("index", {}).get("_index") == "gs-metrics"
    }
    assert len([o for o in observed if o.startswith("x:1|")]) == 2
    assert es.find("PUT", "/gs-alerts/_doc/a1")[0].body["alert"]["brand"] == "Acme"
    assert es.find("PUT", "/gs-meta/_doc/cursor:x")[0].body["cursor"] == "c3"
    assert es.find("PUT", "/gs-meta/_doc/state:detector")[0].body["value"] == '{"k": 1}'
    assert es.find("PUT", "/gs-runs/_doc/.*")[0].body["run"]["fetched"] == 3
    cursor_at = es.requests.index(es.find("PUT", "/gs-meta/_doc/cursor:x")[0])
    assert all(es.requests.index(b) < cursor_at for b in bulks)


def test_migrate_without_a_cluster_is_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _fill(db)
    result = CliRunner().invoke(
        migrate, ["--to", "elasticsearch", "--url", "http://127.0.0.1:9"], obj=CliState(None, str(db))
    )
    assert result.exit_code != 0
    assert "cannot reach Elasticsearch at http://127.0.0.1:9" in str(result.exception)

"""Weekly/monthly report digests: e-mailed with the PDF and posted to a webhook once per period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from groundswell.alerts.dispatch import Dispatcher
from groundswell.config.settings import Settings
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.reports.delivery import queue_reports
from tests.alerts.servers import Receiver, SmtpServer, make_alert
from tests.dashboard import dashboard_sample

MONDAY_AFTER = dt.datetime(2026, 3, 9, 10, 0, tzinfo=dt.UTC)  # the sample's week ended Sun 03-08


def _settings(config: Path, smtp: SmtpServer, receiver: Receiver) -> Settings:
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    mail = {"host": smtp.host, "port": smtp.port, "security": "none", "to": ["pr@acme.example"]}
    raw["channels"] = [
        {"name": "mail", "type": "email", "digest": "weekly", "language": "ko", "brands": ["Acme"], "options": mail},
        {"name": "hook", "type": "webhook", "digest": "weekly", "brands": ["Acme"],
         "options": {"url": receiver.url, "secret_env": "GS_SECRET"}},
    ]  # fmt: skip
    raw["alerts"] = {"digest_hour": 9, "dashboard_url": "https://gs.example"}
    return Settings.model_validate(raw)


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.alerts.servers import SECRET

    monkeypatch.setenv("GS_SECRET", SECRET)


def test_weekly_report_is_sent_once(tmp_path: Path, plain_smtp: SmtpServer, receiver: Receiver) -> None:
    config, db = dashboard_sample.build(tmp_path)
    settings = _settings(config, plain_smtp, receiver)
    store = SQLiteStore(db)
    try:
        early = Dispatcher.from_settings(settings, store, clock=lambda: MONDAY_AFTER - dt.timedelta(hours=2))
        assert queue_reports(settings, store, early.outbox, MONDAY_AFTER - dt.timedelta(hours=2)) == []
        early.close()  # before the digest hour nothing is due

        dispatcher = Dispatcher.from_settings(settings, store, clock=lambda: MONDAY_AFTER)
        queued = queue_reports(settings, store, dispatcher.outbox, MONDAY_AFTER)
        assert sorted(queued) == ["report:Acme:week:2026-03-02@hook", "report:Acme:week:2026-03-02@mail"]
        report = dispatcher.flush_outbox()
        assert len(report.delivered) == 2, report
        dispatcher.close()

        mail = plain_smtp.mailbox.messages[0]
        assert mail["Subject"].startswith("Acme 주간 리포트: 2026-03-02 – 2026-03-08 (UTC)")
        files = [part for part in mail.iter_attachments()]
        assert len(files) == 1 and files[0].get_filename() == "acme-week-2026-03-02.pdf"
        assert files[0].get_content().startswith(b"%PDF") or files[0].get_content_type() == "text/html"
        posted = receiver.requests[0].json()
        assert posted["kind"] == "digest" and posted["title"].startswith("Acme weekly report")
        assert (
            posted["links"][0]["url"] == "https://gs.example/report?brand=Acme&period=week&start=2026-03-02"
        )

        # a restart (new dispatcher) and later cycles send nothing twice
        again = Dispatcher.from_settings(settings, store, clock=lambda: MONDAY_AFTER + dt.timedelta(days=1))
        assert queue_reports(settings, store, again.outbox, MONDAY_AFTER + dt.timedelta(days=1)) == []
        again.flush_outbox()
        again.close()
        assert len(plain_smtp.mailbox.messages) == 1 and len(receiver.requests) == 1
    finally:
        store.close()


def test_report_channels_do_not_get_each_alert(
    tmp_path: Path, plain_smtp: SmtpServer, receiver: Receiver
) -> None:
    config, db = dashboard_sample.build(tmp_path)
    settings = _settings(config, plain_smtp, receiver)
    store = SQLiteStore(db)
    try:
        dispatcher = Dispatcher.from_settings(settings, store, clock=lambda: MONDAY_AFTER)
        report = dispatcher.dispatch([make_alert().model_copy(update={"brand": "Acme"})], check_health=False)
        dispatcher.close()
        assert report.enqueued == [] and receiver.requests == [] and plain_smtp.mailbox.messages == []
    finally:
        store.close()

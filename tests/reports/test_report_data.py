"""The report's figures agree with the dashboard's and follow the configured zone."""

from __future__ import annotations

from datetime import UTC, datetime

from groundswell.config.settings import Settings
from groundswell.dashboard import queries
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.localtime import zone
from groundswell.records import EnrichedMention, Sentiment, SentimentLabel
from groundswell.reports.data import build_report
from groundswell.reports.period import Period
from tests.dashboard import dashboard_sample
from tests.reports.conftest import WEEK


def test_figures_match_the_dashboard(settings: Settings, store: SQLiteStore) -> None:
    data = build_report(settings, store, "Acme", period=WEEK)
    dash_now, dash_before = queries.kpis(store, queries.Filters(WEEK.start, WEEK.end, "Acme"))
    assert (data.now, data.before) == (dash_now, dash_before)
    assert data.now.mentions > 0 and data.before.mentions > 0
    assert sum(d.total for d in data.daily) == data.now.mentions
    assert [d.day for d in data.daily][:3] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert len(data.daily) == 7
    assert data.share_of_voice[0].brand == "Acme"
    assert {s.brand for s in data.share_of_voice} == {"Acme", "Globex", "Initech"}
    assert abs(sum(s.share for s in data.share_of_voice) - 100.0) < 0.5


def test_topics_touchpoints_incidents(settings: Settings, store: SQLiteStore) -> None:
    data = build_report(settings, store, "Acme", period=WEEK)
    labels = [t.label for t in data.topics]
    assert "배터리 발열" in labels and not any(label.startswith("#") for label in labels)
    assert data.topics[0].rising  # the open alert's topic comes first
    owners = {t.name: t.owner for t in data.touchpoints}
    assert owners["battery"] == "product-quality@acme.example"
    assert [i.subject for i in data.open_incidents] == [dashboard_sample.alert([]).summary]
    assert data.top_posts and data.top_posts[0].metrics.engagement >= data.top_posts[-1].metrics.engagement


def test_days_are_local_days(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A post at 2026-03-01T16:00Z is Monday 03-02 01:00 in Seoul: it belongs to that week and day."""
    settings = Settings(timezone="Asia/Seoul", brands=[{"name": "Acme", "query": "acme"}])
    store = SQLiteStore(tmp_path / "s.db")
    at = datetime(2026, 3, 1, 16, 0, tzinfo=UTC)
    store.upsert(
        [
            EnrichedMention(
                id="x:1", source="x", native_id="1", text="acme battery", created_at=at, brands=["Acme"],
                sentiment=Sentiment(label=SentimentLabel.NEGATIVE, score=-0.5, confidence=0.9),
            )
        ]
    )  # fmt: skip
    seoul = build_report(settings, store, "Acme", period=Period.containing("week", at, zone("Asia/Seoul")))
    assert seoul.period.key == "week:2026-03-02" and seoul.zone_label == "KST"
    assert [(d.day, d.negative) for d in seoul.daily if d.total] == [("2026-03-02", 1)]
    in_utc = Settings(brands=[{"name": "Acme", "query": "acme"}])
    utc = build_report(in_utc, store, "Acme", period=Period.containing("week", at, UTC))
    assert utc.period.key == "week:2026-02-23" and utc.daily[-1].negative == 1
    store.close()

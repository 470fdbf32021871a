"""docs/alerts.md covers every channel type, alerts setting and channel field (docs drift is a bug)."""

from __future__ import annotations

from pathlib import Path

from groundswell.alerts.channels import CHANNELS
from groundswell.alerts.message import MessageKind
from groundswell.config.settings import AlertsSettings, Channel

DOC = (Path(__file__).resolve().parents[2] / "docs" / "alerts.md").read_text(encoding="utf-8")


def test_every_channel_type_is_documented() -> None:
    assert [name for name in CHANNELS if f"`{name}`" not in DOC] == []


def test_every_setting_and_channel_field_is_documented() -> None:
    fields = [*AlertsSettings.model_fields, *Channel.model_fields]
    assert [name for name in fields if f"`{name}`" not in DOC] == []


def test_every_message_kind_is_documented() -> None:
    assert [kind.value for kind in MessageKind if kind.value not in DOC] == []

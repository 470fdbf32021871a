"""The channel-neutral message: what an alert says, rendered once, formatted per channel at send time.

The outbox stores `Message` (never a channel's wire format and never a secret), so a message
queued before a restart is sent the same way after it, and every channel shows the same facts.
"""

from __future__ import annotations

import base64
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from groundswell.records import Severity, UtcDatetime


class MessageKind(StrEnum):
    NEW = "new"  # first message of an incident: opens the thread
    UPDATE = "update"  # the incident grew or escalated
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    RESOLVED = "resolved"
    DIGEST = "digest"  # hourly/daily summary of several incidents
    OPS = "ops"  # collector health (admin channel)


class Evidence(BaseModel):
    """One post shown as proof, already trimmed for a message."""

    model_config = ConfigDict(extra="forbid")

    id: str
    source: str = ""
    text: str = ""
    url: str | None = None
    reach: int = 0
    engagement: int = 0


class Attachment(BaseModel):
    """A file sent with a message where the channel can carry one (e-mail): a report's PDF."""

    model_config = ConfigDict(extra="forbid")

    filename: str
    content_type: str  # e.g. application/pdf
    data: str  # base64, so the message stays JSON in the outbox

    def content(self) -> bytes:
        return base64.b64decode(self.data)

    @classmethod
    def of(cls, filename: str, content_type: str, content: bytes) -> Attachment:
        return cls(filename=filename, content_type=content_type, data=base64.b64encode(content).decode())


class Message(BaseModel):
    """A rendered alert message; `id` is stable and doubles as the receiver's idempotency key."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: MessageKind
    alert_id: str | None = None
    thread_id: str | None = None  # alert id: updates of one incident share it
    seq: int = 0  # 0 opens the thread; later messages reply to it
    language: str = "en"
    severity: Severity = Severity.LOW
    brand: str = ""
    title: str
    facts: list[tuple[str, str]] = Field(default_factory=list)  # key figures, label -> value
    lines: list[str] = Field(default_factory=list)  # free text (event note, digest items)
    evidence: list[Evidence] = Field(default_factory=list)
    evidence_label: str = ""
    playbook: str = ""
    playbook_label: str = ""
    links: list[tuple[str, str]] = Field(default_factory=list)  # label -> url
    alert: dict[str, Any] | None = None  # the Alert as JSON, for machine receivers
    attachments: list[Attachment] = Field(default_factory=list)  # e-mail only (a report's PDF)
    created_at: UtcDatetime
    origin_at: UtcDatetime | None = None  # when the evidence was ingested, for latency figures

    def text(self) -> str:
        """Plain text used by e-mail and as a fallback by chat channels; sections split by a blank line."""
        sections = [[self.title], [f"{label}: {value}" for label, value in self.facts], self.lines]
        if self.evidence:
            posts = [self.evidence_label]
            for i, post in enumerate(self.evidence, 1):
                posts.append(f"{i}. [{post.source}] {post.text}")
                if post.url:
                    posts.append(f"   {post.url}")
            sections.append(posts)
        if self.playbook:
            sections.append([self.playbook_label, self.playbook])
        sections.append([f"{label}: {url}" for label, url in self.links])
        return "\n\n".join("\n".join(part) for part in sections if part) + "\n"

    def payload(self) -> dict[str, Any]:
        """The generic webhook body: stable field names other tools can rely on."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "alert_id": self.alert_id,
            "thread_id": self.thread_id,
            "seq": self.seq,
            "severity": self.severity,
            "brand": self.brand,
            "language": self.language,
            "title": self.title,
            "text": self.text(),
            "facts": [{"label": k, "value": v} for k, v in self.facts],
            "evidence": [e.model_dump() for e in self.evidence],
            "playbook": self.playbook,
            "links": [{"label": k, "url": v} for k, v in self.links],
            "alert": self.alert,
            "created_at": self.created_at.isoformat(),
        }

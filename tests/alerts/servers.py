"""Real local servers and record builders for the alert tests (fixtures live in conftest.py).

Everything listens on 127.0.0.1 with an OS-chosen or freshly probed port. Behaviour is injected
per test (`receiver.fail_next(2)`, `receiver.delay = 1.0`), never by mocking the client.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import AuthResult

from groundswell.alerts.signing import DELIVERY_HEADER, SIGNATURE_HEADER, DeliveryLog, SignatureError, verify
from groundswell.records import Alert, EnrichedMention, Severity, TopicRef

SECRET = "s3cr3t-hmac-key"
T0 = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)  # 12:00 in Seoul


class FakeClock:
    """Scheduling time the tests move by hand; nothing asserts on the wall clock."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """What the HTTP receiver got, and how it should misbehave next."""

    url: str
    secret: str | None = SECRET
    requests: list[Received] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)  # statuses to answer next, one per request
    delay: float = 0.0
    retry_after: str | None = None
    response: dict[str, Any] | None = None  # JSON to answer with (Slack API)
    duplicates: list[Received] = field(default_factory=list)  # retries/replays of handled ids
    log: DeliveryLog = field(default_factory=DeliveryLog)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, count: int, status: int = 500) -> None:
        self.failures.extend([status] * count)

    def deliveries(self) -> list[str]:
        return [r.headers.get(DELIVERY_HEADER, "") for r in self.requests]


def handler(state: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            return None

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {k: v for k, v in self.headers.items()}
            if state.delay:
                threading.Event().wait(state.delay)
            with state.lock:
                status = state.failures.pop(0) if state.failures else 200
            if status == 200 and state.secret and SIGNATURE_HEADER in headers:
                try:
                    verify(state.secret, body, headers)
                except SignatureError as exc:
                    state.rejected.append(str(exc))
                    status = 401
            if status == 200:  # every accepted request is kept, so tests can count duplicates
                got = Received(self.path, headers, body)
                state.requests.append(got)
                if not state.log.first_time(f"{self.path}|{headers.get(DELIVERY_HEADER, '')}"):
                    state.duplicates.append(got)
            payload = json.dumps(state.response or {"ok": True}).encode()
            self.send_response(status)
            if status != 200 and state.retry_after:
                self.send_header("Retry-After", state.retry_after)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """aiosmtpd handler that keeps every accepted message."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = getattr(auth_data, "login", None) == b"alerts" and getattr(auth_data, "password", None) == b"pw-123"
    return AuthResult(success=ok, handled=False)


@dataclass
class SmtpServer:
    host: str
    port: int
    mailbox: Mailbox
    cafile: str
    security: str = "none"


def make_alert(
    alert_id: str = "acme:battery",
    *,
    severity: Severity = Severity.HIGH,
    observed: float = 40,
    brand: str = "acme",
    rule: str = "emerging-complaint",
    touchpoints: tuple[str, ...] = ("product",),
    evidence: tuple[str, ...] = (),
    at: dt.datetime = T0,
) -> Alert:
    return Alert(
        id=alert_id,
        brand=brand,
        fired_at=at,
        updated_at=at,
        first_seen=at - dt.timedelta(minutes=30),
        severity=severity,
        rule=rule,
        topic=TopicRef(id=3, label="battery explodes", keywords=["battery", "fire"]),
        touchpoints=list(touchpoints),
        summary="Complaints about exploding batteries",
        observed=observed,
        expected=6.5,
        growth=observed / 6.5,
        spread_risk=0.8,
        evidence_ids=list(evidence),
    )


def recorded(store: Any, *alerts: Alert) -> list[Alert]:
    """Save alerts as their writer (the detector) does before handing them to the dispatcher,
    which only reads what is recorded."""
    for alert in alerts:
        store.save_alert(alert)
    return list(alerts)


def make_post(native_id: str, text: str, followers: int, at: dt.datetime = T0) -> EnrichedMention:
    return EnrichedMention(
        id=f"x:{native_id}",
        source="x",
        native_id=native_id,
        text=text,
        created_at=at - dt.timedelta(minutes=10),
        fetched_at=at - dt.timedelta(minutes=5),
        url=f"https://x.example/p/{native_id}",
        author={"handle": f"u{native_id}", "followers": followers},
        brands=["acme"],
    )


def make_tls_files(folder: Path, dns_name: str | None = None) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the client trusts it through `ca_file`), or for
    `dns_name` only (no address in it: a client must verify it against that name)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, dns_name or "127.0.0.1")])
    alt = x509.DNSName(dns_name) if dns_name else x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([alt]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path

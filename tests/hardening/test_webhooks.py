"""#15 item 7: webhooks follow Standard Webhooks (id, timestamp and body signed together), checked
against the stock `standardwebhooks` library both ways; the receiver refuses a replay under a new
id, hands a replayed id over once, and a bad Content-Length never holds a thread."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from groundswell.alerts import receiver as receiver_module
from groundswell.alerts.channels._webhook import WebhookChannel
from groundswell.alerts.receiver import WebhookReceiver, _length_problem
from groundswell.alerts.signing import SignatureError, signed_headers, verify

standardwebhooks = pytest.importorskip("standardwebhooks")
from standardwebhooks.webhooks import Webhook  # noqa: E402

SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()


class Capture:
    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append((dict(self.headers), body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def capture() -> Iterator[Capture]:
    cap = Capture()
    yield cap
    cap.server.shutdown()
    cap.server.server_close()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    rec = WebhookReceiver(secret=SECRET).start()
    yield rec
    rec.stop()


def sent_request(capture: Capture, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, str], bytes]:
    monkeypatch.setenv("GS_WH_SECRET", SECRET)
    channel = WebhookChannel("hook", {"url": capture.url, "secret_env": "GS_WH_SECRET"})
    from tests.alerts.test_alert_channels import message

    channel.send(message(), None)
    return capture.requests[-1]


def test_a_stock_library_verifies_what_we_send(capture: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    headers, body = sent_request(capture, monkeypatch)
    assert {"webhook-id", "webhook-timestamp", "webhook-signature"} <= {k.lower() for k in headers}
    payload = Webhook(SECRET).verify(body, headers)
    assert payload["alert_id"]


def test_we_verify_what_a_stock_library_signs(receiver: WebhookReceiver) -> None:
    body = json.dumps({"id": "m1", "kind": "new"}).encode()
    now = datetime.now(UTC)
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(SECRET).sign("msg_1", now, body),
    }
    assert verify(SECRET, body, headers) == int(now.timestamp())
    assert httpx.post(receiver.url, content=body, headers=headers).status_code == 200
    assert receiver.messages == [{"id": "m1", "kind": "new"}]


def test_a_replay_under_another_id_is_refused_and_under_its_own_handed_over_once(
    receiver: WebhookReceiver,
) -> None:
    body = b'{"id": "acme:x#0", "kind": "new"}'
    captured = signed_headers(SECRET, body, "acme:x#0@hook")
    assert httpx.post(receiver.url, content=body, headers=captured).status_code == 200
    forged = {**captured, "webhook-id": "acme:x#0@hook-replayed"}
    assert httpx.post(receiver.url, content=body, headers=forged).status_code == 401
    assert httpx.post(receiver.url, content=body, headers=captured).status_code == 200
    assert len(receiver.messages) == 1 and receiver.duplicates == 1
    with pytest.raises(SignatureError):
        verify(SECRET, body, forged)


def raw_post(url: str, headers: list[str], body: bytes = b"", wait: float = 5.0) -> bytes:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        head = "POST / HTTP/1.1\r\nHost: x\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n"
        sock.sendall(head.encode() + body)
        return sock.recv(200)


@pytest.mark.parametrize(
    ("length", "status"),
    [
        ("-1", b"400"),
        ("abc", b"400"),
        ("1e3", b"400"),
        ("²", b"400"),
        ("99999999", b"413"),
        ("9" * 5000, b"413"),
        (None, b"411"),
    ],
)
def test_a_bad_content_length_is_answered_at_once(
    receiver: WebhookReceiver, length: str | None, status: bytes
) -> None:
    headers = [f"Content-Length: {length}"] if length is not None else []
    started = time.monotonic()
    answer = raw_post(receiver.url, headers)
    assert answer.split()[1] == status and time.monotonic() - started < 3
    assert (
        httpx.post(receiver.url, content=b"{}", headers=signed_headers(SECRET, b"{}", "ok")).status_code
        == 200
    )


def test_a_client_that_stalls_mid_body_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(receiver_module, "READ_TIMEOUT", 0.5)
    rec = WebhookReceiver(secret=SECRET).start()
    try:
        host, port = rec.url.removeprefix("http://").rstrip("/").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
            assert sock.recv(100) == b""  # closed by the receiver after READ_TIMEOUT, no answer
        assert "body not received in time" in rec.rejected
    finally:
        rec.stop()


# -- fuzz: whatever arrives, the receiver answers with a status and hands over only signed bodies


@settings(max_examples=200, deadline=None)
@given(
    body=st.binary(max_size=200),
    headers=st.dictionaries(
        st.sampled_from(["webhook-id", "webhook-timestamp", "webhook-signature", "Content-Type", "X-Other"]),
        st.text(max_size=60),
    ),
)
def test_receiver_accept_fuzz(body: bytes, headers: dict[str, str]) -> None:
    rec = WebhookReceiver(secret=SECRET)
    try:
        assert rec._accept(body, headers) in (400, 401)  # unsigned or forged: never 200
        assert rec.messages == []
    finally:
        rec._server.server_close()


@example("0\x1f")  # str.strip() removed \x1f, int() then refused it: a ValueError in the handler
@given(st.one_of(st.none(), st.text(max_size=12)))
def test_length_problem_fuzz(value: str | None) -> None:
    status = _length_problem(value)
    if status is None:
        assert value is not None and 0 <= int(value) <= receiver_module.MAX_BODY
    else:
        assert status in (400, 411, 413)

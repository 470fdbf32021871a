"""A small receiver for the signed webhook: to watch alerts locally, in the demo, or in your tests.

It does what a production receiver should: verify the Standard Webhooks signature (id, timestamp
and body signed together) and freshness, hand each `webhook-id` to `on_message` once even when a
retry or a replay sends it again, and never let a client hold a thread: a missing, negative or
oversized Content-Length is refused at once, and a body slower than READ_TIMEOUT is dropped.
`groundswell alerts receive` runs it and prints each message as a JSON line.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from groundswell.alerts.signing import DELIVERY_HEADER, DeliveryLog, SignatureError, header, verify

MAX_BODY = 1_000_000
READ_TIMEOUT = 10.0  # seconds a client may take to send its headers and body


class WebhookReceiver:
    """Listens on host:port (port 0 picks a free one); `url` is where to point a webhook channel."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        secret: str | None = None,
        on_message: Callable[[dict[str, Any]], None] | None = None,
        tolerance: float = 300.0,
    ) -> None:
        self.secret = secret
        self.tolerance = tolerance
        self.on_message = on_message
        self.messages: list[dict[str, Any]] = []
        self.rejected: list[str] = []
        self.duplicates = 0
        self._log = DeliveryLog(tolerance)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://{host}:{port}/"

    def _accept(self, body: bytes, headers: dict[str, str]) -> int:
        delivery = header(headers, DELIVERY_HEADER) or ""
        if self.secret is not None:
            try:
                verify(self.secret, body, headers, tolerance=self.tolerance)
            except SignatureError as exc:
                self.rejected.append(str(exc))
                return 401
        try:
            message = json.loads(body)
        except ValueError:
            self.rejected.append("body is not JSON")
            return 400
        with self._lock:
            if delivery and not self._log.first_time(delivery):
                self.duplicates += 1
                return 200  # a retry or replay of something handled: acknowledge, do not repeat
            self.messages.append(message)
        if self.on_message is not None:
            self.on_message(message)
        return 200

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            timeout = READ_TIMEOUT  # socket timeout: a stalled client cannot hold this thread

            def do_POST(self) -> None:
                status = _length_problem(self.headers.get("Content-Length"))
                if status is None:
                    length = int(self.headers["Content-Length"])
                    try:
                        body = self.rfile.read(length)
                    except TimeoutError:
                        receiver.rejected.append("body not received in time")
                        self.close_connection = True
                        return
                    if len(body) < length:
                        receiver.rejected.append("body shorter than Content-Length")
                        self.close_connection = True
                        return
                    status = receiver._accept(body, dict(self.headers))
                else:
                    receiver.rejected.append(f"bad Content-Length ({status})")
                    self.close_connection = True  # the body, if any, is never read
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler

    def start(self) -> WebhookReceiver:
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, name="webhook-receiver"
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _length_problem(value: str | None) -> int | None:
    """The HTTP status for a Content-Length we will not read (None: fine)."""
    if value is None:
        return 411
    text = value.strip(" \t")  # HTTP's optional whitespace only: str.strip() also takes \x1f, int() does not
    if not (text.isascii() and text.isdigit()):  # "-1", "1e3", " ", "0x10", "²": not a byte count
        return 400
    return 413 if len(text) > len(str(MAX_BODY)) or int(text) > MAX_BODY else None

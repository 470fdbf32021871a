"""A small receiver for the signed webhook: to watch alerts locally, in the demo, or in your tests.

It does what a production receiver should: verify the HMAC signature and timestamp, and hand
each delivery id to `on_message` once, even when a retry or a replay sends it again.
`groundswell alerts receive` runs it and prints each message as a JSON line.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from groundswell.alerts.signing import DELIVERY_HEADER, DeliveryLog, SignatureError, verify

MAX_BODY = 1_000_000


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
        return f"http://{host}:{port}/"

    def _accept(self, body: bytes, headers: dict[str, str]) -> int:
        delivery = headers.get(DELIVERY_HEADER, "")
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

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                status = (
                    413
                    if length > MAX_BODY
                    else receiver._accept(self.rfile.read(length), dict(self.headers))
                )
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

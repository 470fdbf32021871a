"""Fixtures for the alert tests: the local servers of tests/alerts/servers.py, started and stopped."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from groundswell.indexer.sqlite import SQLiteStore
from tests.alerts.servers import (
    Mailbox,
    Receiver,
    SmtpServer,
    authenticator,
    free_port,
    handler,
    make_tls_files,
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(state := Receiver(url="")))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def dead_url() -> str:
    """A URL where nothing listens: connection refused."""
    return f"http://127.0.0.1:{free_port()}/hook"


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the client trusts it through `ca_file`)."""
    return make_tls_files(tmp_path_factory.mktemp("tls"))


@pytest.fixture(params=["starttls", "ssl"])
def smtp_server(request: pytest.FixtureRequest, tls_files: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """An authenticating SMTP server speaking STARTTLS or implicit TLS (param)."""
    cert, key = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox()
    port = free_port()
    common = {"hostname": "127.0.0.1", "port": port, "authenticator": authenticator}
    if request.param == "ssl":
        controller = Controller(mailbox, ssl_context=context, auth_require_tls=False, **common)
    else:
        controller = Controller(mailbox, tls_context=context, require_starttls=True, **common)
    controller.start()
    yield SmtpServer("127.0.0.1", port, mailbox, str(cert), request.param)
    controller.stop()


@pytest.fixture
def plain_smtp() -> Iterator[SmtpServer]:
    """A plain local relay without TLS or auth, as on a lab network."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield SmtpServer("127.0.0.1", port, mailbox, "")
    controller.stop()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    db = SQLiteStore(tmp_path / "gs.db")
    yield db
    db.close()

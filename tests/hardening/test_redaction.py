"""#15 item 3: with -v (or GROUNDSWELL_LOG_LEVEL=INFO) httpx logged webhook URLs and `?sig=` secrets.

A real CLI process, verbose, sends through Slack, Teams and webhook channels and crawls a source
with a token, all against local servers; then every output (stdout, stderr, the store's files)
is searched for the canary secrets.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from groundswell.redaction import redact, register_secret
from tests.alerts.servers import Receiver, handler
from tests.crawlers.crawler_testserver import FIXTURES, LocalServer, serving

SLACK = "CANARYslackT0B0xyz1234567"
TEAMS = "CANARYteamsSig9876543210"
HOOK_TOKEN = "CANARYhookQueryTok55"
HMAC = "CANARYhmacKey5678abcd"
MASTO = "CANARYmastoToken24680"
CANARIES = [SLACK, TEAMS, HOOK_TOKEN, HMAC, MASTO]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(state := Receiver(url="", secret=None)))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def mastodon() -> Iterator[LocalServer]:
    with serving() as srv:
        srv.add("/api/v1/timelines/tag/acme", (FIXTURES / "mastodon" / "tag_timeline_docs.json").read_bytes())
        yield srv


def test_a_verbose_run_prints_and_stores_no_secret(
    tmp_path: Path, receiver: Receiver, mastodon: LocalServer
) -> None:
    config = tmp_path / "gs.yaml"
    channels = [
        {"name": "slack", "type": "slack", "options": {"url_env": "GS_HOOK_A"}},
        {"name": "teams", "type": "teams", "options": {"url_env": "GS_HOOK_B"}},
        {"name": "hook", "type": "webhook", "options": {"url_env": "GS_HOOK_C", "secret_env": "GS_HOOK_D"}},
    ]
    sources = [
        {
            "name": "masto",
            "type": "mastodon",
            "options": {
                "instance": mastodon.url,
                "hashtags": ["acme"],
                "access_token_env": "GS_HOOK_E",
                "allow_private_hosts": True,
            },
        }
    ]
    config.write_text(yaml.safe_dump({"channels": channels, "sources": sources}), encoding="utf-8")
    env = {
        **os.environ,
        "GS_HOOK_A": f"{receiver.url}/services/T000/B000/{SLACK}",
        "GS_HOOK_B": f"{receiver.url}/workflows/x/invoke?api-version=2016-06-01&sig={TEAMS}",
        "GS_HOOK_C": f"{receiver.url}/hook?token={HOOK_TOKEN}",
        "GS_HOOK_D": HMAC,
        "GS_HOOK_E": MASTO,
        "GROUNDSWELL_LOG_LEVEL": "INFO",
        "PYTHONWARNINGS": "ignore",
    }
    db = tmp_path / "gs.db"
    outputs = []
    for args in (["alerts", "test", "slack"], ["alerts", "test", "teams"], ["alerts", "test", "hook"],
                 ["crawl", "masto", "--once"]):  # fmt: skip
        for verbose in (["-v"], []):
            proc = subprocess.run(
                [sys.executable, "-m", "groundswell.pipeline.cli", *verbose, "--config", str(config),
                 "--db", str(db), *args],
                capture_output=True, text=True, env=env, timeout=120,
            )  # fmt: skip
            assert proc.returncode == 0, proc.stderr
            outputs += [proc.stdout, proc.stderr]
    assert len(receiver.requests) == 6 and any(p for p, _ in mastodon.requests)
    logged = "\n".join(outputs)
    assert "HTTP Request: POST" in logged  # the verbose run did log the requests...
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("gs.db*"))
    for canary in CANARIES:  # ...but no secret, anywhere
        assert canary not in logged, canary
        assert canary.encode() not in stored, canary


def test_redact_masks_what_each_service_puts_in_a_url() -> None:
    register_secret("zz-registered-secret-zz")
    line = (
        "POST https://hooks.slack.com/services/T1/B2/abcdefghijklmnop "
        "POST https://x.webhook.office.com/a/invoke?api-version=1&sig=s3cr3t "
        "GET https://www.googleapis.com/youtube/v3/commentThreads?part=snippet&key=AIzaKEY "
        '{"Authorization": "Bearer tok.en.value"} zz-registered-secret-zz'
    )
    out = redact(line)
    for secret in ("abcdefghijklmnop", "s3cr3t", "AIzaKEY", "tok.en.value", "zz-registered-secret-zz"):
        assert secret not in out
    assert "https://hooks.slack.com/services/***" in out and "sig=***" in out and "key=***" in out

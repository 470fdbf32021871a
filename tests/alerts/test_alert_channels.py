"""Each channel against a real local server: signed webhook, Slack, Teams, SMTP (TLS, auth)."""

from __future__ import annotations

import time

import httpx
import pytest

from groundswell.alerts.channels import (
    DeliveryFailed,
    EmailChannel,
    SlackChannel,
    TeamsChannel,
    WebhookChannel,
)
from groundswell.alerts.message import Message, MessageKind
from groundswell.alerts.routing import zone_of
from groundswell.alerts.signing import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    DeliveryLog,
    SignatureError,
    sign,
    verify,
)
from groundswell.alerts.templates import render_alert
from groundswell.config.settings import Settings
from tests.alerts.servers import SECRET, T0, Receiver, SmtpServer, make_alert, make_post


def message(language: str = "en", seq: int = 0) -> Message:
    posts = [
        make_post("1", "배터리가 폭발했어요 환불해주세요", 50_000),
        make_post("2", "battery caught fire", 10),
    ]
    return render_alert(
        make_alert(),
        MessageKind.NEW if seq == 0 else MessageKind.UPDATE,
        seq,
        message_id=f"acme:battery#{seq}",
        language=language,
        zone=zone_of(Settings()),
        dashboard_url="http://127.0.0.1:8501",
        posts=posts,
        top_evidence=3,
        now=T0,
    )


def test_webhook_is_signed_and_the_receiver_verifies_it(receiver: Receiver, monkeypatch) -> None:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    WebhookChannel("hook", {"url": receiver.url, "secret_env": "HOOK_SECRET"}).send(message(), None)
    assert receiver.rejected == []
    (got,) = receiver.requests
    assert got.headers[DELIVERY_HEADER] == "acme:battery#0@hook"
    body = got.json()
    assert body["alert_id"] == "acme:battery" and body["kind"] == "new"
    assert body["evidence"][0]["id"] == "x:1"  # widest reach first


def test_wrong_secret_is_rejected_by_the_receiver(receiver: Receiver, monkeypatch) -> None:
    monkeypatch.setenv("HOOK_SECRET", "not-the-shared-secret")
    channel = WebhookChannel("hook", {"url": receiver.url, "secret_env": "HOOK_SECRET"})
    with pytest.raises(DeliveryFailed, match="HTTP 401"):
        channel.send(message(), None)
    assert receiver.requests == [] and "does not match" in receiver.rejected[0]


def test_a_replayed_request_is_recognised(receiver: Receiver, monkeypatch) -> None:
    """A captured request replayed within the window is a delivery already handled; later, too old."""
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    WebhookChannel("hook", {"url": receiver.url, "secret_env": "HOOK_SECRET"}).send(message(), None)
    captured = receiver.requests[0]
    assert httpx.post(receiver.url, content=captured.body, headers=captured.headers).status_code == 200
    assert receiver.duplicates[0].headers[DELIVERY_HEADER] == captured.headers[DELIVERY_HEADER]
    with pytest.raises(SignatureError, match="tolerance"):
        verify(SECRET, captured.body, captured.headers, now=time.time() + 3600)


def test_signature_checks_tampering_and_age() -> None:
    body, stamp = b'{"a": 1}', int(time.time())
    headers = {
        DELIVERY_HEADER: "d1",
        TIMESTAMP_HEADER: str(stamp),
        SIGNATURE_HEADER: sign(SECRET, "d1", stamp, body),
    }
    assert verify(SECRET, body, headers) == stamp
    with pytest.raises(SignatureError, match="does not match"):  # the id is signed too
        verify(SECRET, body, {**headers, DELIVERY_HEADER: "d2"})
    with pytest.raises(SignatureError, match="does not match"):
        verify(SECRET, b'{"a": 2}', headers)
    with pytest.raises(SignatureError, match="tolerance"):
        verify(SECRET, body, headers, now=stamp + 301)
    with pytest.raises(SignatureError, match="missing"):
        verify(SECRET, body, {})
    log = DeliveryLog()
    assert log.first_time("d1", now=stamp) and not log.first_time("d1", now=stamp + 1)
    assert log.first_time("d1", now=stamp + 601)  # by then verify() refuses the old timestamp


def test_missing_secret_env_fails_the_attempt_not_the_process(receiver: Receiver) -> None:
    channel = WebhookChannel("hook", {"url": receiver.url, "secret_env": "GS_TEST_UNSET_SECRET"})
    with pytest.raises(DeliveryFailed, match="GS_TEST_UNSET_SECRET"):
        channel.send(message(), None)


def test_errors_never_show_the_webhook_url(dead_url: str, monkeypatch) -> None:
    monkeypatch.setenv("SLACK_URL", dead_url + "/T000/B000/XXXXSECRET")
    with pytest.raises(DeliveryFailed) as failure:
        SlackChannel("slack", {"url_env": "SLACK_URL"}).send(message(), None)
    assert "XXXXSECRET" not in str(failure.value) and "127.0.0.1" not in str(failure.value)


def test_slack_webhook_gets_blocks_in_korean(receiver: Receiver, monkeypatch) -> None:
    monkeypatch.setenv("SLACK_URL", receiver.url)
    SlackChannel("slack", {"url_env": "SLACK_URL"}).send(message("ko"), None)
    body = receiver.requests[0].json()
    assert body["text"].startswith("[높음] 불만 급증 감지")
    kinds = [b["type"] for b in body["blocks"]]
    assert kinds[0] == "header" and "context" in kinds
    assert any("배터리가 폭발" in b.get("text", {}).get("text", "") for b in body["blocks"])


def test_slack_bot_replies_in_the_incident_thread(receiver: Receiver, monkeypatch) -> None:
    monkeypatch.setenv("SLACK_TOKEN", "xoxb-test")
    receiver.response = {"ok": True, "ts": "1700000000.000100"}
    channel = SlackChannel("slack", {"token_env": "SLACK_TOKEN", "channel": "#pr", "api_url": receiver.url})
    ref = channel.send(message(), None)
    assert ref == "1700000000.000100"
    channel.send(message(seq=1), ref)
    first, second = (r.json() for r in receiver.requests)
    assert "thread_ts" not in first and second["thread_ts"] == ref
    assert receiver.requests[0].headers["Authorization"] == "Bearer xoxb-test"
    receiver.response = {"ok": False, "error": "channel_not_found"}
    with pytest.raises(DeliveryFailed, match="channel_not_found"):
        channel.send(message(seq=2), ref)


def test_teams_gets_an_adaptive_card(receiver: Receiver) -> None:
    TeamsChannel("teams", {"url": receiver.url}).send(message(), None)
    card = receiver.requests[0].json()["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard"
    assert any(block["type"] == "FactSet" for block in card["body"])
    assert card["actions"][0]["url"].startswith("http://127.0.0.1:8501/complaints?alert_id=")


def smtp_options(server: SmtpServer) -> dict:
    return {
        "host": server.host,
        "port": server.port,
        "security": server.security,
        "username": "alerts",
        "password_env": "SMTP_PASSWORD",
        "from": "alerts@acme.example",
        "to": "pr@acme.example, cx@acme.example",
        "ca_file": server.cafile,
        "timeout": 5,
    }


def test_email_over_tls_with_login_threads_updates(smtp_server: SmtpServer, monkeypatch) -> None:
    monkeypatch.setenv("SMTP_PASSWORD", "pw-123")
    channel = EmailChannel("mail", smtp_options(smtp_server))
    first = channel.send(message("ko"), None)
    channel.send(message("ko", seq=1), first)
    opened, update = smtp_server.mailbox.messages
    assert str(opened["Subject"]).startswith("[높음] 불만 급증 감지")
    assert "배터리가 폭발했어요" in opened.get_content()
    assert update["In-Reply-To"] == opened["Message-ID"] == first
    assert smtp_server.mailbox.envelopes[0][1] == ["pr@acme.example", "cx@acme.example"]


def test_email_wrong_password_fails_without_showing_it(smtp_server: SmtpServer, monkeypatch) -> None:
    monkeypatch.setenv("SMTP_PASSWORD", "wrong-pass")
    with pytest.raises(DeliveryFailed) as failure:
        EmailChannel("mail", smtp_options(smtp_server)).send(message(), None)
    assert "535" in str(failure.value) and "wrong-pass" not in str(failure.value)
    assert smtp_server.mailbox.messages == []


def test_email_refuses_an_untrusted_certificate(smtp_server: SmtpServer, monkeypatch) -> None:
    monkeypatch.setenv("SMTP_PASSWORD", "pw-123")
    options = smtp_options(smtp_server) | {"ca_file": None}
    with pytest.raises(DeliveryFailed, match=r"CERTIFICATE_VERIFY_FAILED|SSL"):
        EmailChannel("mail", options).send(message(), None)


def test_email_through_a_plain_relay(plain_smtp: SmtpServer) -> None:
    options = {"host": plain_smtp.host, "port": plain_smtp.port, "security": "none", "to": ["a@b.example"]}
    EmailChannel("mail", options).send(message(), None)
    assert plain_smtp.mailbox.messages[0]["X-Groundswell-Delivery"] == "acme:battery#0"


def test_email_can_reach_the_touchpoint_owners(plain_smtp: SmtpServer) -> None:
    options = {
        "host": plain_smtp.host,
        "port": plain_smtp.port,
        "security": "none",
        "to": ["pr@acme.example"],
    }
    alert = make_alert().model_copy(update={"owners": ["qa@acme.example", "product-team"]})
    msg = message().model_copy(update={"alert": alert.model_dump(mode="json")})
    EmailChannel("mail", options | {"to_owners": True}).send(msg, None)
    EmailChannel("mail", options).send(msg, None)
    assert [rcpts for _sender, rcpts in plain_smtp.mailbox.envelopes] == [
        ["pr@acme.example", "qa@acme.example"],
        ["pr@acme.example"],
    ]

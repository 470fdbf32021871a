"""The helpers crawlers and alert channels share: Retry-After, redaction, secrets, watermarks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groundswell.crawlers.base import Watermark
from groundswell.errors import SecretMissing
from groundswell.http_hints import retry_after
from groundswell.redaction import MASK, redact
from groundswell.secrets_env import read_secret

NOW = 1_800_000_000.0


def test_retry_after_reads_seconds_http_dates_and_x_reset() -> None:
    assert retry_after({"retry-after": "120"}, NOW) == 120.0
    assert retry_after({"retry-after": "Fri, 15 Jan 2027 08:00:30 GMT"}, NOW) == pytest.approx(
        datetime(2027, 1, 15, 8, 0, 30, tzinfo=UTC).timestamp() - NOW
    )
    assert retry_after({"x-rate-limit-reset": str(NOW + 60)}, NOW) == 60.0
    assert retry_after({"retry-after": "soon"}, NOW) is None and retry_after({}, NOW) is None


@given(st.dictionaries(st.sampled_from(["retry-after", "x-rate-limit-reset"]), st.text(max_size=40)))
def test_retry_after_is_never_negative_and_never_raises(headers: dict[str, str]) -> None:
    wait = retry_after(headers, NOW)
    assert wait is None or wait >= 0.0


@given(st.text(max_size=80), st.text(min_size=4, max_size=20))
def test_redact_never_repeats_a_secret(text: str, secret: str) -> None:
    out = redact(text + secret + text, secret)
    assert secret not in out.replace(MASK, "") or secret in MASK


def test_redact_can_hide_urls_but_the_host() -> None:
    assert (
        redact("POST https://hooks.example/T0/abc failed", urls=True)
        == "POST https://hooks.example/*** failed"
    )
    assert redact("GET https://hooks.example/ ok", urls=True) == "GET https://hooks.example/ ok"


def test_one_redact_masks_given_and_registered_secrets_alike() -> None:
    from groundswell.redaction import register_secret

    register_secret("reg-1a2b3c4d")
    out = redact("token given-9z8y7x and reg-1a2b3c4d, Authorization: Bearer abc", "given-9z8y7x")
    assert out == "token *** and ***, Authorization: ***"


def test_source_secrets_come_from_one_helper_and_are_masked_in_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    from groundswell.config.settings import Source
    from groundswell.crawlers.base import secret
    from groundswell.crawlers.bluesky import BlueskySource
    from groundswell.crawlers.mastodon import MastodonSource
    from groundswell.errors import SourceDisabled

    monkeypatch.setenv("GS_BSKY_ID", "me.bsky.social")
    monkeypatch.setenv("GS_BSKY_PW", "pw-5x6y7z8w")
    bsky = Source(name="b", type="bluesky", options={"queries": ["acme"], "identifier_env": "GS_BSKY_ID",
                                                     "app_password_env": "GS_BSKY_PW"})  # fmt: skip
    assert BlueskySource.from_settings(bsky).login == ("me.bsky.social", "pw-5x6y7z8w")
    assert redact("login failed for pw-5x6y7z8w") == "login failed for ***"  # registered when read
    monkeypatch.delenv("GS_BSKY_PW")
    with pytest.raises(SourceDisabled, match="GS_BSKY_PW"):
        BlueskySource.from_settings(bsky)
    masto = Source(
        name="m", type="mastodon", options={"hashtags": ["acme"], "access_token_env": "GS_NO_SUCH"}
    )
    assert (
        MastodonSource.from_settings(masto).token == ""
        and secret(masto, "access_token_env", required=False) == ""
    )


def test_read_secret_names_the_variable_never_the_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GS_TEST_TOKEN", "s3cr3t")
    assert read_secret({"token_env": "GS_TEST_TOKEN"}, "token") == "s3cr3t"
    assert read_secret({}, "token", "GS_TEST_TOKEN") == "s3cr3t"
    monkeypatch.delenv("GS_TEST_TOKEN")
    with pytest.raises(SecretMissing, match="GS_TEST_TOKEN"):
        read_secret({"token_env": "GS_TEST_TOKEN"}, "token")
    assert read_secret({"url": "http://x/"}, "url", inline=True) == "http://x/"
    with pytest.raises(SecretMissing, match=r"options\.url_env or options\.url"):
        read_secret({}, "url", inline=True)


def test_a_reddit_cursor_from_before_the_shared_watermark_still_loads() -> None:
    ts = 1482373050.0
    mark = Watermark.load({"ts": ts, "ids": ["5jo13y"]})
    at = datetime.fromtimestamp(ts, UTC).isoformat()
    assert (mark.at, mark.ids) == (at, {"5jo13y"})
    assert not mark.is_new(at, "5jo13y") and mark.is_new(at, "5jo13z")
    assert Watermark.load({"ts": 0.0, "ids": []}).at == ""

"""Configuration: bundled default loads; errors name file, line and key; env overrides; no secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from groundswell.config.loader import load_settings
from groundswell.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "groundswell.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_default_is_valid() -> None:
    settings = load_settings(environ={})
    assert [b.name for b in settings.brands] == ["Lumio", "Vexa", "Orbit"]
    assert settings.brand("Lumio").competitors == ["Vexa", "Orbit"]
    assert {t.name for t in settings.touchpoints} >= {"delivery", "billing", "app", "staff"}


def test_error_names_file_line_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "brands:\n  - name: Acme\n    query: acme\n    sensitivity: -1\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    message = str(info.value)
    assert f"{path}:4" in message and "brands.0.sensitivity" in message


def test_bad_query_reports_position(tmp_path: Path) -> None:
    path = write(tmp_path, "brands:\n  - name: Acme\n    query: '(acme OR'\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    assert "position" in str(info.value) and f"{path}:3" in str(info.value)


def test_unknown_key_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="brandz"):
        load_settings(write(tmp_path, "brandz: []\n"), environ={})
    with pytest.raises(ConfigError, match=r"groundswell.yaml:2: not valid YAML"):
        load_settings(write(tmp_path, "brands:\n  - name: a: b\n"), environ={})


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--config"):
        load_settings(tmp_path / "nope.yaml", environ={})


def test_competitor_must_exist(tmp_path: Path) -> None:
    path = write(tmp_path, "brands:\n  - {name: A, query: a, competitors: [B]}\n")
    with pytest.raises(ConfigError, match="competitor 'B'"):
        load_settings(path, environ={})


def test_environment_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, "brands:\n  - {name: A, query: a}\nnlp:\n  topics: true\n")
    settings = load_settings(
        path,
        environ={
            "GROUNDSWELL_NLP__TOPICS": "false",
            "GROUNDSWELL_BRANDS__0__QUERY": "b OR c",
            "GROUNDSWELL_STORE__INDEX_PREFIX": "gs",
            "GROUNDSWELL_DB": "/ignored/by/the/loader.db",
            "GROUNDSWELL_SHARED_DATA": "/the/benches/data",  # what data tests' skip message asks for
        },
    )
    assert settings.nlp.topics is False
    assert settings.brands[0].query == "b OR c"
    assert settings.store.index_prefix == "gs"


def test_bad_environment_override_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "brands: []\n")
    with pytest.raises(ConfigError, match="environment override"):
        load_settings(path, environ={"GROUNDSWELL_ALERT_RULES__0__MIN_POSTS": "-3"})


def test_secrets_are_refused_in_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "channels:\n  - name: s\n    type: slack\n    options: {webhook_token: abc}\n")
    with pytest.raises(ConfigError, match="webhook_token_env"):
        load_settings(path, environ={})


def test_settings_are_frozen() -> None:
    settings = load_settings(environ={})
    with pytest.raises(Exception, match="frozen"):
        settings.brands[0].name = "x"  # type: ignore[misc]


def test_with_no_rule_written_alerts_speak_the_dashboard_language() -> None:
    """A Korean team's dashboard showed English alert labels and summaries: the implicit rule spoke
    English whatever the dashboard did."""
    from groundswell.config.settings import AlertRule, Settings

    assert Settings().alert_rules[0].language == "ko"  # the dashboard's default
    assert Settings.model_validate({"dashboard": {"language": "en"}}).alert_rules[0].language == "en"
    written = Settings.model_validate(
        {"dashboard": {"language": "ko"}, "alert_rules": [{"name": "pr", "language": "en"}]}
    )
    assert [(r.name, r.language) for r in written.alert_rules] == [("pr", "en")]
    assert Settings(alert_rules=[AlertRule(name="x")]).alert_rules[0].language == "en"


def test_an_alert_takes_the_playbook_in_its_rules_language() -> None:
    """The Korean demo alert carried the English playbook under Korean figures: one language per
    message. A playbook without a language serves any; one in another language only stands in."""
    from groundswell.config.settings import Settings

    settings = Settings.model_validate(
        {
            "playbooks": [
                {"touchpoint": "delivery", "language": "en", "text": "Check the carrier."},
                {"touchpoint": "delivery", "language": "ko", "text": "택배사 현황을 확인합니다."},
                {"touchpoint": "app", "language": "en", "text": "Roll back the release."},
                {"touchpoint": "*", "text": "Read the evidence."},
            ]
        }
    )
    assert settings.playbook_for(["delivery"], "ko") == "택배사 현황을 확인합니다."
    assert settings.playbook_for(["delivery"], "en") == "Check the carrier."
    assert settings.playbook_for(["app"], "ko") == "Roll back the release."  # none in Korean
    assert settings.playbook_for(["billing"], "ko") == "Read the evidence."
    assert settings.playbook_for(["delivery", "app"]) == "Check the carrier.\n\nRoll back the release."
    shipped = load_settings(environ={})
    assert shipped.playbook_for(["product-quality"], "ko").startswith("1. 품질 담당자가")
    assert shipped.playbook_for(["product-quality"], "en").startswith("1. Quality lead")

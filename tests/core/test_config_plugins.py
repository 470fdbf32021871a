"""Registry names and part options are checked when the config loads: file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groundswell.config.loader import load_settings
from groundswell.config.settings import Source
from groundswell.errors import ConfigError
from groundswell.plugins import CHANNELS, SOURCES

ROOT = Path(__file__).resolve().parents[2]

BAD = """\
sources:
  - name: r
    type: redit
  - name: tweets
    type: x
    options:
      queries: [acme]
      max_results: "lots"
      max_page: 3
channels:
  - name: s
    type: slak
nlp:
  sentiment_backend: vadr
"""


def _error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "groundswell.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    return str(info.value).replace(str(path), "CFG")


def test_every_bad_name_and_option_is_refused_with_line_and_key(tmp_path: Path) -> None:
    message = _error(tmp_path, BAD)
    assert "CFG:3: sources.0.type: unknown source type 'redit'; known: " in message
    assert "CFG:8: sources.1.options.max_results: Input should be a valid integer" in message
    assert "CFG:9: sources.1.options.max_page: unknown option; known: queries, query, max_results" in message
    assert "CFG:12: channels.0.type: unknown alert channel type 'slak'; known: email, slack" in message
    assert "CFG:14: nlp.sentiment_backend: unknown sentiment backend 'vadr'; known: default" in message


def test_out_of_bounds_and_env_override_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "groundswell.yaml"
    path.write_text("sources:\n  - name: t\n    type: x\n    options: {max_results: 500}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r":4: sources.0.options.max_results: .*less than or equal to 100"):
        load_settings(path, environ={})
    with pytest.raises(
        ConfigError, match=r"GROUNDSWELL_STORE__BACKEND: store\.backend: unknown store backend"
    ):
        load_settings(_ok(tmp_path), environ={"GROUNDSWELL_STORE__BACKEND": "sqlit"})


def _ok(tmp_path: Path) -> Path:
    path = tmp_path / "ok.yaml"
    path.write_text("brands: []\n", encoding="utf-8")
    return path


def test_options_are_typed_and_defaulted_for_the_part() -> None:
    cfg = Source(name="t", type="x", options={"queries": "acme", "max_results": "50"})
    assert cfg.options["queries"] == ["acme"] and cfg.options["max_results"] == 50
    assert cfg.options["max_pages"] == 5  # the model's default is the one in force


def test_an_import_path_is_accepted_as_a_type() -> None:
    cfg = Source(name="t", type="groundswell.crawlers.rss:RssSource", options={"feeds": ["http://x/"]})
    assert cfg.options["feeds"] == ["http://x/"]
    with pytest.raises(ValueError, match=r"cannot import 'nowhere_pkg\.feeds'"):
        Source(name="t", type="nowhere_pkg.feeds:Feed")


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["queries", "max_results", "max_pages", "mode", "bogus"]),
                       st.one_of(st.none(), st.integers(-5, 500), st.text(max_size=5), st.booleans())))  # fmt: skip
def test_options_either_load_typed_or_fail_as_config_error(options: dict[str, object]) -> None:
    """Never a crash of another kind: a loaded config is one the source can use."""
    try:
        cfg = Source(name="t", type="x", options=options)
    except ValueError:  # pydantic's ValidationError: the loader turns it into file:line:key
        return
    assert 10 <= cfg.options["max_results"] <= 100 and cfg.options["mode"] in ("search", "stream")


@pytest.mark.parametrize(("registry", "doc"), [(SOURCES, "docs/sources.md"), (CHANNELS, "docs/alerts.md")])
def test_every_registered_part_has_a_generated_options_table(registry: object, doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    missing = [name for name in registry if f"### `{name}`\n" not in text]  # type: ignore[attr-defined]
    assert not missing, f"{doc} lacks {missing}: run python scripts/gen_docs.py"


def test_the_cli_refuses_a_bad_name_before_anything_runs(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from groundswell.pipeline.cli import cli

    path = tmp_path / "groundswell.yaml"
    path.write_text("nlp:\n  sentiment_backend: vadr\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", "--config", str(path)], input='{"id": "1"}\n')
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{path}:2: nlp.sentiment_backend: unknown sentiment backend 'vadr'" in result.stderr
    assert "Traceback" not in result.stderr and "KeyError" not in result.stderr

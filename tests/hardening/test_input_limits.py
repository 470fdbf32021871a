"""#15 item 5: queries and config files have bounds; each refusal is a positioned error, not a hang
or a RecursionError traceback (200 nested parentheses, 1,000 terms, a 100 KB query, `a: &a [*a]`)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from groundswell.config.loader import load_settings
from groundswell.errors import ConfigError, QuerySyntaxError
from groundswell.limits import MAX_QUERY_CHARS, MAX_QUERY_DEPTH, MAX_QUERY_TERMS
from groundswell.pipeline.cli import cli
from groundswell.query import matches, parse_query


@pytest.mark.parametrize(
    ("query", "reason", "position"),
    [
        ("(" * 200 + "a" + ")" * 200, "nested deeper", MAX_QUERY_DEPTH),
        ("NOT " * 100 + "a", "nested deeper", 4 * MAX_QUERY_DEPTH),
        (" ".join(f"w{i}" for i in range(500)), f"more than {MAX_QUERY_TERMS}", None),
        (" AND ".join(f"w{i}" for i in range(2000)), "longer than", MAX_QUERY_CHARS),
        ("a" * 100_000, "longer than", MAX_QUERY_CHARS),
    ],
)
def test_query_limits(query: str, reason: str, position: int | None) -> None:
    with pytest.raises(QuerySyntaxError, match=reason) as err:
        parse_query(query)
    if position is not None:
        assert err.value.position == position
    assert len(str(err.value)) < 400  # shown around the problem, not the whole 100 KB


def test_queries_at_the_limits_still_work() -> None:
    deep = "(" * MAX_QUERY_DEPTH + "battery" + ")" * MAX_QUERY_DEPTH
    assert matches(deep, "the battery died")
    many = " OR ".join(["battery", *(f"w{i}" for i in range(MAX_QUERY_TERMS - 1))])
    assert matches(many, "the battery died")


def test_search_cli_says_where(tmp_path: Path) -> None:
    db = tmp_path / "gs.db"
    CliRunner().invoke(cli, ["--db", str(db), "ingest", "/dev/null"])
    result = CliRunner().invoke(cli, ["--db", str(db), "search", "(" * 200 + "a" + ")" * 200])
    assert (
        result.exit_code == 2 and "nested deeper than" in result.stderr and "Traceback" not in result.output
    )


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('()" abc*@#NOTANDOR/5')), max_size=400))
def test_any_query_parses_or_is_a_positioned_error(query: str) -> None:
    try:
        node = parse_query(query)
    except QuerySyntaxError as exc:
        assert 0 <= exc.position <= len(query)
        return
    node.evaluate  # noqa: B018 - parsed into a tree


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=3000))
def test_any_nesting_depth_is_an_answer(depth: int) -> None:
    query = "(" * depth + "x" + ")" * depth
    if depth <= MAX_QUERY_DEPTH:
        assert matches(query, "x")
    else:
        with pytest.raises(QuerySyntaxError):
            parse_query(query)


# -- config ---------------------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghij"[: levels - 1]:
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: &a [*a]\n", "c.yaml:1: nested deeper"),
        ("brands:\n  - &b {name: x, query: x, more: [*b]}\n", "nested deeper"),
        (laughs(), "values once aliases are expanded"),
        ("x: " + "[" * 50_000 + "]" * 50_000 + "\n", "nested deeper"),
        (
            'brands:\n  - name: x\n    query: "' + "(" * 200 + "a" + ")" * 200 + '"\n',
            "c.yaml:3: brands.0.query",
        ),
    ],
)
def test_config_shapes_that_used_to_crash_or_hang(tmp_path: Path, text: str, reason: str) -> None:
    with pytest.raises(ConfigError, match=reason.replace("(", r"\(").replace("[", r"\[")):
        load_settings(write(tmp_path, text), environ={})


def test_config_aliases_in_normal_use_still_load(tmp_path: Path) -> None:
    text = "brands:\n  - name: acme\n    query: &q 'acme OR 애크미'\n  - name: acme2\n    query: *q\n"
    assert load_settings(write(tmp_path, text), environ={}).brands[1].query == "acme OR 애크미"


yaml_texts = st.text(alphabet=st.sampled_from(list("ab: -[]{}&*\n'\"#!,")), max_size=200)


@settings(max_examples=200, deadline=None)
@given(yaml_texts)
def test_any_config_text_loads_or_is_a_config_error(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("cfg") / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with contextlib.suppress(ConfigError):
        load_settings(path, environ={})


@pytest.mark.parametrize("query", ["(" * 200 + "a" + ")" * 200, "a " * 3000, " OR ".join(["w"] * 60)])
def test_the_dashboard_explore_box_refuses_unbounded_queries(
    sample_paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.dashboard.dashboard_sample import APP

    config, db = sample_paths
    monkeypatch.setenv("GROUNDSWELL_CONFIG", str(config))
    monkeypatch.setenv("GROUNDSWELL_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("views/explore.py").run()
    at.text_input(key="explore_query").input(query).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and not at.dataframe

"""The one registry mechanism: names, import paths, entry-point plug-ins, duplicates, errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groundswell.errors import PluginError, UnknownName
from groundswell.plugins import REGISTRIES
from groundswell.registry import Registry, is_import_path


def test_unknown_name_lists_known_and_is_a_key_error() -> None:
    registry = Registry("widget", "groundswell.test-widgets", [("a", "json:dumps"), ("b", "json:loads")])
    with pytest.raises(KeyError) as info:
        registry.load("c")
    assert isinstance(info.value, UnknownName)
    assert str(info.value).startswith("unknown widget 'c'; known: a, b")


def test_duplicate_name_fails() -> None:
    with pytest.raises(PluginError, match="registered twice"):
        Registry("widget", "groundswell.test-widgets", [("a", "json:dumps"), ("a", "json:loads")])


def test_import_path_is_accepted_directly() -> None:
    import json

    registry = Registry("widget", "groundswell.test-widgets")
    assert registry.load("json:dumps") is json.dumps
    assert registry.check("json:dumps") == "json:dumps"
    with pytest.raises(UnknownName, match="cannot import 'no_such_module_xyz'"):
        registry.check("no_such_module_xyz:Thing")
    with pytest.raises(PluginError, match="has no 'nothing'"):
        registry.check("json:nothing")


def _install_plugin(root: Path, group: str, name: str, module: str) -> None:
    """A real installed distribution on sys.path: a dist-info with entry points, and its module."""
    info = root / "gsplugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gsplugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[{group}]\n{name} = {module}:Thing\n")
    (root / f"{module}.py").write_text(textwrap.dedent("class Thing:\n    kind = 'plug-in'\n"))


def test_entry_point_plugin_is_found_and_cannot_shadow_a_builtin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install_plugin(tmp_path, "groundswell.test-widgets", "fancy", "gs_fancy_plugin")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = Registry("widget", "groundswell.test-widgets", [("a", "json:dumps")])
    assert "fancy" in registry and registry.names() == ["a", "fancy"]
    assert registry.load("fancy").kind == "plug-in"
    clash = Registry("widget", "groundswell.test-widgets", [("fancy", "json:dumps")])
    with pytest.raises(PluginError, match="'fancy' registered twice"):
        clash.names()


@pytest.mark.parametrize("kind", sorted(REGISTRIES))
def test_every_builtin_imports(kind: str) -> None:
    registry = REGISTRIES[kind]
    for name in registry:
        try:
            assert registry.load(name) is not None
        except ImportError as exc:  # an optional extra not installed here
            pytest.skip(f"{kind}/{name}: {exc.name} not installed")


@given(st.text(max_size=40))
def test_import_path_syntax(text: str) -> None:
    if is_import_path(text):
        module, _, attr = text.partition(":")
        assert module and attr and all(part.isidentifier() for part in (*module.split("."), *attr.split(".")))

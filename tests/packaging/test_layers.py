"""The core (the modules directly in groundswell/) is the bottom layer: it imports no product
package above it (config, nlp, pipeline, indexer, alerts, dashboard, crawlers, reports), so each
of those can import the core without an import cycle (the review found brands.py <-> config)."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "groundswell"
ABOVE = ("config", "nlp", "pipeline", "indexer", "alerts", "dashboard", "crawlers", "reports")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_core_imports_nothing_above_it() -> None:
    above = tuple(f"groundswell.{p}" for p in ABOVE)
    found = {
        path.name: sorted(n for n in _imports(path) if n.startswith(above))
        for path in sorted(CORE.glob("*.py"))
    }
    assert len(found) > 10
    assert {k: v for k, v in found.items() if v} == {}

"""Run mypy on the product as it is imported: `groundswell.nlp`, not the `nlp/` folder.

The folders install under one name through setup.py's package-dir mapping, which mypy cannot
follow (it maps files to modules by directory, and the editable install's import hook is
invisible to it). So this builds `.typecheck/groundswell/`, a tree of symlinks (`nlp ->
../../nlp`, `errors.py -> ../../groundswell/errors.py`, ...), runs `mypy -p groundswell` there
with the `[tool.mypy]` settings of pyproject.toml, and prints paths as they are in the repository.
`python scripts/typecheck.py` exits with mypy's status (make lint runs it).
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TREE = ROOT / ".typecheck"


def folders() -> tuple[str, ...]:
    """FOLDERS from setup.py, read without running setup()."""
    for node in ast.walk(ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "FOLDERS" for t in node.targets):
            value = ast.literal_eval(node.value)
            return tuple(value)
    raise SystemExit("setup.py has no FOLDERS")


def build_tree() -> Path:
    package = TREE / "groundswell"
    if package.exists():
        shutil.rmtree(package)
    package.mkdir(parents=True)
    for item in (ROOT / "groundswell").iterdir():
        if item.suffix in (".py", ".pyi") or item.name == "py.typed":
            (package / item.name).symlink_to(os.path.relpath(item, package))
    for name in folders():
        (package / name).symlink_to(os.path.relpath(ROOT / name, package))
    return package


def main(argv: list[str]) -> int:
    build_tree()
    command = [
        sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
        "--cache-dir", str(TREE / ".mypy_cache"), "-p", "groundswell", *argv,
    ]  # fmt: skip
    result = subprocess.run(command, cwd=TREE, capture_output=True, text=True, check=False)
    mapped = {f"groundswell/{name}/": f"{name}/" for name in folders()}
    for line in (result.stdout + result.stderr).splitlines():
        for inside, outside in mapped.items():
            if line.startswith(inside):
                line = outside + line[len(inside) :]
                break
        print(line)
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

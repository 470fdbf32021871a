"""The product installs under one import name (architecture issue: generic top-level modules clash
with users' own `config.py`, Airflow/Jupyter `pipeline/` folders and PyPI's `config`/`nlp`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FOLDERS = ("config", "crawlers", "nlp", "indexer", "dashboard", "alerts", "pipeline", "reports")


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_subpackages_import_under_the_product_name(tmp_path: Path) -> None:
    result = _python("import groundswell.nlp, groundswell.pipeline.cli, groundswell.config.loader", tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_bundled_config_loads_outside_the_repository(tmp_path: Path) -> None:
    result = _python(
        "from groundswell.config.loader import load_settings; print(load_settings(None).timezone)", tmp_path
    )
    assert result.returncode == 0 and result.stdout.strip() == "Asia/Seoul", result.stderr


def test_bare_folder_names_do_not_resolve_to_the_product(tmp_path: Path) -> None:
    for name in FOLDERS:
        result = _python(f"import {name}", tmp_path)
        assert "ModuleNotFoundError" in result.stderr, f"`import {name}` found {result.stdout}"


def test_a_users_config_module_beside_the_script_breaks_nothing(tmp_path: Path) -> None:
    (tmp_path / "config.py").write_text("SETTING = 1\n", encoding="utf-8")
    (tmp_path / "pipeline.py").write_text("STEP = 2\n", encoding="utf-8")
    script = tmp_path / "job.py"
    script.write_text(
        "import config, pipeline\n"
        "from groundswell.pipeline.cli import main\n"
        "from groundswell.config.loader import load_settings\n"
        "assert config.SETTING == 1 and pipeline.STEP == 2\n"
        "print('ok')\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr

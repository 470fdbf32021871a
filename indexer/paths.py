"""Where the embedded store lives when no --db / GROUNDSWELL_DB is given.

One fixed per-user file, so `demo`, `dashboard`, `search` and `detect` run one after another
see the same data.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def data_dir() -> Path:
    return Path(os.environ.get("GROUNDSWELL_DATA_DIR") or user_data_dir("groundswell", appauthor=False))


def default_db_path() -> Path:
    return Path(os.environ.get("GROUNDSWELL_DB") or data_dir() / "groundswell.db")

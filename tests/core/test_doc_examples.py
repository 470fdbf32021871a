"""Every `sources:` and `channels:` entry in a YAML example of the docs loads (types, options)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from groundswell.config.settings import Channel, Source

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted({ROOT / "README.md", ROOT / "crawlers" / "README.md", *(ROOT / "docs").glob("*.md")})


def _entries() -> list[tuple[str, str, dict[str, object]]]:
    out = []
    for page in PAGES:
        for block in re.findall(r"```ya?ml\n(.*?)```", page.read_text(encoding="utf-8"), re.S):
            data = yaml.safe_load(block)
            if isinstance(data, dict):
                for section in ("sources", "channels"):
                    for entry in data.get(section) or []:
                        out.append(
                            (f"{page.relative_to(ROOT)}:{section}:{entry.get('name')}", section, entry)
                        )
    return out


@pytest.mark.parametrize(
    ("where", "section", "entry"), _entries(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_documented_entry_is_valid(where: str, section: str, entry: dict[str, object]) -> None:
    (Source if section == "sources" else Channel).model_validate(entry)

"""Write one benchmark's section of BENCHMARKS.md, leaving the other sections as they are."""

from __future__ import annotations

import os
import platform
import re
import resource
from datetime import UTC, datetime
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"
HEADER = (
    "# Benchmarks\n\nEvery figure here is written by a script in `bench/` (`make bench` runs them all).\n"
    "Each section says the machine it ran on; compare figures only from the same machine.\n"
)


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


NOTES = "<!-- notes: written by hand, kept when a script rewrites this section -->"


def write_section(title: str, body: str) -> None:
    """Replace (or append) the `## title` section.

    What the section holds from a `NOTES` line on is kept below the new figures: readings, tries
    and caveats written by hand beside a script's table are not lost when the script runs again.
    """
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else HEADER
    stamp = f"_Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}._\n\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    old = pattern.search(text)
    notes = old.group(0)[old.group(0).find(NOTES) :].strip() if old and NOTES in old.group(0) else ""
    section = f"## {title}\n\n{stamp}{body.strip()}\n\n" + (f"{notes}\n\n" if notes else "")
    text = pattern.sub(lambda _m: section, text) if old else text.rstrip() + "\n\n" + section
    BENCHMARKS.write_text(text.rstrip() + "\n", encoding="utf-8")

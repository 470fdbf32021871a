"""Instructions per post of `groundswell analyze`, counted by valgrind: speed A/B on a noisy machine.

    python -m bench.instructions [DATA_DIR] [--posts 3000]

CPU seconds on a shared machine move by 10-25% between identical runs (BENCHMARKS.md, "Speed: the
collector off the models"), more than most single changes save. The instructions a run executes
barely move, so two commits (or a change and `git stash`) compared this way show what a change
saves. valgrind's callgrind runs `groundswell analyze` on a two-line input (start-up: imports, the
models, lingua's first load) and on `--posts` English tweets (TweetEval test from DATA_DIR, or the
bundled evaluation set repeated); the difference over the posts is the figure. A run is ~50x
slower than native (a few minutes at 3,000 posts). Instructions are not time: cache misses and
the collector's passes over a large heap count for more in time than in instructions, so the
posts-per-CPU-second figure of `bench.bench_nlp` stays the goal's measure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bench_nlp import ANALYZE, LATIN_POST, ONE_THREAD, ROOT, _speed_texts, write_speed_inputs
from bench.replay_data import shared_data_dir

_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def count(path: Path) -> int:
    """Instructions of one `groundswell analyze < path` run (the whole process)."""
    env = {**os.environ, **ONE_THREAD}
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, *ANALYZE]
    with path.open("rb") as stdin:
        run = subprocess.run(command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             cwd=ROOT, env=env, check=True)  # fmt: skip
    found = _COLLECTED.search(run.stderr.decode("utf-8", "replace"))
    if found is None:
        raise RuntimeError("valgrind printed no instruction count (is callgrind installed?)")
    return int(found.group(1))


def per_post(data: Path | None, posts: int) -> dict[str, float]:
    texts = (_speed_texts(data, "en") * 2)[: max(posts, 2)]
    with tempfile.TemporaryDirectory() as tmp:
        # the full run ends with the start-up run's Latin-script post too, so both load lingua
        # whatever the texts are, and the difference is the cost of texts[1:] exactly
        full, one = write_speed_inputs(Path(tmp), [*texts, LATIN_POST])
        startup, total = count(one), count(full)
    return {
        "posts": len(texts),
        "startup_instructions": startup,
        "instructions_per_post": round((total - startup) / (len(texts) - 1)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=shared_data_dir())
    parser.add_argument("--posts", type=int, default=3000)
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print(
            "valgrind is not installed (Debian: apt-get install valgrind); nothing measured", file=sys.stderr
        )
        return 2
    print(json.dumps(per_post(args.data_dir, args.posts)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

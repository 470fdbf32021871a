"""`replay`: play a generic JSONL file in time order, optionally accelerated (the demo's source).

Options: `path` (required), `speed` (0 = everything at once; 60 = one recorded minute per
second), `batch_size` (500), `rebase` (false: keep recorded times; true: shift times so the replay
looks live: with speed > 0 the first post is "now" at replay start, with speed 0 the last is).
The cursor is `{"pos": N, "t0": epoch}`: N posts (in time order) are committed.
"""

from __future__ import annotations

import gzip
import json
import logging
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Self

from pydantic import Field

from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers.base import Batch
from groundswell.crawlers.generic import iter_generic
from groundswell.errors import InputError, SourceDisabled, SourceUnavailable
from groundswell.options import PartOptions
from groundswell.records import Mention

log = logging.getLogger(__name__)


class ReplayOptions(PartOptions):
    """Options of a `replay` source."""

    path: str | None = Field(default=None, description="The JSONL file to play (required to crawl)")
    speed: float = Field(default=0, ge=0, description="0: everything at once; 60: a recorded minute a second")
    batch_size: int = Field(default=500, ge=1, le=100_000, description="Posts per fetch")
    rebase: bool = Field(default=False, description="Shift recorded times so the replay looks live")


class ReplaySource:
    type = "replay"
    Options = ReplayOptions

    def __init__(
        self,
        name: str,
        path: str | Path,
        speed: float = 0.0,
        batch_size: int = 500,
        rebase: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if speed < 0 or batch_size < 1:
            raise ValueError("replay: speed must be >= 0 and batch_size >= 1")
        self.name = name
        self.path = Path(path)
        self.speed = float(speed)
        self.batch_size = int(batch_size)
        self.rebase = rebase
        self.clock = clock
        self._timeline: list[Mention] | None = None
        self._load_skips: dict[str, int] = {}

    @classmethod
    def from_settings(cls, cfg: SourceSettings) -> Self:
        opts = cfg.options
        if not opts.get("path"):
            raise SourceDisabled(f"source {cfg.name!r}: replay needs options.path (a JSONL file)")
        return cls(
            cfg.name,
            resolve_path(str(opts["path"])),
            speed=float(opts.get("speed", 0)),
            batch_size=int(opts.get("batch_size", 500)),
            rebase=bool(opts.get("rebase", False)),
        )

    @classmethod
    def for_parse(cls, cfg: SourceSettings) -> Self:
        return cls(cfg.name, cfg.options.get("path", "-"))

    # -- parse ---------------------------------------------------------------------------------------

    def parse(self, raw: bytes | str) -> Iterator[Mention]:
        """Mentions of a JSONL body; bad lines are logged with their number and skipped."""
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        for _lineno, result in iter_generic(data.splitlines(), default_source=self.name):
            if isinstance(result, InputError):
                log.warning("%s: %s", self.name, result)
                continue
            yield result

    def _load(self) -> list[Mention]:
        if self._timeline is None:
            try:
                data = self.path.read_bytes()
                if self.path.suffix == ".gz":
                    data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error) as exc:
                raise SourceUnavailable(
                    f"replay {self.name}: cannot read {self.path}: {getattr(exc, 'strerror', None) or exc}"
                ) from None
            timeline: list[Mention] = []
            skips: dict[str, int] = {}
            for _lineno, result in iter_generic(data.splitlines(), default_source=self.name):
                if isinstance(result, InputError):
                    log.warning("%s: %s: %s", self.name, self.path, result)
                    reason = "invalid-line"
                    skips[reason] = skips.get(reason, 0) + 1
                else:
                    timeline.append(result)
            timeline.sort(key=lambda m: m.created_at)
            self._timeline, self._load_skips = timeline, skips
        return self._timeline

    # -- fetch ---------------------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> Batch:
        timeline = self._load()
        state = _read_cursor(cursor)
        pos, t0 = int(state.get("pos", 0)), float(state.get("t0") or self.clock())
        batch = Batch(skipped=Counter(self._load_skips if pos == 0 else {}))
        if pos >= len(timeline):
            batch.next_cursor = json.dumps({"pos": pos, "t0": t0})
            return batch
        first, last = timeline[0].created_at, timeline[-1].created_at
        end = min(pos + self.batch_size, len(timeline))
        if self.speed > 0:  # only posts whose replayed time has come
            horizon = first + timedelta(seconds=(self.clock() - t0) * self.speed)
            while end > pos and timeline[end - 1].created_at > horizon:
                end -= 1
        now_t0 = datetime.fromtimestamp(t0, UTC)
        for mention in timeline[pos:end]:
            batch.mentions.append(self._rebased(mention, first, last, now_t0))
        batch.fetched = len(batch.mentions)
        batch.next_cursor = json.dumps({"pos": end, "t0": t0})
        batch.more = end < len(timeline) and (self.speed == 0 or end - pos == self.batch_size)
        return batch

    def _rebased(self, m: Mention, first: datetime, last: datetime, t0: datetime) -> Mention:
        if not self.rebase:
            return m.model_copy()
        when = t0 + (m.created_at - first) / self.speed if self.speed > 0 else t0 - (last - m.created_at)
        return m.model_copy(update={"created_at": when})


def resolve_path(path: str) -> Path:
    """`bundled:NAME` is a file shipped with the package (the demo scenario); anything else a path."""
    if path.startswith("bundled:"):
        return Path(str(resources.files("groundswell.pipeline") / "demo" / path.removeprefix("bundled:")))
    return Path(path)


def _read_cursor(cursor: str | None) -> dict[str, Any]:
    if not cursor:
        return {}
    try:
        state = json.loads(cursor)
    except json.JSONDecodeError:
        return {"pos": int(cursor)} if cursor.isdigit() else {}
    return state if isinstance(state, dict) else {}

"""Import a generic JSON Lines file: one bad line is reported with its number and skipped.

Lines are read as bytes so that invalid UTF-8 is a per-line error, not a crash of the file.
Batches are committed one at a time, so a killed ingest re-run upserts the same ids again:
nothing lost, nothing doubled.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from groundswell.config.settings import Settings
from groundswell.crawlers.generic import iter_generic
from groundswell.errors import InputError
from groundswell.indexer.base import Store
from groundswell.pipeline.process import MentionProcessor
from groundswell.records import Mention


@dataclass
class IngestReport:
    read: int = 0
    stored: int = 0  # new mentions
    updated: int = 0  # known ids whose metrics or enrichment changed
    duplicate: int = 0  # known ids, nothing new
    rejected: int = 0  # malformed lines
    unmatched: int = 0  # valid posts that no configured brand matches
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if k != "errors"}

    def summary(self) -> str:
        return ", ".join(f"{k} {v}" for k, v in self.as_dict().items())


def open_lines(path: Path) -> Iterator[bytes]:
    """Lines of a .jsonl or .jsonl.gz file; a damaged file is one InputError naming it."""
    opener = gzip.open if path.suffix == ".gz" else open
    lineno = 0
    try:
        with opener(path, "rb") as handle:  # type: ignore[operator]
            for lineno, line in enumerate(handle, start=1):  # noqa: B007
                yield line
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path}: cannot read past line {lineno}: {exc}; is the file complete?") from None


def read_mentions(
    lines: Iterable[bytes], on_error: Callable[[InputError], None]
) -> Iterator[tuple[int, Mention]]:
    """Valid mentions with their line numbers; each bad line goes to `on_error` and is skipped."""
    for lineno, item in iter_generic(lines):
        if isinstance(item, InputError):
            on_error(item)
        else:
            yield lineno, item


def ingest_file(
    path: str | Path,
    settings: Settings,
    store: Store,
    processor: MentionProcessor | None = None,
    batch_size: int = 500,
    log: Callable[[str], None] | None = None,
) -> IngestReport:
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} does not exist")
    processor = processor or MentionProcessor(settings, store)
    report = IngestReport()

    def reject(exc: InputError) -> None:
        report.read += 1
        report.rejected += 1
        if len(report.errors) < 1000:
            report.errors.append(f"{path}: {exc}")
        if log:
            log(f"{path}: {exc}")

    batch: list[Mention] = []
    for _lineno, mention in read_mentions(open_lines(path), reject):
        report.read += 1
        batch.append(mention)
        if len(batch) >= batch_size:
            _commit(batch, processor, store, report)
            batch = []
    if batch:
        _commit(batch, processor, store, report)
    processor.checkpoint()
    return report


def _commit(batch: list[Mention], processor: MentionProcessor, store: Store, report: IngestReport) -> None:
    before = processor.dropped["no brand matched"]
    enriched = processor(batch)
    report.unmatched += processor.dropped["no brand matched"] - before
    result = store.commit_batch(enriched)
    report.stored += result.new
    report.updated += result.updated
    report.duplicate += result.unchanged

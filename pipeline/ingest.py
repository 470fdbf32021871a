"""Import a user's file: generic JSON Lines, or a CSV export with a column mapping.

One bad line is reported with file, line (and CSV column) and skipped. Lines are read as bytes so
that invalid UTF-8 is a per-line error, not a crash of the file. Batches are committed one at a
time, so a killed ingest re-run upserts the same ids again: nothing lost, nothing doubled. Posts
no brand matches can be written to a file with the reason, so "unmatched 2209" can be looked at.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from groundswell.config.settings import Settings
from groundswell.crawlers.generic import iter_generic, mention_from_generic
from groundswell.crawlers.tabular import ENCODING_NAMES, column_of, detect_encoding, is_csv, iter_csv_rows
from groundswell.errors import InputError
from groundswell.indexer.base import Store
from groundswell.pipeline.commit import commit_isolating
from groundswell.pipeline.process import MentionProcessor
from groundswell.records import Mention, SourceRun, utcnow

UNMATCHED_REASON = "no brand query matched"


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

    @property
    def kept_nothing(self) -> bool:
        """Lines were rejected and none reached the store: the run failed (non-zero exit)."""
        return self.rejected > 0 and self.stored + self.updated + self.duplicate == 0


def open_lines(path: Path) -> Iterator[bytes]:
    """Lines of a .jsonl or .jsonl.gz file; a damaged file is one InputError naming it."""
    opener = gzip.open if path.suffix == ".gz" else open
    lineno = 0
    try:
        with opener(path, "rb") as handle:
            for lineno, line in enumerate(handle, start=1):  # noqa: B007
                yield line
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{path}: cannot read past line {lineno}: {exc}; is the file complete?") from None


def read_mentions(
    lines: Iterable[bytes], on_error: Callable[[InputError], None], *, fill: bool = False
) -> Iterator[tuple[int, Mention]]:
    """Valid mentions with their line numbers; each bad line goes to `on_error` and is skipped."""
    for lineno, item in iter_generic(lines, fill=fill):
        if isinstance(item, InputError):
            on_error(item)
        else:
            yield lineno, item


def read_csv_mentions(
    path: Path,
    columns: Mapping[str, str],
    on_error: Callable[[InputError], None],
    log: Callable[[str], None] | None = None,
) -> Iterator[tuple[int, Mention]]:
    """Valid mentions of a CSV file; a row without id gets a content hash (re-runs upsert it)."""
    encoding = detect_encoding(path)
    layout, rows = iter_csv_rows(path, encoding, columns)
    if log:
        log(f"{path}: reading as {ENCODING_NAMES[encoding]} CSV; columns {layout.describe()}")
    for lineno, item in rows:
        if isinstance(item, InputError):
            on_error(item)
            continue
        try:
            yield lineno, mention_from_generic(item, lineno, fill_id=True)
        except InputError as exc:
            column = column_of(str(exc), layout)
            on_error(InputError(f"{exc} (column {column!r})") if column else exc)


class UnmatchedWriter:
    """`--unmatched FILE`: one JSON line per post no brand matched, with the reason and line."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.lines: dict[str, int] = {}

    def __call__(self, mention: Mention, _reason: str) -> None:
        row: dict[str, Any] = {
            "line": self.lines.get(mention.id),
            "reason": UNMATCHED_REASON,
            "id": mention.native_id,
            "created_at": mention.created_at.isoformat(),
            "text": mention.text,
        }
        if mention.raw:
            row["raw"] = mention.raw
        self.handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def ingest_file(
    path: str | Path,
    settings: Settings,
    store: Store,
    processor: MentionProcessor | None = None,
    batch_size: int = 500,
    log: Callable[[str], None] | None = None,
    columns: Mapping[str, str] | None = None,
    unmatched: IO[str] | None = None,
    run_name: str | None = None,
) -> IngestReport:
    """Import JSONL (or CSV, by suffix .csv/.tsv, gzipped or not) into the store.

    `columns` maps generic fields to CSV columns (else `ingest.columns` from the config, then
    common names); `unmatched` receives the posts no brand matched. The run is recorded as a
    source run named `run_name` (default `ingest:FILENAME`), so the dashboard's Sources page shows it.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} does not exist")
    processor = processor or MentionProcessor(settings, store)
    writer = UnmatchedWriter(unmatched) if unmatched is not None else None
    processor.on_drop = writer
    report = IngestReport()
    started = utcnow()

    def reject(exc: InputError) -> None:
        report.read += 1
        report.rejected += 1
        if len(report.errors) < 1000:
            report.errors.append(f"{path}: {exc}")
        if log:
            log(f"{path}: {exc}")

    if is_csv(path):
        mapping = {**settings.ingest.columns, **(columns or {})}
        mentions = read_csv_mentions(path, mapping, reject, log)
    else:
        if columns:
            raise InputError("--map applies to CSV files; JSON Lines use the generic field names")
        mentions = read_mentions(open_lines(path), reject)
    batch: list[Mention] = []
    for lineno, mention in mentions:
        report.read += 1
        if writer is not None:
            writer.lines[mention.id] = lineno
        batch.append(mention)
        if len(batch) >= batch_size:
            _commit(batch, processor, store, report)
            batch = []
            if writer is not None:
                writer.lines.clear()
    if batch:
        _commit(batch, processor, store, report)
    processor.checkpoint()
    store.record_source_run(
        SourceRun(
            source=run_name or f"ingest:{path.name}",
            started_at=started,
            finished_at=utcnow(),
            fetched=report.read,
            new=report.stored,
            updated=report.updated,
            rejected=report.rejected + report.unmatched,
            errors=report.rejected,
            error=f"{report.rejected} line(s) rejected" if report.rejected else None,
            healthy=not report.kept_nothing,
        )
    )
    return report


def _commit(batch: list[Mention], processor: MentionProcessor, store: Store, report: IngestReport) -> None:
    before = processor.dropped["no brand matched"]
    outcome = commit_isolating(batch, processor, store)
    report.unmatched += processor.dropped["no brand matched"] - before
    report.rejected += len(outcome.poisoned)
    report.errors.extend(outcome.poisoned[: max(0, 1000 - len(report.errors))])
    result = outcome.result
    report.stored += result.new
    report.updated += result.updated
    report.duplicate += result.unchanged

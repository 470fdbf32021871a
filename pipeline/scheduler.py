"""`groundswell run`: each enabled source on its interval (plus jitter), never losing or doubling.

The order inside one page is the whole guarantee: fetch -> process -> `store.commit_batch(mentions,
source, cursor)`, which writes the mentions and the cursor that covers them in one transaction.
A kill -9 between any two steps leaves the old cursor with (at most) the mentions already
committed, and the next run re-fetches from there; ids are `source:native_id`, so re-fetched
posts upsert (metrics history) instead of doubling.

Sources are fetched by a small thread pool, each on its own schedule, so a slow crawl delays no
other source; processing and commits take one lock (one batch at a time through enrichment and
the store). Fetches carry timeouts and scrapy runs in a child process, so Twisted's reactor never
runs here. A failing source backs off exponentially (capped, at least as long as a 429 asks) and
is marked unhealthy; the others go on. The processing step is a callable: no nlp import here.
"""

from __future__ import annotations

import logging
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from groundswell.config.settings import HOT_MAX_INTERVAL, Settings
from groundswell.config.settings import Source as SourceSettings
from groundswell.crawlers.base import Source
from groundswell.crawlers.registry import build_source
from groundswell.errors import GroundswellError, InputError, SourceDisabled, SourceUnavailable, StoreError
from groundswell.pipeline.commit import commit_isolating
from groundswell.records import EnrichedMention, Mention, SourceRun
from groundswell.redaction import redact

log = logging.getLogger(__name__)

Process = Callable[[list[Mention]], list[EnrichedMention]]
# Detection after a cycle; it may name sources to run sooner (a brand they bring is close to an alert).
AfterCycle = Callable[[], Collection[str] | None]
MAX_PAGES = 50  # pages per run: a backlog is drained over runs, not in one endless loop
BACKOFF_BASE = 60.0  # seconds; the first retry waits min(interval, this)
BACKOFF_CAP = 3600.0
POLL = 0.5  # seconds between checks for a stop request while runs are in flight
WORKERS = 4  # sources fetched at the same time (I/O bound); processing and commits stay serial
# What the processing step learnt (the topic model, the touchpoints' stream memory) is saved this
# often while the loop runs, and when it stops: a restarted `run` goes on from it as `ingest` does.
CHECKPOINT_EVERY = 1800.0  # seconds


def plain_process(mentions: list[Mention]) -> list[EnrichedMention]:
    """No enrichment: the default until the pipeline wires in nlp."""
    return [EnrichedMention.from_mention(m) for m in mentions]


@dataclass
class SourceState:
    cfg: SourceSettings
    source: Source | None = None
    disabled: str | None = None
    failures: int = 0
    next_due: float = 0.0
    healthy: bool = True
    last_error: str | None = None
    runs: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    last: SourceRun | None = None  # the newest recorded run, whose next_run_at a hurry rewrites


class Scheduler:
    def __init__(
        self,
        settings: Settings,
        store: Any,
        process: Process | None = None,
        after_cycle: AfterCycle | None = None,
        *,
        only: Sequence[str] | None = None,
        sources: dict[str, Source] | None = None,
        max_pages: int = MAX_PAGES,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        workers: int = WORKERS,
    ) -> None:
        self.store = store
        self.workers = max(1, workers)
        self._commit_lock = threading.Lock()  # enrichment and store writes: one batch at a time
        self._state_lock = threading.Lock()
        self.process = process or plain_process
        self.after_cycle = after_cycle
        self.max_pages = max_pages
        self.clock = clock
        self.rng = rng or random.Random()
        self.stop_event = threading.Event()
        self._checkpointed_at = clock()
        prebuilt = sources or {}
        configured = {cfg.name: cfg for cfg in settings.sources}
        if only:
            unknown = [n for n in only if n not in configured]
            if unknown:
                raise KeyError(f"no source named {', '.join(unknown)}; configured: {', '.join(configured)}")
        self.states: dict[str, SourceState] = {}
        for cfg in settings.sources:
            if only and cfg.name not in only:
                continue
            if not only and not cfg.enabled:
                continue
            state = SourceState(cfg=cfg, source=prebuilt.get(cfg.name))
            if state.source is None:
                try:
                    state.source = build_source(cfg)
                except (SourceDisabled, KeyError, ValueError) as exc:
                    state.disabled = str(exc).strip("'\"")
                    log.warning("source %s skipped: %s", cfg.name, state.disabled)
            self.states[cfg.name] = state

    # -- one run ---------------------------------------------------------------------------------------

    def run_once(self, name: str) -> SourceRun:
        """Crawl one source now (all pages ready, up to max_pages), commit, record the run."""
        state = self.states[name]
        if state.source is None:
            raise SourceDisabled(state.disabled or f"source {name!r} is disabled")
        started = datetime.now(UTC)
        run = SourceRun(source=name, started_at=started, finished_at=started)
        retry_after: float | None = None
        cursor = self.store.get_cursor(name)
        skips: Counter[str] = Counter()
        unmapped: Counter[str] = Counter()
        try:
            for _page in range(self.max_pages):
                batch = state.source.fetch(cursor)
                run.fetched += batch.fetched
                run.rejected += batch.rejected
                skips.update(batch.skipped)
                unmapped.update(batch.unmapped)
                next_cursor = batch.next_cursor or cursor
                with self._commit_lock:
                    dropped_before = Counter(getattr(self.process, "dropped", {}))
                    outcome = commit_isolating(batch.mentions, self.process, self.store, name, next_cursor)
                    skips.update(Counter(getattr(self.process, "dropped", {})) - dropped_before)
                if outcome.poisoned:
                    skips["unstorable"] += len(outcome.poisoned)
                run.rejected += len(batch.mentions) - outcome.kept
                run.new += outcome.result.new
                run.updated += outcome.result.updated
                cursor = next_cursor
                if not batch.more or self.stop_event.is_set():
                    break
        except (SourceUnavailable, SourceDisabled, InputError, StoreError) as exc:
            retry_after = getattr(exc, "retry_after", None)
            run.errors, run.error = 1, redact(str(exc))  # kept in the store: no secret in it
        except Exception as exc:  # a bug in one source must not stop the others; it is recorded
            log.exception("source %s crashed", name)
            run.errors, run.error = 1, redact(f"{type(exc).__name__}: {exc}")
        run.finished_at = datetime.now(UTC)
        with self._state_lock:
            self._schedule(state, run, retry_after)
            state.last = run
        try:
            self.store.record_source_run(run)
            if skips or unmapped:
                self._add_counts(name, skips, unmapped)
        except GroundswellError as exc:
            log.error("cannot record the run of %s: %s", name, exc)
        state.skipped = dict(Counter(state.skipped) + skips)
        return run

    def _add_counts(self, name: str, skips: Counter[str], unmapped: Counter[str]) -> None:
        """Running totals per reason (and per unmapped raw field), for `groundswell sources`."""
        for key, counts in ((skip_key(name), skips), (unmapped_key(name), unmapped)):
            if counts:
                total = Counter(self.store.get_state(key) or {})
                total.update(counts)
                self.store.set_state(key, dict(total))

    def _schedule(self, state: SourceState, run: SourceRun, retry_after: float | None) -> None:
        interval = state.cfg.interval.total_seconds()
        state.runs += 1
        if run.error:
            state.failures += 1
            state.healthy, state.last_error = False, run.error
            delay = backoff(state.failures, interval, state.cfg.options, retry_after)
            log.warning("source %s failed (%d in a row), retry in %.0fs: %s", state.cfg.name, state.failures,
                        delay, run.error)  # fmt: skip
        else:
            state.failures, state.healthy, state.last_error = 0, True, None
            delay = interval
        delay *= 1 + self.rng.uniform(0, state.cfg.jitter)
        state.next_due = self.clock() + delay
        run.healthy = state.healthy
        run.next_run_at = run.finished_at + timedelta(seconds=delay)

    # -- the loop --------------------------------------------------------------------------------------

    def run(self, max_cycles: int | None = None) -> None:
        """Run until stop() (SIGTERM/SIGINT once handlers are installed) or max_cycles cycles.

        Each source runs on its own schedule in a small thread pool, so a slow crawl delays no
        other source; a cycle ends whenever runs finish, and `after_cycle` (detection) follows.
        """
        cycles = 0
        active = [s for s in self.states.values() if s.source is not None]
        if not active:
            log.warning("no enabled source can run; nothing to do")
            return
        running: dict[str, Future[SourceRun]] = {}
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="source") as pool:
            while not self.stop_event.is_set():
                now = self.clock()
                for state in sorted(active, key=lambda s: s.next_due):
                    name = state.cfg.name
                    if state.next_due <= now and name not in running and len(running) < self.workers:
                        running[name] = pool.submit(self.run_once, name)
                idle = [s.next_due for s in active if s.cfg.name not in running]
                until_due = max(0.0, min(idle) - self.clock()) if idle else POLL
                if not running:
                    self.stop_event.wait(until_due)
                    continue
                wait(list(running.values()), timeout=min(until_due, POLL), return_when=FIRST_COMPLETED)
                finished = [name for name, future in running.items() if future.done()]
                for name in finished:
                    running.pop(name).result()  # run_once records its own failures
                if finished:
                    cycles += 1
                    if self.after_cycle is not None:
                        self.hurry(self.after_cycle() or ())
                    self.checkpoint()
                    if max_cycles is not None and cycles >= max_cycles:
                        self.stop_event.set()
        # leaving the `with` waits for runs in flight: each stops after the page it is committing
        self.checkpoint(force=True)

    def checkpoint(self, force: bool = False) -> None:
        """Save what the processing step learnt (its `checkpoint()`, when it has one), every
        CHECKPOINT_EVERY or now. Between batches (the commit lock), so the saved model has seen
        exactly the committed posts; a failed save is logged and crawling goes on."""
        save = getattr(self.process, "checkpoint", None)
        if save is None or not (force or self.clock() - self._checkpointed_at >= CHECKPOINT_EVERY):
            return
        with self._commit_lock:
            try:
                save()
            except Exception:  # a full disk must not stop the crawl; the next checkpoint retries
                log.exception("cannot save what the processing step learnt")
        self._checkpointed_at = self.clock()

    def hurry(self, names: Collection[str]) -> None:
        """Run these sources within their `hot_interval`: a brand they bring is close to an alert,
        and its next posts decide whether it fires now or a whole interval later."""
        now = self.clock()
        rescheduled: list[SourceRun] = []
        with self._state_lock:
            for name in names:
                state = self.states.get(name)
                hot = state.cfg.hot_interval.total_seconds() if state is not None else 0.0
                if state is None or hot <= 0 or state.failures:
                    continue  # unknown here, never hurried, or backing off: a failing source waits
                slow = state.cfg.interval > HOT_MAX_INTERVAL
                if slow and "hot_interval" not in state.cfg.model_fields_set:
                    continue  # a daily crawl (a quota, day-stamped reviews) is hurried only when asked
                if state.next_due > now + hot:
                    log.info(
                        "source %s: a brand it brings is close to an alert; next run in %.0fs", name, hot
                    )
                    state.next_due = now + hot
                    if state.last is not None:  # what `groundswell sources` and the dashboard show
                        state.last = state.last.model_copy(
                            update={"next_run_at": datetime.now(UTC) + timedelta(seconds=hot)}
                        )
                        rescheduled.append(state.last)
        for run in rescheduled:  # the same run (source, started_at), so the store replaces it
            try:
                self.store.record_source_run(run)
            except GroundswellError as exc:
                log.error("cannot record the new next run of %s: %s", run.source, exc)

    def run_all_once(self) -> list[SourceRun]:
        """Every runnable source once, in parallel, then `after_cycle` once (`run --once`)."""
        names = [n for n, s in self.states.items() if s.source is not None]
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="source") as pool:
            runs = list(pool.map(self.run_once, names))
        if runs and self.after_cycle is not None:
            self.after_cycle()
        self.checkpoint(force=True)
        return runs

    def stop(self, *_: Any) -> None:
        self.stop_event.set()

    def install_signal_handlers(self) -> None:
        """SIGTERM/SIGINT finish the page being committed, then leave the loop."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)


def skip_key(source: str) -> str:
    return f"crawl.skipped.{source}"


def unmapped_key(source: str) -> str:
    return f"crawl.unmapped.{source}"


def backoff(failures: int, interval: float, options: dict[str, Any], retry_after: float | None) -> float:
    """Exponential from min(interval, base), capped, and never shorter than the platform asks."""
    base = float(options.get("backoff_base", min(interval, BACKOFF_BASE)))
    cap = float(options.get("backoff_cap", max(BACKOFF_CAP, interval)))
    delay = min(cap, base * 2 ** (failures - 1))
    return max(delay, retry_after or 0.0)

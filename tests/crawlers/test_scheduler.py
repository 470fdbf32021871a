"""Scheduler: interval, backoff, health, cursor-after-commit, SIGTERM, kill -9 (real subprocesses)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groundswell.config.settings import Settings, Source
from groundswell.crawlers.base import Batch
from groundswell.crawlers.replay import ReplaySource
from groundswell.errors import SourceUnavailable
from groundswell.indexer.base import MentionQuery
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.pipeline.scheduler import Scheduler, backoff
from groundswell.records import EnrichedMention, Mention

ROOT = Path(__file__).resolve().parents[2]


def write_posts(path: Path, n: int) -> Path:
    start = datetime(2026, 11, 24, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as fh:
        for i in reversed(range(n)):  # out of order on purpose: replay sorts by time
            post = {
                "id": f"p{i}",
                "text": f"배터리 불만 {i}",
                "created_at": (start + timedelta(seconds=i)).isoformat(),
            }
            fh.write(json.dumps(post, ensure_ascii=False) + "\n")
    return path


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Failing:
    """Fails `times` times (429 with retry_after), then returns one mention."""

    def __init__(self, name: str, times: int, retry_after: float | None = None) -> None:
        self.name, self.times, self.retry_after, self.calls = name, times, retry_after, 0

    def fetch(self, cursor: str | None) -> Batch:
        self.calls += 1
        if self.calls <= self.times:
            raise SourceUnavailable("HTTP 429 (rate limited)", retry_after=self.retry_after)
        m = Mention(
            id=f"{self.name}:1", source=self.name, native_id="1", text="ok", created_at=datetime.now(UTC)
        )
        return Batch(mentions=[m], next_cursor="c1", fetched=1)

    def parse(self, raw: bytes | str) -> Iterator[Mention]:
        return iter(())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(tmp_path / "gs.db")
    yield s
    s.close()


def settings_for(*sources: Source) -> Settings:
    return Settings(sources=list(sources))


def test_replay_run_commits_everything_once(tmp_path: Path, store: SQLiteStore) -> None:
    posts = write_posts(tmp_path / "posts.jsonl", 120)
    cfg = Source(name="demo", type="replay", options={"path": str(posts), "batch_size": 50})
    sched = Scheduler(settings_for(cfg), store)
    run = sched.run_once("demo")
    assert (run.fetched, run.new, run.healthy) == (120, 120, True)
    assert json.loads(store.get_cursor("demo") or "{}")["pos"] == 120
    again = sched.run_once("demo")
    assert (again.fetched, again.new) == (0, 0)
    assert store.count(MentionQuery()) == 120
    assert [r.new for r in store.source_runs("demo")] == [0, 120]


def test_replay_speed_releases_posts_as_time_passes(tmp_path: Path) -> None:
    posts = write_posts(tmp_path / "posts.jsonl", 100)  # one post per second of recorded time
    clock = FakeClock()
    src = ReplaySource("demo", posts, speed=10, rebase=True, clock=clock)
    first = src.fetch(None)
    assert len(first.mentions) == 1  # only the first post is due at t0
    clock.now += 2.0  # 20 s of recorded time
    second = src.fetch(first.next_cursor)
    assert [m.native_id for m in second.mentions] == [f"p{i}" for i in range(1, 21)]
    assert second.mentions[-1].created_at - first.mentions[0].created_at == timedelta(seconds=2)


def test_failing_source_backs_off_and_others_continue(store: SQLiteStore, tmp_path: Path) -> None:
    posts = write_posts(tmp_path / "posts.jsonl", 5)
    good = Source(name="good", type="replay", interval=60, jitter=0, options={"path": str(posts)})
    bad = Source(name="bad", type="replay", interval=60, jitter=0, options={"path": str(posts)})
    clock = FakeClock()
    failing = Failing("bad", times=3)
    sched = Scheduler(settings_for(good, bad), store, clock=clock, sources={"bad": failing})  # type: ignore[dict-item]
    delays = []
    for _ in range(3):
        run = sched.run_once("bad")
        assert not run.healthy and "429" in (run.error or "")
        delays.append(sched.states["bad"].next_due - clock.now)
    assert delays == [60.0, 120.0, 240.0]
    assert store.get_cursor("bad") is None  # never saved past a failure
    assert sched.run_once("good").new == 5
    ok = sched.run_once("bad")
    assert ok.healthy and ok.new == 1 and store.get_cursor("bad") == "c1"
    assert sched.states["bad"].failures == 0


def test_backoff_is_capped_and_honours_retry_after() -> None:
    assert backoff(20, 60, {}, None) == 3600
    assert backoff(1, 60, {}, 900) == 900
    assert backoff(3, 10, {"backoff_base": 1, "backoff_cap": 5}, None) == 4


def test_failed_commit_keeps_old_cursor(tmp_path: Path, store: SQLiteStore) -> None:
    posts = write_posts(tmp_path / "posts.jsonl", 30)
    cfg = Source(name="demo", type="replay", options={"path": str(posts), "batch_size": 10})
    calls = {"n": 0}

    def process(ms: list[Mention]) -> list[EnrichedMention]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("enricher crashed")
        return [EnrichedMention.from_mention(m) for m in ms]

    run = Scheduler(settings_for(cfg), store, process).run_once("demo")
    assert not run.healthy and "RuntimeError" in (run.error or "")
    assert json.loads(store.get_cursor("demo") or "{}")["pos"] == 10
    assert store.count(MentionQuery()) == 10


def test_loop_runs_cycles_and_after_cycle(tmp_path: Path, store: SQLiteStore) -> None:
    posts = write_posts(tmp_path / "posts.jsonl", 3)
    cfg = Source(name="demo", type="replay", interval=0.01, jitter=0.5, options={"path": str(posts)})
    off = Source(name="off", type="replay", enabled=False, options={"path": str(posts)})
    nocreds = Source(name="nocreds", type="replay")  # no path -> SourceDisabled, skipped
    cycles: list[int] = []
    sched = Scheduler(settings_for(cfg, off, nocreds), store, after_cycle=lambda: cycles.append(1))
    assert "off" not in sched.states and sched.states["nocreds"].disabled
    sched.run(max_cycles=3)
    assert len(cycles) == 3 and store.count(MentionQuery()) == 3


SCRIPT = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from groundswell.config.settings import Settings, Source
    from groundswell.records import EnrichedMention
    from groundswell.indexer.sqlite import SQLiteStore
    from groundswell.pipeline.scheduler import Scheduler

    def slow(ms):
        time.sleep(0.02)
        return [EnrichedMention.from_mention(m) for m in ms]

    cfg = Source(name="demo", type="replay", interval=0.05, jitter=0,
                 options={{"path": {posts!r}, "batch_size": 7}})
    sched = Scheduler(Settings(sources=[cfg]), SQLiteStore({db!r}), slow, max_pages=1)
    sched.install_signal_handlers()
    print("ready", flush=True)
    sched.run()
    print("stopped", flush=True)
    """
)


def start(tmp_path: Path, posts: Path, db: Path) -> subprocess.Popen[str]:
    script = tmp_path / "sched.py"
    script.write_text(SCRIPT.format(root=str(ROOT), posts=str(posts), db=str(db)))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def progress(db: Path) -> tuple[int, int]:
    s = SQLiteStore(db)
    try:
        cursor = s.get_cursor("demo")
        return (json.loads(cursor)["pos"] if cursor else 0), s.count(MentionQuery())
    finally:
        s.close()


def test_kill_9_loses_and_doubles_nothing(tmp_path: Path) -> None:
    n = 300
    posts = write_posts(tmp_path / "posts.jsonl", n)
    db = tmp_path / "gs.db"
    for delay in (0.4, 0.25, 0.35):
        proc = start(tmp_path, posts, db)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        pos, count = progress(db)
        assert pos <= count, "cursor got ahead of committed mentions"
    proc = start(tmp_path, posts, db)
    deadline = time.monotonic() + 180  # generous: a loaded CI machine starts the process slowly
    while progress(db)[0] < n and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "stopped" in out
    s = SQLiteStore(db)
    try:
        assert s.count(MentionQuery()) == n
        ids = [m.id for m in s.search(MentionQuery(), limit=1000)]
        assert len(ids) == len(set(ids)) == n
        assert all(len(s.metrics_history(i)) == 1 for i in ids[:20])  # seen once each, no re-observation
    finally:
        s.close()


class Growing:
    """The same post on every fetch, with more likes each time (as a re-read listing shows it)."""

    def __init__(self) -> None:
        self.name, self.likes = "grow", 0

    def fetch(self, cursor: str | None) -> Batch:
        from groundswell.records import Metrics

        self.likes += 10
        m = Mention(id="grow:1", source="grow", native_id="1", text="battery swelling", created_at=datetime.now(UTC),
                    metrics=Metrics(likes=self.likes))  # fmt: skip
        return Batch(mentions=[m], next_cursor="c", fetched=1)

    def parse(self, raw: bytes | str) -> Iterator[Mention]:
        return iter(())


def test_post_seen_again_updates_metrics_history(tmp_path: Path, store: SQLiteStore) -> None:
    cfg = Source(name="grow", type="replay")
    sched = Scheduler(settings_for(cfg), store, sources={"grow": Growing()})  # type: ignore[dict-item]
    runs = [sched.run_once("grow") for _ in range(3)]
    assert [(r.new, r.updated) for r in runs] == [(1, 0), (0, 1), (0, 1)]
    assert store.count(MentionQuery()) == 1
    assert [o.metrics.likes for o in store.metrics_history("grow:1")] == [10, 20, 30]


class DroppingProcess:
    """Like the pipeline's processor: drops what no brand matches and counts why."""

    def __init__(self) -> None:
        from collections import Counter

        self.dropped: Counter[str] = Counter()

    def __call__(self, mentions: list[Mention]) -> list[EnrichedMention]:
        kept = [m for m in mentions if int(m.native_id[1:]) % 2 == 0]
        self.dropped["no brand matched"] += len(mentions) - len(kept)
        return [EnrichedMention.from_mention(m) for m in kept]


def test_skip_and_drop_reasons_are_kept_per_source(tmp_path: Path, store: SQLiteStore) -> None:
    posts = write_posts(tmp_path / "posts.jsonl", 10)
    with posts.open("a") as fh:
        fh.write("not json\n")
    cfg = Source(name="demo", type="replay", options={"path": str(posts)})
    run = Scheduler(settings_for(cfg), store, DroppingProcess()).run_once("demo")  # type: ignore[arg-type]
    assert (run.fetched, run.new, run.rejected) == (10, 5, 6)
    assert store.get_state("crawl.skipped.demo") == {"invalid-line": 1, "no brand matched": 5}


class LearningProcess(DroppingProcess):
    """A processing step that learns, like the pipeline's (topics, the touchpoints' memory)."""

    def __init__(self) -> None:
        super().__init__()
        self.saved = 0

    def checkpoint(self) -> None:
        self.saved += 1


def test_what_the_processing_step_learnt_is_saved_as_the_loop_runs_and_stops(
    tmp_path: Path, store: SQLiteStore
) -> None:
    posts = write_posts(tmp_path / "posts.jsonl", 3)
    cfg = Source(name="demo", type="replay", interval=0.01, options={"path": str(posts)})
    process, now = LearningProcess(), [0.0]
    sched = Scheduler(settings_for(cfg), store, process, clock=lambda: now[0])  # type: ignore[arg-type]
    sched.checkpoint()
    assert process.saved == 0  # not yet due
    now[0] = 1800.0
    sched.checkpoint()
    assert process.saved == 1
    sched.run_all_once()  # `run --once`: saved at the end
    assert process.saved == 2
    looping = Scheduler(settings_for(cfg), store, process, after_cycle=lambda: None)  # type: ignore[arg-type]
    looping.run(max_cycles=2)  # the real clock: no periodic save is due, the stop saves once
    assert process.saved == 3


class Blocking:
    """A source whose fetch hangs until released (a slow site, a long crawl)."""

    def __init__(self) -> None:
        self.name, self.release = "slow", threading.Event()

    def fetch(self, cursor: str | None) -> Batch:
        self.release.wait(30)
        return Batch(next_cursor="done")

    def parse(self, raw: bytes | str) -> Iterator[Mention]:
        return iter(())


def test_a_slow_source_does_not_hold_up_the_others(tmp_path: Path, store: SQLiteStore) -> None:
    posts = write_posts(tmp_path / "posts.jsonl", 3)
    fast = Source(name="fast", type="replay", interval=0.01, jitter=0, options={"path": str(posts)})
    slow_cfg = Source(name="slow", type="replay", interval=0.01, jitter=0)
    slow = Blocking()
    sched = Scheduler(settings_for(fast, slow_cfg), store, sources={"slow": slow})  # type: ignore[dict-item]
    loop = threading.Thread(target=sched.run)
    loop.start()
    try:
        deadline = time.monotonic() + 20
        while len(store.source_runs("fast")) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(store.source_runs("fast")) >= 3 and store.source_runs("slow") == []
    finally:
        sched.stop()
        slow.release.set()
        loop.join(30)
    assert not loop.is_alive() and store.get_cursor("slow") == "done"


def test_sources_of_a_warming_brand_run_within_their_hot_interval(tmp_path: Path, store: SQLiteStore) -> None:
    posts = write_posts(tmp_path / "posts.jsonl", 3)

    def source(name: str, hot: float) -> Source:
        return Source(
            name=name, type="replay", interval=3600, hot_interval=hot, jitter=0, options={"path": str(posts)}
        )

    # detection names "hot" and "never" (whose hot_interval is 0) after each cycle, never "cold"
    sched = Scheduler(
        settings_for(source("hot", 0.05), source("cold", 0.05), source("never", 0)),
        store,
        after_cycle=lambda: {"hot", "never", "not-configured"},
    )
    stopper = threading.Timer(5.0, sched.stop)  # a guard: the loop ends by max_cycles long before
    stopper.start()
    try:
        sched.run(max_cycles=6)
    finally:
        stopper.cancel()
    runs = {name: state.runs for name, state in sched.states.items()}
    assert runs["hot"] >= 3 and runs["cold"] == 1 and runs["never"] == 1, runs


def test_hurry_never_delays_and_leaves_a_failing_source_to_its_backoff(
    tmp_path: Path, store: SQLiteStore
) -> None:
    posts = write_posts(tmp_path / "posts.jsonl", 1)
    now = [1000.0]
    cfgs = [
        Source(name=n, type="replay", interval=3600, hot_interval=300, options={"path": str(posts)})
        for n in ("due-later", "due-soon", "failing")
    ]
    daily = Source(name="daily", type="replay", interval="1d", options={"path": str(posts)})
    asked = Source(
        name="daily-asked", type="replay", interval="1d", hot_interval="1h", options={"path": str(posts)}
    )
    sched = Scheduler(settings_for(*cfgs, daily, asked), store, clock=lambda: now[0])
    for name in ("daily", "daily-asked"):
        sched.states[name].next_due = 1000.0 + 86400
    sched.states["due-later"].next_due = 1000.0 + 3600
    sched.states["due-soon"].next_due = 1000.0 + 60  # already sooner than hot_interval: kept
    sched.states["failing"].next_due, sched.states["failing"].failures = 1000.0 + 1800, 2
    sched.hurry(["due-later", "due-soon", "failing", "daily", "daily-asked"])
    assert sched.states["daily"].next_due == 1000.0 + 86400  # a daily crawl keeps its day by default
    assert sched.states["daily-asked"].next_due == 1000.0 + 3600
    assert sched.states["due-later"].next_due == 1000.0 + 300
    assert sched.states["due-soon"].next_due == 1000.0 + 60
    assert sched.states["failing"].next_due == 1000.0 + 1800


def test_a_hurried_source_shows_its_new_next_run(tmp_path: Path, store: SQLiteStore) -> None:
    """`groundswell sources` and the dashboard read the recorded run's next_run_at: after a hurry it
    is the hot one, and the run is rewritten, not added."""
    posts = write_posts(tmp_path / "posts.jsonl", 1)
    cfg = Source(
        name="reviews", type="replay", interval=3600, hot_interval=300, jitter=0, options={"path": str(posts)}
    )
    sched = Scheduler(settings_for(cfg), store)
    sched.run_once("reviews")
    [before] = store.source_runs("reviews")
    assert before.next_run_at is not None and before.next_run_at - before.finished_at == timedelta(hours=1)
    sched.hurry(["reviews"])
    [after] = store.source_runs("reviews")
    assert after.started_at == before.started_at and after.fetched == before.fetched
    assert after.next_run_at is not None
    assert timedelta(0) < after.next_run_at - datetime.now(UTC) <= timedelta(seconds=300)
    sched.hurry(["reviews"])  # already due within its hot interval: nothing to rewrite
    assert store.source_runs("reviews")[0].next_run_at == after.next_run_at

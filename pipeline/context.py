"""What every CLI command shares: loading settings and the store once, parsing times, JSON output."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

import click

from groundswell.config.loader import load_settings
from groundswell.config.settings import Settings, parse_duration
from groundswell.errors import StoreError
from groundswell.indexer import Store, open_store
from groundswell.indexer.paths import default_db_path
from groundswell.records import as_utc


class CliState:
    """Held in `ctx.obj`: the global --config/--db, with settings and store opened on first use."""

    def __init__(self, config_path: str | None, db_path: str | None) -> None:
        self.config_path = config_path
        self.db_path = db_path
        self._settings: Settings | None = None
        self._store: Store | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_path)
        return self._settings

    @property
    def store(self) -> Store:
        """The store for reading: a missing SQLite file is an error, never a new empty store."""
        return self.open_store(create=False)

    def open_store(self, create: bool) -> Store:
        if self._store is None:
            if not create:
                require_existing_store(self.settings, self.db_path)
            self._store = open_store(self.settings, self.db_path)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def reader_zone(settings: Settings) -> tzinfo:
    """The zone every human-readable time of the CLI is shown in (settings.timezone)."""
    from groundswell.localtime import zone

    return zone(settings.timezone)


def load_context(ctx: click.Context, create: bool = False) -> tuple[Settings, Store]:
    """Settings and store; only commands that write (`create=True`) may start a new store file."""
    state = ctx.find_object(CliState)
    if state is None:
        state = CliState(None, None)
        ctx.obj = state
    return state.settings, state.open_store(create)


def require_existing_store(settings: Settings, db_path: str | None) -> None:
    """A misspelled --db must not answer "0 mentions" from a store it just created."""
    if settings.store.backend != "sqlite":
        return
    path = Path(db_path or settings.store.path or default_db_path())
    if not path.exists():
        raise StoreError(
            f"no store at {path}; check --db / GROUNDSWELL_DB, or fill one first "
            "(groundswell demo, ingest FILE or run)"
        )


def brand_filter(settings: Settings, store: Store, names: tuple[str, ...]) -> tuple[str, ...]:
    """`--brand` values as stored (case-insensitive); a warning on stderr lists the known brands."""
    if not names:
        return names
    from groundswell.brands import resolve_brands
    from groundswell.indexer.base import MentionQuery

    known = [b.name for b in settings.brands]
    known += [f.value for f in store.facets(MentionQuery(), "brand", size=200) if f.value]
    resolved, unknown = resolve_brands(names, known)
    for name in unknown:
        listed = ", ".join(sorted(set(known), key=str.casefold)) or "none configured or stored"
        log(f"warning: no brand named {name!r}; known brands: {listed}")
    return resolved


def parse_time(value: str | None, now: datetime | None = None) -> datetime | None:
    """ISO 8601 (naive = UTC), or a duration meaning that long ago: '7d', '12h'."""
    if value is None:
        return None
    text = value.strip()
    try:
        return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return (now or datetime.now(UTC)) - parse_duration(text)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is neither an ISO 8601 time (2026-11-24T09:00:00Z) nor a duration ago (7d, 12h)"
        ) from None


def echo_json(obj: Any) -> None:
    """One JSON object per line on stdout, nothing else there (logs go to stderr)."""
    try:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    except UnicodeEncodeError:  # a lone surrogate in a raw payload: escaped, never a crash
        sys.stdout.write(json.dumps(obj, default=str) + "\n")


def log(message: str) -> None:
    click.echo(message, err=True)


def bundled_demo_path() -> Path:
    return Path(__file__).parent / "demo" / "scenario.jsonl.gz"


def _set_state(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        root = ctx.find_root()
        if not isinstance(root.obj, CliState):
            root.obj = CliState(None, None)
        setattr(root.obj, str(param.name), value)
    return value


def common_options(command: Any) -> Any:
    """--config and --db accepted after the command name too (`groundswell analyze --config X`)."""
    for flag, name, help_ in (  # applied bottom-up: --config is listed first in --help
        ("--db", "db_path", "SQLite store file (env GROUNDSWELL_DB)."),
        ("--config", "config_path", "YAML configuration (env GROUNDSWELL_CONFIG)."),
    ):
        command = click.option(
            flag, name, type=click.Path(dir_okay=False), expose_value=False, callback=_set_state, help=help_
        )(command)
    return command

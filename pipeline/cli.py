"""`groundswell` — the command line, a contract that scripts, schedulers and checks rely on.

Each command lives in pipeline/commands/; this module only builds the group, the shared
--config/--db options, and turns named errors into one actionable stderr line and an exit code.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys

import click

from groundswell import redaction
from groundswell.errors import GroundswellError
from groundswell.pipeline.context import CliState

COMMAND_MODULES = (
    "groundswell.pipeline.commands.core",
    "groundswell.pipeline.commands.crawl",
    "groundswell.pipeline.commands.detect",
    "groundswell.pipeline.commands.alerts",
    "groundswell.pipeline.commands.migrate",
    "groundswell.pipeline.commands.report",
    "groundswell.pipeline.commands.sentiment",
)


class UserError(click.ClickException):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click types it ClassVar; one code per error here


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except GroundswellError as exc:
            raise UserError(redaction.redact(str(exc)), exc.exit_code) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
        finally:
            if isinstance(ctx.obj, CliState):
                ctx.obj.close()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    envvar="GROUNDSWELL_CONFIG",
    type=click.Path(dir_okay=False),
    help="YAML configuration (default: the bundled demo config). Env: GROUNDSWELL_CONFIG.",
)
@click.option(
    "--db",
    "db_path",
    envvar="GROUNDSWELL_DB",
    type=click.Path(dir_okay=False),
    help="SQLite store file (default: one file in the per-user data dir). Env: GROUNDSWELL_DB.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log debug details to stderr.")
@click.version_option(package_name="groundswell")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, db_path: str | None, verbose: bool) -> None:
    """Listen to what people say about your brands, spot the complaint that is starting to spread.

    Start with `groundswell demo`. Every command also takes --config and --db after its name.
    """
    level = logging.DEBUG if verbose else getattr(logging, os.environ.get("GROUNDSWELL_LOG_LEVEL", "WARNING"))
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    redaction.install()  # httpx logs request URLs at INFO: webhook URLs and API keys are secrets
    ctx.obj = CliState(config_path, db_path)  # a subcommand's own --config/--db override these


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command module not written yet
            if exc.name != name:
                raise
            continue
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="groundswell")


if __name__ == "__main__":
    main()

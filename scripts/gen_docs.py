"""Generate docs/cli.md (every command's --help), docs/configuration.md (every setting) and the
options tables of every registered source (docs/sources.md) and channel (docs/alerts.md).

`python scripts/gen_docs.py` rewrites them; `python scripts/gen_docs.py --check` fails when one is
stale (tests/core/test_docs.py runs the check, so the reference can never drift from the code).
The options tables are rendered from each part's `Options` model into the part of the page
between `<!-- BEGIN generated: NAME -->` and `<!-- END generated: NAME -->`; the prose around
them is written by hand.
"""

from __future__ import annotations

import sys
import types
import typing
from datetime import timedelta
from enum import Enum
from pathlib import Path
from typing import Any

import click
from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from groundswell.config.settings import Settings  # noqa: E402
from groundswell.options import options_model, own_fields_first  # noqa: E402
from groundswell.pipeline.cli import cli  # noqa: E402
from groundswell.plugins import CHANNELS, SOURCES  # noqa: E402
from groundswell.registry import Registry  # noqa: E402


def _help(command: click.Command, path: list[str], parent: click.Context | None) -> list[str]:
    ctx = click.Context(command, info_name=path[-1], parent=parent, terminal_width=100, max_content_width=100)
    out = [f"## `{' '.join(path)}`", "", "```", command.get_help(ctx).rstrip(), "```", ""]
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            out += _help(command.commands[name], [*path, name], ctx)
    return out


def cli_reference() -> str:
    head = [
        "# Command-line reference",
        "",
        "Generated from `--help` by `scripts/gen_docs.py`; do not edit.",
        "",
    ]
    return "\n".join(head + _help(cli, ["groundswell"], None)).rstrip() + "\n"


def _type_name(annotation: object) -> str:
    text = getattr(annotation, "__name__", None) or str(annotation)
    return text.replace("typing.", "").replace("pathlib.", "").replace("datetime.", "")


def _show(value: object) -> str:
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
            if seconds and seconds % size == 0:
                return f"{seconds // size}{unit}"
        return f"{seconds}s"
    if isinstance(value, Enum):  # the string config files hold, not Severity.LOW
        return repr(value.value)
    return repr(value)


def _section(model: type[BaseModel], prefix: str, out: list[str]) -> None:
    for name, field in model.model_fields.items():
        key = f"{prefix}{name}"
        annotation = field.annotation
        inner = [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            inner = [annotation]
        value = None if field.is_required() else field.get_default(call_default_factory=True)
        default = "" if field.is_required() else _show(value)
        if inner:
            default = ""
        description = (field.description or "").replace("|", "\\|")
        out.append(
            f"| `{key}` | {_type_name(annotation)} | {default[:60]} | {description} |".replace("\n", " ")
        )
        for sub in inner:
            is_list = typing.get_origin(annotation) is list
            _section(sub, f"{key}[].", out) if is_list else _section(sub, f"{key}.", out)


def config_reference() -> str:
    out = [
        "# Configuration reference",
        "",
        "Generated from `config/settings.py` by `scripts/gen_docs.py`; do not edit. Every key can be",
        "overridden by `GROUNDSWELL_<KEY>` with `__` between levels and list indexes, e.g.",
        "`GROUNDSWELL_STORE__BACKEND=elasticsearch`, `GROUNDSWELL_BRANDS__0__QUERY='\"acme\"'`.",
        "",
        "| key | type | default | meaning |",
        "|---|---|---|---|",
    ]
    _section(Settings, "", out)
    return "\n".join(out) + "\n"


def _option_type(annotation: Any) -> str:
    """`list[str]`, `'search' or 'stream'`, `int or none`: what a YAML author must write."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return " or ".join(repr(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join("none" if a is type(None) else _option_type(a) for a in args)
    if origin is typing.Annotated:
        return _option_type(args[0])
    if origin in (list, dict):
        return f"{origin.__name__}[{', '.join(_option_type(a) for a in args)}]"
    return getattr(annotation, "__name__", str(annotation))


def _bounds(field: Any) -> str:
    marks = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
    return ", ".join(
        f"{sign} {getattr(m, key)}" for m in field.metadata for key, sign in marks.items() if hasattr(m, key)
    )


def options_tables(registry: Registry, what: str) -> str:
    """One table per registered name: option, type, default, meaning (from its `Options` model)."""
    out = []
    for name in registry.names():
        model = options_model(registry.load(name))
        out += [f"### `{name}`", "", (model.__doc__ or "").strip().splitlines()[0], ""]
        if not model.model_fields:
            out += [f"This {what} takes no options.", ""]
            continue
        out += ["| option | type | default | bounds | meaning |", "|---|---|---|---|---|"]
        for field_name, field in own_fields_first(model).items():
            key = field.alias or field_name
            value = None if field.is_required() else field.get_default(call_default_factory=True)
            default = "required" if field.is_required() else ("" if value is None else f"`{_show(value)}`")
            description = (field.description or "").replace("|", "\\|")
            kind = _option_type(field.annotation).replace("|", "\\|")
            out.append(f"| `{key}` | {kind} | {default} | {_bounds(field)} | {description} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _splice(path: Path, marker: str, body: str) -> str:
    """`path`'s text with the generated section `marker` replaced by `body`."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    begin, end = f"<!-- BEGIN generated: {marker} -->", f"<!-- END generated: {marker} -->"
    if begin not in text or end not in text:
        raise SystemExit(f"{path.relative_to(ROOT)}: add the lines {begin} and {end} where the tables go")
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    return f"{head}{begin}\n\n{body}\n{end}{tail}"


SOURCES_MD = ROOT / "docs" / "sources.md"
ALERTS_MD = ROOT / "docs" / "alerts.md"
TARGETS = {
    ROOT / "docs" / "cli.md": cli_reference,
    ROOT / "docs" / "configuration.md": config_reference,
    SOURCES_MD: lambda: _splice(SOURCES_MD, "source options", options_tables(SOURCES, "source")),
    ALERTS_MD: lambda: _splice(ALERTS_MD, "channel options", options_tables(CHANNELS, "channel")),
}


def main(argv: list[str]) -> int:
    stale = []
    for path, build in TARGETS.items():
        text = build()
        if "--check" in argv:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"stale: {', '.join(stale)}; run python scripts/gen_docs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

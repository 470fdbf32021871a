"""Load settings: YAML file, then `GROUNDSWELL_*` overrides, validated once, errors with file:line.

Environment overrides use `__` between key levels and list indexes, values parsed as YAML:
`GROUNDSWELL_STORE__BACKEND=elasticsearch`, `GROUNDSWELL_BRANDS__0__QUERY='"acme"'`,
`GROUNDSWELL_NLP__TOPICS=false`. A few names are reserved for the CLI (`GROUNDSWELL_CONFIG`,
`GROUNDSWELL_DB`) and for secrets, which are read by the component that needs them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from groundswell.config.settings import Settings
from groundswell.config.templates import with_template
from groundswell.errors import ConfigError, QuerySyntaxError
from groundswell.options import OptionsInvalid

ENV_PREFIX = "GROUNDSWELL_"
# read by the CLI, the store, the logging setup, or the benches and tests (SHARED_DATA: the labelled
# data sets' folder), never settings
RESERVED_ENV = {"CONFIG", "DB", "ES_URL", "ES_API_KEY", "ES_PASSWORD", "DATA_DIR", "LOG_LEVEL", "SHARED_DATA"}
SECRET_WORDS = ("password", "secret", "token", "api_key", "apikey")
MAX_CONFIG_CHARS = 1_000_000
MAX_CONFIG_DEPTH = 32  # the deepest real setting is ~6 levels
MAX_CONFIG_NODES = 100_000


def default_config_path() -> Path:
    """The bundled demo configuration."""
    return Path(str(resources.files("groundswell.config") / "default.yaml"))


def load_settings(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    if path is None:
        path = environ.get(ENV_PREFIX + "CONFIG") or default_config_path()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"config file {path} does not exist; pass --config PATH or set GROUNDSWELL_CONFIG"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc}") from None
    data, lines = _parse_yaml(text, path)
    _reject_inline_secrets(data, path, lines)
    from_env: dict[tuple[str, ...], str] = {}
    for key_path, value in _env_overrides(environ):
        name = f"{ENV_PREFIX}{'__'.join(key_path).upper()}"
        _set_path(data, key_path, value, source=name)
        from_env[tuple(key_path)] = name
    _warn_short_keywords(data, path)
    data = with_template(data, path.parent)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, path, lines, from_env)) from None
    except QuerySyntaxError as exc:
        raise ConfigError(f"{path}: brand query: {exc}") from None


def _warn_short_keywords(data: dict[str, Any], path: Path) -> None:
    """One stderr line naming a user's short Hangul keywords, and how to keep them from matching
    inside unrelated words."""
    own = data.get("touchpoints")
    if not isinstance(own, list) or path.resolve() == default_config_path().resolve():
        return
    from groundswell.hangul_keywords import is_short_hangul

    short = [
        f"{k} ({t.get('name')})"
        for t in own
        if isinstance(t, dict) and isinstance(t.get("keywords"), list)
        for k in t["keywords"]
        if isinstance(k, str) and is_short_hangul(k)
    ]
    if short:
        logging.getLogger("groundswell.config").warning(
            "%s: short Hangul keywords also match inside longer words (페이 in 상세페이지): %s. Where a "
            "longer keyword of the taxonomy covers one (상세페이지 under website), the longer one wins; "
            "list such words, or use longer forms (docs/touchpoints.md).",
            path,
            ", ".join(short),
        )


def _parse_yaml(text: str, path: Path) -> tuple[dict[str, Any], dict[tuple[str, ...], int]]:
    if len(text) > MAX_CONFIG_CHARS:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_CHARS} characters; is this the config file?")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        _check_shape(node, path)  # before anything walks it: aliases can make it endless
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested deeper than {MAX_CONFIG_DEPTH} levels") from None
    if data is None or node is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of sections (brands:, sources:, ...)")
    lines: dict[tuple[str, ...], int] = {}
    _index_lines(node, (), lines)
    return data, lines


def _check_shape(root: yaml.Node | None, path: Path) -> None:
    """Refuse a YAML graph that is endless or explodes when expanded, naming the line.

    `a: &a [*a]` is a list that contains itself; nine aliases of nine aliases ("billion laughs")
    expand to 10**9 nodes. Walked iteratively, with aliases expanded as a loader would.
    """
    stack: list[tuple[yaml.Node, int]] = [(root, 1)] if root is not None else []
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        line = node.start_mark.line + 1
        if depth > MAX_CONFIG_DEPTH:
            raise ConfigError(
                f"{path}:{line}: nested deeper than {MAX_CONFIG_DEPTH} levels (a recursive alias?)"
            )
        if seen > MAX_CONFIG_NODES:
            raise ConfigError(f"{path}:{line}: more than {MAX_CONFIG_NODES} values once aliases are expanded")
        if isinstance(node, yaml.MappingNode):
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


def _index_lines(node: yaml.Node, prefix: tuple[str, ...], out: dict[tuple[str, ...], int]) -> None:
    out[prefix] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _index_lines(value, (*prefix, str(key.value)), out)
            out[(*prefix, str(key.value))] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*prefix, str(i)), out)


def _reject_inline_secrets(
    data: Any, path: Path, lines: dict[tuple[str, ...], int], prefix: tuple[str, ...] = ()
) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            key_path = (*prefix, str(key))
            lowered = str(key).lower()
            if any(word in lowered for word in SECRET_WORDS) and not lowered.endswith("_env") and value:
                line = lines.get(key_path, 0)
                raise ConfigError(
                    f"{path}:{line}: {'.'.join(key_path)}: secrets are read only from the environment; "
                    f"replace it with {key}_env: NAME_OF_ENV_VAR"
                )
            _reject_inline_secrets(value, path, lines, key_path)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            _reject_inline_secrets(item, path, lines, (*prefix, str(i)))


def _env_overrides(environ: Mapping[str, str]) -> list[tuple[list[str], Any]]:
    out = []
    for name, raw in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX):
            continue
        rest = name[len(ENV_PREFIX) :]
        if rest in RESERVED_ENV or rest.endswith(("_TOKEN", "_SECRET", "_PASSWORD", "_KEY")):
            continue
        try:
            value = yaml.safe_load(raw) if raw != "" else ""
        except yaml.YAMLError as exc:
            raise ConfigError(f"environment variable {name}: value is not valid YAML: {exc}") from None
        out.append(([part.lower() for part in rest.split("__")], value))
    return out


def _set_path(data: dict[str, Any], key_path: list[str], value: Any, source: str) -> None:
    node: Any = data
    for i, key in enumerate(key_path):
        last = i == len(key_path) - 1
        if isinstance(node, list):
            if not key.isdigit() or int(key) >= len(node):
                raise ConfigError(
                    f"{source}: list index {key!r} is out of range (the list has {len(node)} items)"
                )
            if last:
                node[int(key)] = value
            else:
                node = node[int(key)]
        elif isinstance(node, dict):
            if last:
                node[key] = value
            else:
                node = node.setdefault(key, {})
        else:
            raise ConfigError(f"{source}: {'.'.join(key_path[:i])} is a value, not a section")


def _explain(
    exc: ValidationError, path: Path, lines: dict[tuple[str, ...], int], from_env: dict[tuple[str, ...], str]
) -> str:
    parts = []
    for error in _expand_options(exc.errors()):
        loc = tuple(str(p) for p in error["loc"])
        env = [name for key, name in from_env.items() if key[: len(loc)] == loc or loc[: len(key)] == key]
        line = 0
        for cut in range(len(loc), -1, -1):  # nearest known ancestor
            if loc[:cut] in lines:
                line = lines[loc[:cut]]
                break
        where = f"environment override {env[0]}" if env else f"{path}:{line}"
        key = ".".join(loc) or "(top level)"
        message = error["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {key}: {message}")
    return "invalid configuration:\n  " + "\n  ".join(parts)


def _expand_options(errors: list[Any]) -> list[Any]:
    """A source's or channel's options error becomes one error per option, at that option's line."""
    out = []
    for error in errors:
        inner = (error.get("ctx") or {}).get("error")
        if isinstance(inner, OptionsInvalid):
            out += [{"loc": (*error["loc"], *loc), "msg": msg} for loc, msg in inner.errors]
        else:
            out.append(error)
    return out

"""Touchpoint templates for common industries, chosen with `touchpoints_template:` in a config.

A template is a YAML file with a `touchpoints:` list (name, owner, description, keywords,
examples), Korean and English. `touchpoints_template: airline` takes a bundled one; a path
(`./our_taxonomy.yaml`, relative to the config file) includes a team's own. The config's own
`touchpoints:` entries come first and replace a template entry of the same name.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from groundswell.errors import ConfigError


def bundled_templates() -> list[str]:
    """Names of the templates shipped here (the YAML files of this folder)."""
    folder = resources.files(__name__)
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def template_path(name: str, config_dir: Path) -> Path:
    """A bundled template's file, or a path relative to the config's folder."""
    if name in bundled_templates():
        return Path(str(resources.files(__name__) / f"{name}.yaml"))
    path = Path(name).expanduser()
    path = path if path.is_absolute() else config_dir / path
    if not (name.endswith((".yaml", ".yml")) and path.is_file()):
        raise ConfigError(
            f"touchpoints_template: no template {name!r}; bundled: {', '.join(bundled_templates())}, "
            "or a path to a YAML file with a touchpoints: list"
        )
    return path


def template_touchpoints(name: str, config_dir: Path) -> list[dict[str, Any]]:
    path = template_path(name, config_dir)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"touchpoints template {path}: cannot be read: {exc}") from None
    items = data.get("touchpoints") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(t, dict) and t.get("name") for t in items):
        raise ConfigError(f"touchpoints template {path}: expected a touchpoints: list of entries with a name")
    return items


def with_template(data: dict[str, Any], config_dir: Path) -> dict[str, Any]:
    """The config's data with the template's touchpoints added after its own (own names win)."""
    name = data.get("touchpoints_template")
    if not name:
        return data
    own = data.get("touchpoints") or []
    if not isinstance(own, list):
        return data  # validation reports the bad section with its line
    taken = {t.get("name") for t in own if isinstance(t, dict)}
    extra = [t for t in template_touchpoints(str(name), config_dir) if t["name"] not in taken]
    return {**data, "touchpoints": [*own, *extra]}

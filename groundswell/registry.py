"""One registry mechanism for every pluggable part: a name -> a lazily imported `"pkg.mod:attr"`.

Sources, alert channels, sentiment backends and stores each have one `Registry` (declared together
in `groundswell.plugins`). Built-ins are registered exactly as third-party plug-ins are: a plug-in
package declares an entry point in the registry's group (`groundswell.sources`, ...) whose value
is its import path. Values are import paths, not objects, so a platform client or model is
imported only when something of that name is built, and checking a config's names at load costs
no imports. A config may also name an import path directly (`type: mypkg.feeds:MyFeed`).
Unknown names raise `UnknownName` listing the known ones; a name registered twice (built-in or
plug-in) is a `PluginError`, never a silent override (Scrapy's SpiderLoader warns; we refuse).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from importlib.metadata import entry_points
from typing import Any

from groundswell.errors import PluginError, UnknownName

IMPORT_PATH = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


def is_import_path(name: str) -> bool:
    """`"pkg.mod:Class"`: a name that is its own target."""
    return bool(IMPORT_PATH.match(name))


class Registry:
    """Names of one kind of part, each mapped to the import path of the object that builds it."""

    def __init__(self, kind: str, group: str, builtins: Iterable[tuple[str, str]] = ()) -> None:
        self.kind = kind  # "source type", "alert channel type", ... (used in messages)
        self.group = group  # the entry-point group third-party packages register under
        self._targets: dict[str, str] = {}
        self._plugins_loaded = False
        for name, target in builtins:
            self.register(name, target)

    def register(self, name: str, target: str) -> None:
        """Add `name -> "pkg.mod:attr"`; a name already taken is an error, not an override."""
        if not is_import_path(target):
            raise PluginError(f"{self.kind} {name!r}: {target!r} is not a 'package.module:attr' path")
        if name in self._targets:
            raise PluginError(
                f"{self.kind} {name!r} registered twice ({self._targets[name]} and {target}); "
                "uninstall one of the packages that provide it"
            )
        self._targets[name] = target

    def _load_plugins(self) -> None:
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        for point in entry_points(group=self.group):
            self.register(point.name, point.value.split("[")[0].strip())

    def names(self) -> list[str]:
        self._load_plugins()
        return sorted(self._targets)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __contains__(self, name: object) -> bool:
        self._load_plugins()
        return name in self._targets

    def __len__(self) -> int:
        return len(self.names())

    def target(self, name: str) -> str:
        """The import path of `name` (an import path is its own); UnknownName lists the known names."""
        self._load_plugins()
        if name in self._targets:
            return self._targets[name]
        if is_import_path(name):
            return name
        raise UnknownName(
            f"unknown {self.kind} {name!r}; known: {', '.join(self.names())} "
            "(or a 'package.module:Class' import path)"
        )

    def check(self, name: str) -> str:
        """Validate `name` for config load; returns its import path.

        A registered name is not imported (a missing optional extra is reported when the part is
        built). An import path written in the config is the user's own code: it is imported now,
        so a typo in it is refused at start like any other bad name.
        """
        target = self.target(name)
        if name not in self._targets:
            try:
                self.load(name)
            except ImportError as exc:
                module = target.partition(":")[0]
                raise UnknownName(f"{self.kind} {name!r}: cannot import {module!r} ({exc})") from None
        return target

    def load(self, name: str) -> Any:
        """Import and return the object registered as `name`.

        ImportError (a missing optional package) propagates: each caller turns it into its own
        named error (SourceDisabled, NotInstalled). A missing attribute is a PluginError.
        """
        target = self.target(name)
        module_name, _, attr = target.partition(":")
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            try:
                obj = getattr(obj, part)
            except AttributeError:
                raise PluginError(f"{self.kind} {name!r}: {module_name} has no {attr!r}") from None
        return obj

"""Typed `options:` of a source or channel: the model each part declares beside its code.

A source or channel class sets `Options = <a subclass of PartOptions>`; the config loader
validates `sources[].options` / `channels[].options` with it at start (so `max_results: "lots"`
or a misspelt key is refused with file, line and key), and `scripts/gen_docs.py` renders the
same models as the options tables in docs/. A part without a model accepts any options.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError


def _as_list(value: Any) -> Any:
    """`queries: battery` is read as `[battery]`; lists pass through."""
    return [value] if isinstance(value, str) else value


StrList = Annotated[list[str], BeforeValidator(_as_list)]


class PartOptions(BaseModel):
    """Base of every options model: unknown keys are errors (a typo must not be ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AnyOptions(BaseModel):
    """What a part without its own model accepts: anything, unchecked."""

    model_config = ConfigDict(extra="allow", frozen=True)


class OptionsInvalid(ValueError):
    """Options that fail their model; `errors` keeps each (key path, message) for the loader."""

    def __init__(self, errors: list[tuple[tuple[str, ...], str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{'.'.join(loc) or '(options)'}: {msg}" for loc, msg in errors))


def own_fields_first(model: type[BaseModel]) -> dict[str, Any]:
    """`model_fields`, the part's own options before those it inherits (NetworkOptions' proxy and
    allow_private_hosts): error messages and the generated tables lead with what the part is about."""
    fields = model.model_fields
    order: list[str] = []
    for cls in model.__mro__:
        order += [n for n in getattr(cls, "__annotations__", {}) if n in fields and n not in order]
    order += [n for n in fields if n not in order]
    return {name: fields[name] for name in order}


def options_model(part: Any) -> type[BaseModel]:
    model = getattr(part, "Options", None)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else AnyOptions


def check_options(part: Any, options: dict[str, Any]) -> dict[str, Any]:
    """`options` validated by the part's model, with every default filled in (None left out).

    The filled dict is what the part receives, so the model's defaults are the ones in force and
    the generated docs cannot disagree with the code.
    """
    model_cls = options_model(part)
    try:
        model = model_cls.model_validate(options)
    except ValidationError as exc:
        known = ", ".join(f.alias or name for name, f in own_fields_first(model_cls).items())
        raise OptionsInvalid(
            [
                (
                    tuple(str(p) for p in e["loc"]),
                    f"unknown option; known: {known}"
                    if e["type"] == "extra_forbidden" and len(e["loc"]) == 1
                    else e["msg"].removeprefix("Value error, "),
                )
                for e in exc.errors()
            ]
        ) from None
    return model.model_dump(by_alias=True, exclude_none=True)

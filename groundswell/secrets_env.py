"""Secrets come only from the environment: one reader for sources and alert channels alike.

Config names the variable (`client_secret_env: REDDIT_CLIENT_SECRET`), never the value; the loader
refuses inline secrets. Errors name the variable and never repeat a value. Sources and channels
each had a copy of this with different rules; they now differ only in the error they raise.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from groundswell.errors import SecretMissing
from groundswell.redaction import register_secret


def read_secret(
    options: Mapping[str, Any], key: str, default_env: str | None = None, *, inline: bool = False
) -> str:
    """The value of the variable named by `options[key + '_env']` (else `default_env`).

    `inline` also accepts `options[key]` itself, for values that are not secrets everywhere (a
    webhook URL in a lab). Raises SecretMissing naming what to set.
    """
    env_name = options.get(f"{key}_env") or default_env
    if env_name:
        value = os.environ.get(str(env_name), "")
        if value:
            register_secret(value)  # masked in every later log line (groundswell/redaction.py)
            return value
        raise SecretMissing(f"set the environment variable {env_name} ({key}_env)")
    if inline and options.get(key) is not None:
        return str(options[key])
    wanted = f"options.{key}_env or options.{key}" if inline else f"options.{key}_env"
    raise SecretMissing(f"{wanted} must be set (the name of an environment variable)")

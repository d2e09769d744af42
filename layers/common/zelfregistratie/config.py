"""Configuration from the environment, checked at cold start: a missing or malformed variable fails
loudly, naming every variable at fault.

Plain dataclasses rather than pydantic: the stream function `notify` validates no input of its own,
and its configuration alone would otherwise bring pydantic's import into its cold start.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Self

ENVIRONMENTS = ("ti", "prd", "local")
_BASE_URL = re.compile(r"https?://[^\s/]+(/\S*)?")


class ConfigurationError(Exception):
    """The function cannot start: its environment lacks or garbles a variable."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Shared by every function; read from TABLE_NAME, ENVIRONMENT and PUBLIC_BASE_URL."""

    table_name: str
    environment: str
    public_base_url: str

    @property
    def base_url(self) -> str:
        return self.public_base_url.rstrip("/")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Self:
        env = os.environ if environ is None else environ
        problems: list[str] = []
        values = cls._read(env, problems)
        if problems:
            raise ConfigurationError("; ".join(problems))
        return cls(**values)

    @classmethod
    def _read(cls, env: Mapping[str, str], problems: list[str]) -> dict[str, str]:
        table_name = _variable(env, "TABLE_NAME", problems, lambda v: len(v) >= 3, "at least 3 characters")
        environment = _variable(env, "ENVIRONMENT", problems, ENVIRONMENTS.__contains__, "ti, prd or local")
        base_url = _variable(env, "PUBLIC_BASE_URL", problems, _BASE_URL.fullmatch, "an http(s) URL")
        return {"table_name": table_name, "environment": environment, "public_base_url": base_url}


@dataclass(frozen=True, kw_only=True)
class NotifySettings(Settings):
    """Also SES_SENDER, and SES_CONFIGURATION_SET (empty, the template's default, means none)."""

    sender: str
    configuration_set: str = ""

    @classmethod
    def _read(cls, env: Mapping[str, str], problems: list[str]) -> dict[str, str]:
        sender = _variable(env, "SES_SENDER", problems, lambda v: len(v) >= 3, "at least 3 characters")
        return super()._read(env, problems) | {
            "sender": sender,
            "configuration_set": env.get("SES_CONFIGURATION_SET", ""),
        }


def _variable(
    env: Mapping[str, str], name: str, problems: list[str], valid: Callable[[str], object], wanted: str
) -> str:
    value = env.get(name)
    if value is None:
        problems.append(f"{name} is not set")
        return ""
    if not valid(value):
        problems.append(f"{name} must be {wanted}, not {value!r}")
    return value

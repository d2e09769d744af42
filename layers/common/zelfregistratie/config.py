"""Configuration from the environment, checked at cold start: a missing or malformed variable fails
loudly, naming every variable at fault.

Named tuples rather than pydantic: the stream function `notify` validates no input of its own, and
its configuration alone would otherwise bring pydantic's import into its cold start (and a frozen
dataclass costs several times a named tuple to create).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import NamedTuple, Self

ENVIRONMENTS = ("ti", "prd", "local")
_BASE_URL = re.compile(r"https?://[^\s/]+(/\S*)?")


class ConfigurationError(Exception):
    """The function cannot start: its environment lacks or garbles a variable."""


class _Variable(NamedTuple):
    name: str
    valid: Callable[[str], object]
    wanted: str


# Each setting's variable and rule; a setting with a default may be absent.
_VARIABLES = {
    "table_name": _Variable("TABLE_NAME", lambda v: len(v) >= 3, "at least 3 characters"),
    "environment": _Variable("ENVIRONMENT", ENVIRONMENTS.__contains__, "ti, prd or local"),
    "public_base_url": _Variable("PUBLIC_BASE_URL", _BASE_URL.fullmatch, "an http(s) URL"),
    "sender": _Variable("SES_SENDER", lambda v: len(v) >= 3, "at least 3 characters"),
    # Empty (the template's default) means none.
    "configuration_set": _Variable("SES_CONFIGURATION_SET", lambda v: True, "any text"),
    "event_bus": _Variable("EVENT_BUS_NAME", re.compile(r"[A-Za-z0-9._\-/]{1,256}").fullmatch, "a bus name"),
}


def _read(
    fields: tuple[str, ...], defaults: Mapping[str, object], environ: Mapping[str, str] | None
) -> dict[str, str]:
    env = os.environ if environ is None else environ
    problems: list[str] = []
    values: dict[str, str] = {}
    for field in fields:
        variable = _VARIABLES[field]
        value = env.get(variable.name)
        if value is None:
            if field not in defaults:
                problems.append(f"{variable.name} is not set")
            continue
        if not variable.valid(value):
            problems.append(f"{variable.name} must be {variable.wanted}, not {value!r}")
        values[field] = value
    if problems:
        raise ConfigurationError("; ".join(problems))
    return values


class Settings(NamedTuple):
    """Every API function's: TABLE_NAME and ENVIRONMENT."""

    table_name: str
    environment: str

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Self:
        return cls(**_read(cls._fields, cls._field_defaults, environ))


class NotifySettings(NamedTuple):
    """The stream function's: also PUBLIC_BASE_URL (where links in mails point), SES_SENDER,
    SES_CONFIGURATION_SET and EVENT_BUS_NAME (where events go)."""

    table_name: str
    environment: str
    public_base_url: str
    sender: str
    event_bus: str
    configuration_set: str = ""

    @property
    def base_url(self) -> str:
        return self.public_base_url.rstrip("/")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Self:
        return cls(**_read(cls._fields, cls._field_defaults, environ))


LIFECYCLE_DAYS = {
    "first_reminder": "LIFECYCLE_FIRST_REMINDER_DAYS",
    "second_reminder": "LIFECYCLE_SECOND_REMINDER_DAYS",
    "request_expiry": "LIFECYCLE_REQUEST_EXPIRY_DAYS",
    "grant_warning": "LIFECYCLE_GRANT_WARNING_DAYS",
    "retention": "LIFECYCLE_RETENTION_DAYS",
}


def lifecycle_days(environ: Mapping[str, str] | None = None) -> dict[str, int]:
    """The lifecycle's periods the template sets (docs/lifecycle.md), in days; those not set keep their
    defaults."""
    env = os.environ if environ is None else environ
    found, problems = {}, []
    for name, variable in LIFECYCLE_DAYS.items():
        value = env.get(variable)
        if value is None:
            continue
        if not value.isdigit() or int(value) < 1:
            problems.append(f"{variable} must be a number of days, not {value!r}")
        else:
            found[name] = int(value)
    if problems:
        raise ConfigurationError("; ".join(problems))
    return found

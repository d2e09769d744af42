"""The answers of the administrator's home (docs/administrators-home.md)."""

from __future__ import annotations

# pydantic reads these for the OpenAPI document, and needs typing_extensions' TypedDict before 3.12.
from typing_extensions import TypedDict

from zelfregistratie.api.shapes import Ref


class FoundPersonView(TypedDict):
    """A person of one or more of the caller's organisations, found by name."""

    sub: str
    name: str
    organizations: list[Ref]  # those of the caller's where the person works

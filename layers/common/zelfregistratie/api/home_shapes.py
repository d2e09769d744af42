"""The answers of the administrator's home (docs/administrators-home.md)."""

from __future__ import annotations

# pydantic reads these for the OpenAPI document, and needs typing_extensions' TypedDict before 3.12.
from typing_extensions import TypedDict

from zelfregistratie.api.shapes import GrantView, Ref, Subject
from zelfregistratie.domain.entities import AdminRole, TargetGroup


class FoundPersonView(TypedDict):
    """A person of one or more of the caller's organisations, found by name."""

    sub: str
    name: str
    organizations: list[Ref]  # those of the caller's where the person works


class OrganizationCountsView(TypedDict):
    people: int  # on its people list
    activeGrants: int
    openTasks: int


class AdministeredOrganizationView(TypedDict):
    """An organisation the caller administers, with their role there; the counts may lag a change by
    seconds (docs/administrators-home.md § Counts)."""

    code: str
    name: str | None
    targetGroup: TargetGroup | None
    role: AdminRole
    reachable: bool  # it can receive requests: an administrator with a working address
    counts: OrganizationCountsView


class ComparedRowView(TypedDict):
    right: Ref
    context: str | None
    grants: dict[str, GrantView | None]  # by each person's sub, null where not held


class ComparisonView(TypedDict):
    """Vergelijk meerdere personen: the people as columns, a row per right any of them holds."""

    people: list[Subject]
    rows: list[ComparedRowView]

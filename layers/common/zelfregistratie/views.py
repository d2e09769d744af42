"""What the API answers (PRODUCT.md §5): its JSON shapes, and the builders that make them from domain
objects — the only place that does.

The shapes are TypedDicts with the wire's camelCase keys: our own output needs no validation at run
time (mypy checks the builders), so they cost a cold start next to nothing, where two dozen pydantic
models cost about 6 ms. `dumps` writes them; the OpenAPI generator reads their schemas through
pydantic. References are objects `{"code", "name"}`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, Generic, Literal, TypeVar

# pydantic reads these for the OpenAPI document, and needs typing_extensions' TypedDict before 3.12.
from typing_extensions import TypedDict

from zelfregistratie.clock import isoformat
from zelfregistratie.domain import (
    AccessRequest,
    AdminRole,
    Decision,
    Grant,
    LocalAdmin,
    Organization,
    OrganizationWithAdmins,
    Outcome,
    RequestStatus,
    RequestType,
    Right,
    TargetGroup,
    WorkRelationship,
)

T = TypeVar("T")


def dumps(value: Any) -> str:
    """A view as compact JSON: instants in UTC with `Z`, dates as `YYYY-MM-DD`, enums by value."""
    return json.dumps(value, default=_json_value, ensure_ascii=False, separators=(",", ":"))


def _json_value(value: Any) -> Any:
    if isinstance(value, date):  # datetime too
        return isoformat(value)
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"not serialisable: {type(value).__name__}")


class Ref(TypedDict):
    code: str
    name: str | None


class ApplicationRef(TypedDict):
    id: int
    name: str


class PersonRef(TypedDict):
    name: str


class DecisionView(TypedDict):
    outcome: Outcome
    by: PersonRef
    at: datetime
    reason: str


class Period(TypedDict):
    begin: date
    end: date


class RequestView(TypedDict):
    id: str
    type: RequestType
    status: RequestStatus
    targetGroup: TargetGroup
    organization: Ref
    application: ApplicationRef | None
    right: Ref | None
    context: str | None
    phone: str
    email: str
    reason: str | None
    createdAt: datetime
    cancelledAt: datetime | None
    decision: DecisionView | None
    grant: Period | None


class PageView(TypedDict, Generic[T]):
    items: list[T]
    nextCursor: str | None


class TargetGroupRef(TypedDict):
    code: TargetGroup
    name: str


class RightChoice(TypedDict):
    code: str
    name: str
    contexts: list[str]


class FormOrganization(TypedDict):
    code: str
    name: str | None
    canReceiveRequests: bool


class RegistrationFormView(TypedDict):
    type: RequestType
    targetGroup: TargetGroupRef
    application: ApplicationRef | None
    rights: list[RightChoice]
    rightFixed: bool
    context: str | None
    organization: FormOrganization | None


class AdminSummary(TypedDict):
    name: str
    role: AdminRole
    hasEmail: bool


class OrganizationView(TypedDict):
    code: str
    name: str
    targetGroup: TargetGroup
    localAdmins: list[AdminSummary]


class WorkRelationshipView(TypedDict):
    organization: Ref
    email: str | None
    phone: str | None
    since: date


class GrantView(TypedDict):
    right: Ref
    organization: Ref
    context: str | None
    begin: date
    end: date


class AdministeredView(TypedDict):
    organization: Ref
    role: AdminRole


class MeView(TypedDict):
    sub: str
    name: str
    workRelationships: list[WorkRelationshipView]
    grants: list[GrantView]
    administers: list[AdministeredView]


class TaskRow(TypedDict):
    """A row of "Mijn Taken": Taak, Type, Aangemaakt door, Datum aanmaak — and what it is about."""

    id: str
    task: Literal["create"]
    type: Literal["self-registration"]
    requestType: RequestType
    status: RequestStatus
    createdBy: PersonRef
    createdAt: datetime
    organization: Ref
    right: Ref | None
    context: str | None


class HistoryEntry(TypedDict):
    event: str
    at: datetime
    by: PersonRef
    reason: str | None


class TaskDetails(TypedDict):
    """Everything the seed's "Zelfregistratie Details" window shows, and the history."""

    id: str
    requestType: RequestType
    status: RequestStatus
    requester: PersonRef
    application: ApplicationRef | None
    organization: Ref
    right: Ref | None
    context: str | None
    email: str
    phone: str
    beginDate: date | None
    endDate: date | None
    reason: str | None
    createdAt: datetime
    decision: DecisionView | None
    history: list[HistoryEntry]


class AdminView(TypedDict):
    person: str
    name: str
    role: AdminRole
    email: str | None
    phone: str | None


class CandidateView(TypedDict):
    person: str
    name: str | None
    email: str | None


class OrganizationAdminsView(TypedDict):
    """For an organisation's administrators: who administers it, and who could."""

    organization: Ref
    targetGroup: TargetGroup
    canReceiveRequests: bool
    admins: list[AdminView]
    candidates: list[CandidateView]


# ---- builders -------------------------------------------------------------------------------------


def page_view(items: list[T], next_cursor: str | None) -> PageView[T]:
    return {"items": items, "nextCursor": next_cursor}


def application_ref(request: AccessRequest) -> ApplicationRef | None:
    if request.application_id is None or not request.application_name:
        return None
    return {"id": request.application_id, "name": request.application_name}


def right_ref(request: AccessRequest) -> Ref | None:
    return {"code": request.right, "name": request.right_name} if request.right else None


def decision_view(decision: Decision | None) -> DecisionView | None:
    if decision is None:
        return None
    return {
        "outcome": decision.outcome,
        "by": {"name": decision.by_name},
        "at": decision.at,
        "reason": decision.reason,
    }


def request_view(request: AccessRequest) -> RequestView:
    grant: Period | None = None
    if request.grant_begin and request.grant_end:
        grant = {"begin": request.grant_begin, "end": request.grant_end}
    return {
        "id": request.id,
        "type": request.type,
        "status": request.status,
        "targetGroup": request.target_group,
        "organization": {"code": request.organization, "name": request.organization_name},
        "application": application_ref(request),
        "right": right_ref(request),
        "context": request.context,
        "phone": request.phone,
        "email": request.email,
        "reason": request.reason,
        "createdAt": request.created_at,
        "cancelledAt": request.cancelled_at,
        "decision": decision_view(request.decision),
        "grant": grant,
    }


def target_group_ref(target_group: TargetGroup) -> TargetGroupRef:
    return {"code": target_group, "name": target_group.label}


def right_choice(right: Right) -> RightChoice:
    return {"code": right.code, "name": right.name, "contexts": list(right.contexts)}


def _heads_first(admins: Sequence[LocalAdmin]) -> list[LocalAdmin]:
    return sorted(admins, key=lambda a: (a.role is not AdminRole.HEAD, a.name))


def organization_view(organization: Organization, found: OrganizationWithAdmins) -> OrganizationView:
    return {
        "code": organization.code,
        "name": organization.name,
        "targetGroup": organization.target_group,
        "localAdmins": [
            {"name": a.name, "role": a.role, "hasEmail": a.reachable} for a in _heads_first(found.admins)
        ],
    }


def work_relationship_view(relationship: WorkRelationship) -> WorkRelationshipView:
    return {
        "organization": {"code": relationship.organization, "name": relationship.organization_name},
        "email": relationship.email,
        "phone": relationship.phone,
        "since": relationship.since,
    }


def grant_view(grant: Grant) -> GrantView:
    return {
        "right": {"code": grant.right, "name": grant.right_name},
        "organization": {"code": grant.organization, "name": grant.organization_name},
        "context": grant.context,
        "begin": grant.begin,
        "end": grant.end,
    }


def administered_view(admin: LocalAdmin) -> AdministeredView:
    return {"organization": {"code": admin.organization, "name": admin.organization_name}, "role": admin.role}


def task_row(request: AccessRequest) -> TaskRow:
    return {
        "id": request.id,
        "task": "create",
        "type": "self-registration",
        "requestType": request.type,
        "status": request.status,
        "createdBy": {"name": request.requester_name},
        "createdAt": request.created_at,
        "organization": {"code": request.organization, "name": request.organization_name},
        "right": right_ref(request),
        "context": request.context,
    }


def admin_view(admin: LocalAdmin) -> AdminView:
    return {
        "person": admin.person,
        "name": admin.name,
        "role": admin.role,
        "email": admin.email,
        "phone": admin.phone,
    }


def organization_admins_view(
    found: OrganizationWithAdmins, relationships: list[WorkRelationship]
) -> OrganizationAdminsView:
    assert found.organization is not None
    organization = found.organization
    return {
        "organization": {"code": organization.code, "name": organization.name},
        "targetGroup": organization.target_group,
        "canReceiveRequests": found.can_receive_requests,
        "admins": [admin_view(a) for a in _heads_first(found.admins)],
        "candidates": [{"person": r.person, "name": r.person_name, "email": r.email} for r in relationships],
    }

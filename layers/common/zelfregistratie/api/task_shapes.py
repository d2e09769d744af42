"""The administrator's answers (docs/rules.md): "Mijn Taken", a task's details, an organisation's
administrators; TypedDicts with the wire's camelCase keys, as `shapes.py` explains."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

# pydantic reads these for the OpenAPI document, and needs typing_extensions' TypedDict before 3.12.
from typing_extensions import TypedDict

from zelfregistratie.api.shapes import (
    ApplicationRef,
    DecisionView,
    GrantView,
    PersonRef,
    Ref,
    WorkRelationshipView,
)
from zelfregistratie.domain.entities import AdminRole, EmailStatus, RequestStatus, RequestType, TargetGroup


class TaskRow(TypedDict):
    """A row of "Mijn Taken": Taak, Type, Aangemaakt door, Datum aanmaak — and what it is about."""

    id: str
    number: str
    task: Literal["create"]
    type: Literal["self-registration"]
    requestType: RequestType
    status: RequestStatus
    createdBy: PersonRef
    createdAt: datetime
    organization: Ref
    right: Ref | None
    context: str | None
    decision: DecisionView | None
    renewal: bool  # "Verlenging"
    own: bool  # the caller's own request: nobody decides their own (`own_request`)


class HistoryEntry(TypedDict):
    event: str
    at: datetime
    by: PersonRef
    reason: str | None


class Holdings(TypedDict):
    """What the requester already holds with the task's organisation."""

    workRelationship: WorkRelationshipView | None
    grants: list[GrantView]


class TaskDetails(TypedDict):
    """Everything the seed's "Zelfregistratie Details" window shows, and the history."""

    id: str
    number: str
    renewal: bool  # "Verlenging"
    own: bool  # the caller's own request
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
    rightDescription: str | None
    requesterHolds: Holdings


class AdminView(TypedDict):
    person: str
    name: str
    role: AdminRole
    email: str | None
    phone: str | None
    emailStatus: EmailStatus


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

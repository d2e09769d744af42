"""What the API answers (docs/rules.md § The API's conventions): its JSON shapes, as TypedDicts with the
wire's camelCase keys.

Our own output needs no validation at run time (mypy checks the builders in `views.py`), so they cost
a cold start next to nothing, where two dozen pydantic models cost about 6 ms. The OpenAPI generator
reads their schemas through pydantic. References are objects `{"code", "name"}`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, TypeVar

# pydantic reads these for the OpenAPI document, and needs typing_extensions' TypedDict before 3.12.
from typing_extensions import TypedDict

from zelfregistratie.domain.audit import AuditAction
from zelfregistratie.domain.entities import (
    AdminRole,
    Outcome,
    RequestStatus,
    RequestType,
    TargetGroup,
)
from zelfregistratie.domain.rights import GrantStatus, WorkRelationshipStatus

T = TypeVar("T")


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
    number: str
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
    renewal: bool  # of a grant that is expiring (docs/lifecycle.md)


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
    renewal: Renewal | None  # the caller holds this right there, to be renewed: until when
    contact: Contact | None  # a renewal's work relationship: how it reaches the caller


class Renewal(TypedDict):
    end: date


class Contact(TypedDict):
    phone: str | None
    email: str | None


class AdminSummary(TypedDict):
    name: str
    role: AdminRole
    hasEmail: bool
    reachable: bool  # has an address, and it has not bounced (docs/unreachable-administrators.md)


class OrganizationView(TypedDict):
    code: str
    name: str
    targetGroup: TargetGroup
    localAdmins: list[AdminSummary]


class Subject(TypedDict):
    sub: str
    name: str | None


class EndingView(TypedDict):
    by: PersonRef
    at: datetime
    reason: str | None


class WorkRelationshipView(TypedDict):
    id: str
    organization: Ref
    email: str | None
    phone: str | None
    since: date
    status: WorkRelationshipStatus
    end: date | None


class GrantView(TypedDict):
    id: str
    person: Subject
    organization: Ref
    application: ApplicationRef | None
    right: Ref
    context: str | None
    begin: date
    end: date
    status: GrantStatus
    revocation: EndingView | None


class ApplicationGrantView(GrantView):
    """A grant as an application reads it: `changedAt` is when it was created or last changed."""

    changedAt: datetime


class MemberView(TypedDict):
    """A person in an organisation's people list (docs/rules.md § Managing rights)."""

    sub: str
    name: str | None
    localAdmin: bool  # administers the organisation: the work relationship cannot end
    workRelationship: WorkRelationshipView | None
    grants: list[GrantView]


class AuditEntryView(TypedDict):
    id: str
    at: datetime
    action: AuditAction
    by: PersonRef
    person: Subject | None
    right: Ref | None
    reason: str | None


class GrantableRightView(TypedDict):
    """A right "Recht toekennen" offers, with the longest validity it may get."""

    code: str
    name: str
    application: ApplicationRef
    contexts: list[str]
    validityMonths: int


class EndedView(TypedDict):
    workRelationship: WorkRelationshipView
    revokedGrants: list[GrantView]


class AdministeredView(TypedDict):
    organization: Ref
    role: AdminRole


class MeView(TypedDict):
    sub: str
    name: str
    workRelationships: list[WorkRelationshipView]
    grants: list[GrantView]
    administers: list[AdministeredView]


# ---- builders -------------------------------------------------------------------------------------


class ExportView(TypedDict):
    """Everything kept about the caller (`GET /api/me/export`, GDPR art. 15)."""

    exportedAt: datetime
    sub: str
    name: str
    requests: list[RequestView]
    workRelationships: list[WorkRelationshipView]
    grants: list[GrantView]
    administers: list[AdministeredView]
    audit: list[AuditEntryView]

"""What the API answers (PRODUCT.md §5): camelCase shapes built from domain objects.

References are objects `{"code", "name"}` in responses; the builders here are the only place that
turns domain objects into them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

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


class View(BaseModel):
    # Built on first use: a cold start builds the few views its route answers with, not all of them.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True, defer_build=True)


class Ref(View):
    code: str
    name: str | None


class ApplicationRef(View):
    id: int
    name: str

    @classmethod
    def of(cls, request: AccessRequest) -> ApplicationRef | None:
        if request.application_id is None or not request.application_name:
            return None
        return cls(id=request.application_id, name=request.application_name)


class PersonRef(View):
    name: str


class DecisionView(View):
    outcome: Outcome
    by: PersonRef
    at: datetime
    reason: str

    @classmethod
    def of(cls, decision: Decision) -> DecisionView:
        return cls(
            outcome=decision.outcome,
            by=PersonRef(name=decision.by_name),
            at=decision.at,
            reason=decision.reason,
        )


class Period(View):
    begin: date
    end: date


class RequestView(View):
    id: str
    type: RequestType
    status: RequestStatus
    target_group: TargetGroup
    organization: Ref
    application: ApplicationRef | None = None
    right: Ref | None = None
    context: str | None = None
    phone: str
    email: str
    reason: str | None = None
    created_at: datetime
    cancelled_at: datetime | None = None
    decision: DecisionView | None = None
    grant: Period | None = None

    @classmethod
    def of(cls, request: AccessRequest) -> RequestView:
        return cls(
            id=request.id,
            type=request.type,
            status=request.status,
            target_group=request.target_group,
            organization=Ref(code=request.organization, name=request.organization_name),
            application=ApplicationRef.of(request),
            right=Ref(code=request.right, name=request.right_name) if request.right else None,
            context=request.context,
            phone=request.phone,
            email=request.email,
            reason=request.reason,
            created_at=request.created_at,
            cancelled_at=request.cancelled_at,
            decision=DecisionView.of(request.decision) if request.decision else None,
            grant=(
                Period(begin=request.grant_begin, end=request.grant_end)
                if request.grant_begin and request.grant_end
                else None
            ),
        )


class PageView(View, Generic[T]):
    items: list[T]
    next_cursor: str | None


class TargetGroupRef(View):
    code: TargetGroup
    name: str

    @classmethod
    def of(cls, target_group: TargetGroup) -> TargetGroupRef:
        return cls(code=target_group, name=target_group.label)


class RightChoice(View):
    code: str
    name: str
    contexts: list[str]

    @classmethod
    def of(cls, right: Right) -> RightChoice:
        return cls(code=right.code, name=right.name, contexts=list(right.contexts))


class FormOrganization(View):
    code: str
    name: str | None
    can_receive_requests: bool


class RegistrationFormView(View):
    type: RequestType
    target_group: TargetGroupRef
    application: ApplicationRef | None = None
    rights: list[RightChoice]
    right_fixed: bool
    context: str | None = None
    organization: FormOrganization | None = None


class AdminSummary(View):
    name: str
    role: AdminRole
    has_email: bool


class OrganizationView(View):
    code: str
    name: str
    target_group: TargetGroup
    local_admins: list[AdminSummary]

    @classmethod
    def of(cls, organization: Organization, found: OrganizationWithAdmins) -> OrganizationView:
        admins = sorted(found.admins, key=lambda a: (a.role is not AdminRole.HEAD, a.name))
        return cls(
            code=organization.code,
            name=organization.name,
            target_group=organization.target_group,
            local_admins=[AdminSummary(name=a.name, role=a.role, has_email=a.reachable) for a in admins],
        )


class WorkRelationshipView(View):
    organization: Ref
    email: str | None
    phone: str | None
    since: date

    @classmethod
    def of(cls, relationship: WorkRelationship) -> WorkRelationshipView:
        return cls(
            organization=Ref(code=relationship.organization, name=relationship.organization_name),
            email=relationship.email,
            phone=relationship.phone,
            since=relationship.since,
        )


class GrantView(View):
    right: Ref
    organization: Ref
    context: str | None
    begin: date
    end: date

    @classmethod
    def of(cls, grant: Grant) -> GrantView:
        return cls(
            right=Ref(code=grant.right, name=grant.right_name),
            organization=Ref(code=grant.organization, name=grant.organization_name),
            context=grant.context,
            begin=grant.begin,
            end=grant.end,
        )


class AdministeredView(View):
    organization: Ref
    role: AdminRole

    @classmethod
    def of(cls, admin: LocalAdmin) -> AdministeredView:
        return cls(organization=Ref(code=admin.organization, name=admin.organization_name), role=admin.role)


class MeView(View):
    sub: str
    name: str
    work_relationships: list[WorkRelationshipView]
    grants: list[GrantView]
    administers: list[AdministeredView]


class TaskRow(View):
    """A row of "Mijn Taken": Taak, Type, Aangemaakt door, Datum aanmaak — and what it is about."""

    id: str
    task: str = "create"
    type: str = "self-registration"
    request_type: RequestType
    status: RequestStatus
    created_by: PersonRef
    created_at: datetime
    organization: Ref
    right: Ref | None
    context: str | None

    @classmethod
    def of(cls, request: AccessRequest) -> TaskRow:
        return cls(
            id=request.id,
            request_type=request.type,
            status=request.status,
            created_by=PersonRef(name=request.requester_name),
            created_at=request.created_at,
            organization=Ref(code=request.organization, name=request.organization_name),
            right=Ref(code=request.right, name=request.right_name) if request.right else None,
            context=request.context,
        )


class HistoryEntry(View):
    event: str
    at: datetime
    by: PersonRef
    reason: str | None = None


class TaskDetails(View):
    """Everything the seed's "Zelfregistratie Details" window shows, and the history."""

    id: str
    request_type: RequestType
    status: RequestStatus
    requester: PersonRef
    application: ApplicationRef | None
    organization: Ref
    right: Ref | None
    context: str | None
    email: str
    phone: str
    begin_date: date | None
    end_date: date | None
    reason: str | None
    created_at: datetime
    decision: DecisionView | None
    history: list[HistoryEntry]


class AdminView(View):
    person: str
    name: str
    role: AdminRole
    email: str | None
    phone: str | None

    @classmethod
    def of(cls, admin: LocalAdmin) -> AdminView:
        return cls(
            person=admin.person, name=admin.name, role=admin.role, email=admin.email, phone=admin.phone
        )


class CandidateView(View):
    person: str
    name: str | None
    email: str | None


class OrganizationAdminsView(View):
    """For an organisation's administrators: who administers it, and who could."""

    organization: Ref
    target_group: TargetGroup
    can_receive_requests: bool
    admins: list[AdminView]
    candidates: list[CandidateView]

    @classmethod
    def of(
        cls, found: OrganizationWithAdmins, relationships: list[WorkRelationship]
    ) -> OrganizationAdminsView:
        assert found.organization is not None
        organization = found.organization
        admins = sorted(found.admins, key=lambda a: (a.role is not AdminRole.HEAD, a.name))
        return cls(
            organization=Ref(code=organization.code, name=organization.name),
            target_group=organization.target_group,
            can_receive_requests=found.can_receive_requests,
            admins=[AdminView.of(a) for a in admins],
            candidates=[
                CandidateView(person=r.person, name=r.person_name, email=r.email) for r in relationships
            ],
        )

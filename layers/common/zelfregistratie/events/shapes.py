"""The events' `detail`, per detail-type (docs/applications.md): TypedDicts, as the API's shapes are, from
which `make schemas` writes the JSON Schemas under `events/` that applications validate against."""

from __future__ import annotations

from datetime import date, datetime

from typing_extensions import TypedDict

from zelfregistratie.api.shapes import (
    ApplicationRef,
    DecisionView,
    GrantView,
    Period,
    Ref,
    Subject,
)
from zelfregistratie.domain.entities import AdminRole, RequestStatus, RequestType, TargetGroup
from zelfregistratie.domain.rights import WorkRelationshipStatus


class RequestInEvent(TypedDict):
    """A request as the API shows it, without the requester's e-mail and phone."""

    id: str
    number: str
    type: RequestType
    status: RequestStatus
    targetGroup: TargetGroup
    organization: Ref
    application: ApplicationRef | None
    right: Ref | None
    context: str | None
    reason: str | None
    createdAt: datetime
    cancelledAt: datetime | None
    decision: DecisionView | None
    grant: Period | None
    renewal: bool


class WorkRelationshipInEvent(TypedDict):
    """A work relationship as the API shows it, without its e-mail and phone."""

    id: str
    organization: Ref
    since: date
    status: WorkRelationshipStatus
    end: date | None


class EventDetail(TypedDict):
    eventId: str  # the same on redelivery: drop what you already have
    occurredAt: datetime
    organization: Ref
    person: Subject


class RequestEventDetail(EventDetail):
    request: RequestInEvent


class GrantEventDetail(EventDetail):
    grant: GrantView


class WorkRelationshipEventDetail(EventDetail):
    workRelationship: WorkRelationshipInEvent


class LocalAdminEventDetail(EventDetail):
    role: AdminRole


DETAIL_TYPES: dict[str, type[EventDetail]] = {
    "RequestFiled": RequestEventDetail,
    "RequestApproved": RequestEventDetail,
    "RequestRejected": RequestEventDetail,
    "RequestCancelled": RequestEventDetail,
    "RequestExpired": RequestEventDetail,
    "GrantCreated": GrantEventDetail,
    "GrantRenewed": GrantEventDetail,
    "GrantRevoked": GrantEventDetail,
    "GrantExpired": GrantEventDetail,
    "WorkRelationshipCreated": WorkRelationshipEventDetail,
    "WorkRelationshipEnded": WorkRelationshipEventDetail,
    "LocalAdminAppointed": LocalAdminEventDetail,
    "LocalAdminRemoved": LocalAdminEventDetail,
    "LocalAdminChanged": LocalAdminEventDetail,
}

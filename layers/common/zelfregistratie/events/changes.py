"""A stream record's change (`store.changes`) → the events it publishes: detail-type and detail, in
the API's shapes without e-mail addresses or phone numbers.

Which changes: a request's own transitions; a grant's or work relationship's record (`GRANT#{id}`,
`WORKREL#{id}`, not their slots: those come and go with the record); a local administrator's item.
The template's stream filter passes exactly these, and the mails' records.

`eventId` is the stream record's id with the detail-type, hashed: a redelivered record publishes the
same id, so an application drops what it already has.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from zelfregistratie.api.views import grant_view, request_view, work_relationship_view
from zelfregistratie.domain import clock
from zelfregistratie.domain.entities import LocalAdmin, RequestStatus
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.requests import AccessRequest, RequestEvent
from zelfregistratie.domain.rights import Grant, GrantChange, WorkRelationship, WorkRelationshipChange
from zelfregistratie.store.changes import AdminChange, Change

if TYPE_CHECKING:
    from zelfregistratie.events.shapes import EventDetail

SOURCE = "zelfregistratie"
# Fields of the API's shapes that events never carry (docs/applications.md).
PERSONAL_CONTACT = ("email", "phone")


class Event(NamedTuple):
    detail_type: str
    detail: EventDetail


def events_for(change: Change, now: datetime, periods: Periods) -> list[Event]:
    """The events one change causes; `now` (when it is handled) stands in for a change whose record
    carries no time of its own, and dates a grant's status with `periods`."""
    found: tuple[str, datetime | None, dict[str, Any]] | None = None
    if change.request is not None:
        found = _request(*change.request)
    elif change.grant is not None:
        found = _grant(*change.grant, clock.today(now), periods)
    elif change.work_relationship is not None:
        found = _work_relationship(*change.work_relationship)
    elif change.local_admin is not None:
        found = _local_admin(*change.local_admin)
    if found is None:
        return []
    detail_type, occurred, body = found
    event_id = hashlib.sha256(f"{change.event_id}/{detail_type}".encode()).hexdigest()[:32]
    detail = {"eventId": event_id, "occurredAt": occurred or change.arrived or now} | body
    return [Event(detail_type, detail)]  # type: ignore[arg-type]


def _request(
    event: RequestEvent, request: AccessRequest
) -> tuple[str, datetime | None, dict[str, Any]] | None:
    at: datetime | None
    if event in (RequestEvent.REMINDED, RequestEvent.REMINDED_AGAIN):
        return None  # reminders change nothing an application keeps
    if event is RequestEvent.FILED:
        detail_type, at = "RequestFiled", request.created_at
    elif event is RequestEvent.CANCELLED:
        detail_type, at = "RequestCancelled", request.cancelled_at
    elif event is RequestEvent.EXPIRED:
        detail_type, at = "RequestExpired", request.expired_at
    else:
        approved = request.status is RequestStatus.APPROVED
        detail_type = "RequestApproved" if approved else "RequestRejected"
        at = request.decision.at if request.decision else None
    body = {
        "organization": {"code": request.organization, "name": request.organization_name},
        "person": {"sub": request.requester, "name": request.requester_name},
        "request": _without_contact(request_view(request)),
    }
    return detail_type, at, body


GRANT_EVENTS = {
    GrantChange.CREATED: "GrantCreated",
    GrantChange.REVOKED: "GrantRevoked",
    GrantChange.EXPIRED: "GrantExpired",
    GrantChange.RENEWED: "GrantRenewed",
}  # its warning (turning `expiring`) emits nothing


def _grant(
    what: GrantChange, grant: Grant, today: date, periods: Periods
) -> tuple[str, datetime | None, dict[str, Any]] | None:
    if what not in GRANT_EVENTS:
        return None
    body = {
        "organization": {"code": grant.organization, "name": grant.organization_name},
        "person": {"sub": grant.person, "name": grant.person_name},
        "grant": grant_view(grant, today, periods),
    }
    return GRANT_EVENTS[what], grant.changed_at, body


def _work_relationship(
    what: WorkRelationshipChange, relationship: WorkRelationship
) -> tuple[str, datetime | None, dict[str, Any]]:
    if what is WorkRelationshipChange.CREATED:
        detail_type, at = "WorkRelationshipCreated", None
    else:
        detail_type = "WorkRelationshipEnded"
        at = relationship.ending.at if relationship.ending else None
    body = {
        "organization": {"code": relationship.organization, "name": relationship.organization_name},
        "person": {"sub": relationship.person, "name": relationship.person_name},
        "workRelationship": _without_contact(work_relationship_view(relationship)),
    }
    return detail_type, at, body


ADMIN_EVENTS = {
    AdminChange.APPOINTED: "LocalAdminAppointed",
    AdminChange.REMOVED: "LocalAdminRemoved",
    AdminChange.CHANGED: "LocalAdminChanged",
}


def _local_admin(what: AdminChange, admin: LocalAdmin) -> tuple[str, datetime | None, dict[str, Any]]:
    body = {
        "organization": {"code": admin.organization, "name": admin.organization_name},
        "person": {"sub": admin.person, "name": admin.name},
        "role": admin.role,
    }
    return ADMIN_EVENTS[what], None, body


def _without_contact(view: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in view.items() if k not in PERSONAL_CONTACT}

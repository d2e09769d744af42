"""A stream record → the events it publishes: detail-type and detail, in the API's shapes without
e-mail addresses or phone numbers.

Which records: a request's own transitions (as mails read them, `store.changes`); a grant's or work
relationship's record (`GRANT#{id}`, `WORKREL#{id}`, not their slots: those come and go with the
record); a local administrator's item. The template's stream filter passes exactly these, and the
mails' records.

`eventId` is the stream record's id with the detail-type, hashed: a redelivered record publishes the
same id, so an application drops what it already has.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from zelfregistratie.api.views import grant_view, request_view, work_relationship_view
from zelfregistratie.domain import clock
from zelfregistratie.domain.entities import AccessRequest, LocalAdmin, RequestStatus
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.rights import Grant, WorkRelationship
from zelfregistratie.store.changes import RequestEvent, image_string, request_event
from zelfregistratie.store.table import model, values

if TYPE_CHECKING:
    from zelfregistratie.events.shapes import EventDetail

SOURCE = "zelfregistratie"
GRANT_RECORD, WORK_RELATIONSHIP_RECORD = "#GRANT", "#WORKREL"
# Fields of the API's shapes that events never carry (docs/applications.md).
PERSONAL_CONTACT = ("email", "phone")


class Event(NamedTuple):
    detail_type: str
    detail: EventDetail


def events_for(record: Mapping[str, Any], now: datetime, periods: Periods) -> list[Event]:
    """The events one stream record causes; `now` (when it is handled) stands in for a change whose
    record carries no time of its own, and dates a grant's status with `periods`."""
    change = record["dynamodb"]
    old, new = change.get("OldImage"), change.get("NewImage")
    image = new or old or {}
    kind = image_string(image, "kind")
    sort_key = image_string(change.get("Keys", {}), "SK")
    found: tuple[str, datetime | None, dict[str, Any]] | None = None
    if kind == "request":
        found = _request(old, new)
    elif kind == "grant" and sort_key == GRANT_RECORD and new:
        found = _grant(old, new, clock.today(now), periods)
    elif kind == "work_relationship" and sort_key == WORK_RELATIONSHIP_RECORD and new:
        found = _work_relationship(old, new)
    elif kind == "local_admin":
        found = _local_admin(old, new)
    if found is None:
        return []
    detail_type, occurred, body = found
    event_id = hashlib.sha256(f"{record.get('eventID', '')}/{detail_type}".encode()).hexdigest()[:32]
    detail = {"eventId": event_id, "occurredAt": occurred or _arrival(change, now)} | body
    return [Event(detail_type, detail)]  # type: ignore[arg-type]


def _request(old: Any, new: Any) -> tuple[str, datetime | None, dict[str, Any]] | None:
    event = request_event(old, new)
    if event is None:
        return None
    request = model(AccessRequest, values(new))
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


def _grant(
    old: Any, new: Any, today: date, periods: Periods
) -> tuple[str, datetime | None, dict[str, Any]] | None:
    grant = model(Grant, values(new))
    if old is None:
        detail_type = "GrantCreated"
    elif grant.revocation is not None and "revocation" not in old:
        detail_type = "GrantRevoked"
    elif grant.expired_at is not None and "expired_at" not in old:
        detail_type = "GrantExpired"
    elif image_string(new, "end") != image_string(old, "end"):
        detail_type = "GrantRenewed"
    else:
        return None  # its warning: a grant turning `expiring` emits nothing
    body = {
        "organization": {"code": grant.organization, "name": grant.organization_name},
        "person": {"sub": grant.person, "name": grant.person_name},
        "grant": grant_view(grant, today, periods),
    }
    return detail_type, grant.changed_at, body


def _work_relationship(old: Any, new: Any) -> tuple[str, datetime | None, dict[str, Any]] | None:
    relationship = model(WorkRelationship, values(new))
    at = None
    if old is None:
        detail_type = "WorkRelationshipCreated"
    elif relationship.end is not None and "end" not in old:
        detail_type = "WorkRelationshipEnded"
        at = relationship.ending.at if relationship.ending else None
    else:
        return None
    body = {
        "organization": {"code": relationship.organization, "name": relationship.organization_name},
        "person": {"sub": relationship.person, "name": relationship.person_name},
        "workRelationship": _without_contact(work_relationship_view(relationship)),
    }
    return detail_type, at, body


def _local_admin(old: Any, new: Any) -> tuple[str, datetime | None, dict[str, Any]] | None:
    if old is None:
        detail_type = "LocalAdminAppointed"
    elif new is None:
        detail_type = "LocalAdminRemoved"
    elif any(old.get(name) != new.get(name) for name in ("email", "email_status", "role")):
        detail_type = "LocalAdminChanged"
    else:
        return None
    admin = model(LocalAdmin, values(new or old))
    body = {
        "organization": {"code": admin.organization, "name": admin.organization_name},
        "person": {"sub": admin.person, "name": admin.name},
        "role": admin.role,
    }
    return detail_type, None, body


def _without_contact(view: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in view.items() if k not in PERSONAL_CONTACT}


def _arrival(change: Mapping[str, Any], now: datetime) -> datetime:
    """When the change reached the stream: for changes whose item keeps no instant of its own."""
    seconds = change.get("ApproximateCreationDateTime")
    return datetime.fromtimestamp(float(seconds), UTC) if seconds is not None else now

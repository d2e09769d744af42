"""A stream record, read once, at the edge, into a typed `Change`: what it is about and how that
changed, with each image deserialised at most once. notify decides its mails, events and steps from
the change alone (`events/notifications.py`); nothing after this reads a raw image.

Which transitions count: a request's own (filed, decided, cancelled, reminded, expired); a grant's
or work relationship's record (`GRANT#{id}`, `WORKREL#{id}`, not their slots); a local
administrator's item; a new audit entry that a mail tells of; a hand-over that moved on; an
organisation whose reachable administrators crossed zero; a filing none of whose administrator
mails arrived.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from zelfregistratie.domain.audit import AuditEntry
from zelfregistratie.domain.entities import LocalAdmin
from zelfregistratie.domain.requests import AccessRequest, RequestEvent
from zelfregistratie.domain.rights import Grant, GrantChange, WorkRelationship, WorkRelationshipChange
from zelfregistratie.store.handovers import HandOver, from_values
from zelfregistratie.store.images import image_number, image_string
from zelfregistratie.store.reachability import crossing
from zelfregistratie.store.table import model, values
from zelfregistratie.store.undelivered import is_undelivered_now

GRANT_RECORD, WORK_RELATIONSHIP_RECORD = "#GRANT", "#WORKREL"


class AdminChange(StrEnum):
    APPOINTED = "appointed"
    REMOVED = "removed"
    CHANGED = "changed"  # its address, the address's standing or its role


@dataclass(frozen=True)
class Change:
    """One stream record: at most one of the typed transitions, and where the record came from."""

    event_id: str
    arrived: datetime | None = None  # when it reached the stream
    request: tuple[RequestEvent, AccessRequest] | None = None
    grant: tuple[GrantChange, Grant] | None = None
    work_relationship: tuple[WorkRelationshipChange, WorkRelationship] | None = None
    local_admin: tuple[AdminChange, LocalAdmin] | None = None
    audit: AuditEntry | None = None  # a new entry that a mail tells of
    undelivered: str | None = None  # the request whose filing reached no administrator
    handover: HandOver | None = None  # a hand-over of tasks, where its next step starts
    crossing: tuple[str, bool] | None = None  # an organisation, and whether one can now be reached

    @property
    def matters(self) -> bool:
        """Whether notify has anything to do for it: what the template's stream filter passes."""
        return self != Change(self.event_id, self.arrived)


def read(record: Mapping[str, Any]) -> Change:
    """The record's change; one that matters for nothing is a `Change` with only its id."""
    change = record["dynamodb"]
    old, new = change.get("OldImage"), change.get("NewImage")
    seconds = change.get("ApproximateCreationDateTime")
    found = Change(
        event_id=record.get("eventID") or "",
        arrived=datetime.fromtimestamp(float(seconds), UTC) if seconds is not None else None,
    )
    kind = image_string(new or old or {}, "kind")
    sort_key = image_string(change.get("Keys", {}), "SK")
    if kind == "request" and (event := request_event(old, new)) is not None:
        return _with(found, request=(event, model(AccessRequest, values(new))))
    if kind == "grant" and sort_key == GRANT_RECORD and new and (what := grant_change(old, new)):
        return _with(found, grant=(what, model(Grant, values(new))))
    relationship = kind == "work_relationship" and sort_key == WORK_RELATIONSHIP_RECORD and new
    if relationship and (old is None or ("end" in new and "end" not in old)):
        ended = WorkRelationshipChange.CREATED if old is None else WorkRelationshipChange.ENDED
        return _with(found, work_relationship=(ended, model(WorkRelationship, values(new))))
    if kind == "local_admin" and (admin := admin_change(old, new)) is not None:
        return _with(found, local_admin=(admin, model(LocalAdmin, values(new or old))))
    if kind == "audit" and is_new_audit_entry(old, new):
        return _with(found, audit=model(AuditEntry, values(new)))
    if kind == "handover" and new:
        return _with(found, handover=from_values(values(new)))
    if kind == "organization" and (crossed := crossing(old, new)) is not None:
        return _with(found, crossing=crossed)
    if kind == "undelivered" and (request_id := is_undelivered_now(old, new)) is not None:
        return _with(found, undelivered=request_id)
    return found


def _with(change: Change, **typed: Any) -> Change:
    return Change(event_id=change.event_id, arrived=change.arrived, **typed)


def request_event(old: dict[str, Any] | None, new: dict[str, Any] | None) -> RequestEvent | None:
    """Only a request's own transitions matter; grants, guards and idempotency records do not."""
    if not new or image_string(new, "kind") != "request":
        return None
    before, after = image_string(old or {}, "status"), image_string(new, "status")
    if before == after == "pending":
        reminded = image_number(new, "reminders") > image_number(old or {}, "reminders")
        if reminded and image_number(new, "reminders") == 1:
            return RequestEvent.REMINDED
        return RequestEvent.REMINDED_AGAIN if reminded and image_number(new, "reminders") == 2 else None
    if before == after:
        return None
    if before is None and after == "pending":
        return RequestEvent.FILED
    if before == "pending" and after in ("approved", "rejected"):
        return RequestEvent.DECIDED
    if before == "pending" and after == "cancelled":
        return RequestEvent.CANCELLED
    if before == "pending" and after == "expired":
        return RequestEvent.EXPIRED
    return None


def grant_change(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> GrantChange | None:
    """What happened to a grant's record; None for a change of nothing that counts."""
    if old is None:
        return GrantChange.CREATED
    if "revocation" in new and "revocation" not in old:
        return GrantChange.REVOKED
    if "expired_at" in new and "expired_at" not in old:
        return GrantChange.EXPIRED
    if image_string(new, "end") != image_string(old, "end"):
        return GrantChange.RENEWED
    warned = image_string(new, "warned_end")
    if (
        warned is not None
        and warned == image_string(new, "end")
        and warned != image_string(old, "warned_end")
    ):
        return GrantChange.WARNED  # its coming end was announced: its holder and administrators hear
    return None


def admin_change(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> AdminChange | None:
    if old is None:
        return AdminChange.APPOINTED
    if new is None:
        return AdminChange.REMOVED
    if any(old.get(name) != new.get(name) for name in ("email", "email_status", "role")):
        return AdminChange.CHANGED
    return None


def is_new_audit_entry(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """A change was recorded that a mail tells of (`mailed`): the person concerned hears of it."""
    image = new or {}
    return old is None and image_string(image, "kind") == "audit" and image.get("mailed") == {"BOOL": True}

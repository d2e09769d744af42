"""What a change to the table means for the people involved: a stream record → a request event, and
the domain object in its image."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from zelfregistratie.domain.audit import AuditEntry
from zelfregistratie.domain.entities import AccessRequest
from zelfregistratie.domain.rights import Grant
from zelfregistratie.store.handovers import HandOver, from_values
from zelfregistratie.store.table import model, values


class RequestEvent(StrEnum):
    FILED = "filed"
    DECIDED = "decided"
    CANCELLED = "cancelled"
    REMINDED = "reminded"  # pending a week: the administrators are reminded
    REMINDED_AGAIN = "reminded_again"  # two weeks: again, and the requester hears it still waits
    EXPIRED = "expired"  # a month: no longer waits


def request_event(old: dict[str, Any] | None, new: dict[str, Any] | None) -> RequestEvent | None:
    """Only a request's own transitions matter; grants, guards and idempotency records do not.

    `old` and `new` are the stream's images with DynamoDB types (`{"S": ...}`), read without
    deserialising the whole item, so irrelevant records cost next to nothing.
    """
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


def image_string(image: Mapping[str, Any], name: str) -> str | None:
    """An attribute of a stream image (DynamoDB types, `{"S": …}`) read without deserialising it."""
    value = image.get(name)
    return value.get("S") if isinstance(value, dict) else None


def image_number(image: Mapping[str, Any], name: str) -> int:
    value = image.get(name)
    return int(value.get("N", 0)) if isinstance(value, dict) else 0


def is_grant_warning(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """A grant's record now says its coming end was announced (`warned_end` set to its end): its
    holder and the organisation's administrators are told (docs/lifecycle.md)."""
    if not old or not new or image_string(new, "kind") != "grant" or image_string(new, "SK") != "#GRANT":
        return False
    warned = image_string(new, "warned_end")
    before = image_string(old, "warned_end")
    return warned is not None and warned == image_string(new, "end") and warned != before


def grant_from_image(image: Mapping[str, Any]) -> Grant:
    return model(Grant, values(image))


def is_new_audit_entry(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """A change was recorded that a mail tells of (`mailed`): the person concerned hears of it."""
    image = new or {}
    return old is None and image_string(image, "kind") == "audit" and image.get("mailed") == {"BOOL": True}


def request_from_image(image: Mapping[str, Any]) -> AccessRequest:
    """A request from a stream record's image (DynamoDB types)."""
    return model(AccessRequest, values(image))


def audit_from_image(image: Mapping[str, Any]) -> AuditEntry:
    return model(AuditEntry, values(image))


def handover_from_image(new: Mapping[str, Any] | None) -> HandOver | None:
    """A hand-over of tasks that moved on (or began): where its next step starts."""
    if not new or image_string(new, "kind") != "handover":
        return None
    return from_values(values(new))

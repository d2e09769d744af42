"""What a change to the table means for the people involved: a stream record → a request event, and
the domain object in its image."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from zelfregistratie.domain.audit import AuditEntry
from zelfregistratie.domain.entities import AccessRequest
from zelfregistratie.store.table import model, values


class RequestEvent(StrEnum):
    FILED = "filed"
    DECIDED = "decided"
    CANCELLED = "cancelled"


def request_event(old: dict[str, Any] | None, new: dict[str, Any] | None) -> RequestEvent | None:
    """Only a request's own transitions matter; grants, guards and idempotency records do not.

    `old` and `new` are the stream's images with DynamoDB types (`{"S": ...}`), read without
    deserialising the whole item, so irrelevant records cost next to nothing.
    """
    if not new or _string(new, "kind") != "request":
        return None
    before, after = _string(old or {}, "status"), _string(new, "status")
    if before == after:
        return None
    if before is None and after == "pending":
        return RequestEvent.FILED
    if before == "pending" and after in ("approved", "rejected"):
        return RequestEvent.DECIDED
    if before == "pending" and after == "cancelled":
        return RequestEvent.CANCELLED
    return None


def _string(image: dict[str, Any], name: str) -> str | None:
    value = image.get(name)
    return value.get("S") if isinstance(value, dict) else None


def is_new_audit_entry(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """A change was recorded that a mail tells of (`mailed`): the person concerned hears of it."""
    image = new or {}
    return old is None and _string(image, "kind") == "audit" and image.get("mailed") == {"BOOL": True}


def request_from_image(image: Mapping[str, Any]) -> AccessRequest:
    """A request from a stream record's image (DynamoDB types)."""
    return model(AccessRequest, values(image))


def audit_from_image(image: Mapping[str, Any]) -> AuditEntry:
    return model(AuditEntry, values(image))

"""The audit trail of an organisation (docs/rules.md § Managing rights): every change to its administrators,
rights and work relationships, who made it and when; each entry written in the same transaction as its
change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.entities import AdminRole


class AuditAction(StrEnum):
    REQUEST_APPROVED = "request_approved"
    REQUEST_REJECTED = "request_rejected"
    GRANT_CREATED = "grant_created"
    GRANT_RENEWED = "grant_renewed"
    GRANT_REVOKED = "grant_revoked"
    GRANT_EXPIRED = "grant_expired"
    WORK_RELATIONSHIP_CREATED = "work_relationship_created"
    WORK_RELATIONSHIP_ENDED = "work_relationship_ended"
    ADMIN_APPOINTED = "admin_appointed"
    ADMIN_REMOVED = "admin_removed"
    ADMIN_EMAIL_CHANGED = "admin_email_changed"
    ADMIN_UNREACHABLE = "admin_unreachable"


@dataclass(frozen=True, kw_only=True)
class AuditEntry:
    """One change: who (`actor`) did what to whom (`person`), when, and why.

    The entry also drives the mail about the change (to `email`: for an administrator the new address,
    or for a removal the old one; for a person's grant or work relationship the work e-mail).
    `mailed` is False for a change another entry of the same write already mails about (the grants an
    ended work relationship revokes, listed in `rights`).
    """

    id: str
    organization: str
    organization_name: str | None = None
    at: datetime
    action: AuditAction
    actor: str
    actor_name: str
    person: str
    person_name: str
    role: AdminRole | None = None
    email: str | None = None
    previous_email: str | None = None
    right: str | None = None
    right_name: str | None = None
    context: str | None = None
    end: date | None = None
    grant_id: str | None = None
    reason: str | None = None
    rights: tuple[str, ...] = ()
    by_holder: bool = False
    mailed: bool = True


def new_entry(
    action: AuditAction,
    *,
    organization: str,
    organization_name: str | None,
    actor: Actor,
    person: str,
    person_name: str,
    at: datetime,
    **details: Any,
) -> AuditEntry:
    """An entry for a change `actor` makes now."""
    return AuditEntry(
        id=uuid.uuid4().hex,
        organization=organization,
        organization_name=organization_name,
        at=at,
        action=action,
        actor=actor.sub,
        actor_name=actor.name,
        person=person,
        person_name=person_name,
        **details,
    )

"""Local administrators (the seed's last section): how an organisation gets one, and changes them.

Non-government organisations (EA): the legal representative (`wv_orgcode`) appoints themselves head
local administrator; a head local administrator appoints and removes the others and may hand over.
Government organisations (GID, LB, OV) are served by an ops command (tools/admins.py). Every change
is audited, and the audit entry drives the mail to the person concerned.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from zelfregistratie.domain import (
    AdminAction,
    AdminRole,
    AuditEntry,
    LocalAdmin,
    Organization,
    OrganizationWithAdmins,
    TargetGroup,
    WorkRelationship,
)
from zelfregistratie.errors import FieldError, Forbidden, InvalidInput, LastReachableAdmin, NotFound
from zelfregistratie.fields import EmailAddress, Phone
from zelfregistratie.identity import Caller
from zelfregistratie.repository import Repository

SELF_SERVICE_TARGET_GROUPS = frozenset({TargetGroup.EA})


class _Body(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True, defer_build=True
    )


class SelfAppointment(_Body):
    """`POST /api/organizations/{code}/admins/self`."""

    email: Annotated[EmailAddress, Field(max_length=254)]
    phone: Phone


class Appointment(_Body):
    """`POST /api/organizations/{code}/admins`."""

    person: Annotated[str, Field(min_length=1, max_length=255)]
    role: AdminRole = AdminRole.LOCAL
    email: Annotated[EmailAddress, Field(max_length=254)] | None = None
    phone: Phone | None = None


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a signed-in person, or ops (for government organisations)."""

    sub: str
    name: str


def actor_of(caller: Caller) -> Actor:
    return Actor(caller.sub, caller.name)


def _admin(found: OrganizationWithAdmins, sub: str) -> LocalAdmin | None:
    return next((admin for admin in found.admins if admin.person == sub), None)


def _entry(
    organization: Organization,
    actor: Actor,
    action: AdminAction,
    admin: LocalAdmin,
    now: datetime,
    **extra: str | None,
) -> AuditEntry:
    return AuditEntry(
        id=uuid.uuid4().hex,
        organization=organization.code,
        organization_name=organization.name,
        at=now,
        action=action,
        actor=actor.sub,
        actor_name=actor.name,
        person=admin.person,
        person_name=admin.name,
        role=admin.role,
        email=admin.email,
        **extra,
    )


def _delta(before: LocalAdmin | None, after: LocalAdmin | None) -> int:
    return int(bool(after and after.reachable)) - int(bool(before and before.reachable))


def administrators(
    repository: Repository, caller: Caller, code: str
) -> tuple[OrganizationWithAdmins, list[WorkRelationship]]:
    """For the organisation's own administrators: everyone with role, e-mail and phone, and who could be
    appointed (people with a work relationship)."""
    _, found = repository.known_organization(code)
    if _admin(found, caller.sub) is None:
        raise Forbidden()
    assert found.organization is not None
    return found, repository.work_relationships_of(found.organization.code)


def appoint_self(
    repository: Repository, caller: Caller, code: str, body: SelfAppointment, *, now: datetime, today: date
) -> LocalAdmin:
    """The legal representative becomes head local administrator; a head changes their own e-mail."""
    organization, found = repository.known_organization(code)
    current = _admin(found, caller.sub)
    is_head = current is not None and current.role is AdminRole.HEAD
    representative = organization.code in caller.legal_representative_of
    if not is_head and not (representative and organization.target_group in SELF_SERVICE_TARGET_GROUPS):
        raise Forbidden(
            "Alleen de wettelijk vertegenwoordiger van de organisatie of een hoofd lokale beheerder kan dit."
        )
    appointed = LocalAdmin(
        organization=organization.code,
        organization_name=organization.name,
        person=caller.sub,
        name=caller.name,
        role=AdminRole.HEAD,
        email=body.email,
        phone=body.phone,
    )
    changed_only_email = current is not None and current.role is AdminRole.HEAD
    action = AdminAction.EMAIL_CHANGED if changed_only_email else AdminAction.APPOINTED
    previous = current.email if current else None
    relationship = None
    if repository.get_work_relationship(caller.sub, organization.code) is None:
        relationship = WorkRelationship(
            person=caller.sub,
            person_name=caller.name,
            organization=organization.code,
            organization_name=organization.name,
            email=body.email,
            phone=body.phone,
            since=today,
        )
    repository.save_admin_change(
        _entry(organization, actor_of(caller), action, appointed, now, previous_email=previous),
        put=appointed,
        reachable_delta=_delta(current, appointed),
        work_relationship=relationship,
    )
    return appointed


def appoint(
    repository: Repository,
    actor: Actor,
    code: str,
    body: Appointment,
    *,
    now: datetime,
    as_ops: bool = False,
    new_relationship: WorkRelationship | None = None,
) -> LocalAdmin:
    """A head local administrator (or ops) appoints someone who works for the organisation.

    Ops, carrying out a government organisation's form, may bring the work relationship along.
    """
    organization, found = repository.known_organization(code)
    _require_head(found, actor, as_ops)
    relationship = repository.get_work_relationship(body.person, organization.code)
    created = None
    if relationship is None and as_ops and new_relationship is not None:
        relationship = created = replace(new_relationship, organization_name=organization.name)
    if relationship is None:
        raise InvalidInput(
            errors=[FieldError("person", "Deze persoon heeft geen werkrelatie met de organisatie.")]
        )
    current = _admin(found, body.person)
    appointed = LocalAdmin(
        organization=organization.code,
        organization_name=organization.name,
        person=body.person,
        name=relationship.person_name or (current.name if current else body.person),
        role=body.role,
        email=body.email or relationship.email,
        phone=body.phone or relationship.phone,
    )
    repository.save_admin_change(
        _entry(organization, actor, AdminAction.APPOINTED, appointed, now),
        put=appointed,
        reachable_delta=_delta(current, appointed),
        work_relationship=created,
    )
    return appointed


def remove(
    repository: Repository,
    actor: Actor,
    code: str,
    sub: str,
    *,
    confirm: bool,
    now: datetime,
    as_ops: bool = False,
) -> None:
    """Removing the last administrator with an e-mail needs `confirm`: self-registration stops then."""
    organization, found = repository.known_organization(code)
    _require_head(found, actor, as_ops)
    current = _admin(found, sub)
    if current is None:
        raise NotFound()
    delta = _delta(current, None)
    if delta < 0 and organization.reachable_admins <= 1 and not confirm:
        raise LastReachableAdmin()
    repository.save_admin_change(
        _entry(organization, actor, AdminAction.REMOVED, current, now),
        remove=current,
        reachable_delta=delta,
        keep_one_reachable=not confirm,
    )


def _require_head(found: OrganizationWithAdmins, actor: Actor, as_ops: bool) -> None:
    if as_ops:
        return
    current = _admin(found, actor.sub)
    if current is None or current.role is not AdminRole.HEAD:
        raise Forbidden(
            "Alleen een hoofd lokale beheerder van de organisatie kan beheerders aanstellen of verwijderen."
        )

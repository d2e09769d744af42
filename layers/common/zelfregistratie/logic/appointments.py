"""Local administrators (the seed's last section): how an organisation gets one, and changes them.

Non-government organisations (EA): the legal representative (`wv_orgcode`) appoints themselves head
local administrator; a head local administrator appoints and removes the others and may hand over.
Government organisations (GID, LB, OV) are served by an ops command (ops/appointments.py). Every change
is audited, and the audit entry drives the mail to the person concerned.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime
from typing import NamedTuple

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.audit import AuditAction, AuditEntry
from zelfregistratie.domain.entities import (
    AdminRole,
    LocalAdmin,
    Organization,
    OrganizationWithAdmins,
    TargetGroup,
)
from zelfregistratie.domain.errors import FieldError, Forbidden, InvalidInput, LastReachableAdmin, NotFound
from zelfregistratie.domain.rights import WorkRelationship
from zelfregistratie.store.admins import AdminChange
from zelfregistratie.store.store import Store

SELF_SERVICE_TARGET_GROUPS = frozenset({TargetGroup.EA})


class Nominee(NamedTuple):
    """Who is appointed, in what role, reachable how. Ops, carrying out a government organisation's
    form, may bring the person's work relationship along when there is none yet."""

    person: str
    role: AdminRole = AdminRole.LOCAL
    email: str | None = None
    phone: str | None = None
    work_relationship: WorkRelationship | None = None


def _admin(found: OrganizationWithAdmins, sub: str) -> LocalAdmin | None:
    return next((admin for admin in found.admins if admin.person == sub), None)


def _entry(
    organization: Organization,
    actor: Actor,
    action: AuditAction,
    admin: LocalAdmin,
    now: datetime,
    previous_email: str | None = None,
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
        previous_email=previous_email,
    )


def administrators(
    store: Store, actor: Actor, code: str
) -> tuple[OrganizationWithAdmins, list[WorkRelationship]]:
    """For the organisation's own administrators: everyone with role, e-mail and phone, and who could be
    appointed (people with a work relationship)."""
    _, found = store.catalog.known_organization(code)
    if _admin(found, actor.sub) is None:
        raise Forbidden()
    assert found.organization is not None
    return found, store.people.work_relationships_of(found.organization.code)


def appoint_self(
    store: Store, actor: Actor, code: str, *, email: str, phone: str, now: datetime, today: date
) -> LocalAdmin:
    """The legal representative becomes head local administrator; an administrator (head or plain)
    changes their own address and phone, keeping their role."""
    organization, current, representative = _may_appoint_self(store, actor, code)
    keeps = current is not None and (current.role is AdminRole.HEAD or not representative)
    role = current.role if current is not None and keeps else AdminRole.HEAD
    appointed = LocalAdmin(
        organization=organization.code,
        organization_name=organization.name,
        person=actor.sub,
        name=actor.name,
        role=role,
        email=email,
        phone=phone,
    )
    changed_only_email = current is not None and current.role is role
    action = AuditAction.ADMIN_EMAIL_CHANGED if changed_only_email else AuditAction.ADMIN_APPOINTED
    previous = current.email if current else None
    relationship = None
    if store.people.work_relationship(actor.sub, organization.code) is None:
        relationship = WorkRelationship(
            person=actor.sub,
            person_name=actor.name,
            organization=organization.code,
            organization_name=organization.name,
            email=email,
            phone=phone,
            since=today,
        )
    entry = _entry(organization, actor, action, appointed, now, previous_email=previous)
    store.admins.save(AdminChange(entry, appointed, before=current, work_relationship=relationship))
    return appointed


def may_appoint_self(store: Store, actor: Actor, code: str) -> None:
    """`forbidden` unless `actor` may appoint themselves at `code` (asked before a bad body is refused)."""
    _may_appoint_self(store, actor, code)


def _may_appoint_self(store: Store, actor: Actor, code: str) -> tuple[Organization, LocalAdmin | None, bool]:
    """The organisation, the caller's own administrator item and whether they represent it, when
    the caller is its legal representative (of a self-service target group) or one of its
    administrators (who may change their own address, and only their own)."""
    organization, found = store.catalog.known_organization(code)
    current = _admin(found, actor.sub)
    representative = (
        organization.code in actor.legal_representative_of
        and organization.target_group in SELF_SERVICE_TARGET_GROUPS
    )
    if current is None and not representative:
        raise Forbidden("representative_or_admin_only")
    return organization, current, representative


def may_appoint(store: Store, actor: Actor, code: str) -> None:
    """`forbidden` unless `actor` may appoint at `code` (asked before a bad body is refused)."""
    _require_head(store.catalog.known_organization(code)[1], actor)


class Appointed(NamedTuple):
    admin: LocalAdmin
    new: bool  # appointed now; otherwise an administrator already, whose role or address changed


def appoint(store: Store, actor: Actor, code: str, nominee: Nominee, *, now: datetime) -> Appointed:
    """A head local administrator (or ops) appoints someone who works for the organisation. Someone
    who administers it already keeps being one with the role and address given: a new address is an
    address change, and the previous address is told (a security notice), not the new one."""
    organization, found = store.catalog.known_organization(code)
    _require_head(found, actor)
    relationship = store.people.work_relationship(nominee.person, organization.code)
    created = None
    if relationship is None and actor.is_ops and nominee.work_relationship is not None:
        relationship = created = replace(nominee.work_relationship, organization_name=organization.name)
    if relationship is None:
        raise InvalidInput(errors=[FieldError("person", "no_work_relationship")])
    current = _admin(found, nominee.person)
    appointed = LocalAdmin(
        organization=organization.code,
        organization_name=organization.name,
        person=nominee.person,
        name=relationship.person_name or (current.name if current else nominee.person),
        role=nominee.role,
        email=nominee.email or relationship.email,
        phone=nominee.phone or relationship.phone,
    )
    if current is not None and (current.role, current.email, current.phone) == (
        appointed.role,
        appointed.email,
        appointed.phone,
    ):
        return Appointed(current, new=False)  # nothing changes, nobody is told
    moved = current is not None and (current.email or "").lower() != (appointed.email or "").lower()
    action = AuditAction.ADMIN_EMAIL_CHANGED if moved else AuditAction.ADMIN_APPOINTED
    previous = current.email if current is not None and moved else None
    entry = _entry(organization, actor, action, appointed, now, previous_email=previous)
    store.admins.save(AdminChange(entry, appointed, before=current, work_relationship=created))
    return Appointed(appointed, new=current is None)


def remove(
    store: Store,
    actor: Actor,
    code: str,
    sub: str,
    *,
    confirm: bool,
    now: datetime,
) -> None:
    """Removing the last administrator with an e-mail needs `confirm`: self-registration stops then."""
    organization, found = store.catalog.known_organization(code)
    _require_head(found, actor)
    current = _admin(found, sub)
    if current is None:
        raise NotFound()
    change = AdminChange(
        _entry(organization, actor, AuditAction.ADMIN_REMOVED, current, now),
        removed=current,
        keep_one_reachable=not confirm,
    )
    if change.reachable_delta < 0 and organization.reachable_admins <= 1 and not confirm:
        raise LastReachableAdmin()
    store.admins.save(change)


def _require_head(found: OrganizationWithAdmins, actor: Actor) -> None:
    if actor.is_ops:
        return
    current = _admin(found, actor.sub)
    if current is None or current.role is not AdminRole.HEAD:
        raise Forbidden("head_only")

"""Managing rights (docs/rules.md § Managing rights): an organisation's people and audit trail for its local
administrators; granting directly; revoking a grant; ending a work relationship. Every change writes
its audit entry in the same transaction, and the entry drives the mail about it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import NamedTuple

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.audit import AuditAction, AuditEntry, new_entry
from zelfregistratie.domain.entities import LocalAdmin, end_within
from zelfregistratie.domain.errors import (
    AlreadyEnded,
    AlreadyGranted,
    AlreadyHeld,
    ConcurrentChange,
    FieldError,
    Forbidden,
    InvalidInput,
    IsLocalAdmin,
    NoRightsFound,
    NotFound,
    NoWorkRelationship,
    OwnRequest,
)
from zelfregistratie.domain.rights import NAME_STARTS, Ending, Grant, WorkRelationship
from zelfregistratie.store import audit
from zelfregistratie.store.store import Store
from zelfregistratie.store.table import Transaction

# DynamoDB takes at most 100 items in one transaction. Ending a work relationship writes 6 items
# besides 3 per grant it revokes (record, slot, audit entry): the grants beyond what fits are revoked
# in earlier transactions, each complete in itself, and the last one ends the relationship.
MAX_TRANSACTION_ITEMS = 100
# An ending's own items (record, slot, line, checks, audit, and the line's name entries); a revoked
# grant's: its record, its slot, its change (docs/applications.md) and its audit entry.
ENDING_ITEMS, ITEMS_PER_REVOKED_GRANT = 6 + NAME_STARTS, 4


class Grantee(NamedTuple):
    """A direct grant: to whom, which right (and context), until when (at most the right's default)."""

    person: str
    right: str
    context: str | None = None
    end_date: date | None = None


class Ended(NamedTuple):
    work_relationship: WorkRelationship
    revoked_grants: list[Grant]


def may_grant(store: Store, actor: Actor, org: str) -> None:
    """`forbidden` unless `actor` administers `org` (asked before a bad body is refused)."""
    administrator(store, actor, org)


def grant(store: Store, actor: Actor, org: str, grantee: Grantee, *, now: datetime, today: date) -> Grant:
    """Snel recht toekennen: the grant an approval creates, by the rules of an approval, checked in the order
    of docs/rules.md § Managing rights."""
    found = store.people.grant_context(org, actor.sub, grantee.person, grantee.right)
    if found.admin is None or found.organization is None:
        raise Forbidden()
    right = found.right
    if right is None or not right.available_to(found.organization.target_group):
        raise NoRightsFound()
    if right.needs_context != (grantee.context is not None) or (
        grantee.context is not None and grantee.context not in right.contexts
    ):
        if right.needs_context:
            raise InvalidInput(errors=[FieldError("context", "choose_context_of_right")])
        raise InvalidInput(errors=[FieldError("context", "right_without_context")])
    end = end_within(today, right.validity_months, grantee.end_date)
    relationship = found.relationship
    if relationship is None:
        raise NoWorkRelationship()
    if grantee.person == actor.sub:
        raise OwnRequest()
    created = Grant(
        person=grantee.person,
        person_name=relationship.person_name,
        organization=org,
        organization_name=found.organization.name,
        application_id=right.application_id,
        application_name=right.application_name,
        right=right.code,
        right_name=right.name,
        context=grantee.context,
        begin=today,
        end=end,
        email=relationship.email,
        changed_at=now,
    )
    tx = store.table.transaction()
    store.people.add_grant(tx, created, today)
    audit.record(tx, grant_entry(AuditAction.GRANT_CREATED, created, actor, now, email=relationship.email))
    try:
        store.table.write(tx)
    except AlreadyGranted as held:
        where = found.organization.name or org
        raise AlreadyHeld(
            "person_holds_right", person=relationship.person_name, right=right.name, organization=where
        ) from held
    return created


def revoke(
    store: Store, actor: Actor, grant_id: str, reason: str | None, *, now: datetime, today: date
) -> Grant:
    """Herroepen by a local administrator of the grant's organisation (with a reason), or giving it up
    by its holder. Anyone else learns nothing: `not_found`. Two calls: the grant, then one write."""
    found = store.people.grant_by_id(grant_id)
    if found is None:
        raise NotFound()
    holder = found.person == actor.sub
    if not holder and (not reason or not found.is_active(today)):
        administrator(store, actor, found.organization, refusal=NotFound)  # before saying more
    if not holder and not reason:
        raise InvalidInput(errors=[FieldError("reason", "revocation_reason")])
    revoked, _ = found.revoke(Ending(by_person=actor.sub, by_name=actor.name, at=now, reason=reason), today)
    tx = store.table.transaction()
    if not holder:
        _checkadministrator(store, tx, actor, found.organization)
    store.people.revoke(tx, revoked, if_ended=AlreadyEnded)
    store.people.unlist(tx, [revoked])
    entry = grant_entry(AuditAction.GRANT_REVOKED, revoked, actor, now, reason=reason, by_holder=holder)
    audit.record(tx, replace(entry, email=found.email))
    store.table.write(tx)
    return revoked


def end_work_relationship(
    store: Store, actor: Actor, relationship_id: str, reason: str | None, *, now: datetime, today: date
) -> Ended:
    """Werkrelatie beëindigen, by a local administrator of the organisation (with a reason) or by the
    person; every active grant there is revoked with it, and nothing is ever left half-ended."""
    found = store.people.work_relationship_by_id(relationship_id)
    if found is None:
        raise NotFound()
    person = found.person == actor.sub
    if not person:
        administrator(store, actor, found.organization, refusal=NotFound)
        if not reason:
            raise InvalidInput(errors=[FieldError("reason", "ending_reason")])
    ending = Ending(by_person=actor.sub, by_name=actor.name, at=now, reason=reason)
    ended, _ = found.end_by(ending, today)
    for _ in range(3):  # a grant added meanwhile changes the member item: read again and retry
        held = store.people.member(found)
        if held is None:
            raise AlreadyEnded()
        member, version = held
        active = [g for g in member.grants if g.is_active(today)]
        revoked = [g.revoke(ending, today)[0] for g in active]
        try:
            version = _revoke_beyond_one_transaction(store, actor, found, revoked, version, now)
            last = revoked[: _fits_with_ending()]
            tx = _ending_checks(store, actor, found)
            for grant_ in last:
                store.people.revoke(tx, grant_, if_ended=ConcurrentChange)
                audit.record(
                    tx,
                    grant_entry(AuditAction.GRANT_REVOKED, grant_, actor, now, reason=reason, mailed=False),
                )
            store.people.end(tx, ended, version, if_ended=AlreadyEnded)
            audit.record(tx, _ended_entry(ended, revoked, actor, now))
            store.table.write(tx)
            return Ended(ended, revoked)
        except ConcurrentChange:
            continue
    raise ConcurrentChange()


def _fits_with_ending() -> int:
    return (MAX_TRANSACTION_ITEMS - ENDING_ITEMS) // ITEMS_PER_REVOKED_GRANT


def _revoke_beyond_one_transaction(
    store: Store,
    actor: Actor,
    relationship: WorkRelationship,
    revoked: list[Grant],
    version: int,
    now: datetime,
) -> int:
    """Revoke the grants the last transaction has no room for, in transactions of their own (each also
    removes them from the member item, whose version it raises by one); returns the version after."""
    beyond = revoked[_fits_with_ending() :]
    size = (MAX_TRANSACTION_ITEMS - ENDING_ITEMS) // ITEMS_PER_REVOKED_GRANT
    for start in range(0, len(beyond), size):
        batch = beyond[start : start + size]
        tx = _ending_checks(store, actor, relationship)
        for grant_ in batch:
            store.people.revoke(tx, grant_, if_ended=ConcurrentChange)
            reason = grant_.revocation.reason if grant_.revocation else None
            audit.record(
                tx, grant_entry(AuditAction.GRANT_REVOKED, grant_, actor, now, reason=reason, mailed=False)
            )
        store.people.unlist(tx, batch)
        store.table.write(tx)
        version += 1
    return version


def _ending_checks(store: Store, actor: Actor, relationship: WorkRelationship) -> Transaction:
    """Each transaction of an ending checks again that its person administers nothing there, and that
    the actor (unless the person) still administers it."""
    tx = store.table.transaction()
    org = relationship.organization
    store.admins.check(tx, org, relationship.person, administers=False, otherwise=IsLocalAdmin)
    if relationship.person != actor.sub:
        _checkadministrator(store, tx, actor, org)
    return tx


def _checkadministrator(store: Store, tx: Transaction, actor: Actor, org: str) -> None:
    store.admins.check(tx, org, actor.sub, administers=True, otherwise=NotFound)


def administrator(store: Store, actor: Actor, org: str, refusal: type[Exception] = Forbidden) -> LocalAdmin:
    found = store.admins.get(org, actor.sub)
    if found is None:
        raise refusal()
    return found


def grant_entry(
    action: AuditAction, grant_: Grant, actor: Actor, now: datetime, **details: object
) -> AuditEntry:
    """The audit entry of a change `actor` made to a grant."""
    return new_entry(
        action,
        organization=grant_.organization,
        organization_name=grant_.organization_name,
        actor=actor,
        person=grant_.person,
        person_name=grant_.person_name or grant_.person,
        at=now,
        right=grant_.right,
        right_name=grant_.right_name,
        context=grant_.context,
        end=grant_.end,
        grant_id=grant_.id,
        **details,
    )


def _ended_entry(ended: WorkRelationship, revoked: list[Grant], actor: Actor, now: datetime) -> AuditEntry:
    return new_entry(
        AuditAction.WORK_RELATIONSHIP_ENDED,
        organization=ended.organization,
        organization_name=ended.organization_name,
        actor=actor,
        person=ended.person,
        person_name=ended.person_name or ended.person,
        at=now,
        email=ended.email,
        reason=ended.ending.reason if ended.ending else None,
        rights=tuple(g.right_name or g.right for g in revoked),
        by_holder=ended.person == actor.sub,
    )

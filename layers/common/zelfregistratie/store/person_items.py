"""How people's work relationships and grants are stored: the items each write puts, and reading a
line of an organisation's people list back (`store/people.py` explains the three places each is kept)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from zelfregistratie.domain import lifecycle
from zelfregistratie.domain.errors import AlreadyGranted, ConcurrentChange, NoWorkRelationship
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.rights import Grant, Member, WorkRelationship, folded, searched
from zelfregistratie.store import keys
from zelfregistratie.store.codec import serialize
from zelfregistratie.store.records import to_record
from zelfregistratie.store.table import Condition, Transaction, item, model, number, string

GRANT_ATTRIBUTE = "g_"  # a member item's attribute per active grant: g_{id}


def member_key(relationship: WorkRelationship) -> keys.Key:
    return keys.member(relationship.organization, folded(relationship.person_name or ""), relationship.person)


def grant_member_key(grant: Grant) -> keys.Key:
    """The member item a grant is listed on: the holder's, under the name of their work relationship."""
    return keys.member(grant.organization, folded(grant.person_name or ""), grant.person)


def set_member_grant(tx: Transaction, grant: Grant) -> None:
    """The grant as it now stands on its holder's line of the people list, which must exist (the
    work relationship): `no_work_relationship` otherwise."""
    tx.update(
        grant_member_key(grant),
        "SET #grant = :grant ADD #version :one",
        {":grant": serialize(to_record(grant)), ":one": number(1)},
        Condition(
            "attribute_exists(PK)",
            NoWorkRelationship,
            names={"#grant": f"{GRANT_ATTRIBUTE}{grant.id}", "#version": "version"},
        ),
    )


def relationship_items(
    relationship: WorkRelationship, periods: Periods
) -> tuple[dict[str, Any], dict[str, Any]]:
    person, org = relationship.person, relationship.organization
    record = item(
        relationship,
        "work_relationship",
        keys.work_relationship_record(relationship.id),
        keys.person_history_index(person, f"{keys.WORKREL_PREFIX}{relationship.id}"),
    )
    if relationship.ending is not None:  # kept for the retention period once ended
        record["ttl"] = number(int(lifecycle.kept_until(relationship.ending.at, periods).timestamp()))
    slot = item(
        relationship,
        "work_relationship",
        keys.work_relationship(person, org),
        keys.work_relationship_index(person, org),
    )
    return record, slot


GRANT_DUE_KIND = "GRANT"


def ended_at(grant: Grant) -> Any:
    return grant.revocation.at if grant.revocation is not None else grant.expired_at


def grant_items(grant: Grant, periods: Periods) -> tuple[dict[str, Any], dict[str, Any]]:
    """The grant's record (under its next lifecycle step while held; kept for the retention period
    once ended) and its slot."""
    bucket = keys.ENDED if ended_at(grant) is not None else keys.HELD
    record_parts = [
        keys.grant_record(grant.id),
        keys.person_history_index(grant.person, f"{keys.GRANT_PREFIX}{grant.id}"),
        keys.holders_index(
            grant.organization,
            grant.right,
            bucket,
            grant.context,
            searched(grant.person_name or ""),
            grant.person,
            grant.id,
        ),
    ]
    if (due := lifecycle.grant_due(grant, periods)) is not None:
        record_parts.append(keys.due(due.at, GRANT_DUE_KIND, grant.id))
    record = item(grant, "grant", *record_parts)
    if (ended := ended_at(grant)) is not None:
        record["ttl"] = number(int(lifecycle.kept_until(ended, periods).timestamp()))
    slot_keys = [keys.grant(grant.person, grant.organization, grant.right, grant.context)]
    if grant.application_id is not None:
        slot_keys.append(
            keys.application_grant_index(
                grant.application_id, grant.organization, grant.person, grant.right, grant.context
            )
        )
    slot = item(grant, "grant", *slot_keys)
    return record, slot


def change_item(grant: Grant, periods: Periods) -> dict[str, Any] | None:
    """The grant as this change left it, for its application's change index (without the holder's
    work e-mail, which no application reads)."""
    if grant.application_id is None:
        return None
    if grant.changed_at is None:
        raise ValueError(f"grant {grant.id} changes without changed_at")
    key = keys.grant_change(grant.application_id, grant.changed_at, grant.id)
    stored = item(replace(grant, email=None), "grant_change", key)
    stored["ttl"] = number(int(lifecycle.kept_until(grant.changed_at, periods).timestamp()))
    return stored


def add_change(tx: Transaction, grant: Grant) -> None:
    """The grant as this change left it, into its application's change index (if it has one)."""
    if (change := change_item(grant, tx.periods)) is not None:
        tx.put(change, unless_exists=ConcurrentChange)


def member_item(relationship: WorkRelationship, grants: tuple[Grant, ...]) -> dict[str, Any]:
    found = item(relationship, "member", member_key(relationship))
    found["search"] = string(folded(relationship.person_name or ""))
    found["version"] = number(0)
    for grant in grants:
        found[f"{GRANT_ATTRIBUTE}{grant.id}"] = serialize(to_record(grant))
    return found


def held_until(today: date) -> Condition:
    """The grant's slot is free: no grant, or one that ended before today."""
    return Condition(
        "attribute_not_exists(PK) OR #end < :today",
        AlreadyGranted,
        names={"#end": "end"},
        values={":today": string(today.isoformat())},
    )


class NotAtStep(Exception):
    """The grant is no longer at the lifecycle step its timer was found for."""


class Listed(Exception):
    """The grant's people-list line or slot is not as expected (gone, or another grant's)."""


def at_step(due_key: str) -> Condition:
    return Condition("GSI2SK = :due", NotAtStep, values={":due": string(due_key)})


def member_from(found: dict[str, Any]) -> Member:
    grants = tuple(
        sorted(
            (model(Grant, v) for k, v in found.items() if k.startswith(GRANT_ATTRIBUTE)),
            key=lambda g: (g.right_name or g.right, g.context or ""),
        )
    )
    plain = {k: v for k, v in found.items() if not k.startswith(GRANT_ATTRIBUTE)}
    return Member(work_relationship=model(WorkRelationship, plain), grants=grants)

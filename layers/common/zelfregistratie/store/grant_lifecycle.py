"""A held grant's lifecycle steps, as the timers take them (docs/lifecycle.md): its coming end
announced, then expired the day after it; each only while the grant is at the step its timer found."""

from __future__ import annotations

from zelfregistratie.domain.audit import AuditEntry
from zelfregistratie.domain.rights import Grant
from zelfregistratie.store import audit, keys
from zelfregistratie.store.person_items import (
    GRANT_ATTRIBUTE,
    Listed,
    NotAtStep,
    add_change,
    at_step,
    grant_items,
    grant_member_key,
)
from zelfregistratie.store.table import Condition, Table, number, string


def warn(table: Table, warned: Grant, due_key: str) -> bool:
    """Its coming expiry was announced (notify mails it from the change): the record moves on to its
    expiry. False when it is no longer at the step `due_key` names."""
    record, _ = grant_items(warned, table.periods)
    try:
        table.put_if(record, at_step(due_key))
    except NotAtStep:
        return False
    return True


def expire(table: Table, expired: Grant, due_key: str, entry: AuditEntry) -> bool:
    """The day after its end: expired. Its slot and its line on the people list go, its
    application hears of it (the change index), the audit trail says so; one transaction. False when
    it is no longer at the step `due_key` names (renewed, revoked, expired already)."""
    grant = expired
    # first with its slot and its people-list line; should one be gone or another grant's (a later
    # grant of the same right took the slot), without the line, then without both
    for with_slot, with_line in ((True, True), (True, False), (False, False)):
        tx = table.transaction()
        record, _ = grant_items(expired, table.periods)
        tx.put(record, condition=at_step(due_key))
        if with_slot:
            tx.delete(
                keys.grant(grant.person, grant.organization, grant.right, grant.context),
                condition=Condition(
                    "attribute_not_exists(PK) OR #id = :id",
                    Listed,
                    names={"#id": "id"},
                    values={":id": string(grant.id)},
                ),
            )
        if with_line:
            tx.update(
                grant_member_key(grant),
                "REMOVE #grant ADD #version :one",
                {":one": number(1)},
                Condition(
                    "attribute_exists(PK)",
                    Listed,
                    names={"#grant": f"{GRANT_ATTRIBUTE}{grant.id}", "#version": "version"},
                ),
            )
        add_change(tx, expired)
        audit.record(tx, entry)
        try:
            table.write(tx)
        except NotAtStep:
            return False
        except Listed:
            continue
        return True
    return False

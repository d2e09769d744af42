"""The audit trail: entries in their organisation's partition, newest first, also indexed under the
person they are about (GSI1) and the person who made them (GSI2), for the export."""

from __future__ import annotations

from typing import Any

from zelfregistratie.domain import lifecycle
from zelfregistratie.domain.audit import AuditEntry
from zelfregistratie.domain.errors import ConcurrentChange, InvalidCursor
from zelfregistratie.domain.periods import Periods
from zelfregistratie.store import keys
from zelfregistratie.store.paging import Page, decode_cursor, encode_cursor, page_size
from zelfregistratie.store.table import Table, Transaction, item, model, number, string, values

_MAX_CURSOR = 300


def audit_item(entry: AuditEntry, periods: Periods) -> dict[str, Any]:
    """The entry, kept for the retention period (`ttl`)."""
    at = entry.at.isoformat()
    stored = item(
        entry,
        "audit",
        keys.audit(entry.organization, at, entry.id),
        keys.audit_indexes(entry.person, entry.actor, at, entry.id),
    )
    stored["ttl"] = number(int(lifecycle.kept_until(entry.at, periods).timestamp()))
    return stored


def record(tx: Transaction, entry: AuditEntry) -> Transaction:
    """The entry, written with the change it tells of."""
    return tx.put(audit_item(entry, tx.periods), unless_exists=ConcurrentChange)


class Audit:
    def __init__(self, table: Table) -> None:
        self._table = table

    def of(self, org: str, limit: int, cursor: str | None = None) -> Page[AuditEntry]:
        """The organisation's entries, newest first; the cursor is the last entry's sort key."""
        partition = keys.organization_partition(org)
        query: dict[str, Any] = {
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": {":pk": string(partition), ":prefix": string(keys.AUDIT_PREFIX)},
            "ScanIndexForward": False,
            "Limit": page_size(limit),
        }
        if cursor is not None:
            after = decode_cursor(cursor).get("after")
            if (
                not isinstance(after, str)
                or not after.startswith(keys.AUDIT_PREFIX)
                or len(after) > _MAX_CURSOR
            ):
                raise InvalidCursor()
            query["ExclusiveStartKey"] = {"PK": string(partition), "SK": string(after)}
        response = self._table.query(**query)
        entries = [model(AuditEntry, values(i)) for i in response["Items"]]
        last = response.get("LastEvaluatedKey")
        next_cursor = encode_cursor({"after": last["SK"]["S"]}) if last and entries else None
        return Page(entries, next_cursor)

    def about(self, sub: str) -> list[AuditEntry]:
        """Entries about the person and entries they made (the export), oldest first."""
        found: dict[str, AuditEntry] = {}
        for index, partition in (("GSI1", keys.person_partition(sub)), ("GSI2", f"ACTOR#{sub}")):
            for stored in self._table.query_all(
                IndexName=index,
                KeyConditionExpression=f"{index}PK = :pk AND begins_with({index}SK, :prefix)",
                ExpressionAttributeValues={":pk": string(partition), ":prefix": string(keys.AUDIT_PREFIX)},
            ):
                entry = model(AuditEntry, stored)
                found[entry.id] = entry
        return sorted(found.values(), key=lambda e: (e.at, e.id))

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

    def of(
        self,
        org: str,
        limit: int,
        cursor: str | None = None,
        *,
        person: str | None = None,
        action: str | None = None,
    ) -> Page[AuditEntry]:
        """The organisation's entries, newest first; the cursor is the last entry's sort key. About one
        `person`: their entries (GSI1) kept to this organisation's; of one `action`: a filter. A
        filtered page reads on until it is full or the entries run out."""
        wanted, after = page_size(limit), _after(cursor)
        names: dict[str, str] = {}
        values_: dict[str, Any] = {":prefix": string(keys.AUDIT_PREFIX)}
        filters = []
        if person is None:
            query: dict[str, Any] = {"KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)"}
            values_[":pk"] = string(keys.organization_partition(org))
            start = {"PK": string(keys.organization_partition(org))}
        else:
            query = {
                "IndexName": "GSI1",
                "KeyConditionExpression": "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
            }
            values_ |= {":pk": string(keys.person_partition(person)), ":org": string(org)}
            filters.append("#organization = :org")
            names["#organization"] = "organization"
            start = {
                "GSI1PK": string(keys.person_partition(person)),
                "PK": string(keys.organization_partition(org)),
            }
        if action is not None:
            filters.append("#action = :action")
            names["#action"] = "action"
            values_[":action"] = string(action)
        query |= {"ExpressionAttributeValues": values_, "ScanIndexForward": False, "Limit": wanted}
        if filters:
            query |= {"FilterExpression": " AND ".join(filters), "ExpressionAttributeNames": names}
        if after is not None:
            query["ExclusiveStartKey"] = (
                start | {"SK": string(after)} | ({"GSI1SK": string(after)} if person is not None else {})
            )
        found: list[dict[str, Any]] = []
        while True:
            response = self._table.query(**query)
            found += [values(i) for i in response["Items"]]
            last = response.get("LastEvaluatedKey")
            if last is None or len(found) >= wanted:
                break
            query["ExclusiveStartKey"] = last
        more = last is not None or len(found) > wanted
        entries = [model(AuditEntry, i) for i in found[:wanted]]
        next_cursor = (
            encode_cursor({"after": str(found[wanted - 1 if len(found) > wanted else -1]["SK"])})
            if more and entries
            else None
        )
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


def _after(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    after = decode_cursor(cursor).get("after")
    if not isinstance(after, str) or not after.startswith(keys.AUDIT_PREFIX) or len(after) > _MAX_CURSOR:
        raise InvalidCursor()
    return after

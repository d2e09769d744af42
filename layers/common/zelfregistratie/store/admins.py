"""Local administrators: who administers what, and every change to them with its audit entry."""

from __future__ import annotations

from typing import Any, NamedTuple

from zelfregistratie.domain.audit import AuditEntry
from zelfregistratie.domain.entities import LocalAdmin
from zelfregistratie.domain.errors import ConcurrentChange, LastReachableAdmin, NotFound
from zelfregistratie.domain.rights import WorkRelationship
from zelfregistratie.store import audit, keys
from zelfregistratie.store.catalog import Catalog
from zelfregistratie.store.people import People
from zelfregistratie.store.table import Condition, Table, item, model, number, string


class AdminChange(NamedTuple):
    """One audited change to an organisation's administrators.

    `appointed` is stored (new, or replacing `before`); `removed` goes. The organisation's count of
    reachable administrators moves by what changed. With `keep_one_reachable`, the change fails with
    `last_reachable_admin` if it would leave none. A `work_relationship` is created with it.
    """

    entry: AuditEntry
    appointed: LocalAdmin | None = None
    before: LocalAdmin | None = None
    removed: LocalAdmin | None = None
    keep_one_reachable: bool = False
    work_relationship: WorkRelationship | None = None

    @property
    def reachable_delta(self) -> int:
        before = self.removed or self.before
        return int(bool(self.appointed and self.appointed.reachable)) - int(bool(before and before.reachable))


def local_admin_item(admin: LocalAdmin) -> dict[str, Any]:
    org, person = admin.organization, admin.person
    return item(admin, "local_admin", keys.local_admin(org, person), keys.local_admin_index(org, person))


class Admins:
    def __init__(self, table: Table, catalog: Catalog, people: People) -> None:
        self._table = table
        self._catalog = catalog
        self._people = people

    def put(self, admin: LocalAdmin) -> None:
        self._table.put_item(local_admin_item(admin))

    def get(self, org: str, sub: str) -> LocalAdmin | None:
        return self._table.get(LocalAdmin, keys.local_admin(org, sub))

    def administered_by(self, sub: str) -> list[LocalAdmin]:
        """Every organisation the person administers, with their role: one query on GSI1."""
        items = self._table.query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
            ExpressionAttributeValues={
                ":pk": string(keys.person_partition(sub)),
                ":prefix": string(keys.ADMIN_PREFIX),
            },
        )
        return [model(LocalAdmin, i) for i in items]

    def save(self, change: AdminChange) -> None:
        """The change, its audit entry and the organisation's count, in one transaction; the count's
        floor is DynamoDB's condition, so two concurrent removals cannot both take the last two."""
        org, delta = change.entry.organization, change.reachable_delta
        condition, values = "attribute_exists(PK)", {}
        if change.keep_one_reachable and delta < 0:
            condition += " AND reachable_admins > :floor"
            values[":floor"] = number(-delta)
        counted = Condition(condition, lambda: self._count_refused(org), values=values)
        tx = self._table.transaction()
        tx.update(keys.organization(org), "ADD reachable_admins :delta", {":delta": number(delta)}, counted)
        audit.record(tx, change.entry)
        if change.appointed is not None:
            tx.put(local_admin_item(change.appointed))
        if change.removed is not None:
            tx.delete(keys.local_admin(org, change.removed.person), unless_missing=NotFound)
        if change.work_relationship is not None:
            self._people.add_work_relationship(tx, change.work_relationship, if_present=ConcurrentChange)
        self._table.write(tx)

    def _count_refused(self, org: str) -> Exception:
        if self._catalog.organization_with_admins(org).organization is None:
            return NotFound()
        return LastReachableAdmin()

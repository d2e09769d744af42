"""Local administrators: who administers what, and every change to them with its audit entry."""

from __future__ import annotations

from typing import Any, NamedTuple

from zelfregistratie.domain.audit import AuditEntry
from zelfregistratie.domain.entities import EmailStatus, LocalAdmin
from zelfregistratie.domain.errors import ConcurrentChange, LastReachableAdmin, NotFound
from zelfregistratie.domain.rights import WorkRelationship
from zelfregistratie.store import audit, handovers, keys
from zelfregistratie.store import undelivered as undelivered_mails
from zelfregistratie.store.catalog import Catalog
from zelfregistratie.store.handovers import Handovers
from zelfregistratie.store.people import People
from zelfregistratie.store.table import (
    Condition,
    Failure,
    Table,
    Transaction,
    item,
    model,
    number,
    string,
    string_set,
)
from zelfregistratie.store.undelivered import UndeliveredMail


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
    def joined(self) -> str | None:
        """Who becomes one of the organisation's administrators (not one who changes role)."""
        if self.appointed is None or (self.before and self.before.person == self.appointed.person):
            return None
        return self.appointed.person

    @property
    def reachable_delta(self) -> int:
        before = self.removed or self.before
        return int(bool(self.appointed and self.appointed.reachable)) - int(bool(before and before.reachable))


def local_admin_item(admin: LocalAdmin) -> dict[str, Any]:
    """The administrator, under their person (GSI1) and, with an address, under it (GSI2)."""
    org, person = admin.organization, admin.person
    parts = [keys.local_admin(org, person), keys.local_admin_index(org, person)]
    if admin.email:
        parts.append(keys.local_admin_address(admin.email, org, person))
    return item(admin, "local_admin", *parts)


class Admins:
    def __init__(self, table: Table, catalog: Catalog, people: People, handed: Handovers) -> None:
        self._table = table
        self._catalog = catalog
        self._people = people
        self._handovers = handed

    def put(self, admin: LocalAdmin) -> None:
        """The loader's write: the administrator, among its organisation's (if stored), with its tasks.
        The organisation's count of reachable administrators is the loader's to set."""
        org, sub = admin.organization, admin.person
        self._table.put_item(local_admin_item(admin))
        tx = self._table.transaction().update(
            keys.organization(org),
            "ADD administrators :sub",
            {":sub": string_set([sub])},
            Condition("attribute_exists(PK)", NotFound),
        )
        handover = handovers.start(tx, org, sub, joins=True)
        try:
            self._table.write(tx)
        except NotFound:
            return
        self._handovers.run(handover)

    def get(self, org: str, sub: str) -> LocalAdmin | None:
        return self._table.get(LocalAdmin, keys.local_admin(org, sub))

    def check(self, tx: Transaction, org: str, sub: str, *, administers: bool, otherwise: Failure) -> None:
        """In `tx`: that `sub` administers `org` (or, `administers=False`, does not); else `otherwise`."""
        condition = "attribute_exists(PK)" if administers else "attribute_not_exists(PK)"
        tx.check(keys.local_admin(org, sub), Condition(condition, otherwise))

    def administers_any(self, sub: str) -> bool:
        """Does the person administer any organisation? One query that reads one item."""
        response = self._table.query(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
            ExpressionAttributeValues={
                ":pk": string(keys.person_partition(sub)),
                ":prefix": string(keys.ADMIN_PREFIX),
            },
            Limit=1,
        )
        return bool(response["Items"])

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
        """The change, its audit entry, the organisation's count and the hand-over of its tasks to
        whoever joins or leaves (`store/handovers.py`: the stream walks it), in one transaction; the
        count's floor is DynamoDB's condition, so two concurrent removals cannot both take the last two."""
        org, delta = change.entry.organization, change.reachable_delta
        condition, values = "attribute_exists(PK)", {}
        if change.keep_one_reachable and delta < 0:
            condition += " AND reachable_admins > :floor"
            values[":floor"] = number(-delta)
        counted = Condition(condition, lambda: self._count_refused(org), values=values)
        tx = self._table.transaction()
        expression = "ADD reachable_admins :delta"
        change_values: dict[str, Any] = {":delta": number(delta)}
        joined, left = change.joined, change.removed.person if change.removed else None
        if joined:
            expression += ", administrators :joined"
            change_values[":joined"] = string_set([joined])
        if left:
            expression += " DELETE administrators :left"
            change_values[":left"] = string_set([left])
        tx.update(keys.organization(org), expression, change_values, counted)
        audit.record(tx, change.entry)
        if change.appointed is not None:
            tx.put(local_admin_item(change.appointed))
        if change.removed is not None:
            tx.delete(keys.local_admin(org, change.removed.person), unless_missing=NotFound)
        if change.work_relationship is not None:
            self._people.add_work_relationship(tx, change.work_relationship, if_present=ConcurrentChange)
        if joined:
            handovers.start(tx, org, joined, joins=True)
        if left:
            handovers.start(tx, org, left, joins=False)
        self._table.write(tx)

    def with_address(self, email: str) -> list[LocalAdmin]:
        """Every administrator, of any organisation, whose address this is: one Query of GSI2."""
        items = self._table.query_all(
            IndexName="GSI2",
            KeyConditionExpression="GSI2PK = :pk AND begins_with(GSI2SK, :prefix)",
            ExpressionAttributeValues={
                ":pk": string(keys.address_partition(email)),
                ":prefix": string(keys.ADMIN_PREFIX),
            },
        )
        return [model(LocalAdmin, i) for i in items]

    def mark_unreachable(
        self,
        marked: list[tuple[LocalAdmin, AuditEntry]],
        undelivered: tuple[UndeliveredMail, int] | None = None,
    ) -> None:
        """Their address fails (docs/unreachable-administrators.md): each administrator's status, their
        organisation's count of reachable administrators one lower, and an audit entry (which mails the
        colleagues), in one transaction. Each only if the address is still the one that failed and was `ok`: a
        repeated or late report changes nothing. With `undelivered` (the failed mail of a filing, and until
        when to keep it), that too."""
        tx = self._table.transaction()
        if undelivered is not None:
            undelivered_mails.add(tx, *undelivered)
        per_organization: dict[str, int] = {}
        for admin, entry in marked:
            assert admin.email is not None
            still = Condition(
                "#email = :email AND #status = :ok",
                ConcurrentChange,
                names={"#email": "email", "#status": "email_status"},
                values={":email": string(admin.email), ":ok": string(EmailStatus.OK.value)},
            )
            tx.put(local_admin_item(admin), condition=still)
            audit.record(tx, entry)
            per_organization[admin.organization] = per_organization.get(admin.organization, 0) + 1
        for org, count in per_organization.items():  # one update per organisation in a transaction
            tx.update(
                keys.organization(org),
                "ADD reachable_admins :minus",
                {":minus": number(-count)},
                Condition("attribute_exists(PK)", NotFound),
            )
        self._table.write(tx)

    def _count_refused(self, org: str) -> Exception:
        if self._catalog.organization_with_admins(org).organization is None:
            return NotFound()
        return LastReachableAdmin()

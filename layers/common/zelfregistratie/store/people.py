"""People's work relationships and grants (docs/rules.md § Managing rights).

Each is kept as a record under its own id (`GRANT#{id}`, `WORKREL#{id}`), also after it ended, and
while it is active as a slot in the person's partition (what `/api/me` lists and what "already held"
checks), and in the organisation's people list (`MEMBERS#{org}`): one item per person with an active
work relationship, holding it and, as attributes `g_{id}`, their active grants there, so that a page of
the people list is one Query. Every write that changes one of them changes all three in the same
transaction.

A grant of an application is also listed for that application: its slot carries GSI2 keys
(`APPGRANTS#{an}`, by organisation and person: the active grants), and every change of it appends
the grant as it now is to the application's change index (`APPCHANGES#{an}`, by `changedAt`), in the
transaction of the change (docs/applications.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from zelfregistratie.domain.audit import AuditEntry
from zelfregistratie.domain.entities import LocalAdmin, Organization, Right
from zelfregistratie.domain.errors import ConcurrentChange, InvalidCursor
from zelfregistratie.domain.rights import Grant, Member, WorkRelationship, searched
from zelfregistratie.store import grant_lifecycle, keys
from zelfregistratie.store.names import NameMatch, Names, name_items, name_keys
from zelfregistratie.store.paging import Page, decode_cursor, encode_cursor, page_size
from zelfregistratie.store.person_items import (
    GRANT_ATTRIBUTE,
    add_change,
    change_item,
    grant_items,
    grant_member_key,
    held_until,
    member_from,
    member_item,
    member_key,
    relationship_items,
    set_member_grant,
)
from zelfregistratie.store.table import (
    Condition,
    Failure,
    Table,
    Transaction,
    model,
    number,
    string,
    values,
)


class GrantContext(NamedTuple):
    admin: LocalAdmin | None = None
    organization: Organization | None = None
    right: Right | None = None
    relationship: WorkRelationship | None = None


class People:
    def __init__(self, table: Table) -> None:
        self._table = table
        self.names = Names(table)

    # ---- reads -----------------------------------------------------------------------------------

    def relations(self, sub: str) -> tuple[list[WorkRelationship], list[Grant]]:
        """A person's active work relationships and grant slots: one query on their partition (a slot
        whose end passed is still there until its timer; readers judge it by date)."""
        items = self._table.query_all(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": string(keys.person_partition(sub))},
        )
        relationships = [model(WorkRelationship, i) for i in items if i["kind"] == "work_relationship"]
        grants = [model(Grant, i) for i in items if i["kind"] == "grant"]
        return relationships, grants

    def history(self, sub: str) -> tuple[list[WorkRelationship], list[Grant]]:
        """Every work relationship and grant the person ever had, ended ones too (the export)."""
        items = self._table.query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues={":pk": string(keys.person_partition(sub))},
        )
        relationships = [model(WorkRelationship, i) for i in items if i["kind"] == "work_relationship"]
        grants = [model(Grant, i) for i in items if i["kind"] == "grant"]
        return relationships, grants

    def work_relationship(self, sub: str, org: str) -> WorkRelationship | None:
        return self._table.get(WorkRelationship, keys.work_relationship(sub, org))

    def grant(self, sub: str, org: str, right: str, context: str | None) -> Grant | None:
        return self._table.get(Grant, keys.grant(sub, org, right, context))

    def grant_by_id(self, grant_id: str, *, consistent: bool = False) -> Grant | None:
        return self._table.get(Grant, keys.grant_record(grant_id), consistent=consistent)

    def work_relationship_by_id(self, relationship_id: str) -> WorkRelationship | None:
        return self._table.get(WorkRelationship, keys.work_relationship_record(relationship_id))

    def member(self, relationship: WorkRelationship) -> tuple[Member, int] | None:
        """The person as the people list holds them, with the item's version (for a guarded write)."""
        found = self._table.get_item(member_key(relationship))
        return (member_from(found), int(found["version"])) if found else None

    def members_of(self, org: str, subs: Sequence[str]) -> dict[str, Member]:
        """These people as the organisation's people list holds them (those who work there): their
        work relationships' slots, then their lines, a BatchGetItem each."""
        slots = self._table.batch_get([keys.work_relationship(sub, org) for sub in subs])
        relationships = [model(WorkRelationship, slot) for slot in slots]
        lines = self._table.batch_get([member_key(r) for r in relationships])
        return {str(line["person"]): member_from(line) for line in lines}

    def grant_context(self, org: str, admin: str, person: str, right: str) -> GrantContext:
        """For a direct grant, in one BatchGetItem: is `admin` a local administrator of `org`, the
        organisation, the right, and does `person` work there."""
        wanted = [
            keys.local_admin(org, admin),
            keys.organization(org),
            keys.right(right),
            keys.work_relationship(person, org),
        ]
        found: dict[str, Any] = {}
        kinds = {
            "local_admin": ("admin", LocalAdmin),
            "organization": ("organization", Organization),
            "right": ("right", Right),
            "work_relationship": ("relationship", WorkRelationship),
        }
        for stored in self._table.batch_get(wanted):
            if stored["kind"] in kinds:
                name, cls = kinds[stored["kind"]]
                found[name] = model(cls, stored)
        return GrantContext(**found)

    def work_relationships_of(self, org: str) -> list[WorkRelationship]:
        return [
            model(WorkRelationship, i)
            for i in self._table.query_all(
                IndexName="GSI1",
                KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
                ExpressionAttributeValues={
                    ":pk": string(keys.organization_partition(org)),
                    ":prefix": string(keys.WORKREL_PREFIX),
                },
            )
        ]

    def members(self, org: str, search: str | None, limit: int, cursor: str | None) -> Page[Member]:
        """The organisation's people by name, a page in one Query; `search` keeps those with a word of
        their name starting with it: the name index's entries (limit + 1), then their lines."""
        if search and searched(search):  # spaces alone search for nothing: the whole list
            return self._found(self.names.search([org], search, limit, cursor))
        query: dict[str, Any] = {
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": string(keys.members_partition(org))},
            "Limit": page_size(limit),
        }
        page = self._table.query(**query, **self._start(org, cursor))
        members = [member_from(values(i)) for i in page["Items"]]
        last = page.get("LastEvaluatedKey")
        next_cursor = encode_cursor({"after": last["SK"]["S"]}) if last is not None and members else None
        return Page(members, next_cursor)

    def _found(self, matches: Page[NameMatch]) -> Page[Member]:
        wanted = [key for match in matches.items for key in match.members]
        lines = {(i["PK"], i["SK"]): i for i in self._table.batch_get(wanted)}
        found = [lines[(key["PK"], key["SK"])] for key in wanted if (key["PK"], key["SK"]) in lines]
        return Page([member_from(line) for line in found], matches.next_cursor)

    def _start(self, org: str, cursor: str | None) -> dict[str, Any]:
        if cursor is None:
            return {}
        after = decode_cursor(cursor).get("after")
        if not isinstance(after, str) or not after or len(after) > 1024:
            raise InvalidCursor()
        return {"ExclusiveStartKey": {"PK": string(keys.members_partition(org)), "SK": string(after)}}

    # ---- writes, each part of a caller's transaction ---------------------------------------------

    def add_work_relationship(
        self,
        tx: Transaction,
        relationship: WorkRelationship,
        *,
        if_present: Failure,
        grants: tuple[Grant, ...] = (),
    ) -> None:
        """A new work relationship (with the grants created with it); `if_present` when the person
        already works there."""
        record, slot = relationship_items(relationship, self._table.periods)
        tx.put(record, unless_exists=ConcurrentChange)
        tx.put(slot, unless_exists=if_present)
        tx.put(member_item(relationship, grants))
        for entry in name_items(relationship, member_key(relationship)):
            tx.put(entry)
        for grant in grants:
            self._grant_records(tx, grant, grant.begin)

    def add_grant(self, tx: Transaction, grant: Grant, today: date) -> None:
        """A grant for someone who works there; `already_granted` while an active one holds its slot."""
        self._grant_records(tx, grant, today)
        set_member_grant(tx, grant)

    def renew(self, tx: Transaction, renewed: Grant) -> None:
        """The same grant with a new end (docs/lifecycle.md): its record, its slot (back, should it have
        expired meanwhile), its line on the people list, and its change."""
        record, slot = grant_items(renewed, self._table.periods)
        tx.put(
            record,
            condition=Condition(
                "attribute_exists(PK) AND attribute_not_exists(revocation)", ConcurrentChange
            ),
        )
        tx.put(
            slot,
            condition=Condition(
                "attribute_not_exists(PK) OR #id = :id",
                ConcurrentChange,
                names={"#id": "id"},
                values={":id": string(renewed.id)},
            ),
        )
        set_member_grant(tx, renewed)
        add_change(tx, renewed)

    def _grant_records(self, tx: Transaction, grant: Grant, today: date) -> None:
        record, slot = grant_items(grant, self._table.periods)
        tx.put(record, unless_exists=ConcurrentChange)
        tx.put(slot, condition=held_until(today))
        add_change(tx, grant)

    def revoke(self, tx: Transaction, revoked: Grant, *, if_ended: Failure) -> None:
        """The grant's record keeps the revocation and its slot goes (`unlist` takes it off the people
        list). `if_ended` when it was revoked meanwhile."""
        record, _ = grant_items(revoked, self._table.periods)
        tx.put(record, condition=Condition("attribute_not_exists(revocation)", if_ended))
        tx.delete(keys.grant(revoked.person, revoked.organization, revoked.right, revoked.context))
        add_change(tx, revoked)

    def unlist(self, tx: Transaction, grants: Sequence[Grant]) -> None:
        """Take grants of one person off their member item: one update, which raises its version."""
        names = {f"#g{n}": f"{GRANT_ATTRIBUTE}{g.id}" for n, g in enumerate(grants)}
        tx.update(
            grant_member_key(grants[0]),
            f"REMOVE {', '.join(names)} ADD #version :one",
            {":one": number(1)},
            Condition("attribute_exists(PK)", ConcurrentChange, names={**names, "#version": "version"}),
        )

    def end(self, tx: Transaction, ended: WorkRelationship, version: int, *, if_ended: Failure) -> None:
        """The record keeps the ending; the slot and the member item go, the latter only as read
        (`version`): a grant added meanwhile fails the write instead of outliving the relationship."""
        record, _ = relationship_items(ended, self._table.periods)
        tx.put(record, condition=Condition("attribute_not_exists(#end)", if_ended, names={"#end": "end"}))
        tx.delete(keys.work_relationship(ended.person, ended.organization))
        tx.delete(
            member_key(ended),
            condition=Condition(
                "#version = :version",
                ConcurrentChange,
                names={"#version": "version"},
                values={":version": number(version)},
            ),
        )
        for key in name_keys(ended):
            tx.delete(key)

    # ---- lifecycle ----------------------------------------------------------------------------------

    def warn(self, warned: Grant, due_key: str) -> bool:
        return grant_lifecycle.warn(self._table, warned, due_key)

    def expire(self, expired: Grant, due_key: str, entry: AuditEntry) -> bool:
        return grant_lifecycle.expire(self._table, expired, due_key, entry)

    def load(self, relationship: WorkRelationship, grants: tuple[Grant, ...]) -> None:
        """The data loader's write: the relationship and its grants as they are, idempotent."""
        member = member_item(relationship, grants)
        items = [*relationship_items(relationship, self._table.periods), member]
        items += name_items(relationship, member_key(relationship))
        for grant in grants:
            items += [
                written
                for written in (
                    *grant_items(grant, self._table.periods),
                    change_item(grant, self._table.periods),
                )
                if written is not None
            ]
        self._table.put_all(items)

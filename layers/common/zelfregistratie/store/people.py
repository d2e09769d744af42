"""People's work relationships and grants, in each person's partition and indexed by organisation."""

from __future__ import annotations

from typing import Any

from zelfregistratie.domain.entities import Grant, WorkRelationship
from zelfregistratie.store import keys
from zelfregistratie.store.table import Table, item, model, string


def work_relationship_item(relationship: WorkRelationship) -> dict[str, Any]:
    person, org = relationship.person, relationship.organization
    return item(
        relationship,
        "work_relationship",
        keys.work_relationship(person, org),
        keys.work_relationship_index(person, org),
    )


def grant_item(grant: Grant) -> dict[str, Any]:
    person, org, right, context = grant.person, grant.organization, grant.right, grant.context
    return item(
        grant, "grant", keys.grant(person, org, right, context), keys.grant_index(person, org, right, context)
    )


class People:
    def __init__(self, table: Table) -> None:
        self._table = table

    def put_work_relationship(self, relationship: WorkRelationship) -> None:
        self._table.put_item(work_relationship_item(relationship))

    def put_grant(self, grant: Grant) -> None:
        self._table.put_item(grant_item(grant))

    def relations(self, sub: str) -> tuple[list[WorkRelationship], list[Grant]]:
        """A person's work relationships and grants: one query on their partition."""
        items = self._table.query_all(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": string(keys.person_partition(sub))},
        )
        relationships = [model(WorkRelationship, i) for i in items if i["kind"] == "work_relationship"]
        grants = [model(Grant, i) for i in items if i["kind"] == "grant"]
        return relationships, grants

    def work_relationship(self, sub: str, org: str) -> WorkRelationship | None:
        return self._table.get(WorkRelationship, keys.work_relationship(sub, org))

    def grant(self, sub: str, org: str, right: str, context: str | None) -> Grant | None:
        return self._table.get(Grant, keys.grant(sub, org, right, context))

    def work_relationships_of(self, org: str) -> list[WorkRelationship]:
        return [model(WorkRelationship, i) for i in self._organization_index(org, keys.WORKREL_PREFIX)]

    def grants_of(self, org: str) -> list[Grant]:
        return [model(Grant, i) for i in self._organization_index(org, keys.GRANT_PREFIX)]

    def _organization_index(self, org: str, prefix: str) -> list[dict[str, Any]]:
        return self._table.query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
            ExpressionAttributeValues={
                ":pk": string(keys.organization_partition(org)),
                ":prefix": string(prefix),
            },
        )

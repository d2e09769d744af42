"""Applications with their rights, and organisations with their local administrators: written by the
loader and the administrators' changes, read by every form and filing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from zelfregistratie.domain.entities import (
    Application,
    LocalAdmin,
    Lookup,
    MachineClient,
    Organization,
    OrganizationWithAdmins,
    Right,
    TargetGroup,
)
from zelfregistratie.domain.errors import NotFound
from zelfregistratie.domain.identifiers import parse_any_organization_code
from zelfregistratie.store import keys, reachability
from zelfregistratie.store.codec import serialize
from zelfregistratie.store.records import from_record, to_record
from zelfregistratie.store.table import Table, item, model, plain_key, string


class Catalog:
    def __init__(self, table: Table) -> None:
        self._table = table

    def put_application(self, application: Application, rights: Sequence[Right]) -> None:
        """The application carries its rights, so that one read lists them; each right is also an
        item of its own, for links that name one right."""
        stored = item(application, "application", keys.application(application.id))
        stored["rights"] = serialize([to_record(r) for r in rights])
        self._table.put_item(stored)
        for right in rights:
            self._table.put(right, "right", keys.right(right.code))

    def put_client(self, client: MachineClient) -> None:
        """An application's machine client and the applications whose grants it reads."""
        self._table.put(client, "client", keys.machine_client(client.id))

    def put_rights_of(self, target_group: TargetGroup, rights: Sequence[Right]) -> None:
        """Every right a target group may hold, in one item: what "Recht toekennen" offers."""
        stored = plain_key(keys.target_group_rights(target_group.value)) | {"kind": string("rights")}
        stored["rights"] = serialize(
            [to_record(r) for r in sorted(rights, key=lambda r: (r.application_name, r.name))]
        )
        self._table.put_item(stored)

    def rights_of(self, target_group: TargetGroup) -> list[Right]:
        found = self._table.get_item(keys.target_group_rights(target_group.value))
        return [from_record(Right, r) for r in found.get("rights", [])] if found else []

    def put_organization(self, organization: Organization) -> None:
        """The loader's write: the organisation, and its place among those without a reachable
        administrator (by the count it is loaded with)."""
        self._table.put(organization, "organization", keys.organization(organization.code))
        reachability.follow(self._table, organization.code, organization.reachable_admins > 0)

    def lookup(
        self,
        *,
        application: int | None = None,
        right: str | None = None,
        organization: str | None = None,
        holder: str | None = None,
        context: str | None = None,
        contact: bool = False,
    ) -> Lookup:
        """Catalog and organisation for a form or a filing, in one BatchGetItem; with a `holder` (and a
        right and an organisation), the slot of the grant they may hold there (a renewal's); with
        `contact` too, the slot of their work relationship there."""
        wanted = []
        if holder is not None and right is not None and organization is not None:
            wanted.append(keys.grant(holder, organization, right, context))
            if contact:
                wanted.append(keys.work_relationship(holder, organization))
        if application is not None:
            wanted.append(keys.application(application))
        if right is not None:
            wanted.append(keys.right(right))
        if organization is not None:
            wanted.append(keys.organization(organization))
        found: dict[str, Any] = {}
        for stored in self._table.batch_get(wanted):
            if stored["kind"] == "application":
                found["application"] = model(Application, {k: v for k, v in stored.items() if k != "rights"})
                found["application_rights"] = tuple(from_record(Right, r) for r in stored.get("rights", []))
            elif stored["kind"] == "right":
                found["right"] = model(Right, stored)
            elif stored["kind"] == "organization":
                found["organization"] = model(Organization, stored)
            elif stored["kind"] == "grant":
                found["held_grant"] = str(stored["id"])
                found["held_until"] = date.fromisoformat(str(stored["end"]))
            elif stored["kind"] == "work_relationship":
                found["contact_phone"] = stored.get("phone")
                found["contact_email"] = stored.get("email")
        return Lookup(**found)

    def organization_with_admins(self, code: str, *, consistent: bool = False) -> OrganizationWithAdmins:
        """The organisation and its local administrators: one query on its partition; strongly
        consistent where task lists are reconciled with what it reads (notify)."""
        items = self._table.query_all(
            ConsistentRead=consistent,
            KeyConditionExpression="PK = :pk AND SK BETWEEN :first AND :last",
            ExpressionAttributeValues={
                ":pk": string(keys.organization_partition(code)),
                ":first": string(keys.ORG_META),
                ":last": string(keys.ADMIN_RANGE_END),
            },
        )
        organization = next((model(Organization, i) for i in items if i["kind"] == "organization"), None)
        admins = tuple(model(LocalAdmin, i) for i in items if i["kind"] == "local_admin")
        return OrganizationWithAdmins(organization=organization, admins=admins)

    def known_organization(self, code: str) -> tuple[Organization, OrganizationWithAdmins]:
        """An organisation by any written form of its code, with its administrators; else `not_found`."""
        try:
            code = parse_any_organization_code(code)
        except ValueError:
            raise NotFound() from None
        found = self.organization_with_admins(code)
        if found.organization is None:
            raise NotFound()
        return found.organization, found

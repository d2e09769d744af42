"""Load catalog and organisation data (YAML or JSON) into a table.

    python -m tools.load_data --table <name> [--region eu-west-1] [--dry-run] data/demo.yaml

The file is validated whole before anything is written: a bad organisation number, an unknown
target group or an administrator's e-mail with a line break stops the load with the reason.
Loading is an upsert: running it twice leaves the same items.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from zelfregistratie.api.fields import EmailAddress, Phone
from zelfregistratie.domain.entities import (
    AdminRole,
    Application,
    Grant,
    LocalAdmin,
    Organization,
    Right,
    TargetGroup,
    WorkRelationship,
)
from zelfregistratie.domain.identifiers import parse_organization_code
from zelfregistratie.store.store import Store


class _FileModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


class RightEntry(_FileModel):
    code: str
    name: str
    target_groups: Annotated[list[TargetGroup], Field(min_length=1)]
    contexts: list[str] = []
    validity_months: int = 24


class ApplicationEntry(_FileModel):
    id: int
    name: str
    rights: list[RightEntry] = []


class AdminEntry(_FileModel):
    person: str
    name: str
    role: AdminRole
    email: EmailAddress | None = None
    phone: Phone | None = None


class OrganizationEntry(_FileModel):
    code: str
    name: str
    target_group: TargetGroup
    local_admins: list[AdminEntry] = []

    @model_validator(mode="after")
    def _code_fits_target_group(self) -> OrganizationEntry:
        normalised = parse_organization_code(self.code, self.target_group)
        if normalised != self.code:
            raise ValueError(f"write organisation code {self.code!r} as {normalised!r}")
        return self


class WorkRelationshipEntry(_FileModel):
    person: str
    person_name: str | None = None
    organization: str
    since: date
    email: EmailAddress | None = None
    phone: Phone | None = None


class GrantEntry(_FileModel):
    person: str
    organization: str
    right: str
    context: str | None = None
    begin: date
    end: date


class Persona(_FileModel):
    """A fictional person of the local stack's development OpenID provider."""

    id: str
    sub: str
    given_name: str
    family_name: str
    description: str
    wv_orgcode: str | None = None


class DataSet(_FileModel):
    applications: list[ApplicationEntry] = []
    organizations: list[OrganizationEntry] = []
    work_relationships: list[WorkRelationshipEntry] = []
    grants: list[GrantEntry] = []
    personas: list[Persona] = []

    @model_validator(mode="after")
    def _references_resolve(self) -> DataSet:
        organizations = {o.code for o in self.organizations}
        rights = {r.code for a in self.applications for r in a.rights}
        referenced = [r.organization for r in self.work_relationships] + [g.organization for g in self.grants]
        for organization in referenced:
            if organization not in organizations:
                raise ValueError(f"unknown organisation {organization!r}")
        for grant in self.grants:
            if grant.right not in rights:
                raise ValueError(f"unknown right {grant.right!r}")
        return self

    def applications_and_rights(self) -> tuple[list[Application], list[Right]]:
        applications = [Application(id=a.id, name=a.name) for a in self.applications]
        rights = [
            Right(
                code=r.code,
                name=r.name,
                application_id=a.id,
                application_name=a.name,
                target_groups=frozenset(r.target_groups),
                contexts=tuple(r.contexts),
                validity_months=r.validity_months,
            )
            for a in self.applications
            for r in a.rights
        ]
        return applications, rights

    def organizations_and_admins(self) -> tuple[list[Organization], list[LocalAdmin]]:
        organizations = [
            Organization(
                code=o.code,
                name=o.name,
                target_group=o.target_group,
                reachable_admins=sum(1 for admin in o.local_admins if admin.email),
            )
            for o in self.organizations
        ]
        admins = [
            LocalAdmin(organization=o.code, organization_name=o.name, **admin.model_dump())
            for o in self.organizations
            for admin in o.local_admins
        ]
        return organizations, admins


def read(path: Path) -> DataSet:
    text = path.read_text(encoding="utf-8")
    raw: Any = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return DataSet.model_validate(raw or {})


def write(store: Store, data: DataSet) -> dict[str, int]:
    """Write every item; returns how many of each kind."""
    applications, rights = data.applications_and_rights()
    organizations, admins = data.organizations_and_admins()
    for application in applications:
        store.catalog.put_application(application, [r for r in rights if r.application_id == application.id])
    for organization in organizations:
        store.catalog.put_organization(organization)
    for admin in admins:
        store.admins.put(admin)
    names = {o.code: o.name for o in organizations}
    right_names = {r.code: r.name for r in rights}
    for relationship in data.work_relationships:
        store.people.put_work_relationship(
            WorkRelationship(organization_name=names[relationship.organization], **relationship.model_dump())
        )
    for grant in data.grants:
        store.people.put_grant(
            Grant(
                organization_name=names[grant.organization],
                right_name=right_names[grant.right],
                **grant.model_dump(),
            )
        )
    return {
        "applications": len(applications),
        "rights": len(rights),
        "organizations": len(organizations),
        "localAdmins": len(admins),
        "workRelationships": len(data.work_relationships),
        "grants": len(data.grants),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--table", required=True)
    parser.add_argument("--region", default=None)
    parser.add_argument("--endpoint-url", default=None, help="e.g. a local DynamoDB")
    parser.add_argument("--dry-run", action="store_true", help="validate the file, write nothing")
    args = parser.parse_args(argv)
    try:
        data = read(args.file)
    except (ValidationError, ValueError, yaml.YAMLError) as exc:
        print(f"{args.file}: not loaded:\n{exc}", file=sys.stderr)
        return 1
    if args.dry_run:
        print(f"{args.file}: valid")
        return 0
    import boto3

    client = boto3.client("dynamodb", region_name=args.region, endpoint_url=args.endpoint_url)
    counts = write(Store.connect(args.table, client), data)
    print(f"{args.file} → {args.table}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load catalog and organisation data (YAML or JSON) into a table.

    python -m ops.load_data --table <name> [--region eu-west-1] [--dry-run] data/demo.yaml

The file is validated whole before anything is written: a bad organisation number, an unknown
target group or an administrator's e-mail with a line break stops the load with the reason.
Loading is an upsert: running it twice leaves the same items.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from zelfregistratie.api import problems
from zelfregistratie.api.fields import EmailAddress, Phone
from zelfregistratie.domain.entities import (
    AdminRole,
    Application,
    EmailStatus,
    LocalAdmin,
    MachineClient,
    Organization,
    Right,
    TargetGroup,
)
from zelfregistratie.domain.errors import InvalidValue
from zelfregistratie.domain.identifiers import parse_organization_code
from zelfregistratie.domain.rights import Grant, WorkRelationship
from zelfregistratie.store.store import Store


class _FileModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


class RightEntry(_FileModel):
    code: str
    name: str
    target_groups: Annotated[list[TargetGroup], Field(min_length=1)]
    contexts: list[str] = []
    validity_months: int = 24
    description: str | None = None


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
    # what SES said of the address (docs/unreachable-administrators.md): the demo's unreachable organisation
    email_status: EmailStatus = EmailStatus.OK


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


class ClientEntry(_FileModel):
    """An application's machine client (OAuth2 client credentials) and the applications whose grants
    it may read. Its secret lives with the identity provider, never here."""

    id: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$")]
    applications: Annotated[list[int], Field(min_length=1)]


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
    clients: list[ClientEntry] = []
    personas: list[Persona] = []

    @model_validator(mode="after")
    def _references_resolve(self) -> DataSet:
        organizations = {o.code for o in self.organizations}
        rights = {r.code for a in self.applications for r in a.rights}
        referenced = [r.organization for r in self.work_relationships] + [g.organization for g in self.grants]
        for organization in referenced:
            if organization not in organizations:
                raise ValueError(f"unknown organisation {organization!r}")
        applications = {a.id for a in self.applications}
        for client in self.clients:
            if unknown := set(client.applications) - applications:
                raise ValueError(f"client {client.id!r} reads unknown applications {sorted(unknown)}")
        working = {(r.person, r.organization) for r in self.work_relationships}
        for grant in self.grants:
            if grant.right not in rights:
                raise ValueError(f"unknown right {grant.right!r}")
            if (grant.person, grant.organization) not in working:
                raise ValueError(f"a grant needs a work relationship: {grant.person} at {grant.organization}")
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
                description=r.description,
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
                reachable_admins=sum(
                    1 for admin in o.local_admins if admin.email and admin.email_status is EmailStatus.OK
                ),
            )
            for o in self.organizations
        ]
        admins = [
            LocalAdmin(organization=o.code, organization_name=o.name, **admin.model_dump())
            for o in self.organizations
            for admin in o.local_admins
        ]
        return organizations, admins


def _stable_id(*parts: str) -> str:
    """The same id on every load of the same file: loading twice leaves the same items."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "zelfregistratie:" + "/".join(parts)))


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
    for target_group in TargetGroup:
        store.catalog.put_rights_of(target_group, [r for r in rights if r.available_to(target_group)])
    for organization in organizations:
        store.catalog.put_organization(organization)
    for admin in admins:
        store.admins.put(admin)
    for client in data.clients:
        store.catalog.put_client(MachineClient(id=client.id, applications=frozenset(client.applications)))
    names = {o.code: o.name for o in organizations}
    by_code = {r.code: r for r in rights}
    for entry in data.work_relationships:
        relationship = WorkRelationship(
            id=_stable_id("work-relationship", entry.person, entry.organization),
            organization_name=names[entry.organization],
            **entry.model_dump(),
        )
        grants = tuple(
            Grant(
                id=_stable_id("grant", g.person, g.organization, g.right, g.context or ""),
                person_name=relationship.person_name,
                organization_name=names[g.organization],
                application_id=by_code[g.right].application_id,
                application_name=by_code[g.right].application_name,
                right_name=by_code[g.right].name,
                email=relationship.email,
                changed_at=datetime.combine(g.begin, time(), UTC),  # the same on every load
                **g.model_dump(),
            )
            for g in data.grants
            if (g.person, g.organization) == (entry.person, entry.organization)
        )
        store.people.load(relationship, grants)
    return {
        "applications": len(applications),
        "rights": len(rights),
        "organizations": len(organizations),
        "localAdmins": len(admins),
        "workRelationships": len(data.work_relationships),
        "grants": len(data.grants),
        "clients": len(data.clients),
    }


def _message(error: Any) -> str:
    """The product's own reason in its Dutch words; anything else (this file's checks) as pydantic says."""
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, InvalidValue):
        return problems.worded(cause.reason, cause.facts)
    return str(error["msg"])


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
    except ValidationError as exc:
        failures = [f"  {'.'.join(str(p) for p in e['loc'])}: {_message(e)}" for e in exc.errors()]
        print(f"{args.file}: not loaded:\n" + "\n".join(failures), file=sys.stderr)
        return 1
    except (ValueError, yaml.YAMLError) as exc:
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

"""Appoint or remove a local administrator from a government organisation's form (ops).

    python -m ops.appointments appoint --table T --org OVO000123 --person <sub> --name "Ann Peeters" \\
        --email ann.peeters@vlaanderen.be [--phone +3221234567] [--role head_local_admin] \\
        --by "Jan (helpdesk)"
    python -m ops.appointments remove --table T --org OVO000123 --person <sub> [--confirm] \\
        --by "Jan (helpdesk)"

Government organisations (GID, LB, OV) name their local administrator with a form; ops carries it
out here. The change is audited as made by `ops:<by>`, and the person concerned gets a mail.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from zelfregistratie.api import problems
from zelfregistratie.domain import clock
from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.entities import AdminRole
from zelfregistratie.domain.errors import DomainError
from zelfregistratie.domain.rights import WorkRelationship
from zelfregistratie.logic import appointments
from zelfregistratie.store.store import Store


def main(argv: list[str] | None = None, store: Store | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["appoint", "remove"])
    parser.add_argument("--table", required=True)
    parser.add_argument("--region", default=None)
    parser.add_argument("--org", required=True)
    parser.add_argument("--person", required=True, help="the person's subject (sub) at the identity provider")
    parser.add_argument("--name")
    parser.add_argument("--email")
    parser.add_argument("--phone")
    parser.add_argument("--role", choices=[r.value for r in AdminRole], default=AdminRole.LOCAL.value)
    parser.add_argument(
        "--confirm", action="store_true", help="also when it is the last administrator with e-mail"
    )
    parser.add_argument("--by", required=True, help="who carries out the form, for the audit trail")
    args = parser.parse_args(argv)
    if store is None:
        from zelfregistratie.aws import client

        store = Store.connect(args.table, client("dynamodb") if args.region is None else _client(args.region))
    actor = Actor.ops(args.by)
    now = clock.now()
    try:
        if args.action == "appoint":
            if not args.name or not args.email:
                parser.error("appoint needs --name and --email")
            relationship = WorkRelationship(
                person=args.person,
                person_name=args.name,
                organization=args.org,
                email=args.email,
                phone=args.phone,
                since=clock.today(now),
            )
            nominee = appointments.Nominee(
                args.person, AdminRole(args.role), args.email, args.phone, work_relationship=relationship
            )
            appointed = appointments.appoint(store, actor, args.org, nominee, now=now).admin
            print(f"{appointed.name} is now {appointed.role.value} of {appointed.organization}")
        else:
            appointments.remove(store, actor, args.org, args.person, confirm=args.confirm, now=now)
            print(f"{args.person} is no longer an administrator of {args.org}")
    except DomainError as error:
        print(f"Not done: {problems.title(error)} {problems.detail(error)}", file=sys.stderr)
        for field_error in error.errors:
            message = problems.worded(field_error.reason, field_error.facts)
            print(f"  {field_error.field}: {message}", file=sys.stderr)
        return 1
    return 0


def _client(region: str) -> Any:
    import botocore.session

    return botocore.session.get_session().create_client("dynamodb", region_name=region)


if __name__ == "__main__":
    sys.exit(main())

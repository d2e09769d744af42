"""The application grants API at scale, for `make bench`: 10,000 grants over 20 applications (500
each, over 50 organisations), read by a machine client through the list_tasks handler, `limit=25`.

The grants are written by the store's own write (`People.load`: a person's work relationship with
their grants, each grant's record, slot and change), 1,000 people with ten grants each. Reported:
the calls of one page once the environment knows the client's registration (and of the very first
page, which also reads it), and the items each page reads (DynamoDB's `ScannedCount`): the active
grants, one organisation's, and the changes since an instant.
"""

from __future__ import annotations

import importlib
import os
from datetime import UTC, date, datetime, timedelta
from typing import Any

APPLICATIONS = 20
GRANTS = 10_000
PER_PERSON = 10
ORGANIZATIONS = 50
LIMIT = 25
FIRST_APPLICATION = 1000


def _grants(store: Any) -> datetime:
    """The grants, each changed a second after the one before; returns the first change's instant."""
    from zelfregistratie.domain.rights import Grant, WorkRelationship

    start = datetime(2026, 1, 1, tzinfo=UTC)
    for person in range(GRANTS // PER_PERSON):
        org = f"OVO{person % ORGANIZATIONS:06d}"
        relationship = WorkRelationship(
            person=f"person-{person}",
            person_name=f"Persoon {person}",
            organization=org,
            since=date(2025, 1, 1),
        )
        grants = []
        for k in range(PER_PERSON):
            n = person * PER_PERSON + k
            application = FIRST_APPLICATION + n % APPLICATIONS
            grants.append(
                Grant(
                    person=relationship.person,
                    person_name=relationship.person_name,
                    organization=org,
                    application_id=application,
                    application_name=f"Toepassing {application}",
                    right=f"RECHT_{application}_{k}",
                    right_name=f"Recht {k}",
                    begin=date(2026, 1, 1),
                    end=date(2028, 1, 1),
                    changed_at=start + timedelta(seconds=n),
                )
            )
        store.people.load(relationship, tuple(grants))
    return start


def figures() -> tuple[dict[str, Any], dict[str, int]]:
    """(items read per page, calls per page)."""
    from moto import mock_aws

    from bench.run import ENVIRONMENT, CallCounter
    from devstack import template
    from tests.events import LambdaContext, http_event
    from zelfregistratie.domain.entities import MachineClient
    from zelfregistratie.store.store import Store

    os.environ.update(ENVIRONMENT)
    from devstack import moto_atomic

    moto_atomic.faithful_moto()  # the local stack's AWS: moto with our adapter
    with mock_aws():
        import boto3

        client = boto3.client("dynamodb")
        template.create_table(client, ENVIRONMENT["TABLE_NAME"])
        store = Store.connect(ENVIRONMENT["TABLE_NAME"], client)
        start = _grants(store)
        applications = frozenset(range(FIRST_APPLICATION, FIRST_APPLICATION + APPLICATIONS))
        store.catalog.put_client(MachineClient(id="bench-client", applications=applications))
        list_tasks = importlib.import_module("functions.list_tasks.app")
        importlib.import_module("zelfregistratie.logic.applications").forget_registrations()
        counter = CallCounter(list_tasks.store.table.client)
        claims = {"sub": "bench-client", "client_id": "bench-client", "scope": "grants.read"}
        application = FIRST_APPLICATION + 7

        def page(**query: str) -> tuple[int, int]:
            event = http_event("GET", f"/api/applications/{application}/grants", claims=claims, query=query)
            before = counter.items_read
            calls, _, answer = counter.during(lambda: list_tasks.lambda_handler(event, LambdaContext()))
            assert answer["statusCode"] == 200, answer
            return calls, counter.items_read - before

        first_calls, _ = page(limit=str(LIMIT))
        calls, active = page(limit=str(LIMIT))
        _, of_organization = page(limit=str(LIMIT), organization="OVO000008")
        since = (start + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
        _, changes = page(limit=str(LIMIT), changedSince=since)
    items = {
        "grants_in_table": GRANTS,
        "applications_in_table": APPLICATIONS,
        "application_grants": active,
        "application_grants_of_one_organization": of_organization,
        "application_grants_changed_since": changes,
    }
    return items, {
        "application_grants_page": calls,
        "application_grants_first_page_of_an_environment": first_calls,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(figures(), indent=2))

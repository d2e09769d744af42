"""Task pages at scale, for `make bench`: 10,000 open tasks over 100 organisations, read by
administrators of 1, 3 and 20 of them through the list_tasks handler, `limit=25`.

Each organisation has an administrator of its own besides; the tasks are filed through the store's
filing transaction, newest last, spread over the organisations in turn. Reported: the items each
first page reads (DynamoDB's `ScannedCount`, summed over the page's calls), the calls of the
administrator of 20's page, and the items read to list all of that administrator's open tasks
divided by how many there are.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
from datetime import UTC, datetime, timedelta
from typing import Any

ORGANIZATIONS = 100
TASKS = 10_000
LIMIT = 25
ADMINISTERING = (1, 3, 20)


def _organizations(store: Any) -> list[str]:
    from zelfregistratie.domain.entities import AdminRole, LocalAdmin, Organization, TargetGroup

    codes = [f"OVO{n:06d}" for n in range(ORGANIZATIONS)]
    for n, code in enumerate(codes):
        store.catalog.put_organization(
            Organization(code=code, name=f"Organisatie {n}", target_group=TargetGroup.OV, reachable_admins=1)
        )
        admins = [f"own-admin-{n}"] + [f"admin-of-{k}" for k in ADMINISTERING if n < k]
        for sub in admins:
            store.admins.put(
                LocalAdmin(
                    organization=code, person=sub, name=sub, role=AdminRole.LOCAL, email=f"{sub}@example.be"
                )
            )
    return codes


def _file(store: Any, codes: list[str]) -> None:
    from tests.factories import a_request
    from zelfregistratie.domain.requests import AccessRequest

    fan_out = "assignees" in {f.name for f in dataclasses.fields(AccessRequest)}
    administrators: dict[str, frozenset[str]] = {}
    start = datetime.now(UTC) - timedelta(days=2)
    for n in range(TASKS):
        code = codes[n % ORGANIZATIONS]
        if code not in administrators:
            found = store.catalog.organization_with_admins(code).organization
            administrators[code] = getattr(found, "administrators", frozenset())
        request = a_request(
            requester=f"person-{n}", organization=code, created_at=start + timedelta(seconds=n)
        )
        if fan_out:
            request = dataclasses.replace(request, assignees=administrators[code])
        store.requests.create(request, request.created_at.date())


def figures() -> tuple[dict[str, Any], dict[str, int]]:
    """(items read per page and the full listing's ratio, the administrator of 20's page calls)."""
    from moto import mock_aws

    from bench.run import ENVIRONMENT, CallCounter
    from devstack import moto_atomic, template
    from ops.load_data import Persona
    from tests.api import claims_for
    from tests.events import LambdaContext, http_event
    from zelfregistratie.store.store import Store

    os.environ.update(ENVIRONMENT)
    moto_atomic.faithful_moto()  # transactions without a copy of the table each
    with mock_aws():
        import boto3

        client = boto3.client("dynamodb")
        template.create_table(client, ENVIRONMENT["TABLE_NAME"])
        store = Store.connect(ENVIRONMENT["TABLE_NAME"], client)
        _file(store, _organizations(store))
        list_tasks = importlib.import_module("functions.list_tasks.app")
        reads = CallCounter(list_tasks.store.table.client)

        def page(sub: str, cursor: str | None = None) -> tuple[int, int, dict[str, Any]]:
            persona = Persona(id=sub, sub=sub, given_name="Beheerder", family_name=sub, description="")
            query = {"limit": str(LIMIT)} | ({"cursor": cursor} if cursor else {})
            event = http_event("GET", "/api/tasks", claims=claims_for(persona), query=query)
            before = reads.items_read
            calls, _, response = reads.during(lambda: list_tasks.lambda_handler(event, LambdaContext()))
            assert response["statusCode"] == 200, response
            import json

            return calls, reads.items_read - before, json.loads(response["body"])

        per_page: dict[str, Any] = {
            "tasks_in_table": TASKS,
            "organizations_in_table": ORGANIZATIONS,
            "limit": LIMIT,
        }
        calls_of_20 = 0
        pages = []
        for k in ADMINISTERING:
            calls, items, _ = page(f"admin-of-{k}")
            pages.append({"administrator_of": k, "items_read": items})
            if k == 20:
                calls_of_20 = calls
        per_page["task_page"] = pages
        listed, items_read, cursor = 0, 0, None
        while True:
            _, items, body = page("admin-of-20", cursor)
            listed += len(body["items"])
            items_read += items
            if (cursor := body["nextCursor"]) is None:
                break
        assert listed == TASKS // ORGANIZATIONS * 20, listed
        per_page["items_read_full_listing_ratio"] = round(items_read / listed, 2)
    return per_page, {"task_page_administrator_of_20": calls_of_20}


if __name__ == "__main__":
    import json

    print(json.dumps(figures(), indent=2))

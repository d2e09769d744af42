"""Task lists kept per administrator (fan-out on write): the list's contract across pages for an
administrator of twenty organisations while others file and decide, appointments and removals, and
notify's reconciliation of a filing or decision that raced a change of administrators."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from typing import Any

import boto3
import pytest

from ops import streams
from ops.load_data import DataSet, Persona
from tests.api import Api
from tests.conftest import Table, ses_as_deployed
from tests.events import LambdaContext
from tests.factories import ELS, NOW, TODAY, a_request, an_approval, decided_in, filing_body
from zelfregistratie.domain.entities import AdminRole, LocalAdmin, Organization, TargetGroup
from zelfregistratie.domain.requests import AccessRequest
from zelfregistratie.store.admins import local_admin_item
from zelfregistratie.store.store import Store
from zelfregistratie.store.tasks import TaskFilter

ACCOUNTANT = "accountant"
OTHER = "other-admin"
ORGS = [f"OVO{n:06d}" for n in range(20)]
OUTSIDE = "OVO999999"
BAKERY = "0428364866"
TOM = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a02"


def organization(store: Store, code: str, *admins: str) -> None:
    store.catalog.put_organization(
        Organization(code=code, name=f"Organisatie {code}", target_group=TargetGroup.OV, reachable_admins=1)
    )
    for sub in admins:
        store.admins.put(
            LocalAdmin(organization=code, person=sub, name=sub, role=AdminRole.LOCAL, email=f"{sub}@x.be")
        )


counter = iter(range(1_000_000))


def file(store: Store, org: str, at: Any) -> AccessRequest:
    """A filing as submit_request makes it: the task goes to the organisation's administrators."""
    found = store.catalog.organization_with_admins(org).organization
    assert found is not None
    request = a_request(
        requester=f"person-{next(counter)}", organization=org, created_at=at, assignees=found.administrators
    )
    store.requests.create(request, TODAY)
    return request


def listed(store: Store, sub: str, status: str = "open") -> list[str]:
    seen, cursor = [], None
    while True:
        page = store.tasks.of(sub, status, 100, cursor)
        seen += [r.id for r in page.items]
        if (cursor := page.next_cursor) is None:
            return seen


def decide(store: Store, request_id: str) -> None:
    request = store.requests.get(request_id)
    assert request is not None
    decided_in(store, request, an_approval(), TODAY)


def test_an_administrator_of_twenty_pages_without_repeats_or_gaps_while_others_file_and_decide(
    store: Store, table: Table
) -> None:
    for code in ORGS:
        organization(store, code, ACCOUNTANT, OTHER)
    organization(store, OUTSIDE, OTHER)
    pick = random.Random(20)  # noqa: S311  (a repeatable walk, not a secret)
    start = NOW - timedelta(days=1)
    initial = [file(store, ORGS[n % 20], start + timedelta(seconds=n)).id for n in range(140)]
    outside = {file(store, OUTSIDE, start + timedelta(seconds=n, milliseconds=500)).id for n in range(20)}
    later = NOW

    seen: list[str] = []
    decided_unseen: set[str] = set()
    cursor = None
    while True:
        page = store.tasks.of(ACCOUNTANT, "open", 7, cursor)
        assert len(page.items) <= 7
        seen += [r.id for r in page.items]
        if (cursor := page.next_cursor) is None:
            break
        # Between pages: new filings (newer than anything listed) and decisions, seen and unseen.
        for _ in range(2):
            later += timedelta(seconds=1)
            file(store, pick.choice(ORGS), later)
        unseen = [i for i in initial if i not in seen and i not in decided_unseen]
        for request_id in pick.sample(unseen, min(2, len(unseen))):
            decide(store, request_id)
            decided_unseen.add(request_id)
        open_seen = [i for i in seen if i in initial and i not in decided_unseen]
        if open_seen:
            decide(store, pick.choice(open_seen))

    assert seen == sorted(seen, reverse=True), "newest first"
    assert len(seen) == len(set(seen)), "no repeats"
    assert set(seen) == set(initial) - decided_unseen, "no gaps, and nothing decided before its page"
    assert not set(seen) & outside
    assert decided_unseen  # the walk did decide tasks before their page


@pytest.fixture
def notify(demo: DataSet) -> Any:
    ses_as_deployed()
    from functions.notify import app

    return app


def test_an_appointment_hands_over_the_organisations_tasks_and_a_removal_takes_them_away(
    api: Api, personas: dict[str, Persona], store: Store, notify: Any, table: Table
) -> None:
    els, sofie = personas["beheerder"], personas["medewerker"]  # Erwin works at the bakery
    jonas = personas["aanvrager2"]

    filed = [
        api.call("POST", "/api/requests", caller=jonas, body=filing_body(right=code)).body["id"]
        for code in ("DIMONA_MANDAAT_BEHEERDER", "DIMONA_MANDAAT_RAADPLEGER")
    ]
    decision = {"decision": "reject", "reason": "Nee."}
    assert api.call("POST", f"/api/tasks/{filed[0]}/decision", caller=els, body=decision).status == 200
    assert api.call("GET", "/api/tasks", caller=sofie).status == 403

    appointment = {"person": sofie.sub, "role": "local_admin", "email": "erwin@bakkerij.example"}
    since = stream_position(table)
    assert api.call("POST", f"/api/organizations/{BAKERY}/admins", caller=els, body=appointment).status == 201
    assert listed(store, sofie.sub) == []  # the hand-over is notify's, from the stream
    since = settle(notify, table, since)
    open_tasks = api.call("GET", "/api/tasks", caller=sofie).body["items"]
    closed = api.call("GET", "/api/tasks", caller=sofie, query={"status": "closed"}).body["items"]
    assert [t["id"] for t in open_tasks] == [filed[1]]
    assert [t["id"] for t in closed] == [filed[0]]
    assert api.call("GET", f"/api/tasks/{filed[1]}", caller=sofie).status == 200

    assert api.call("DELETE", f"/api/organizations/{BAKERY}/admins/{sofie.sub}", caller=els).status == 204
    settle(notify, table, since)
    assert listed(store, sofie.sub) == [] and listed(store, sofie.sub, "closed") == []
    assert api.call("GET", "/api/tasks", caller=sofie).status == 403
    assert [t["id"] for t in api.call("GET", "/api/tasks", caller=els).body["items"]] == [filed[1]]


def run_notify(notify: Any, table: Table, since: int) -> int:
    """Hand every record after `since` to notify, twice (a redelivery changes nothing)."""
    records = streams.read_all(boto3.client("dynamodbstreams"), table.stream_arn)
    for _ in range(2):
        assert notify.lambda_handler({"Records": records[since:]}, LambdaContext()) == {
            "batchItemFailures": []
        }
    return len(records)


def settle(notify: Any, table: Table, since: int) -> int:
    """Hand notify the stream's records after `since`, and then the records that made, until none
    come: what Lambda's event source mapping does. Returns the position reached."""
    while records := streams.read_all(boto3.client("dynamodbstreams"), table.stream_arn)[since:]:
        assert notify.lambda_handler({"Records": records}, LambdaContext()) == {"batchItemFailures": []}
        since += len(records)
    return since


def stream_position(table: Table) -> int:
    return len(streams.read_all(boto3.client("dynamodbstreams"), table.stream_arn))


def raw_admin(table: Table, org: str, sub: str) -> None:
    """An administrator appointed between a filing's read and its write: no hand-over ran for them."""
    admin = LocalAdmin(organization=org, person=sub, name=sub, role=AdminRole.LOCAL, email=f"{sub}@x.be")
    table.client.put_item(TableName=table.name, Item=local_admin_item(admin))


def test_notify_gives_a_filing_that_raced_an_appointment_to_the_new_administrator(
    notify: Any, store: Store, table: Table
) -> None:
    since = stream_position(table)
    raw_admin(table, BAKERY, "bart")  # appointed while the filing was on its way
    request = file(store, BAKERY, NOW)
    assert request.assignees == {ELS, TOM}
    assert listed(store, "bart") == []
    run_notify(notify, table, since)
    assert listed(store, "bart") == [request.id]
    stored = store.requests.get(request.id)
    assert stored is not None and stored.assignees == {ELS, TOM, "bart"}


def test_notify_takes_a_task_back_from_someone_removed_while_it_was_filed(
    notify: Any, store: Store, table: Table
) -> None:
    since = stream_position(table)
    request = file(store, BAKERY, NOW)
    table.client.delete_item(
        TableName=table.name, Key={"PK": {"S": f"ORG#{BAKERY}"}, "SK": {"S": f"ADMIN#{TOM}"}}
    )
    run_notify(notify, table, since)
    assert listed(store, TOM) == []
    assert listed(store, ELS) == [request.id]


def test_a_decision_that_raced_an_appointment_leaves_the_task_closed_in_the_new_list(
    notify: Any, store: Store, table: Table
) -> None:
    request = file(store, BAKERY, NOW)
    before = store.requests.get(request.id)  # the decision reads the request …
    assert before is not None
    raw_admin(table, BAKERY, "bart")  # … Bart is appointed and handed the open task …
    store.tasks.assign(request.id, "bart")
    since = stream_position(table)
    decided_in(store, before, an_approval(), TODAY)  # … and the decision moves the tasks it knew of
    assert listed(store, "bart") == [request.id]  # stale until notify reconciles
    run_notify(notify, table, since)
    assert listed(store, "bart") == [] and listed(store, "bart", "closed") == [request.id]
    assert listed(store, ELS, "closed") == [request.id]


def test_an_organisation_with_more_administrators_than_a_transaction_holds_gets_them_all(
    notify: Any, store: Store, table: Table
) -> None:
    many = [f"admin-{n:02d}" for n in range(25)]
    organization(store, "OVO000777", *many)
    since = stream_position(table)
    request = file(store, "OVO000777", NOW)
    stored = store.requests.get(request.id)
    assert stored is not None and len(stored.assignees) == 20  # what the filing's transaction held
    run_notify(notify, table, since)
    assert all(listed(store, sub) == [request.id] for sub in many)
    decide(store, request.id)
    assert all(listed(store, sub, "closed") == [request.id] for sub in many[:20])


def test_a_task_page_reads_one_more_item_than_it_shows(store: Store, table: Table) -> None:
    organization(store, ORGS[0], ACCOUNTANT)
    for n in range(30):
        file(store, ORGS[0], NOW + timedelta(seconds=n))
    reads: list[int] = []
    table.client.meta.events.register(
        "after-call.dynamodb.Query", lambda parsed, **_: reads.append(parsed["ScannedCount"])
    )
    page = store.tasks.of(ACCOUNTANT, "open", 25)
    assert len(page.items) == 25 and page.next_cursor and reads == [26]
    rest = store.tasks.of(ACCOUNTANT, "open", 25, page.next_cursor)
    assert len(rest.items) == 5 and rest.next_cursor is None


def test_the_filter_reads_on_until_the_page_is_full(store: Store) -> None:
    organization(store, ORGS[0], ACCOUNTANT)
    named = []
    for n in range(60):
        found = store.catalog.organization_with_admins(ORGS[0]).organization
        assert found is not None
        request = a_request(
            requester=f"filter-{n}",
            organization=ORGS[0],
            created_at=NOW + timedelta(seconds=n),
            assignees=found.administrators,
        )
        if n % 10 == 0:
            request = replace(request, requester_name="Jan Vanderplancke")
            named.append(request.id)
        store.requests.create(request, TODAY)
    wanted = TaskFilter(requester="PLANCKE")
    first = store.tasks.of(ACCOUNTANT, "open", 4, filters=wanted)
    assert [r.id for r in first.items] == sorted(named, reverse=True)[:4] and first.next_cursor
    rest = store.tasks.of(ACCOUNTANT, "open", 4, first.next_cursor, filters=wanted)
    assert [r.id for r in rest.items] == sorted(named, reverse=True)[4:] and rest.next_cursor is None
    none = store.tasks.of(ACCOUNTANT, "open", 5, filters=TaskFilter(requester="niemand"))
    assert none.items == [] and none.next_cursor is None

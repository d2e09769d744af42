"""An organisation's size against the writes it causes, for `make bench`.

- `appoint_admin_large_org`: the demo's bakery with 1,000 open and 10,000 closed tasks besides its
  own. Its head administrator appoints a colleague through decide's handler (the calls counted);
  then the hand-over runs as notify takes it from the stream: each step from the record the last
  one wrote, with the calls of each step counted and timed.
- `filing_admins_150`: a filing at an organisation of 150 administrators (the demo's animal welfare
  association and 149 more) through submit_request's
  handler (its calls counted), then notify over the stream until it is quiet: `ok` when every
  administrator has the task in their list and got the mail.

The tasks are written as a filing (and a cancellation) leaves them: the request, the organisation's
task and one in each administrator's list, by the store's loader write (BatchWriteItem), so that
11,000 of them take seconds.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

OPEN, CLOSED = 1_000, 10_000
ADMINISTRATORS = 150
BAKERY = "0428364866"


def figures() -> tuple[dict[str, int], dict[str, Any]]:
    """(the calls of `aws_calls`, the hand-over's and the 150 administrators' figures)."""
    from moto import mock_aws

    from bench.run import ENVIRONMENT, ROOT
    from devstack import moto_atomic, template
    from ops import load_data
    from zelfregistratie.store.store import Store

    os.environ.update(ENVIRONMENT)
    moto_atomic.faithful_moto()  # transactions without a copy of the table each
    with mock_aws():
        import boto3

        client = boto3.client("dynamodb")
        template.create_table(client, ENVIRONMENT["TABLE_NAME"])
        boto3.client("sesv2").create_email_identity(EmailIdentity=ENVIRONMENT["SES_SENDER"])
        template.create_event_bus(boto3.client("events"), ENVIRONMENT["ENVIRONMENT"])
        store = Store.connect(ENVIRONMENT["TABLE_NAME"], client)
        data = load_data.read(ROOT / "data" / "demo.yaml")
        load_data.write(store, data)
        personas = {p.id: p for p in data.personas}
        appoint_calls, handover = _appointment(store, personas)
        filing = _filing(store, personas)
    return {"appoint_admin_large_org": appoint_calls}, {
        "handover_large_org": handover,
        "filing_admins_150": filing,
    }


def _appointment(store: Any, personas: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    from bench.run import CallCounter, _as
    from zelfregistratie.store import keys

    _seed_tasks(store, BAKERY)
    decide = importlib.import_module("functions.decide.app")
    head, newcomer = personas["beheerder"], personas["medewerker"]
    body = {"person": newcomer.sub, "role": "local_admin", "email": "erwin@bakkerij.example"}
    counter = CallCounter(decide.store.table.client)
    calls, _, _ = counter.during(
        lambda: _as(head, decide, "POST", f"/api/organizations/{BAKERY}/admins", body=body, status=201)
    )

    notify = importlib.import_module("functions.notify.app")
    steps = CallCounter(notify.table.client)
    per_step: list[int] = []
    seconds: list[float] = []
    open_after = None
    key = {name: {"S": value} for name, value in keys.handover(BAKERY, newcomer.sub).items()}
    while item := store.table.client.get_item(TableName=store.table.name, Key=key, ConsistentRead=True).get(
        "Item"
    ):
        record = {"eventID": f"step-{len(per_step)}", "eventName": "MODIFY", "dynamodb": {"NewImage": item}}
        started = time.perf_counter()
        made, _, _ = steps.during(partial(notify.handle_record, record))
        seconds.append(time.perf_counter() - started)
        per_step.append(made)
        if open_after is None and item["bucket"]["S"] == "closed":
            open_after = len(per_step) - 1
    listed = _listed(store, newcomer.sub)
    assert listed == (OPEN + _own(store, "open"), CLOSED + _own(store, "closed")), listed
    return calls, {
        "open_tasks": OPEN,
        "closed_tasks": CLOSED,
        "steps": len(per_step),
        "steps_until_every_open_task_listed": open_after,
        "aws_calls_per_step_max": max(per_step),
        "aws_calls_total": sum(per_step),
        "seconds_per_step_local_max": round(max(seconds), 3),
    }


def _seed_tasks(store: Any, org: str) -> None:
    from tests.factories import a_request
    from zelfregistratie.domain.entities import RequestStatus

    found = store.catalog.organization_with_admins(org).organization
    start = datetime.now(UTC) - timedelta(days=20)
    requests = []
    for n in range(OPEN + CLOSED):
        filed = start + timedelta(seconds=n)
        request = a_request(
            requester=f"person-{n}", organization=org, created_at=filed, assignees=found.administrators
        )
        if n < CLOSED:
            request = dataclasses.replace(
                request, status=RequestStatus.CANCELLED, cancelled_at=filed + timedelta(hours=1)
            )
        requests.append(request)
    store.requests.load(requests)


def _listed(store: Any, sub: str) -> tuple[int, int]:
    counted = []
    for bucket in ("open", "closed"):
        found = store.table.query_all(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": f"INBOX#{sub}#{bucket}"}},
            ProjectionExpression="SK",
        )
        counted.append(len(found))
    return counted[0], counted[1]


def _own(store: Any, bucket: str) -> int:
    """The demo's own tasks of the bakery, besides the bench's."""
    found = store.table.query_all(
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"TASKS#{BAKERY}#{bucket}"}},
        ProjectionExpression="SK",
    )
    return len(found) - (OPEN if bucket == "open" else CLOSED)


def _filing(store: Any, personas: dict[str, Any]) -> dict[str, Any]:
    import boto3

    from bench.run import ENVIRONMENT, CallCounter, _as
    from devstack import template
    from devstack.outbox import Outbox
    from ops import streams
    from tests.events import LambdaContext
    from tests.factories import filing_body
    from zelfregistratie.domain.entities import AdminRole, LocalAdmin

    org = "0415327175"  # the demo's animal welfare association: its head administrator and 149 more
    admins = [f"admin-{n:03d}" for n in range(ADMINISTRATORS - 1)]
    for sub in admins:
        store.admins.put(
            LocalAdmin(
                organization=org,
                person=sub,
                name=sub,
                role=AdminRole.LOCAL,
                email=f"{sub}@dierenwelzijn.example",
            )
        )
    admins.append(personas["beheerder-andere"].sub)
    follower = streams.Follower(
        boto3.client("dynamodbstreams"),
        store.table.client.describe_table(TableName=store.table.name)["Table"]["LatestStreamArn"],
    ).skip_existing()
    patterns = streams.filter_patterns(template.resource("NotifyStreamMapping")["Properties"])
    submit = importlib.import_module("functions.submit_request.app")
    counter = CallCounter(submit.store.table.client)
    body = filing_body(organization=org, email="bench150@example.be", reason=None)
    calls, _, filed = counter.during(
        lambda: _as(personas["aanvrager2"], submit, "POST", "/api/requests", body=body, status=201)
    )
    notify = importlib.import_module("functions.notify.app")
    outbox = Outbox(ENVIRONMENT["AWS_REGION"])
    outbox.refresh()
    rounds = 0
    while records := [r for r in follower.read() if streams.passes(r, patterns)]:
        assert notify.lambda_handler({"Records": records}, LambdaContext()) == {"batchItemFailures": []}
        rounds += 1
    with_task = sum(
        1
        for sub in admins
        if store.table.get_item({"PK": f"INBOX#{sub}#open", "SK": filed["id"]}, consistent=True)
    )
    mailed = {to for mail in outbox.refresh() for to in mail.to}
    return {
        "ok": with_task == ADMINISTRATORS and {f"{s}@dierenwelzijn.example" for s in admins[:-1]} <= mailed,
        "aws_calls": calls,
        "administrators_with_the_task": with_task,
        "stream_rounds": rounds,
    }

"""One run of the lifecycle's timers at scale, for `make bench`: 3 timers due among 1,000 and among
10,000 pending items (half pending requests, half held grants, none of the others due for days).

Reported: `aws_calls.timer_run` per table size (the Queries of the due index's days and, per due item,
a strongly consistent GetItem and its conditional write), and the items those Queries read. Neither
may grow with the items that are not due.
"""

from __future__ import annotations

import importlib
import os
from datetime import date, timedelta
from functools import partial
from typing import Any

SIZES = (1_000, 10_000)
DUE = 3


def _fill(store: Any, pending: int, now: Any) -> None:
    from tests.factories import a_request
    from zelfregistratie.domain.rights import Grant, WorkRelationship

    requests = []
    for n in range(pending // 2):
        # the first DUE a week and a minute old (their first reminder is due), the rest a day old
        age = timedelta(days=7, minutes=1) if n < DUE else timedelta(days=1, minutes=n % 1000)
        requests.append(a_request(requester=f"person-{n}", created_at=now - age))
    store.requests.load(requests)
    for n in range(pending - pending // 2):
        relationship = WorkRelationship(
            person=f"holder-{n}", person_name=f"Houder {n}", organization="0428364866", since=date(2025, 1, 1)
        )
        grant = Grant(
            person=relationship.person,
            person_name=relationship.person_name,
            organization="0428364866",
            application_id=45,
            right="DIMONA_MANDAAT_RAADPLEGER",
            begin=date(2025, 1, 1),
            end=now.date() + timedelta(days=200 + n % 300),
            changed_at=now - timedelta(days=30),
        )
        store.people.load(relationship, (grant,))


def figures(sizes: tuple[int, ...] = SIZES) -> tuple[dict[str, int], dict[str, int]]:
    """(calls of one run per table size, items its Queries read per table size)."""
    from moto import mock_aws

    from bench.run import ENVIRONMENT, CallCounter
    from devstack import template
    from tests.events import LambdaContext
    from zelfregistratie.domain import clock
    from zelfregistratie.store.store import Store

    os.environ.update(ENVIRONMENT)
    calls, items = {}, {}
    for size in sizes:
        from devstack import moto_atomic

        moto_atomic.faithful_moto()  # the local stack's AWS: moto with our adapter
        with mock_aws():
            import boto3

            client = boto3.client("dynamodb")
            template.create_table(client, ENVIRONMENT["TABLE_NAME"])
            now = clock.now()
            _fill(Store.connect(ENVIRONMENT["TABLE_NAME"], client), size, now)
            timers = importlib.import_module("functions.timers.app")
            counter = CallCounter(timers.store.table.client)
            made, _, done = counter.during(partial(timers.lambda_handler, {}, LambdaContext()))
            assert done == {"first_reminder": DUE}, done
            calls[f"pending_{size}"] = made
            items[f"pending_{size}"] = counter.items_read
    return calls, items


if __name__ == "__main__":
    import json

    print(json.dumps(figures(), indent=2))

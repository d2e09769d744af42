"""Handing an organisation's tasks to an administrator who joins it, and taking them from one who
leaves, in steps from the stream: the request's cost does not grow with the organisation, open tasks
come first, a repeated step changes nothing, a newer hand-over stops an older one, and a decision or
filing beside a hand-over is not lost."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import boto3
import pytest

from ops import streams
from ops.load_data import Persona
from tests.api import Api
from tests.conftest import Table
from tests.factories import NOW
from tests.integration.test_notify import deliver
from tests.integration.test_task_lists import BAKERY, decide, file, listed, notify
from zelfregistratie.store import handovers, keys
from zelfregistratie.store.store import Store
from zelfregistratie.store.tasks import TASKS_PER_TRANSACTION

__all__ = ["notify"]  # the fixture

# Steps smaller than the real ones (the bench measures those, at 11,000 tasks): two transactions each.
STEP = TASKS_PER_TRANSACTION + 15
OPEN, CLOSED = STEP * 2 + 10, STEP + 10  # three steps of open tasks, two of closed ones


@pytest.fixture(autouse=True)
def smaller_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handovers, "STEP_TASKS", STEP)


def many_tasks(store: Store) -> tuple[list[str], list[str]]:
    """The bakery's tasks: OPEN open ones and CLOSED decided ones, besides the demo's."""
    start = NOW - timedelta(days=3)
    filed = [file(store, BAKERY, start + timedelta(seconds=n)).id for n in range(OPEN + CLOSED)]
    for request_id in filed[OPEN:]:
        decide(store, request_id)
    return filed[:OPEN], filed[OPEN:]


def follow(table: Table) -> streams.Follower:
    """The stream from here on."""
    return streams.Follower(boto3.client("dynamodbstreams"), table.stream_arn).skip_existing()


def one_round(notify: Any, stream: streams.Follower) -> bool:
    """The records written since the last round, handed to notify as the mapping hands them over,
    twice (a redelivery); whether there were any."""
    records = stream.read()
    for _ in range(2):
        assert deliver(notify, records) == {"batchItemFailures": []}
    return bool(records)


def until_quiet(notify: Any, stream: streams.Follower) -> None:
    """Rounds until notify's writes make no more records."""
    while one_round(notify, stream):
        pass


def appoint(api: Api, head: Persona, person: Persona) -> None:
    body = {"person": person.sub, "role": "local_admin", "email": "nieuw@bakkerij.example"}
    assert api.call("POST", f"/api/organizations/{BAKERY}/admins", caller=head, body=body).status == 201


def remove(api: Api, head: Persona, person: Persona) -> None:
    assert api.call("DELETE", f"/api/organizations/{BAKERY}/admins/{person.sub}", caller=head).status == 204


def everything(store: Store, sub: str) -> tuple[set[str], set[str]]:
    return set(listed(store, sub)), set(listed(store, sub, "closed"))


def test_an_appointment_costs_the_same_few_calls_however_many_tasks_and_open_ones_arrive_first(
    api: Api, personas: dict[str, Persona], store: Store, table: Table, notify: Any
) -> None:
    els, erwin = personas["beheerder"], personas["medewerker"]
    before_open, before_closed = everything(store, els.sub)
    open_ids, closed_ids = many_tasks(store)
    stream = follow(table)

    decide_client = importlib.import_module("functions.decide.app").store.table.client
    calls: list[str] = []
    decide_client.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
    appoint(api, els, erwin)
    decide_client.meta.events.unregister("before-call.dynamodb.*")
    assert len(calls) <= 10, calls
    assert everything(store, erwin.sub) == (set(), set())  # the request hands nothing over itself

    open_steps = -(-(OPEN + len(before_open)) // STEP)
    for _ in range(open_steps):
        one_round(notify, stream)
    assert set(listed(store, erwin.sub)) == set(open_ids) | before_open  # every open task first
    assert len(listed(store, erwin.sub, "closed")) < CLOSED + len(before_closed)

    until_quiet(notify, stream)
    assert everything(store, erwin.sub) == (set(open_ids) | before_open, set(closed_ids) | before_closed)
    assert table.client.get_item(TableName=table.name, Key=_key(BAKERY, erwin.sub)).get("Item") is None
    stored = store.requests.get(open_ids[0])
    assert stored is not None and erwin.sub in stored.assignees

    remove(api, els, erwin)
    until_quiet(notify, stream)
    assert everything(store, erwin.sub) == (set(), set())
    stored = store.requests.get(closed_ids[-1])
    assert stored is not None and erwin.sub not in stored.assignees
    assert everything(store, els.sub) == (set(open_ids) | before_open, set(closed_ids) | before_closed)


def test_a_removal_before_the_hand_over_ran_stops_it_and_a_new_appointment_starts_over(
    api: Api, personas: dict[str, Persona], store: Store, table: Table, notify: Any
) -> None:
    els, erwin = personas["beheerder"], personas["medewerker"]
    open_ids, closed_ids = many_tasks(store)
    stream = follow(table)
    appoint(api, els, erwin)
    one_round(notify, stream)  # the first step of the hand-over
    assert 0 < len(listed(store, erwin.sub)) < OPEN
    remove(api, els, erwin)
    until_quiet(notify, stream)
    assert everything(store, erwin.sub) == (set(), set())
    assert all(erwin.sub not in r.assignees for r in _requests(store, open_ids + closed_ids))

    appoint(api, els, erwin)
    remove(api, els, erwin)
    appoint(api, els, erwin)  # before notify ran at all: the last word counts
    until_quiet(notify, stream)
    assert set(open_ids) <= set(listed(store, erwin.sub))
    assert set(closed_ids) <= set(listed(store, erwin.sub, "closed"))


def test_decisions_and_filings_beside_a_hand_over_end_in_the_new_administrators_list(
    api: Api, personas: dict[str, Persona], store: Store, table: Table, notify: Any
) -> None:
    els, erwin = personas["beheerder"], personas["medewerker"]
    open_ids, _ = many_tasks(store)
    stream = follow(table)
    appoint(api, els, erwin)
    one_round(notify, stream)  # the first step
    handed = listed(store, erwin.sub)  # the newest open tasks
    waiting = [i for i in open_ids if i not in handed]
    decide(store, handed[0])  # a task the hand-over passed …
    decide(store, waiting[-1])  # … and one it had yet to reach, decided meanwhile
    filed = file(store, BAKERY, NOW).id  # and a filing, which sees the new administrator
    until_quiet(notify, stream)
    opened, closed = everything(store, erwin.sub)
    assert {handed[0], waiting[-1]} <= closed and not {handed[0], waiting[-1]} & opened
    assert filed in opened
    assert opened | closed >= set(open_ids)


def _key(org: str, sub: str) -> dict[str, Any]:
    return {name: {"S": value} for name, value in keys.handover(org, sub).items()}


def _requests(store: Store, ids: list[str]) -> list[Any]:
    found = [store.requests.get(i) for i in ids]
    assert all(r is not None for r in found)
    return found

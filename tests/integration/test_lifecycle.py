"""The lifecycle's timers (PRODUCT.md §10) under moto, each at its boundary: a minute before it is due
nothing happens, a minute after it fires; run twice, it mails once; a request decided a minute before
its expiry stays decided; a grant's expiry falls at the start of the Brussels day after its end, also
across a change of daylight saving time."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from local.events import EventLog
from local.outbox import Outbox
from tests.api import Api
from tests.conftest import TEST_ENVIRONMENT, Table
from tests.factories import filing_body
from tests.integration.test_notify import Stream, deliver
from tools.load_data import DataSet, Persona
from zelfregistratie.domain import clock

ORG = "0428364866"
ELODIE = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a32"
ELS, TOM = "els.wouters@zonnebloem.example", "tom.jacobs@zonnebloem.example"
REGION = TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]
MINUTE = timedelta(minutes=1)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def at(self, moment: datetime) -> datetime:
        assert moment >= self.now, "the clock never goes back"
        self.now = moment
        return moment


@pytest.fixture
def moving(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moving = Clock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    monkeypatch.setattr(clock, "now", lambda: moving.now)
    return moving


class World:
    """The API, the timers, and what notify mails and publishes."""

    def __init__(self, api: Api, table: Table) -> None:
        import boto3

        boto3.client("sesv2").create_email_identity(EmailIdentity=TEST_ENVIRONMENT["SES_SENDER"])
        self.api = api
        self.notify = importlib.import_module("functions.notify.app")
        self.timers = importlib.import_module("functions.timers.app")
        self.stream = Stream(table)
        self.stream.new_records()  # the demo data
        self.outbox = Outbox(REGION)
        self.events = EventLog(REGION, archive=TEST_ENVIRONMENT["EVENT_BUS_NAME"])
        self._mails = 0
        self._events = 0

    def tick(self) -> dict[str, int]:
        """One run of the timers, then notify on what it wrote."""
        from tests.events import LambdaContext

        done: dict[str, int] = self.timers.lambda_handler({}, LambdaContext())
        self.settle()
        return {k: v for k, v in done.items() if k != "skipped"}

    def settle(self) -> None:
        assert deliver(self.notify, self.stream.new_records()) == {"batchItemFailures": []}

    def new_mails(self) -> list[tuple[str, str]]:
        mails = list(reversed(self.outbox.mails()))
        fresh, self._mails = mails[self._mails :], len(mails)
        return [(m.to[0], m.subject) for m in fresh]

    def new_events(self) -> list[str]:
        events = list(reversed(self.events.events()))
        fresh, self._events = events[self._events :], len(events)
        return [e.detail_type for e in fresh]


@pytest.fixture
def world(api: Api, table: Table, demo: DataSet, moving: Clock) -> World:
    return World(api, table)


def file(world: World, persona: Persona, **body: Any) -> dict[str, Any]:
    filed = world.api.call("POST", "/api/requests", caller=persona, body=filing_body(**body))
    assert filed.status == 201, filed.body
    world.settle()
    world.new_mails(), world.new_events()
    return dict(filed.body)


def open_tasks(world: World, admin: Persona) -> list[str]:
    return [t["id"] for t in world.api.call("GET", "/api/tasks", caller=admin).body["items"]]


def test_a_request_is_reminded_twice_then_expires_each_at_its_time_and_once(
    world: World, moving: Clock, personas: dict[str, Persona]
) -> None:
    sofie, els = personas["aanvrager"], personas["beheerder"]
    filed_at = moving.now
    request = file(world, sofie)

    moving.at(filed_at + timedelta(days=7) - MINUTE)
    assert world.tick() == {} and world.new_mails() == []
    moving.at(filed_at + timedelta(days=7) + MINUTE)
    assert world.tick() == {"first_reminder": 1}
    mails = world.new_mails()
    assert sorted(to for to, _ in mails) == [ELS, TOM]  # the administrators, not the requester
    assert all(subject.startswith("Herinnering: aanvraag van Sofie Peeters") for _, subject in mails)
    assert world.tick() == {} and world.new_mails() == []  # run twice: one mail each
    assert world.new_events() == []  # a reminder is no event

    moving.at(filed_at + timedelta(days=14) - MINUTE)
    assert world.tick() == {}
    moving.at(filed_at + timedelta(days=14) + MINUTE)
    assert world.tick() == {"second_reminder": 1}
    assert {to for to, _ in world.new_mails()} == {ELS, TOM, request["email"]}
    waiting = next(m for m in world.outbox.mails() if m.to == [request["email"]])
    assert "Els Wouters, Tom Jacobs" in waiting.text and "zonnebloem.example" not in waiting.text

    moving.at(filed_at + timedelta(days=30) - MINUTE)
    assert world.tick() == {} and request["id"] in open_tasks(world, els)
    moving.at(filed_at + timedelta(days=30) + MINUTE)
    assert world.tick() == {"request_expiry": 1}
    assert set(dict(world.new_mails())) == {ELS, TOM, request["email"]}
    assert world.new_events() == ["RequestExpired"]
    assert request["id"] not in open_tasks(world, els)
    seen = world.api.call("GET", f"/api/requests/{request['id']}", caller=sofie).body
    assert seen["status"] == "expired"
    decision = {"decision": "approve", "reason": "Te laat."}
    late = world.api.call("POST", f"/api/tasks/{request['id']}/decision", caller=els, body=decision)
    assert (late.status, late.code) == (409, "already_decided")
    assert world.tick() == {} and world.new_mails() == []
    # the same request may be filed again
    again = world.api.call("POST", "/api/requests", caller=sofie, body=filing_body())
    assert again.status == 201, again.body


def test_a_request_decided_the_minute_before_its_expiry_does_not_expire(
    world: World, moving: Clock, personas: dict[str, Persona]
) -> None:
    sofie, els = personas["aanvrager"], personas["beheerder"]
    filed_at = moving.now
    request = file(world, sofie)
    moving.at(filed_at + timedelta(days=30) - MINUTE)
    world.tick()  # both reminders, late
    decision = {"decision": "reject", "reason": "Niet bij ons."}
    assert (
        world.api.call("POST", f"/api/tasks/{request['id']}/decision", caller=els, body=decision).status
        == 200
    )
    world.settle()
    world.new_mails(), world.new_events()
    moving.at(filed_at + timedelta(days=30) + MINUTE)
    assert world.tick() == {}
    assert world.new_mails() == [] and world.new_events() == []
    assert world.api.call("GET", f"/api/requests/{request['id']}", caller=sofie).body["status"] == "rejected"


@pytest.mark.parametrize(
    ("end", "expires_at"),
    [
        (date(2027, 1, 15), datetime(2027, 1, 15, 23, 0, tzinfo=UTC)),  # winter: Brussels is UTC+1
        (date(2027, 3, 27), datetime(2027, 3, 27, 23, 0, tzinfo=UTC)),  # the night summer time starts
        (date(2027, 3, 28), datetime(2027, 3, 28, 22, 0, tzinfo=UTC)),  # summer: UTC+2
        (date(2027, 10, 30), datetime(2027, 10, 30, 22, 0, tzinfo=UTC)),  # the night winter time starts
    ],
)
def test_a_grant_is_announced_then_expires_the_day_after_its_end_in_brussels(
    world: World, moving: Clock, personas: dict[str, Persona], end: date, expires_at: datetime
) -> None:
    els = personas["beheerder"]
    body = {"person": ELODIE, "right": "DIMONA_MANDAAT_BEHEERDER", "endDate": end.isoformat()}
    granted = world.api.call("POST", f"/api/organizations/{ORG}/grants", caller=els, body=body)
    assert granted.status == 201, granted.body
    grant = granted.body
    world.settle()
    world.new_mails(), world.new_events()

    warning_at = clock.start_of(end - timedelta(days=30))
    moving.at(warning_at - MINUTE)
    assert world.tick() == {}
    moving.at(warning_at + MINUTE)
    assert world.tick() == {"grant_warning": 1}
    mails = world.new_mails()
    assert sorted(to for to, _ in mails) == sorted(["elodie.vermeulen@zonnebloem.example", ELS, TOM])
    holder = next(m for m in world.outbox.mails() if m.to == ["elodie.vermeulen@zonnebloem.example"])
    assert "/user/aanvraag?dg=EA&ec=DIMONA_MANDAAT_BEHEERDER&oc=0428364866" in holder.text
    assert world.new_events() == []  # turning `expiring` emits nothing
    assert world.tick() == {} and world.new_mails() == []

    moving.at(expires_at - MINUTE)
    assert world.tick() == {}
    people = world.api.call("GET", f"/api/organizations/{ORG}/people", caller=els, query={"q": "elodie"}).body
    assert grant["id"] in [g["id"] for g in people["items"][0]["grants"]]  # held through its last day
    moving.at(expires_at + MINUTE)
    assert world.tick() == {"grant_expiry": 1}
    assert world.new_mails() == [
        (
            "elodie.vermeulen@zonnebloem.example",
            "Uw gebruikersrecht Dimona mandaatbeheerder voor Bakkerij De Zonnebloem BV is vervallen",
        )
    ]
    assert world.new_events() == ["GrantExpired"]
    people = world.api.call("GET", f"/api/organizations/{ORG}/people", caller=els, query={"q": "elodie"}).body
    assert grant["id"] not in [g["id"] for g in people["items"][0]["grants"]]
    assert world.tick() == {} and world.new_mails() == []


def test_a_grant_made_inside_the_warning_window_is_announced_at_the_next_run(
    world: World, moving: Clock, personas: dict[str, Persona]
) -> None:
    els = personas["beheerder"]
    end = clock.today(moving.now) + timedelta(days=10)
    body = {"person": ELODIE, "right": "DIMONA_MANDAAT_BEHEERDER", "endDate": end.isoformat()}
    granted = world.api.call("POST", f"/api/organizations/{ORG}/grants", caller=els, body=body)
    assert granted.body["status"] == "expiring"
    world.settle()
    world.new_mails()
    moving.at(moving.now + timedelta(hours=1))
    assert world.tick() == {"grant_warning": 1}
    assert len(world.new_mails()) == 3

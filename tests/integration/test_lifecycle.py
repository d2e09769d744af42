"""The lifecycle's timers (docs/lifecycle.md) under moto, each at its boundary: a minute before it is due
nothing happens, a minute after it fires; run twice, it mails once; a request decided a minute before
its expiry stays decided; a grant's expiry falls at the start of the Brussels day after its end, also
across a change of daylight saving time."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from devstack.events import EventLog
from devstack.outbox import Outbox
from ops.load_data import DataSet, Persona
from tests.api import Api
from tests.conftest import TEST_ENVIRONMENT, Table, ses_as_deployed
from tests.factories import filing_body
from tests.integration.test_events import valid
from tests.integration.test_notify import Stream, deliver
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

        ses_as_deployed()
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

    def live_until(self, moving: Clock, moment: datetime) -> dict[str, int]:
        """Time passes as in AWS, the timers running at least daily: what they did on the way."""
        done: dict[str, int] = {}
        while moving.now < moment:
            moving.at(min(moment, moving.now + timedelta(days=1)))
            for step, n in self.tick().items():
                done[step] = done.get(step, 0) + n
        return done

    def settle(self) -> None:
        assert deliver(self.notify, self.stream.new_records()) == {"batchItemFailures": []}

    def new_mails(self) -> list[tuple[str, str]]:
        mails = list(reversed(self.outbox.mails()))
        fresh, self._mails = mails[self._mails :], len(mails)
        return [(m.to[0], m.subject) for m in fresh]

    def new_events(self) -> list[str]:
        """The detail-types published since the last look, each valid against its schema."""
        events = list(reversed(self.events.events()))
        fresh, self._events = events[self._events :], len(events)
        return [valid(e).detail_type for e in fresh]


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


ERWIN = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a31"
SUBSIDIES = {"sub": "subsidieloket", "client_id": "subsidieloket", "scope": "grants.read"}


def test_an_expiring_grant_is_renewed_the_same_grant_with_a_new_end(
    world: World, moving: Clock, personas: dict[str, Persona]
) -> None:
    """Erwin's Subsidieaanvrager ends 1 March 2027: announced 30 days before, renewed on request (a
    "Verlenging" in the task list), approved: the same grant, a new end, `GrantRenewed`."""
    from zelfregistratie.logic import applications

    applications.forget_registrations()
    erwin, els = personas["medewerker"], personas["beheerder"]
    moving.at(datetime(2027, 1, 31, 8, 0, tzinfo=UTC))
    assert world.tick() == {"grant_warning": 1}
    holder = next(m for m in world.outbox.mails() if m.to == ["erwin.hermans@zonnebloem.example"])
    assert "ec=SUBSIDIE_AANVRAGER" in holder.text
    [held] = [
        g
        for g in world.api.call("GET", "/api/me", caller=erwin).body["grants"]
        if g["right"]["code"] == "SUBSIDIE_AANVRAGER"
    ]
    assert held["status"] == "expiring"
    # the link of the warning opens a form that says it renews, with the work relationship's contact
    form_query = {"dg": "EA", "an": "310", "ec": "SUBSIDIE_AANVRAGER", "oc": ORG}
    form = world.api.call("GET", "/api/registration-form", caller=erwin, query=form_query).body
    assert form["renewal"] == {"end": held["end"]}
    assert form["contact"] == {"phone": "+3216123431", "email": "erwin.hermans@zonnebloem.example"}
    other = world.api.call("GET", "/api/registration-form", caller=els, query=form_query).body
    assert (other["renewal"], other["contact"]) == (None, None)  # Els holds no such grant

    filed = world.api.call(
        "POST", "/api/requests", caller=erwin, body=filing_body(right="SUBSIDIE_AANVRAGER", application=310)
    )
    assert filed.status == 201, filed.body
    assert filed.body["renewal"] is True
    world.settle()
    [row] = [
        t
        for t in world.api.call("GET", "/api/tasks", caller=els).body["items"]
        if t["id"] == filed.body["id"]
    ]
    assert row["renewal"] is True
    details = world.api.call("GET", f"/api/tasks/{filed.body['id']}", caller=els).body
    assert details["renewal"] is True
    # the task shows the period the renewal gives: the grant's own begin, and the new end
    assert (details["beginDate"], details["endDate"]) == (held["begin"], "2028-01-31")
    world.new_events()

    moving.at(datetime(2027, 2, 3, 9, 0, tzinfo=UTC))
    decision = {"decision": "approve", "reason": "Nog nodig."}
    approved = world.api.call("POST", f"/api/tasks/{filed.body['id']}/decision", caller=els, body=decision)
    assert approved.status == 200, approved.body
    world.settle()
    assert world.new_events() == ["RequestApproved", "GrantRenewed"]
    [renewed] = [
        g
        for g in world.api.call("GET", "/api/me", caller=erwin).body["grants"]
        if g["right"]["code"] == "SUBSIDIE_AANVRAGER"
    ]
    assert (renewed["id"], renewed["begin"]) == (held["id"], held["begin"])
    assert (renewed["end"], renewed["status"]) == ("2028-02-03", "active")
    audit = world.api.call("GET", f"/api/organizations/{ORG}/audit", caller=els).body["items"]
    assert "grant_renewed" in [e["action"] for e in audit]
    # the old end's expiry never comes; the new end is announced in its own time
    moving.at(datetime(2027, 3, 3, 9, 0, tzinfo=UTC))
    assert world.tick() == {}


def test_changed_since_follows_a_revocation_an_expiry_and_a_renewal_once_each(
    world: World, moving: Clock, personas: dict[str, Persona]
) -> None:
    """An application keeping its copy of Subsidieloket's grants in step, a page of one at a time, while
    a grant is revoked, another expires, and is then renewed after all (the same grant, active again)."""
    from zelfregistratie.logic import applications

    applications.forget_registrations()
    erwin, els, elodie = personas["medewerker"], personas["beheerder"], ELODIE
    copy: dict[str, dict[str, Any]] = {}
    seen: list[tuple[str, str]] = []
    watermark = "2020-01-01T00:00:00Z"

    def sync() -> None:
        nonlocal watermark
        cursor, since = None, watermark  # one listing pages from one instant
        while True:
            query = {"changedSince": since, "limit": "1", **({"cursor": cursor} if cursor else {})}
            page = world.api.call("GET", "/api/applications/310/grants", caller=SUBSIDIES, query=query)
            assert page.status == 200, page.body
            for grant in page.body["items"]:
                seen.append((grant["id"], grant["changedAt"]))
                copy[grant["id"]] = grant
                watermark = grant["changedAt"]
            cursor = page.body["nextCursor"]
            if cursor is None:
                return

    sync()
    body = {"person": elodie, "right": "SUBSIDIE_AANVRAGER"}
    direct = world.api.call("POST", f"/api/organizations/{ORG}/grants", caller=els, body=body).body
    moving.at(moving.now + timedelta(minutes=5))
    sync()
    revoked = world.api.call(
        "POST", f"/api/grants/{direct['id']}/revoke", caller=els, body={"reason": "Weg."}
    )
    assert revoked.status == 200
    # Erwin's grant expires (1 March 2027) while his renewal waits; approving brings the same grant back
    assert world.live_until(moving, datetime(2027, 2, 20, 9, 0, tzinfo=UTC)) == {"grant_warning": 1}
    filed = world.api.call(
        "POST", "/api/requests", caller=erwin, body=filing_body(right="SUBSIDIE_AANVRAGER", application=310)
    ).body
    assert filed["renewal"] is True
    passed = world.live_until(moving, datetime(2027, 3, 2, 0, 30, tzinfo=UTC))
    assert passed == {"first_reminder": 1, "grant_expiry": 1}  # the renewal waits a week by then
    moving.at(moving.now + timedelta(minutes=5))
    sync()
    [expired] = [g for g in copy.values() if g["person"]["sub"] == ERWIN]
    assert expired["status"] == "expired"
    decision = {"decision": "approve", "reason": "Toch nog nodig."}
    assert (
        world.api.call("POST", f"/api/tasks/{filed['id']}/decision", caller=els, body=decision).status == 200
    )
    moving.at(moving.now + timedelta(minutes=5))
    sync()

    assert len(seen) == len(set(seen))  # no change twice
    assert copy[direct["id"]]["status"] == "revoked"
    assert copy[expired["id"]]["status"] == "active" and copy[expired["id"]]["end"] == "2028-03-02"
    active = world.api.call("GET", "/api/applications/310/grants", caller=SUBSIDIES).body["items"]
    assert {g["id"] for g in active} == {i for i, g in copy.items() if g["status"] in ("active", "expiring")}
    world.settle()
    assert [e for e in world.new_events() if e.startswith("Grant")] == [
        "GrantCreated",
        "GrantRevoked",
        "GrantExpired",
        "GrantRenewed",
    ]


def test_what_closed_or_ended_is_kept_for_the_retention_period_to_the_second(
    world: World, moving: Clock, personas: dict[str, Persona], table: Table
) -> None:
    """Retention (docs/lifecycle.md): the `ttl` DynamoDB deletes by is the closing, ending or writing
    plus the retention period (two years), on the request, the grant's record and change, the work
    relationship's record and the audit entries."""
    sofie, els = personas["aanvrager"], personas["beheerder"]
    retention = timedelta(days=730)
    filed_at = moving.now
    request = file(world, sofie)
    world.live_until(moving, filed_at + timedelta(days=30, minutes=1))
    stored = {(i["PK"]["S"], i["SK"]["S"]): i for i in table.items()}
    item = stored[(f"REQUEST#{request['id']}", "#REQUEST")]
    expired_at = datetime.fromisoformat(item["expired_at"]["S"])
    assert filed_at + timedelta(days=30) <= expired_at <= filed_at + timedelta(days=31)
    assert int(item["ttl"]["N"]) == int((expired_at + retention).timestamp())
    assert "GSI2PK" not in item  # closed: no timer left

    body = {"person": ELODIE, "right": "DIMONA_MANDAAT_BEHEERDER"}
    grant = world.api.call("POST", f"/api/organizations/{ORG}/grants", caller=els, body=body).body
    revoked_at = moving.at(moving.now + timedelta(hours=1))
    assert (
        world.api.call(
            "POST", f"/api/grants/{grant['id']}/revoke", caller=els, body={"reason": "Weg."}
        ).status
        == 200
    )
    stored = {(i["PK"]["S"], i["SK"]["S"]): i for i in table.items()}
    record = stored[(f"GRANT#{grant['id']}", "#GRANT")]
    assert int(record["ttl"]["N"]) == int((revoked_at + retention).timestamp()) and "GSI2PK" not in record
    audits = [
        i
        for k, i in stored.items()
        if k[1].startswith("AUDIT#") and i.get("grant_id", {}).get("S") == grant["id"]
    ]
    assert audits and all(
        int(a["ttl"]["N"]) == int((datetime.fromisoformat(a["at"]["S"]) + retention).timestamp())
        for a in audits
    )


def test_a_grant_whose_slot_a_later_grant_took_still_expires_and_leaves_the_later_one_held(
    world: World, moving: Clock, personas: dict[str, Persona]
) -> None:
    """Its end passed before the timer ran, and meanwhile the same right was granted anew (the slot is
    free from the day after the end): the old grant expires, the new one stays held and listed."""
    els = personas["beheerder"]
    end = clock.today(moving.now) + timedelta(days=40)
    body = {"person": ELODIE, "right": "DIMONA_MANDAAT_BEHEERDER", "endDate": end.isoformat()}
    old = world.api.call("POST", f"/api/organizations/{ORG}/grants", caller=els, body=body).body
    world.live_until(moving, clock.start_of(end) + timedelta(hours=12))  # announced, not yet expired
    moving.at(clock.start_of(end + timedelta(days=1)) + timedelta(minutes=30))  # no run since
    again = {"person": ELODIE, "right": "DIMONA_MANDAAT_BEHEERDER"}
    new = world.api.call("POST", f"/api/organizations/{ORG}/grants", caller=els, body=again)
    assert new.status == 201, new.body
    assert world.tick() == {"grant_expiry": 1}
    people = world.api.call("GET", f"/api/organizations/{ORG}/people", caller=els, query={"q": "elodie"}).body
    held = [g["id"] for g in people["items"][0]["grants"]]
    assert new.body["id"] in held and old["id"] not in held
    again_refused = world.api.call("POST", f"/api/organizations/{ORG}/grants", caller=els, body=again)
    assert (again_refused.status, again_refused.code) == (409, "already_granted")  # the new slot is intact

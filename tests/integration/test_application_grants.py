"""Applications read their grants (docs/applications.md) with client-credentials tokens, on the demo data:
who may read what, the active grants, and `changedSince` paging across the changes people make
through the person-facing API, with nothing lost or repeated."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ops.load_data import Persona
from tests.api import Answer, Api
from tests.events import claims_of
from tests.factories import filing_body
from zelfregistratie.domain import clock
from zelfregistratie.logic import applications
from zelfregistratie.store.paging import encode_cursor

DIMONA = 45
SUBSIDIES = 310
ORG = "0428364866"
ERWIN = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a31"
ELODIE = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a32"


def machine(client_id: str = "dimona-mandaat", scope: str = "grants.read") -> dict[str, Any]:
    """A client-credentials token's claims: `sub` is the client's id (docs/applications.md)."""
    return {"sub": client_id, "client_id": client_id, "scope": scope, "iss": "test", "aud": "zelfregistratie"}


def read(api: Api, caller: Any, application: int | str = DIMONA, **query: str) -> Answer:
    return api.call("GET", f"/api/applications/{application}/grants", caller=caller, query=query)


class Clock:
    """The handlers' clock, moved by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def moving_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moving = Clock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    monkeypatch.setattr(clock, "now", lambda: moving.now)
    return moving


@pytest.fixture(autouse=True)
def fresh_registrations() -> Iterator[None]:
    applications.forget_registrations()
    yield
    applications.forget_registrations()


# ---- who may read -------------------------------------------------------------------------------


def test_a_registered_client_reads_its_applications_active_grants(api: Api) -> None:
    answer = read(api, machine())
    assert answer.status == 200, answer.body
    [grant] = answer.body["items"]
    assert grant["person"] == {"sub": ERWIN, "name": "Erwin Hermans"}
    assert grant["application"] == {"id": DIMONA, "name": "Dimona Mandaat"}
    assert grant["right"]["code"] == "DIMONA_MANDAAT_RAADPLEGER"
    assert grant["status"] == "active"
    assert grant["changedAt"] == "2026-02-01T00:00:00Z"
    assert "email" not in grant and "phone" not in grant
    assert answer.body["nextCursor"] is None


@pytest.mark.parametrize("application", [SUBSIDIES, 1203, 999, "abc", "45x", "0045000000000"])
def test_any_other_application_known_or_not_is_forbidden(api: Api, application: int | str) -> None:
    answer = read(api, machine(), application)
    assert (answer.status, answer.code) == (403, "forbidden")


def test_another_client_reads_its_own_application_only(api: Api) -> None:
    assert read(api, machine("subsidieloket"), SUBSIDIES).status == 200
    assert read(api, machine("subsidieloket"), DIMONA).status == 403
    assert read(api, machine("onbekend"), DIMONA).status == 403


def test_a_persons_token_on_the_machine_route_is_forbidden(api: Api, personas: dict[str, Persona]) -> None:
    answer = read(api, personas["beheerder"])
    assert (answer.status, answer.code) == (403, "forbidden")
    # even one that carries the scope: a person is not an application's client
    claims = claims_of(personas["beheerder"].sub, client_id="zelfregistratie", scope="grants.read")
    assert read(api, claims).status == 403


def test_a_machine_token_without_the_scope_is_forbidden(api: Api) -> None:
    answer = read(api, machine(scope="openid"))
    assert (answer.status, answer.code) == (403, "forbidden")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/me"),
        ("GET", "/api/tasks"),
        ("POST", "/api/requests"),
        ("GET", f"/api/organizations/{ORG}/people"),
    ],
)
def test_a_machine_token_on_a_person_route_is_forbidden(api: Api, method: str, path: str) -> None:
    body = filing_body() if method == "POST" else None
    answer = api.call(method, path, caller=machine(), body=body)
    assert (answer.status, answer.code) == (403, "forbidden")


def test_no_token_is_unauthenticated(api: Api) -> None:
    answer = read(api, None)
    assert (answer.status, answer.code) == (401, "unauthenticated")


# ---- what it reads ------------------------------------------------------------------------------


def test_filters_and_pages_of_the_active_grants(api: Api, personas: dict[str, Persona]) -> None:
    els = personas["beheerder"]
    for person in (ELODIE, personas["beheerder2"].sub):
        body = {"person": person, "right": "DIMONA_MANDAAT_BEHEERDER"}
        assert api.call("POST", f"/api/organizations/{ORG}/grants", caller=els, body=body).status == 201
    seen, cursor = [], None
    while True:
        page = read(api, machine(), limit="1", **({"cursor": cursor} if cursor else {}))
        assert page.status == 200 and len(page.body["items"]) <= 1
        seen += [(g["person"]["sub"], g["right"]["code"]) for g in page.body["items"]]
        cursor = page.body["nextCursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 3
    assert {g["person"]["sub"] for g in read(api, machine(), person=ELODIE).body["items"]} == {ELODIE}
    assert len(read(api, machine(), organization=ORG).body["items"]) == 3
    assert read(api, machine(), organization="0415327175").body["items"] == []
    assert read(api, machine(), person=ERWIN, organization="0415327175").body["items"] == []


@pytest.mark.parametrize(
    "query",
    [
        {"cursor": "nope"},
        {"cursor": encode_cursor({"after": {"PK": "PERSON#x", "SK": "GRANT#"}})},
        {
            "cursor": encode_cursor(
                {"after": {"PK": "x", "SK": "y", "GSI2PK": "APPGRANTS#310", "GSI2SK": "a"}}
            )
        },
        {
            "changedSince": "2026-01-01T00:00:00Z",
            "cursor": encode_cursor({"after": {"PK": "APPCHANGES#310", "SK": "2026-02-01"}}),
        },
        {
            "changedSince": "2026-06-01T00:00:00Z",
            "cursor": encode_cursor({"after": {"PK": "APPCHANGES#45", "SK": "2026-02-01"}}),
        },
    ],
)
def test_a_cursor_from_elsewhere_is_refused(api: Api, query: dict[str, str]) -> None:
    answer = read(api, machine(), **query)
    assert (answer.status, answer.code) == (400, "invalid_cursor")


@pytest.mark.parametrize(
    "query",
    [
        {"changedSince": "gisteren"},
        {"changedSince": "2026-01-01T00:00:00"},
        {"organization": "04#28"},
        {"person": "a#b"},
        {"limit": "0"},
    ],
)
def test_bad_parameters_are_invalid_input(api: Api, query: dict[str, str]) -> None:
    answer = read(api, machine(), **query)
    assert (answer.status, answer.code) == (422, "invalid_input")


def test_changed_since_pages_every_change_once_oldest_first_across_a_revocation(
    api: Api, personas: dict[str, Persona], moving_clock: Clock
) -> None:
    """An application keeping a copy in step: it reads, people act, it reads what changed since the
    last change it saw, one item a page; nothing lost, nothing repeated, the last state wins."""
    els, sofie = personas["beheerder"], personas["aanvrager"]
    start = moving_clock.now

    def changes_since(since: str) -> list[dict[str, Any]]:
        found, cursor = [], None
        while True:
            query = {"changedSince": since, "limit": "1", **({"cursor": cursor} if cursor else {})}
            page = read(api, machine(), **query)
            assert page.status == 200, page.body
            found += page.body["items"]
            cursor = page.body["nextCursor"]
            if cursor is None:
                return found

    assert changes_since("2026-01-01T00:00:00Z") == read(api, machine()).body["items"]
    copy = {g["id"]: g for g in changes_since("2026-01-01T00:00:00Z")}
    watermark = max(g["changedAt"] for g in copy.values())

    # a direct grant, a filing approved (a new work relationship and grant), and a revocation
    body = {"person": ELODIE, "right": "DIMONA_MANDAAT_BEHEERDER"}
    direct = api.call("POST", f"/api/organizations/{ORG}/grants", caller=els, body=body).body
    moving_clock.advance(seconds=1)
    filed = api.call(
        "POST", "/api/requests", caller=sofie, body=filing_body(right="DIMONA_MANDAAT_RAADPLEGER")
    )
    assert filed.status == 201, filed.body
    decision = {"decision": "approve", "reason": "In orde."}
    assert (
        api.call("POST", f"/api/tasks/{filed.body['id']}/decision", caller=els, body=decision).status == 200
    )
    moving_clock.advance(seconds=1)
    erwins = next(g for g in copy.values() if g["person"]["sub"] == ERWIN)
    revoke = api.call(
        "POST", f"/api/grants/{erwins['id']}/revoke", caller=els, body={"reason": "Vertrokken."}
    )
    assert revoke.status == 200

    # not yet settled: a change is listed once it is five seconds old
    assert changes_since(watermark) == []
    moving_clock.advance(seconds=4)
    assert [g["id"] for g in changes_since(watermark)] == [direct["id"]]
    moving_clock.advance(seconds=5)
    changed = changes_since(watermark)
    assert [g["changedAt"] for g in changed] == sorted(g["changedAt"] for g in changed)
    assert len(changed) == 3 and len({g["id"] for g in changed}) == 3
    assert changed[0]["id"] == direct["id"] and changed[0]["changedAt"] == clock_text(start)
    assert changed[1]["person"]["sub"] == sofie.sub and changed[1]["status"] == "active"
    assert changed[2]["id"] == erwins["id"] and changed[2]["status"] == "revoked"
    assert changed[2]["revocation"]["reason"] == "Vertrokken."
    for grant in changed:
        copy[grant["id"]] = grant
    watermark = changed[-1]["changedAt"]

    # the copy now equals a fresh read of the active grants, and nothing more has changed
    active = {g["id"]: g for g in read(api, machine()).body["items"]}
    assert {i for i, g in copy.items() if g["status"] in ("active", "expiring")} == set(active)
    assert changes_since(watermark) == []
    # filtered on the organisation or the person, the same changes
    since_start = clock_text(start - timedelta(seconds=1))
    assert len(read(api, machine(), changedSince=since_start, organization=ORG).body["items"]) == 3
    assert [g["id"] for g in read(api, machine(), changedSince=since_start, person=ERWIN).body["items"]] == [
        erwins["id"]
    ]


def clock_text(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


# ---- odd input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("application", ["²", "①", "٤٥", "４５", "4\u0665"])
def test_an_id_in_other_digits_is_another_application_and_forbidden(api: Api, application: str) -> None:
    """Superscript, circled, Arabic-Indic and full-width digits: Python's `isdigit` takes them all, and
    `int` reads some as 45 itself; they are not this application's id."""
    answer = read(api, machine(), application)
    assert (answer.status, answer.code) == (403, "forbidden")


@pytest.mark.parametrize(
    "since",
    [
        "9999-12-31T23:59:59-14:00",  # the year 10000 in UTC
        "0001-01-01T00:00:00+14:00",  # the year 0 in UTC
        "1999-12-31T23:59:59Z",
        "2000-01-01T00:00:00+00:01",  # 1999 in UTC
    ],
)
def test_an_instant_outside_the_years_2000_to_9999_in_utc_is_invalid_input(api: Api, since: str) -> None:
    answer = read(api, machine(), changedSince=since)
    assert (answer.status, answer.code) == (422, "invalid_input")
    assert answer.body["errors"][0]["field"] == "changedSince"


def test_changed_since_in_the_settling_window_or_the_future_is_an_empty_page_until_it_settles(
    api: Api, personas: dict[str, Persona], moving_clock: Clock
) -> None:
    """An application polling often with its last `changedAt` asks inside the window, or ahead of the
    clock: nothing has settled there; asking the same later lists what changed meanwhile."""
    body = {"person": ELODIE, "right": "DIMONA_MANDAAT_BEHEERDER"}
    granted_at = moving_clock.now
    direct = api.call("POST", f"/api/organizations/{ORG}/grants", caller=personas["beheerder"], body=body)
    assert direct.status == 201, direct.body
    just_before = clock_text(granted_at - timedelta(seconds=1))
    for since in (just_before, clock_text(granted_at), clock_text(granted_at + timedelta(days=1))):
        answer = read(api, machine(), changedSince=since)
        assert (answer.status, answer.body) == (200, {"items": [], "nextCursor": None}), since
    moving_clock.advance(seconds=6)
    settled = read(api, machine(), changedSince=just_before)
    assert [g["id"] for g in settled.body["items"]] == [direct.body["id"]]

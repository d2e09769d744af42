"""`POST /api/requests/check`: what "Verder" asks before the summary — the filing's own checks, in its
order, without filing; and refusals that say what is going on and link on."""

from __future__ import annotations

import pytest

from ops.load_data import Persona
from tests.api import Api
from tests.conftest import Table
from tests.factories import filing_body


@pytest.fixture
def sofie(personas: dict[str, Persona]) -> Persona:
    return personas["aanvrager"]


def test_a_national_number_is_normalised_and_nothing_is_stored(
    api: Api, sofie: Persona, table: Table
) -> None:
    before = len(table.items())
    answer = api.call("POST", "/api/requests/check", caller=sofie, body=filing_body(phone="0470 12 34 56"))
    assert answer.status == 200
    assert answer.body["phone"] == "+32470123456"  # the API's E.164 contract, as the summary shows it
    assert answer.body["right"]["name"] == "Dimona mandaatbeheerder"
    assert len(table.items()) == before


def test_the_check_refuses_as_filing_would(api: Api, sofie: Persona) -> None:
    bad = api.call(
        "POST", "/api/requests/check", caller=sofie, body=filing_body(phone="0470 12", email="a@b")
    )
    assert (bad.status, set(bad.field_errors())) == (422, {"phone", "email"})
    filed = api.call("POST", "/api/requests", caller=sofie, body=filing_body())
    again = api.call("POST", "/api/requests/check", caller=sofie, body=filing_body())
    assert (again.status, again.code) == (409, "duplicate_pending")
    assert again.body["request"]["id"] == filed.body["id"]
    assert again.body["detail"].startswith("U heeft deze aanvraag al ingediend op ")


def test_a_refused_filing_names_the_earlier_request_or_what_is_held(
    api: Api, sofie: Persona, personas: dict[str, Persona]
) -> None:
    first = api.call("POST", "/api/requests", caller=sofie, body=filing_body())
    duplicate = api.call("POST", "/api/requests", caller=sofie, body=filing_body())
    assert (duplicate.status, duplicate.body["request"]["id"]) == (409, first.body["id"])
    decision = {"decision": "approve", "reason": "Ok.", "endDate": "2027-06-30"}
    assert (
        api.call(
            "POST", f"/api/tasks/{first.body['id']}/decision", caller=personas["beheerder"], body=decision
        ).status
        == 200
    )
    held = api.call("POST", "/api/requests", caller=sofie, body=filing_body())
    assert (held.status, held.code, held.body["grant"]["end"]) == (409, "already_granted", "2027-06-30")
    assert "geldig tot en met 30/06/2027" in held.body["detail"]
    checked = api.call("POST", "/api/requests/check", caller=sofie, body=filing_body())
    assert (checked.code, checked.body["grant"]) == ("already_granted", held.body["grant"])

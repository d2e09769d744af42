"""Input found by an outside hardening run that used to answer 500: each answers problem+json 4xx
now, and changes nothing."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from ops.load_data import Persona
from tests.api import Answer, Api
from tests.conftest import Table
from tests.factories import filing_body as body


def _refused(answer: Answer, status: int, code: str) -> None:
    assert (answer.status, answer.code) == (status, code), answer.body
    assert answer.headers["Content-Type"] == "application/problem+json"


def _cursor(data: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_an_application_number_of_5000_digits_is_an_invalid_link(
    api: Api, personas: dict[str, Persona]
) -> None:
    answer = api.call(
        "GET", "/api/registration-form", caller=personas["aanvrager"], query={"dg": "EA", "an": "4" * 5000}
    )
    _refused(answer, 400, "invalid_link")


def test_an_application_number_beyond_any_application_is_refused_at_filing(
    api: Api, table: Table, personas: dict[str, Persona]
) -> None:
    before = table.items()
    answer = api.call("POST", "/api/requests", caller=personas["aanvrager"], body=body(application=10**40))
    _refused(answer, 422, "invalid_input")
    assert "application" in answer.field_errors()
    assert table.items() == before


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param(_cursor({"s": "open", "p": {}, "x": [["0428364866"]]}), id="nested-list"),
        pytest.param(_cursor({"s": "open", "p": {}, "x": [{"a": 1}]}), id="object-in-list"),
        pytest.param(_cursor({"s": "open", "p": {"0428364866": ["x"]}, "x": []}), id="list-as-position"),
        pytest.param(base64.urlsafe_b64encode(b"[" * 1500).decode(), id="nested-too-deep"),
    ],
)
def test_a_tampered_task_cursor_is_invalid(api: Api, personas: dict[str, Persona], cursor: str) -> None:
    answer = api.call("GET", "/api/tasks", caller=personas["beheerder"], query={"cursor": cursor})
    _refused(answer, 400, "invalid_cursor")


def test_a_tampered_own_requests_cursor_is_invalid(api: Api, personas: dict[str, Persona]) -> None:
    cursor = base64.urlsafe_b64encode(b"[" * 1500).decode()
    answer = api.call("GET", "/api/requests", caller=personas["aanvrager"], query={"cursor": cursor})
    _refused(answer, 400, "invalid_cursor")


DEEP_JSON = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("path", "persona"),
    [
        ("/api/requests", "aanvrager"),
        ("/api/tasks/01a224eb-beb8-7097-874f-d3a3dba292f1/decision", "beheerder"),
        ("/api/organizations/0428364866/admins", "beheerder"),
    ],
)
def test_a_body_nested_100000_deep_is_invalid_input(
    api: Api, table: Table, personas: dict[str, Persona], path: str, persona: str
) -> None:
    before = table.items()
    answer = api.call("POST", path, caller=personas[persona], body=DEEP_JSON)
    _refused(answer, 422, "invalid_input")
    assert answer.field_errors() == {"body": "De inhoud is geen geldige JSON."}
    assert table.items() == before


@pytest.mark.parametrize("field", ["organization", "right", "context", "phone", "email", "reason"])
def test_a_lone_surrogate_in_any_text_field_is_refused_at_input(
    api: Api, table: Table, personas: dict[str, Persona], field: str
) -> None:
    before = table.items()
    raw = json.dumps(body(context="Sociale werkplaats", application=1203, right="DWSE_ORG_MEDEWERKER"))
    raw = raw.replace(f'"{field}": "', f'"{field}": "\\ud800', 1)
    answer = api.call("POST", "/api/requests", caller=personas["aanvrager"], body=raw)
    _refused(answer, 422, "invalid_input")
    assert answer.field_errors() == {field: "Deze waarde bevat een ongeldig teken."}
    assert table.items() == before


def test_a_lone_surrogate_in_a_decision_reason_is_refused(api: Api, personas: dict[str, Persona]) -> None:
    raw = '{"decision": "reject", "reason": "nee \\udc00"}'
    answer = api.call(
        "POST",
        "/api/tasks/01a224eb-beb8-7097-874f-d3a3dba292f1/decision",
        caller=personas["beheerder"],
        body=raw,
    )
    _refused(answer, 422, "invalid_input")
    assert answer.field_errors() == {"reason": "Deze waarde bevat een ongeldig teken."}


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ({"dg": "EA", "an": "45", "ctx": "a\ud800"}, None),
        ({"dg": "E\udfffA", "an": "45"}, None),
    ],
)
def test_a_lone_surrogate_in_a_query_parameter_is_refused(
    api: Api, personas: dict[str, Persona], query: dict[str, str], headers: dict[str, str] | None
) -> None:
    answer = api.call(
        "GET", "/api/registration-form", caller=personas["aanvrager"], query=query, headers=headers
    )
    _refused(answer, 422, "invalid_input")


def test_a_lone_surrogate_in_the_idempotency_key_is_refused(
    api: Api, table: Table, personas: dict[str, Persona]
) -> None:
    before = table.items()
    answer = api.call(
        "POST",
        "/api/requests",
        caller=personas["aanvrager"],
        body=body(),
        headers={"Idempotency-Key": "k\ud800"},
    )
    _refused(answer, 422, "invalid_input")
    assert table.items() == before


def test_a_name_claim_with_a_lone_surrogate_is_shown_with_the_replacement_character(
    api: Api, personas: dict[str, Persona]
) -> None:
    from tests.events import claims_of

    claims = claims_of(personas["aanvrager"].sub, "So\ud800fie", "Peeters")
    filed = api.call("POST", "/api/requests", caller=claims, body=body())
    assert filed.status == 201, filed.body
    task = api.call("GET", f"/api/tasks/{filed.body['id']}", caller=personas["beheerder"])
    assert task.body["requester"] == {"name": "So\ufffdfie Peeters"}


@pytest.mark.parametrize("sent", [{}, {"person": "x" * 5000}, "geen json"])
@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("aanvrager", "/api/organizations/0428364866/grants"),  # administers nothing
        ("beheerder-andere", "/api/organizations/0428364866/grants"),  # another organisation's
        ("beheerder2", "/api/organizations/0428364866/admins"),  # an administrator, not the head
    ],
)
def test_forbidden_comes_before_invalid_input_whatever_the_body_holds(
    api: Api, table: Table, personas: dict[str, Persona], persona: str, path: str, sent: Any
) -> None:
    before = table.items()
    answer = api.call("POST", path, caller=personas[persona], body=sent)
    _refused(answer, 403, "forbidden")
    assert table.items() == before


@pytest.mark.parametrize(
    "path", ["/api/organizations/0428364866/grants", "/api/organizations/0428364866/admins"]
)
def test_one_who_may_use_the_route_hears_what_is_wrong_with_the_body(
    api: Api, personas: dict[str, Persona], path: str
) -> None:
    _refused(api.call("POST", path, caller=personas["beheerder"], body={}), 422, "invalid_input")


INVISIBLE = ["\u200b", "\u200b\u200c\u200d\u2060\ufeff", " \u00a0\u2003", "\u180e"]


@pytest.mark.parametrize("reason", INVISIBLE)
def test_a_reason_of_invisible_characters_is_no_reason_for_a_decision(
    api: Api, table: Table, personas: dict[str, Persona], reason: str
) -> None:
    filed = api.call("POST", "/api/requests", caller=personas["aanvrager"], body=body())
    assert filed.status == 201, filed.body
    before = table.items()
    decision = {"decision": "reject", "reason": reason}
    answer = api.call(
        "POST", f"/api/tasks/{filed.body['id']}/decision", caller=personas["beheerder"], body=decision
    )
    _refused(answer, 422, "invalid_input")
    assert answer.body["errors"][0]["field"] == "reason"
    assert table.items() == before


@pytest.mark.parametrize("reason", INVISIBLE)
def test_a_reason_of_invisible_characters_is_no_reason_to_revoke(
    api: Api, table: Table, personas: dict[str, Persona], reason: str
) -> None:
    """An administrator must say why; the person themselves need not."""
    people = api.call("GET", "/api/organizations/0428364866/people", caller=personas["beheerder"]).body[
        "items"
    ]
    grant = next(g for p in people for g in p["grants"] if p["sub"] == "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a31")
    before = table.items()
    answer = api.call(
        "POST", f"/api/grants/{grant['id']}/revoke", caller=personas["beheerder"], body={"reason": reason}
    )
    _refused(answer, 422, "invalid_input")
    assert table.items() == before


@pytest.mark.parametrize("sent", [{"email": 5}, {}, "geen json"])
def test_appointing_oneself_is_forbidden_before_the_body_is_judged(
    api: Api, table: Table, personas: dict[str, Persona], sent: Any
) -> None:
    """Only the legal representative (or the head) may; anyone else hears that, whatever they sent."""
    before = table.items()
    path = "/api/organizations/0418825808/admins/self"
    _refused(api.call("POST", path, caller=personas["aanvrager"], body=sent), 403, "forbidden")
    assert table.items() == before
    _refused(api.call("POST", path, caller=personas["vertegenwoordiger"], body=sent), 422, "invalid_input")

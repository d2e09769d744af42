"""The requester's API (submit_request) under moto, with the demo data: docs/using.md § Deep links,
docs/rules.md."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from typing import Any

import pytest

from ops.load_data import DataSet, Persona
from tests.api import Answer, Api
from tests.conftest import Table
from tests.factories import ELS, hold
from tests.factories import filing_body as body
from zelfregistratie.domain.rights import Grant
from zelfregistratie.store.store import Store

ORG = "0428364866"


@pytest.fixture
def api(demo: DataSet) -> Api:
    return Api("submit_request")


@pytest.fixture
def sofie(personas: dict[str, Persona]) -> Persona:
    return personas["aanvrager"]


@pytest.fixture
def jonas(personas: dict[str, Persona]) -> Persona:
    return personas["aanvrager2"]


def form(api: Api, caller: Persona, **query: str) -> Answer:
    return api.call("GET", "/api/registration-form", caller=caller, query=query)


def file(api: Api, caller: Persona, headers: dict[str, str] | None = None, **overrides: Any) -> Answer:
    return api.call("POST", "/api/requests", caller=caller, body=body(**overrides), headers=headers)


def requests_in(table: Table) -> list[dict[str, Any]]:
    return [item for item in table.items() if item["kind"]["S"] == "request"]


# ---- the registration form ------------------------------------------------------------------------


def test_an_application_link_offers_every_right_of_that_application_for_the_target_group(
    api: Api, sofie: Persona
) -> None:
    answer = form(api, sofie, dg="EA", an="45", oc=ORG)
    assert answer.status == 200
    assert answer.body["application"] == {"id": 45, "name": "Dimona Mandaat"}
    assert [r["code"] for r in answer.body["rights"]] == [
        "DIMONA_MANDAAT_BEHEERDER",
        "DIMONA_MANDAAT_RAADPLEGER",
    ]
    assert answer.body["rightFixed"] is False
    assert answer.body["targetGroup"] == {"code": "EA", "name": "Economische actoren"}
    assert answer.body["organization"] == {
        "code": ORG,
        "name": "Bakkerij De Zonnebloem BV",
        "canReceiveRequests": True,
    }


def test_a_right_link_fixes_that_right_with_its_contexts(api: Api, sofie: Persona) -> None:
    answer = form(api, sofie, dg="LB", ec="DWSE_ORG_MEDEWERKER")
    assert answer.status == 200
    assert answer.body["rightFixed"] is True
    assert answer.body["rights"] == [
        {
            "code": "DWSE_ORG_MEDEWERKER",
            "name": "DWSE Organisatie medewerker",
            "contexts": ["Lokale diensteneconomie", "Sociale werkplaats"],
        }
    ]
    assert answer.body["application"]["name"] == "Strategisch Integratieprogramma (SIP)"
    assert answer.body["organization"] is None


def test_a_context_in_the_link_is_kept_and_narrows_the_rights(api: Api, sofie: Persona) -> None:
    answer = form(api, sofie, dg="EA", an="1203", ctx="Lokale diensteneconomie")
    assert answer.status == 200
    assert answer.body["context"] == "Lokale diensteneconomie"
    assert [r["code"] for r in answer.body["rights"]] == ["DWSE_ORG_MEDEWERKER"]


@pytest.mark.parametrize(
    "query",
    [
        {"dg": "EA", "an": "999"},
        {"dg": "EA", "ec": "BESTAAT_NIET"},
        {"dg": "EA", "ec": "DIMONA_MANDAAT_LOKAAL"},
        {"dg": "GID", "an": "45"},
        {"dg": "EA", "an": "310", "ec": "DWSE_ORG_MEDEWERKER"},
        {"dg": "EA", "ec": "DWSE_ORG_MEDEWERKER", "ctx": "Onbekende context"},
        {"dg": "EA", "ec": "DIMONA_MANDAAT_BEHEERDER", "ctx": "Lokale diensteneconomie"},
    ],
    ids=[
        "unknown-application",
        "unknown-right",
        "right-of-other-target-group",
        "application-without-rights-for-dg",
        "right-of-other-application",
        "unknown-context",
        "right-without-contexts",
    ],
)
def test_no_matching_right_is_no_rights_found(api: Api, sofie: Persona, query: dict[str, str]) -> None:
    answer = form(api, sofie, **query)
    assert (answer.status, answer.code) == (404, "no_rights_found")
    assert answer.body["title"] == "Geen gebruikersrechten gevonden voor de gegeven criteria!"


@pytest.mark.parametrize(
    "query",
    [
        {"an": "45"},
        {"dg": "EA"},
        {"dg": "XX", "an": "45"},
        {"dg": "EA", "an": "vijfenveertig"},
        {"dg": "EA", "an": "45", "oc": "0428364867"},
        {"dg": "GID", "an": "45", "oc": ORG},
        {"dg": "EA,LB", "an": "45"},
        {"type": "work_relation", "dg": "EA", "an": "45"},
        {"type": "iets", "dg": "EA", "an": "45"},
    ],
    ids=[
        "no-dg",
        "no-an-or-ec",
        "unknown-dg",
        "an-not-a-number",
        "bad-kbo",
        "oc-form-of-other-dg",
        "contradicting-dg",
        "work-relation-with-an",
        "unknown-type",
    ],
)
def test_a_missing_malformed_or_contradictory_parameter_is_invalid_link(
    api: Api, sofie: Persona, query: dict[str, str]
) -> None:
    answer = form(api, sofie, **query)
    assert (answer.status, answer.code) == (400, "invalid_link")
    assert answer.body["detail"]


def test_an_organisation_without_an_administrator_email_cannot_receive_requests(
    api: Api, sofie: Persona
) -> None:
    answer = form(api, sofie, dg="EA", an="45", oc="0418825808")
    assert answer.body["organization"] == {
        "code": "0418825808",
        "name": "Duikschool Atlantis Demo",
        "canReceiveRequests": False,
    }


def test_an_unknown_organisation_cannot_receive_requests(api: Api, sofie: Persona) -> None:
    answer = form(api, sofie, dg="EA", an="45", oc="0123.456.749")
    assert answer.body["organization"] == {"code": "0123456749", "name": None, "canReceiveRequests": False}


def test_a_work_relationship_form_has_no_rights(api: Api, sofie: Persona) -> None:
    answer = form(api, sofie, type="work_relation", dg="GID", oc="ovo000123")
    assert answer.status == 200
    assert (answer.body["rights"], answer.body["application"]) == ([], None)
    assert answer.body["organization"]["code"] == "OVO000123"


# ---- filing ---------------------------------------------------------------------------------------


def test_filing_stores_a_pending_request_with_the_identity_of_the_token(
    api: Api, sofie: Persona, table: Table
) -> None:
    answer = file(api, sofie)
    assert answer.status == 201
    assert answer.body["status"] == "pending"
    assert answer.body["organization"] == {"code": ORG, "name": "Bakkerij De Zonnebloem BV"}
    assert answer.body["right"] == {"code": "DIMONA_MANDAAT_BEHEERDER", "name": "Dimona mandaatbeheerder"}
    assert answer.headers["Location"] == f"/api/requests/{answer.body['id']}"
    [stored] = requests_in(table)
    assert stored["requester"]["S"] == sofie.sub
    assert (
        stored["requesterName"]["S"]
        if "requesterName" in stored
        else stored["requester_name"]["S"] == "Sofie Peeters"
    )


def test_the_form_never_asks_for_a_name(api: Api, sofie: Persona, table: Table) -> None:
    answer = file(api, sofie, requester="iemand-anders", name="Valse Naam")
    assert (answer.status, answer.code) == (422, "invalid_input")
    assert set(answer.field_errors()) == {"requester", "name"}
    assert requests_in(table) == []


def test_every_bad_field_gets_its_own_dutch_message_and_nothing_is_stored(
    api: Api, sofie: Persona, table: Table
) -> None:
    answer = file(
        api,
        sofie,
        organization="0428364867",
        phone="012345",
        email="a@b.be\r\nBcc: x@y.be",
        reason="x" * 1001,
    )
    assert (answer.status, answer.code) == (422, "invalid_input")
    errors = answer.field_errors()
    assert set(errors) == {"organization", "phone", "email", "reason"}
    assert "controlecijfers" in errors["organization"]
    assert "+3212345678" in errors["phone"]
    assert "regeleinden" in errors["email"]
    assert "1000" in errors["reason"]
    assert requests_in(table) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "tekst met een \x07 belletje"}, "reason"),
        ({"organization": "OVO000123"}, "organization"),
        ({"right": None}, "right"),
        ({"right": "BESTAAT_NIET"}, "right"),
        ({"right": "DIMONA_MANDAAT_LOKAAL", "application": 45}, "right"),
        ({"right": "SUBSIDIE_AANVRAGER"}, "application"),
        ({"right": "DWSE_ORG_MEDEWERKER", "application": 1203}, "context"),
        ({"context": "Lokale diensteneconomie"}, "context"),
        ({"type": "work_relation"}, "right"),
        ({"targetGroup": "XX"}, "targetGroup"),
    ],
)
def test_invalid_input_names_the_field(
    api: Api, sofie: Persona, table: Table, overrides: dict[str, Any], field: str
) -> None:
    answer = file(api, sofie, **overrides)
    assert (answer.status, answer.code) == (422, "invalid_input")
    assert field in answer.field_errors()
    assert requests_in(table) == []


def test_malformed_json_is_invalid_input_on_the_body(api: Api, sofie: Persona) -> None:
    answer = api.call("POST", "/api/requests", caller=sofie, body="{niet json")
    assert (answer.status, answer.code) == (422, "invalid_input")
    assert answer.field_errors() == {"body": "De inhoud is geen geldige JSON."}


def test_a_right_with_contexts_is_filed_with_one(api: Api, sofie: Persona) -> None:
    answer = file(api, sofie, application=1203, right="DWSE_ORG_MEDEWERKER", context="Sociale werkplaats")
    assert answer.status == 201 and answer.body["context"] == "Sociale werkplaats"


def test_a_work_relationship_request(api: Api, sofie: Persona) -> None:
    answer = file(api, sofie, type="work_relation", application=None, right=None)
    assert answer.status == 201
    assert (answer.body["type"], answer.body["right"]) == ("work_relation", None)


@pytest.mark.parametrize("organization", ["0418825808", "0123456749"], ids=["no-admin-email", "unknown"])
def test_an_organisation_that_cannot_receive_requests_refuses_and_stores_nothing(
    api: Api, sofie: Persona, table: Table, organization: str
) -> None:
    answer = file(api, sofie, organization=organization)
    assert (answer.status, answer.code) == (422, "no_local_admin")
    assert requests_in(table) == []


def test_invalid_input_comes_before_no_local_admin(api: Api, sofie: Persona) -> None:
    assert file(api, sofie, organization="0418825808", phone="0").code == "invalid_input"


def test_a_second_pending_request_for_the_same_right_is_duplicate_pending(
    api: Api, sofie: Persona, table: Table
) -> None:
    assert file(api, sofie).status == 201
    answer = file(api, sofie, reason="Nog eens")
    assert (answer.status, answer.code) == (409, "duplicate_pending")
    assert len(requests_in(table)) == 1


def test_another_person_may_ask_the_same(api: Api, sofie: Persona, jonas: Persona) -> None:
    assert file(api, sofie).status == 201
    assert file(api, jonas).status == 201


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        # beyond the warning window: held, not yet to be renewed
        pytest.param(date(2026, 3, 3), (409, "already_granted"), id="ends-in-31-days-in-brussels"),
        # inside it (`expiring`): the request renews it (docs/lifecycle.md)
        pytest.param(date(2026, 3, 2), (201, None), id="ends-in-30-days-in-brussels"),
        pytest.param(date(2026, 1, 31), (201, None), id="ends-today-in-brussels"),
        pytest.param(date(2026, 1, 30), (201, None), id="ended-yesterday-in-brussels"),
    ],
)
def test_a_right_held_beyond_the_warning_window_is_already_granted_and_one_expiring_is_renewed(
    api: Api,
    sofie: Persona,
    store: Store,
    frozen_clock: datetime,
    end: date,
    expected: tuple[int, str | None],
) -> None:
    """At 23:30 UTC on 30 January it is already 31 January in Brussels: the day a grant ending then
    still holds, and is `expiring`."""
    hold(
        store,
        Grant(
            person=sofie.sub,
            organization=ORG,
            right="DIMONA_MANDAAT_BEHEERDER",
            begin=date(2025, 1, 1),
            end=end,
        ),
    )
    answer = file(api, sofie)
    assert (answer.status, answer.code) == expected
    if answer.status == 201:
        assert answer.body["renewal"] is (end >= date(2026, 1, 31))


def test_an_existing_work_relationship_is_already_granted(api: Api, personas: dict[str, Persona]) -> None:
    answer = file(api, personas["beheerder2"], type="work_relation", application=None, right=None)
    assert (answer.status, answer.code) == (409, "already_granted")


def test_ten_identical_submissions_at_once_file_exactly_one_request(
    api: Api, sofie: Persona, table: Table
) -> None:
    barrier = threading.Barrier(10)
    answers: list[Answer] = []

    def submit() -> None:
        barrier.wait()
        answers.append(file(api, sofie))

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status for a in answers) == [201] + [409] * 9
    assert {a.code for a in answers if a.status == 409} == {"duplicate_pending"}
    assert len(requests_in(table)) == 1


# ---- Idempotency-Key ------------------------------------------------------------------------------


def test_a_retry_with_the_same_key_answers_the_first_response_and_stores_nothing_new(
    api: Api, sofie: Persona, table: Table
) -> None:
    first = file(api, sofie, headers={"Idempotency-Key": "k-1"})
    retry = file(api, sofie, headers={"Idempotency-Key": "k-1"})
    assert (first.status, retry.status) == (201, 201)
    assert retry.body == first.body
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(requests_in(table)) == 1


def test_the_same_key_with_another_body_is_refused(api: Api, sofie: Persona, table: Table) -> None:
    file(api, sofie, headers={"Idempotency-Key": "k-1"})
    answer = file(api, sofie, headers={"Idempotency-Key": "k-1"}, right="DIMONA_MANDAAT_RAADPLEGER")
    assert (answer.status, answer.code) == (409, "idempotency_key_reused")
    assert len(requests_in(table)) == 1


def test_keys_are_per_caller(api: Api, sofie: Persona, jonas: Persona, table: Table) -> None:
    assert file(api, sofie, headers={"Idempotency-Key": "k-1"}).status == 201
    answer = file(api, jonas, headers={"Idempotency-Key": "k-1"})
    assert answer.status == 201 and "Idempotent-Replayed" not in answer.headers
    assert len(requests_in(table)) == 2


def test_a_refused_request_does_not_use_up_its_key(api: Api, sofie: Persona) -> None:
    assert (
        file(api, sofie, headers={"Idempotency-Key": "k-1"}, organization="0418825808").code
        == "no_local_admin"
    )
    answer = file(api, sofie, headers={"Idempotency-Key": "k-1"})
    assert answer.status == 201 and "Idempotent-Replayed" not in answer.headers


def test_the_idempotency_record_expires_after_a_day(
    api: Api, sofie: Persona, table: Table, frozen_clock: datetime
) -> None:
    file(api, sofie, headers={"Idempotency-Key": "k-1"})
    [record] = [i for i in table.items() if i["kind"]["S"] == "idempotency"]
    assert int(record["ttl"]["N"]) == int(datetime(2026, 1, 31, 23, 30, tzinfo=UTC).timestamp())


# ---- own requests ---------------------------------------------------------------------------------


def test_own_requests_newest_first_with_paging(api: Api, sofie: Persona) -> None:
    codes = ["DIMONA_MANDAAT_BEHEERDER", "DIMONA_MANDAAT_RAADPLEGER"]
    for code in codes:
        file(api, sofie, right=code)
    file(api, sofie, type="work_relation", application=None, right=None)
    first = api.call("GET", "/api/requests", caller=sofie, query={"limit": "2"})
    assert first.status == 200
    assert [r["type"] for r in first.body["items"]] == ["work_relation", "user_right"]
    second = api.call(
        "GET", "/api/requests", caller=sofie, query={"limit": "2", "cursor": first.body["nextCursor"]}
    )
    assert [r["right"]["code"] for r in second.body["items"]] == ["DIMONA_MANDAAT_BEHEERDER"]
    assert second.body["nextCursor"] is None
    assert all(
        r["status"] == "pending" and r["createdAt"] for r in first.body["items"] + second.body["items"]
    )


def test_own_requests_are_only_ones_own(api: Api, sofie: Persona, jonas: Persona) -> None:
    file(api, sofie)
    assert api.call("GET", "/api/requests", caller=jonas).body == {"items": [], "nextCursor": None}


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "101"}, {"limit": "veel"}])
def test_a_bad_limit_is_invalid_input(api: Api, sofie: Persona, query: dict[str, str]) -> None:
    answer = api.call("GET", "/api/requests", caller=sofie, query=query)
    assert (answer.status, answer.code) == (422, "invalid_input")
    assert "limit" in answer.field_errors()


def test_a_tampered_cursor_is_invalid_cursor(api: Api, sofie: Persona) -> None:
    answer = api.call("GET", "/api/requests", caller=sofie, query={"cursor": "eyJhZnRlciI6Ii4uLyJ9"})
    assert (answer.status, answer.code) == (400, "invalid_cursor")


def test_someone_elses_request_is_not_found(api: Api, sofie: Persona, jonas: Persona) -> None:
    request_id = file(api, sofie).body["id"]
    assert api.call("GET", f"/api/requests/{request_id}", caller=sofie).status == 200
    for method, path in [
        ("GET", f"/api/requests/{request_id}"),
        ("POST", f"/api/requests/{request_id}/cancel"),
    ]:
        answer = api.call(method, path, caller=jonas)
        assert (answer.status, answer.code) == (404, "not_found")
    assert api.call("GET", "/api/requests/bestaat-niet", caller=sofie).code == "not_found"


def test_cancelling_takes_the_task_off_the_open_list(api: Api, sofie: Persona, store: Store) -> None:
    request_id = file(api, sofie).body["id"]
    assert [r.id for r in store.tasks.of(ELS, "open", 10).items] == [request_id]
    answer = api.call("POST", f"/api/requests/{request_id}/cancel", caller=sofie)
    assert answer.status == 200 and answer.body["status"] == "cancelled" and answer.body["cancelledAt"]
    assert store.tasks.of(ELS, "open", 10).items == []
    assert [r.id for r in store.tasks.of(ELS, "closed", 10).items] == [request_id]


def test_cancelling_twice_is_already_decided(api: Api, sofie: Persona) -> None:
    request_id = file(api, sofie).body["id"]
    api.call("POST", f"/api/requests/{request_id}/cancel", caller=sofie)
    answer = api.call("POST", f"/api/requests/{request_id}/cancel", caller=sofie)
    assert (answer.status, answer.code) == (409, "already_decided")


# ---- organisations and the caller -----------------------------------------------------------------


def test_the_organisation_lookup_names_administrators_but_never_their_address(
    api: Api, sofie: Persona
) -> None:
    answer = api.call("GET", "/api/organizations/0428.364.866", caller=sofie)
    assert answer.status == 200
    assert answer.body == {
        "code": ORG,
        "name": "Bakkerij De Zonnebloem BV",
        "targetGroup": "EA",
        "localAdmins": [
            {"name": "Els Wouters", "role": "head_local_admin", "hasEmail": True, "reachable": True},
            {"name": "Tom Jacobs", "role": "local_admin", "hasEmail": True, "reachable": True},
        ],
    }
    assert "@" not in str(answer.body)


def test_an_unknown_organisation_is_not_found(api: Api, sofie: Persona) -> None:
    assert api.call("GET", "/api/organizations/0123456749", caller=sofie).code == "not_found"
    assert api.call("GET", "/api/organizations/onzin", caller=sofie).code == "not_found"


def test_me_tells_name_relationships_grants_and_administered_organisations(
    api: Api, personas: dict[str, Persona], store: Store
) -> None:
    els = personas["beheerder"]
    hold(
        store,
        Grant(
            person=els.sub,
            organization=ORG,
            organization_name="Bakkerij De Zonnebloem BV",
            right="DIMONA_MANDAAT_RAADPLEGER",
            right_name="Dimona raadpleger",
            begin=date(2026, 1, 1),
            end=date(2027, 12, 31),
        ),
    )
    answer = api.call("GET", "/api/me", caller=els)
    assert answer.status == 200
    assert (answer.body["sub"], answer.body["name"]) == (els.sub, "Els Wouters")
    assert {w["organization"]["code"] for w in answer.body["workRelationships"]} == {ORG, "OVO000123"}
    [grant] = answer.body["grants"]
    assert grant == {
        "id": grant["id"],
        "person": {"sub": els.sub, "name": None},
        "organization": {"code": ORG, "name": "Bakkerij De Zonnebloem BV"},
        "application": None,
        "right": {"code": "DIMONA_MANDAAT_RAADPLEGER", "name": "Dimona raadpleger"},
        "context": None,
        "begin": "2026-01-01",
        "end": "2027-12-31",
        "status": "active",
        "revocation": None,
    }
    assert {(a["organization"]["code"], a["role"]) for a in answer.body["administers"]} == {
        (ORG, "head_local_admin"),
        ("OVO000123", "local_admin"),
    }


def test_a_new_person_has_nothing_yet(api: Api, sofie: Persona) -> None:
    body_ = api.call("GET", "/api/me", caller=sofie).body
    assert (body_["workRelationships"], body_["grants"], body_["administers"]) == ([], [], [])


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/registration-form"),
        ("POST", "/api/requests"),
        ("GET", "/api/requests"),
        ("GET", "/api/me"),
        ("GET", "/api/organizations/0428364866"),
        ("POST", "/api/requests/x/cancel"),
    ],
)
def test_without_verified_claims_the_handler_refuses(api: Api, method: str, path: str) -> None:
    answer = api.call(
        method,
        path,
        body=body() if method == "POST" and path == "/api/requests" else None,
        query={"dg": "EA", "an": "45"} if "registration" in path else None,
    )
    assert (answer.status, answer.code) == (401, "unauthenticated")

"""The administrator's API (list_tasks, decide) under moto with the demo data: docs/rules.md."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime
from typing import Any

import pytest

from ops.load_data import Persona
from tests.api import Answer, Api
from tests.conftest import Table
from tests.factories import filing_body
from zelfregistratie.domain.rights import WorkRelationship
from zelfregistratie.store.store import Store

ORG = "0428364866"


def file(api: Api, caller: Persona, **overrides: Any) -> str:
    body = filing_body(email="sofie@example.be", reason="Voor de Dimona-aangiften.") | overrides
    answer = api.call("POST", "/api/requests", caller=caller, body=body)
    assert answer.status == 201, answer.body
    request_id: str = answer.body["id"]
    return request_id


def decide(api: Api, caller: Persona | None, task_id: str, **body: Any) -> Answer:
    return api.call(
        "POST",
        f"/api/tasks/{task_id}/decision",
        caller=caller,
        body={"decision": "approve", "reason": "In orde.", **body},
    )


# ---- Mijn Taken ---------------------------------------------------------------------------------


def test_the_task_list_shows_open_tasks_of_every_administered_organisation_newest_first(
    api: Api, personas: dict[str, Persona]
) -> None:
    first = file(api, personas["aanvrager"])
    second = file(
        api,
        personas["aanvrager2"],
        type="work_relation",
        targetGroup="GID",
        organization="OVO000123",
        application=None,
        right=None,
    )
    answer = api.call("GET", "/api/tasks", caller=personas["beheerder"])
    assert answer.status == 200
    assert [row["id"] for row in answer.body["items"]] == [second, first]
    row = answer.body["items"][1]
    assert row == {
        "id": first,
        "number": first.replace("-", "")[-8:-4].upper() + "-" + first[-4:].upper(),
        "task": "create",
        "type": "self-registration",
        "requestType": "user_right",
        "status": "pending",
        "createdBy": {"name": "Sofie Peeters"},
        "createdAt": row["createdAt"],
        "organization": {"code": ORG, "name": "Bakkerij De Zonnebloem BV"},
        "right": {"code": "DIMONA_MANDAAT_BEHEERDER", "name": "Dimona mandaatbeheerder"},
        "context": None,
        "decision": None,
        "renewal": False,
        "own": False,
    }
    assert answer.body["nextCursor"] is None


def test_an_administrator_of_one_organisation_sees_only_its_tasks(
    api: Api, personas: dict[str, Persona]
) -> None:
    file(api, personas["aanvrager"])
    answer = api.call("GET", "/api/tasks", caller=personas["beheerder-andere"])
    assert answer.body == {"items": [], "nextCursor": None}


def test_someone_who_administers_nothing_is_forbidden(api: Api, personas: dict[str, Persona]) -> None:
    answer = api.call("GET", "/api/tasks", caller=personas["aanvrager"])
    assert (answer.status, answer.code) == (403, "forbidden")


def test_decided_tasks_move_to_the_closed_view(api: Api, personas: dict[str, Persona]) -> None:
    task_id = file(api, personas["aanvrager"])
    decide(api, personas["beheerder"], task_id)
    assert api.call("GET", "/api/tasks", caller=personas["beheerder2"]).body["items"] == []
    closed = api.call("GET", "/api/tasks", caller=personas["beheerder2"], query={"status": "closed"})
    assert [(r["id"], r["status"]) for r in closed.body["items"]] == [(task_id, "approved")]


def test_the_task_list_pages_with_an_opaque_cursor(api: Api, personas: dict[str, Persona]) -> None:
    ids = [
        file(api, personas["aanvrager"], right=code)
        for code in ["DIMONA_MANDAAT_BEHEERDER", "DIMONA_MANDAAT_RAADPLEGER"]
    ]
    ids.append(file(api, personas["aanvrager2"]))
    seen, cursor = [], None
    for _ in range(3):
        query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = api.call("GET", "/api/tasks", caller=personas["beheerder"], query=query).body
        seen += [row["id"] for row in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))


def test_a_tampered_cursor_is_invalid_cursor_never_other_data(api: Api, personas: dict[str, Persona]) -> None:
    for code in ["DIMONA_MANDAAT_BEHEERDER", "DIMONA_MANDAAT_RAADPLEGER"]:
        file(api, personas["aanvrager"], right=code)
    cursor = api.call("GET", "/api/tasks", caller=personas["beheerder"], query={"limit": "1"}).body[
        "nextCursor"
    ]
    assert cursor
    for bad in [cursor[:-3] + "abc", "!!"]:
        answer = api.call("GET", "/api/tasks", caller=personas["beheerder"], query={"cursor": bad})
        assert (answer.status, answer.code) == (400, "invalid_cursor"), bad
    # Another administrator's use of it pages their own list: the cursor names no partition.
    other = api.call("GET", "/api/tasks", caller=personas["beheerder-andere"], query={"cursor": cursor})
    assert other.status == 200
    assert not {t["organization"]["code"] for t in other.body["items"]} & {"0428364866"}


@pytest.mark.parametrize("query", [{"status": "alles"}, {"limit": "0"}, {"limit": "101"}])
def test_bad_task_list_parameters_are_invalid_input(
    api: Api, personas: dict[str, Persona], query: dict[str, str]
) -> None:
    answer = api.call("GET", "/api/tasks", caller=personas["beheerder"], query=query)
    assert (answer.status, answer.code) == (422, "invalid_input")


# ---- task details -------------------------------------------------------------------------------


def test_task_details_show_what_the_seeds_details_window_shows(
    api: Api, personas: dict[str, Persona], frozen_clock: datetime
) -> None:
    task_id = file(
        api,
        personas["aanvrager"],
        application=1203,
        right="DWSE_ORG_MEDEWERKER",
        context="Lokale diensteneconomie",
    )
    answer = api.call("GET", f"/api/tasks/{task_id}", caller=personas["beheerder2"])
    assert answer.status == 200
    details = answer.body
    assert details["requester"] == {"name": "Sofie Peeters"}
    assert details["application"] == {"id": 1203, "name": "Strategisch Integratieprogramma (SIP)"}
    assert details["organization"] == {"code": ORG, "name": "Bakkerij De Zonnebloem BV"}
    assert details["right"] == {"code": "DWSE_ORG_MEDEWERKER", "name": "DWSE Organisatie medewerker"}
    assert (details["email"], details["phone"]) == ("sofie@example.be", "+3212345678")
    assert (details["beginDate"], details["endDate"]) == ("2026-01-31", "2028-01-31")  # Brussels' date
    assert details["context"] == "Lokale diensteneconomie"
    assert details["reason"] == "Voor de Dimona-aangiften."
    assert details["status"] == "pending"
    assert [h["event"] for h in details["history"]] == ["filed"]


def test_the_history_tells_who_decided_when_and_why(api: Api, personas: dict[str, Persona]) -> None:
    task_id = file(api, personas["aanvrager"])
    decide(api, personas["beheerder"], task_id, decision="reject", reason="Geen medewerker van ons.")
    history = api.call("GET", f"/api/tasks/{task_id}", caller=personas["beheerder2"]).body["history"]
    assert [(h["event"], h["by"]["name"], h["reason"]) for h in history] == [
        ("filed", "Sofie Peeters", "Voor de Dimona-aangiften."),
        ("rejected", "Els Wouters", "Geen medewerker van ons."),
    ]


def test_a_task_of_another_organisation_is_not_found_like_one_that_does_not_exist(
    api: Api, personas: dict[str, Persona]
) -> None:
    task_id = file(api, personas["aanvrager"])
    foreign = api.call("GET", f"/api/tasks/{task_id}", caller=personas["beheerder-andere"])
    missing = api.call("GET", "/api/tasks/0192f3a4-5b6c-7d8e-9f01-23456789abcd", caller=personas["beheerder"])
    assert (foreign.status, foreign.body) == (missing.status, missing.body) == (404, missing.body)
    assert foreign.code == "not_found"


# ---- decisions ----------------------------------------------------------------------------------


def test_approving_creates_the_work_relationship_then_the_grant(
    api: Api, personas: dict[str, Persona], store: Store, frozen_clock: datetime
) -> None:
    sofie = personas["aanvrager"]
    task_id = file(api, sofie)
    answer = decide(api, personas["beheerder"], task_id, reason="Welkom.")
    assert answer.status == 200
    assert answer.body["status"] == "approved"
    assert answer.body["decision"]["by"] == {"name": "Els Wouters"}
    assert answer.body["decision"]["reason"] == "Welkom."
    assert answer.body["grant"] == {"begin": "2026-01-31", "end": "2028-01-31"}
    relationship = store.people.work_relationship(sofie.sub, ORG)
    assert relationship is not None
    assert (relationship.email, relationship.phone) == ("sofie@example.be", "+3212345678")
    grant = store.people.grant(sofie.sub, ORG, "DIMONA_MANDAAT_BEHEERDER", None)
    assert grant is not None and (grant.begin, grant.end) == (date(2026, 1, 31), date(2028, 1, 31))


def test_approving_keeps_an_existing_work_relationship(
    api: Api, personas: dict[str, Persona], store: Store
) -> None:
    sofie = personas["aanvrager"]
    existing = WorkRelationship(person=sofie.sub, organization=ORG, email="oud@x.be", since=date(2020, 1, 1))
    store.people.load(existing, ())
    decide(api, personas["beheerder"], file(api, sofie))
    assert store.people.work_relationship(sofie.sub, ORG) == existing


def test_approving_a_work_relationship_request_creates_it(
    api: Api, personas: dict[str, Persona], store: Store
) -> None:
    sofie = personas["aanvrager"]
    task_id = file(api, sofie, type="work_relation", application=None, right=None)
    assert decide(api, personas["beheerder"], task_id).status == 200
    assert store.people.work_relationship(sofie.sub, ORG) is not None
    assert store.people.relations(sofie.sub)[1] == []


def test_rejecting_creates_nothing(api: Api, personas: dict[str, Persona], store: Store) -> None:
    sofie = personas["aanvrager"]
    answer = decide(
        api,
        personas["beheerder"],
        file(api, sofie),
        decision="reject",
        reason="Nee.",
        endDate="2000-01-01",
    )
    assert (answer.status, answer.body["status"], answer.body["grant"]) == (200, "rejected", None)
    assert store.people.relations(sofie.sub) == ([], [])


def test_an_end_date_within_the_default_is_kept(
    api: Api, personas: dict[str, Persona], frozen_clock: datetime
) -> None:
    answer = decide(api, personas["beheerder"], file(api, personas["aanvrager"]), endDate="2026-04-30")
    assert answer.body["grant"] == {"begin": "2026-01-31", "end": "2026-04-30"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 1001}, "reason"),
        ({"reason": None}, "reason"),
        ({"decision": "misschien"}, "decision"),
        ({"endDate": "morgen"}, "endDate"),
        ({"endDate": "2099-01-01"}, "endDate"),
        ({"endDate": "2001-01-01"}, "endDate"),
    ],
)
def test_a_bad_decision_is_invalid_input_and_changes_nothing(
    api: Api, personas: dict[str, Persona], body: dict[str, Any], field: str
) -> None:
    task_id = file(api, personas["aanvrager"])
    answer = decide(api, personas["beheerder"], task_id, **body)
    assert (answer.status, answer.code) == (422, "invalid_input")
    assert field in answer.field_errors()
    assert api.call("GET", f"/api/tasks/{task_id}", caller=personas["beheerder"]).body["status"] == "pending"


def test_nobody_decides_their_own_request(api: Api, personas: dict[str, Persona]) -> None:
    tom, els = personas["beheerder2"], personas["beheerder"]
    task_id = file(api, tom, right="DIMONA_MANDAAT_RAADPLEGER")
    # marked as his own in his list and on the task, so the pages offer him no decision
    [mine] = [t for t in api.call("GET", "/api/tasks", caller=tom).body["items"] if t["id"] == task_id]
    [theirs] = [t for t in api.call("GET", "/api/tasks", caller=els).body["items"] if t["id"] == task_id]
    assert (mine["own"], theirs["own"]) == (True, False)
    assert api.call("GET", f"/api/tasks/{task_id}", caller=tom).body["own"] is True
    assert api.call("GET", f"/api/tasks/{task_id}", caller=els).body["own"] is False
    answer = decide(api, tom, task_id)
    assert (answer.status, answer.code) == (403, "own_request")
    assert decide(api, els, task_id).status == 200


def test_a_cancelled_request_cannot_be_decided(api: Api, personas: dict[str, Persona]) -> None:
    task_id = file(api, personas["aanvrager"])
    api.call("POST", f"/api/requests/{task_id}/cancel", caller=personas["aanvrager"])
    answer = decide(api, personas["beheerder"], task_id)
    assert (answer.status, answer.code) == (409, "already_decided")


def test_twenty_concurrent_decisions_by_two_administrators_give_exactly_one_success(
    api: Api, personas: dict[str, Persona], table: Table
) -> None:
    task_id = file(api, personas["aanvrager"])
    barrier = threading.Barrier(20)
    answers: list[Answer] = []

    def decide_now(n: int) -> None:
        barrier.wait()
        admin = personas["beheerder"] if n % 2 else personas["beheerder2"]
        outcome = "approve" if n % 3 else "reject"
        answers.append(decide(api, admin, task_id, decision=outcome, reason=f"Beslissing {n}"))

    threads = [threading.Thread(target=decide_now, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status for a in answers) == [200] + [409] * 19
    assert {a.code for a in answers if a.status == 409} == {"already_decided"}
    grants = [i for i in table.items() if i["PK"]["S"].startswith("GRANT#") and "request_id" in i]
    winner = next(a for a in answers if a.status == 200)
    assert len(grants) == (1 if winner.body["status"] == "approved" else 0)


# ---- authorization matrix -----------------------------------------------------------------------

CALLERS = ["requester", "admin", "other_admin", "nobody"]
MATRIX = {
    # route: expected status for requester, admin of the organisation, admin of another one, no token
    ("GET", "/api/tasks"): [403, 200, 200, 401],
    ("GET", "/api/tasks/{id}"): [404, 200, 404, 401],
    ("POST", "/api/tasks/{id}/decision"): [404, 200, 404, 401],
    ("GET", "/api/requests/{id}"): [200, 404, 404, 401],
    ("POST", "/api/requests/{id}/cancel"): [200, 404, 404, 401],
    ("GET", "/api/requests"): [200, 200, 200, 401],
    ("POST", "/api/requests"): [201, 201, 201, 401],
    ("GET", "/api/registration-form"): [200, 200, 200, 401],
    ("GET", "/api/organizations/{code}"): [200, 200, 200, 401],
    ("GET", "/api/me"): [200, 200, 200, 401],
}


@pytest.mark.parametrize(("route", "expected"), list(MATRIX.items()), ids=[f"{m} {p}" for m, p in MATRIX])
def test_authorization_matrix(
    route: tuple[str, str], expected: list[int], api: Api, personas: dict[str, Persona]
) -> None:
    method, path = route
    api = Api()  # each call reaches the function template.yaml routes it to
    callers = {
        "requester": personas["aanvrager"],
        "admin": personas["beheerder"],
        "other_admin": personas["beheerder-andere"],
        "nobody": None,
    }
    for who, status in zip(CALLERS, expected, strict=True):
        task_id = file(
            api, personas["aanvrager"], email=f"{who}@example.be", right="DIMONA_MANDAAT_RAADPLEGER"
        )
        concrete = path.replace("{id}", task_id).replace("{code}", ORG)
        body: Any = None
        query = None
        if path == "/api/tasks/{id}/decision":
            body = {"decision": "reject", "reason": "Matrix."}
        if method == "POST" and path == "/api/requests":
            body = {
                "type": "user_right",
                "targetGroup": "EA",
                "organization": "0415327175",
                "application": 45,
                "right": "DIMONA_MANDAAT_BEHEERDER",
                "phone": "+3212345678",
                "email": "x@example.be",
            }
        if path == "/api/registration-form":
            query = {"dg": "EA", "an": "45"}
        answer = api.call(method, concrete, caller=callers[who], body=body, query=query)
        assert answer.status == status, (who, answer.body)
        api.call("POST", f"/api/requests/{task_id}/cancel", caller=personas["aanvrager"])


def test_a_decision_publishes_its_outcome_and_the_time_since_filing(
    api: Api, personas: dict[str, Persona], capsys: pytest.CaptureFixture[str]
) -> None:
    task_id = file(api, personas["aanvrager"])
    capsys.readouterr()
    decide(api, personas["beheerder"], task_id, decision="reject", reason="Nee.")
    [emf] = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"RequestsDecided"' in line]
    assert emf["outcome"] == "rejected"
    assert emf["RequestsDecided"] == [1.0]
    assert 0 <= emf["TimeToDecision"][0] < 60


def test_mijn_taken_filters_on_the_requesters_name_and_on_the_right(
    api: Api, personas: dict[str, Persona]
) -> None:
    els = personas["beheerder"]
    sofie = file(api, personas["aanvrager"])
    jonas = file(api, personas["aanvrager2"])
    api.call(
        "POST",
        "/api/requests",
        caller=personas["aanvrager2"],
        body=filing_body(right="DIMONA_MANDAAT_RAADPLEGER"),
    )

    def ids(**query: str) -> list[str]:
        answer = api.call("GET", "/api/tasks", caller=els, query={"limit": "1", **query})
        found = [t["id"] for t in answer.body["items"]]
        while answer.body["nextCursor"]:  # pages of one: a filtered page moves on, never repeats
            answer = api.call(
                "GET",
                "/api/tasks",
                caller=els,
                query={"limit": "1", "cursor": answer.body["nextCursor"], **query},
            )
            found += [t["id"] for t in answer.body["items"]]
        return found

    assert ids(q="SOFIE") == [sofie]  # any case
    assert ids(q="maes", right="DIMONA_MANDAAT_BEHEERDER") == [jonas]
    assert len(ids(q="maes")) == 2 and len(ids()) == 3
    assert ids(q="niemand") == []

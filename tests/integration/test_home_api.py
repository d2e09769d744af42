"""The administrator's home through the API (docs/administrators-home.md), on the demo data: people
found over all one's organisations; what someone who administers nothing gets; each refusal."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from ops.load_data import Persona
from tests.api import Answer, Api
from tests.conftest import Table, ses_as_deployed
from tests.factories import filing_body
from tests.integration.test_notify import Stream, deliver
from zelfregistratie.domain import clock
from zelfregistratie.store.store import Store

ZONNEBLOEM, DIGITAAL = "0428364866", "OVO000123"


@pytest.fixture
def els(personas: dict[str, Persona]) -> Persona:
    """Head local administrator of the bakery, local administrator of the agency; works at both."""
    return personas["beheerder"]


def found(api: Api, caller: Persona, **query: str) -> Answer:
    return api.call("GET", "/api/people", caller=caller, query=query)


def test_people_of_all_my_organisations_each_once_with_where_i_see_them(api: Api, els: Persona) -> None:
    answer = found(api, els, q="e")
    assert answer.status == 200 and answer.body["nextCursor"] is None
    assert [(p["name"], [o["code"] for o in p["organizations"]]) for p in answer.body["items"]] == [
        ("Élodie Vermeulen", [ZONNEBLOEM]),
        ("Els Wouters", [ZONNEBLOEM, DIGITAAL]),
        ("Erwin Hermans", [ZONNEBLOEM]),
    ]
    els_found = answer.body["items"][1]
    assert els_found["sub"] == els.sub
    assert els_found["organizations"][1] == {"code": DIGITAAL, "name": "Agentschap Digitaal Demo"}


def test_a_search_finds_the_start_of_any_word_not_its_inside(api: Api, els: Persona) -> None:
    assert [p["name"] for p in found(api, els, q="HERM").body["items"]] == ["Erwin Hermans"]
    assert found(api, els, q="rmans").body["items"] == []


def test_pages_follow_each_other(api: Api, els: Persona) -> None:
    first = found(api, els, q="e", limit="2")
    rest = found(api, els, q="e", limit="2", cursor=first.body["nextCursor"])
    names = [p["name"] for p in first.body["items"] + rest.body["items"]]
    assert names == ["Élodie Vermeulen", "Els Wouters", "Erwin Hermans"] and rest.body["nextCursor"] is None


def test_people_of_organisations_i_do_not_administer_are_not_found(
    api: Api, personas: dict[str, Persona]
) -> None:
    lotte = personas["beheerder-andere"]  # the association's: none of the bakery's people
    assert [p["name"] for p in found(api, lotte, q="e").body["items"]] == []
    assert [p["name"] for p in found(api, lotte, q="lot").body["items"]] == ["Lotte Claes"]


def test_someone_who_administers_nothing_finds_no_one(api: Api, personas: dict[str, Persona]) -> None:
    answer = found(api, personas["medewerker"], q="e")
    assert (answer.status, answer.body) == (200, {"items": [], "nextCursor": None})


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}, {"q": "x" * 101}, {"q": "e", "limit": "0"}])
def test_a_search_without_a_word_is_refused(api: Api, els: Persona, query: dict[str, str]) -> None:
    answer = found(api, els, **query)
    assert (answer.status, answer.code) == (422, "invalid_input")


def test_a_tampered_cursor_is_refused(api: Api, els: Persona) -> None:
    answer = found(api, els, q="e", cursor="bm90LWEtY3Vyc29y")
    assert (answer.status, answer.code) == (400, "invalid_cursor")


# ---- the organisations I administer, with their counts ----------------------------------------


@pytest.fixture
def counting(table: Table, store: Store, demo: Any) -> tuple[Any, Stream]:
    """The demo's counts set from the table (as the local stack does after loading it); notify adds
    each change it reads from the stream from then on."""
    ses_as_deployed()
    from functions.notify import app

    store.counts.recount_all(clock.today().isoformat())
    stream = Stream(table)
    stream.skip_existing()
    return app, stream


def organizations(api: Api, caller: Persona) -> list[dict[str, Any]]:
    answer = api.call("GET", "/api/organizations", caller=caller)
    assert answer.status == 200 and answer.body["nextCursor"] is None
    return list(answer.body["items"])


def counts_of(api: Api, caller: Persona, code: str) -> dict[str, int]:
    return next(o["counts"] for o in organizations(api, caller) if o["code"] == code)


def test_my_organisations_by_name_with_my_role_and_their_counts(
    api: Api, els: Persona, counting: tuple[Any, Stream]
) -> None:
    found = organizations(api, els)
    assert [(o["code"], o["name"], o["role"], o["targetGroup"], o["reachable"]) for o in found] == [
        (DIGITAAL, "Agentschap Digitaal Demo", "local_admin", "GID", True),
        (ZONNEBLOEM, "Bakkerij De Zonnebloem BV", "head_local_admin", "EA", True),
    ]
    # the bakery: Els, Tom, Erwin and Élodie; Erwin's two grants and Élodie's one; no open task
    assert found[1]["counts"] == {"people": 4, "activeGrants": 3, "openTasks": 0}


def test_the_counts_follow_a_filing_its_refusal_its_approval_and_a_retried_batch(
    api: Api, els: Persona, personas: dict[str, Persona], counting: tuple[Any, Stream]
) -> None:
    notify, stream = counting
    sofie = personas["aanvrager"]
    assert api.call("POST", "/api/requests", caller=sofie, body=filing_body()).status == 201
    again = api.call("POST", "/api/requests", caller=sofie, body=filing_body())
    assert (again.status, again.code) == (409, "duplicate_pending")  # refused: counts nothing
    filed = stream.new_records()
    assert deliver(notify, filed) == {"batchItemFailures": []}
    assert counts_of(api, els, ZONNEBLOEM) == {"people": 4, "activeGrants": 3, "openTasks": 1}
    assert deliver(notify, filed) == {"batchItemFailures": []}  # the same records again: once only
    assert counts_of(api, els, ZONNEBLOEM)["openTasks"] == 1

    task = api.call("GET", "/api/tasks", caller=els).body["items"][0]["id"]
    decision = {"decision": "approve", "reason": "In orde."}
    assert api.call("POST", f"/api/tasks/{task}/decision", caller=els, body=decision).status == 200
    assert deliver(notify, stream.new_records()) == {"batchItemFailures": []}
    # Sofie now works there, with the right: the task is closed
    assert counts_of(api, els, ZONNEBLOEM) == {"people": 5, "activeGrants": 4, "openTasks": 0}


def test_a_count_that_cannot_be_written_makes_its_record_come_again_and_publishes_nothing_twice(
    api: Api, els: Persona, personas: dict[str, Persona], counting: tuple[Any, Stream], monkeypatch: Any
) -> None:
    notify, stream = counting
    assert api.call("POST", "/api/requests", caller=personas["aanvrager"], body=filing_body()).status == 201
    records = stream.new_records()
    real = notify.counts._write

    def broken(*args: Any) -> Any:
        raise RuntimeError("throttled")

    sent: list[str] = []
    real_put = notify.publisher.client.put_events

    def put_events(**kwargs: Any) -> Any:
        sent.extend(entry["DetailType"] for entry in kwargs["Entries"])
        return real_put(**kwargs)

    monkeypatch.setattr(notify.publisher.client, "put_events", put_events)
    monkeypatch.setattr(notify.counts, "_write", broken)
    failed = deliver(notify, records)["batchItemFailures"]
    assert failed  # the request's record and every later one come again
    assert counts_of(api, els, ZONNEBLOEM)["openTasks"] == 0 and sent == []  # nor its event yet
    monkeypatch.setattr(notify.counts, "_write", real)
    assert deliver(notify, records) == {"batchItemFailures": []}
    assert counts_of(api, els, ZONNEBLOEM)["openTasks"] == 1 and sent == ["RequestFiled"]


def test_someone_who_administers_nothing_has_no_organisations(api: Api, personas: dict[str, Persona]) -> None:
    assert organizations(api, personas["medewerker"]) == []


# ---- comparing people ------------------------------------------------------------------------------

TOM, ERWIN, ELODIE = (
    "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a02",
    "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a31",
    "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a32",
)


def compare(api: Api, caller: Persona, *subs: str, org: str = ZONNEBLOEM) -> Answer:
    path = f"/api/organizations/{org}/people/compare"
    return api.call("GET", path, caller=caller, query={"person": ",".join(subs)})


def test_a_comparison_has_a_row_per_right_any_of_them_holds_and_every_person_in_each(
    api: Api, els: Persona
) -> None:
    answer = compare(api, els, ERWIN, ELODIE, TOM)
    assert answer.status == 200
    assert [p["name"] for p in answer.body["people"]] == ["Erwin Hermans", "Élodie Vermeulen", "Tom Jacobs"]
    rows = {(r["right"]["code"], r["context"]): r["grants"] for r in answer.body["rows"]}
    assert list(rows) == [
        ("DIMONA_MANDAAT_RAADPLEGER", None),
        ("DWSE_ORG_MEDEWERKER", "Sociale werkplaats"),
        ("SUBSIDIE_AANVRAGER", None),
    ]
    for grants in rows.values():
        assert set(grants) == {ERWIN, ELODIE, TOM}  # every person, null where not held
    assert rows[("DIMONA_MANDAAT_RAADPLEGER", None)][ERWIN]["status"] == "active"
    assert rows[("DIMONA_MANDAAT_RAADPLEGER", None)][ELODIE] is None
    assert rows[("DWSE_ORG_MEDEWERKER", "Sociale werkplaats")][ELODIE]["end"] == "2027-06-15"
    assert all(grants[TOM] is None for grants in rows.values())


@pytest.mark.parametrize(
    "subs",
    [
        (ERWIN,),  # one
        (ERWIN, ERWIN),  # the same twice
        (ERWIN, ELODIE, TOM, "a", "b", "c"),  # six
        (ERWIN, "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a03"),  # Lotte works at the association
    ],
)
def test_a_comparison_of_other_than_two_to_five_people_who_work_there_is_refused(
    api: Api, els: Persona, subs: tuple[str, ...]
) -> None:
    answer = compare(api, els, *subs)
    assert (answer.status, answer.code) == (422, "invalid_input")
    assert set(answer.field_errors()) == {"person"}


def test_only_the_organisation_s_administrators_compare_its_people(
    api: Api, personas: dict[str, Persona]
) -> None:
    answer = compare(api, personas["beheerder-andere"], ERWIN, ELODIE)
    assert (answer.status, answer.code) == (403, "forbidden")


# ---- the audit trail, filtered and downloaded -------------------------------------------------


def audit(api: Api, caller: Persona, headers: dict[str, str] | None = None, **query: str) -> Answer:
    path = f"/api/organizations/{ZONNEBLOEM}/audit"
    return api.call("GET", path, caller=caller, query=query, headers=headers or {})


@pytest.fixture
def trail(api: Api, els: Persona) -> list[str]:
    """Els revokes Erwin's two grants and grants Élodie one: three entries, newest first."""
    held = api.call("GET", f"/api/organizations/{ZONNEBLOEM}/people", caller=els).body["items"]
    erwin = next(p for p in held if p["name"] == "Erwin Hermans")
    for grant in erwin["grants"]:
        path = f"/api/grants/{grant['id']}/revoke"
        assert api.call("POST", path, caller=els, body={"reason": "=Niet meer nodig"}).status == 200
    body = {"person": ELODIE, "right": "SUBSIDIE_AANVRAGER"}
    assert api.call("POST", f"/api/organizations/{ZONNEBLOEM}/grants", caller=els, body=body).status == 201
    return [e["action"] for e in audit(api, els).body["items"]]


def test_the_audit_trail_about_one_person_or_of_one_action(api: Api, els: Persona, trail: list[str]) -> None:
    assert trail[:3] == ["grant_created", "grant_revoked", "grant_revoked"]
    about_erwin = audit(api, els, person=ERWIN).body["items"]
    assert {e["person"]["name"] for e in about_erwin} == {"Erwin Hermans"} and len(about_erwin) == 2
    revoked = audit(api, els, action="grant_revoked", limit="1")
    rest = audit(api, els, action="grant_revoked", limit="1", cursor=revoked.body["nextCursor"])
    assert [e["action"] for e in revoked.body["items"] + rest.body["items"]] == ["grant_revoked"] * 2
    assert audit(api, els, person=ELODIE, action="grant_revoked").body["items"] == []


def test_the_audit_csv_opens_in_excel_set_to_dutch_and_runs_no_formula(
    api: Api, els: Persona, trail: list[str]
) -> None:
    answer = audit(api, els, headers={"accept": "text/csv"}, action="grant_revoked")
    assert answer.status == 200 and answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    raw = answer.body.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Tijdstip", "Actie", "Door", "Over", "Gebruikersrecht", "Context", "Reden"]
    assert [r[1:4] for r in rows[1:]] == [["Recht herroepen", "Els Wouters", "Erwin Hermans"]] * 2
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", rows[1][0])
    assert rows[1][6] == "'=Niet meer nodig"  # a reason that would start a formula stays text


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [({"action": "grant_eaten"}, 422, "invalid_input"), ({"person": "a#b"}, 422, "invalid_input")],
)
def test_an_audit_filter_that_is_not_one_is_refused(
    api: Api, els: Persona, query: dict[str, str], status: int, code: str
) -> None:
    answer = api.call("GET", f"/api/organizations/{ZONNEBLOEM}/audit", caller=els, query=query)
    assert (answer.status, answer.code) == (status, code)

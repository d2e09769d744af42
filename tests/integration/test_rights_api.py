"""Managing rights (docs/rules.md § Managing rights) through the API, on the demo data: the people list and
its search, the audit trail, direct grants, revoking, ending a work relationship, the export; each refusal
stores nothing; and the sequences people walk, refusals in between."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from devstack.outbox import Outbox
from ops.load_data import Persona
from tests.api import Answer, Api
from tests.conftest import TEST_ENVIRONMENT, Table, ses_as_deployed
from tests.factories import filing_body
from tests.integration.test_notify import Stream, deliver
from zelfregistratie.domain import clock
from zelfregistratie.domain.errors import ConcurrentChange
from zelfregistratie.domain.rights import Grant
from zelfregistratie.store.store import Store

ORG = "0428364866"
OTHER_ORG = "0415327175"
ERWIN = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a31"
ELODIE = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a32"


@pytest.fixture
def els(personas: dict[str, Persona]) -> Persona:
    return personas["beheerder"]


@pytest.fixture
def erwin(personas: dict[str, Persona]) -> Persona:
    return personas["medewerker"]


def people(api: Api, caller: Persona, **query: str) -> Answer:
    return api.call("GET", f"/api/organizations/{ORG}/people", caller=caller, query=query)


def grants_of(api: Api, caller: Persona, sub: str) -> list[dict[str, Any]]:
    [member] = [m for m in people(api, caller, limit="100").body["items"] if m["sub"] == sub]
    grants: list[dict[str, Any]] = member["grants"]
    return grants


def a_grant_id(api: Api, caller: Persona, sub: str, right: str) -> str:
    return next(str(g["id"]) for g in grants_of(api, caller, sub) if g["right"]["code"] == right)


def stored(table: Table) -> int:
    return len(table.items())


# ---- the people list --------------------------------------------------------------------------


def test_an_administrator_sees_the_people_by_name_with_their_active_grants(api: Api, els: Persona) -> None:
    answer = people(api, els)
    assert answer.status == 200
    names = [m["name"] for m in answer.body["items"]]
    assert names == ["Élodie Vermeulen", "Els Wouters", "Erwin Hermans", "Tom Jacobs"]  # accents fold
    # who administers the organisation (their work relationship cannot end while they do)
    assert [m["localAdmin"] for m in answer.body["items"]] == [False, True, False, True]
    erwin = answer.body["items"][2]
    assert erwin["workRelationship"]["status"] == "active"
    assert {g["right"]["code"] for g in erwin["grants"]} == {
        "DIMONA_MANDAAT_RAADPLEGER",
        "SUBSIDIE_AANVRAGER",
    }
    assert all(g["status"] == "active" and g["id"] for g in erwin["grants"])
    assert answer.body["nextCursor"] is None


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("elo", ["Élodie Vermeulen"]),  # without its accent
        ("ÉLO", ["Élodie Vermeulen"]),  # with it, in capitals
        ("herm", ["Erwin Hermans"]),  # the start of a later word
        ("erm", []),  # not the inside of a word
        ("els  w", ["Els Wouters"]),  # across words, spaces as typed
        ("jacobs", ["Tom Jacobs"]),
        ("zzz", []),
        ("   ", ["Élodie Vermeulen", "Els Wouters", "Erwin Hermans", "Tom Jacobs"]),  # nothing to search for
    ],
)
def test_the_search_ignores_case_and_accents_and_matches_the_start_of_any_word(
    api: Api, els: Persona, q: str, found: list[str]
) -> None:
    assert [m["name"] for m in people(api, els, q=q).body["items"]] == found


def test_pages_of_people_follow_each_other_without_repeats_or_gaps(api: Api, els: Persona) -> None:
    first = people(api, els, limit="3")
    second = people(api, els, limit="3", cursor=first.body["nextCursor"])
    names = [m["name"] for m in first.body["items"] + second.body["items"]]
    assert names == ["Élodie Vermeulen", "Els Wouters", "Erwin Hermans", "Tom Jacobs"]
    assert second.body["nextCursor"] is None
    searched = people(api, els, q="e", limit="2")
    rest = people(api, els, q="e", limit="2", cursor=searched.body["nextCursor"])
    assert [m["name"] for m in searched.body["items"] + rest.body["items"]] == [
        "Élodie Vermeulen",
        "Els Wouters",
        "Erwin Hermans",
    ]
    assert rest.body["nextCursor"] is None
    tampered = people(api, els, cursor="bm90LWEtY3Vyc29y")
    assert (tampered.status, tampered.code) == (400, "invalid_cursor")


# ---- direct grants ------------------------------------------------------------------------------


def test_a_direct_grant_is_the_grant_an_approval_makes_and_is_audited(
    api: Api, els: Persona, personas: dict[str, Persona]
) -> None:
    tom = personas["beheerder2"]
    body = {"person": tom.sub, "right": "DIMONA_MANDAAT_BEHEERDER", "endDate": "2027-06-30"}
    answer = api.call("POST", f"/api/organizations/{ORG}/grants", caller=els, body=body)
    assert answer.status == 201
    grant = answer.body
    assert (grant["right"]["code"], grant["end"], grant["status"]) == (
        "DIMONA_MANDAAT_BEHEERDER",
        "2027-06-30",
        "active",
    )
    assert grant["application"] == {"id": 45, "name": "Dimona Mandaat"}
    assert grant["person"] == {"sub": tom.sub, "name": "Tom Jacobs"}
    assert grant["id"] in {g["id"] for g in api.call("GET", "/api/me", caller=tom).body["grants"]}
    assert grant["id"] in {g["id"] for g in grants_of(api, els, tom.sub)}
    [entry, *_] = api.call("GET", f"/api/organizations/{ORG}/audit", caller=els).body["items"]
    assert (entry["action"], entry["by"], entry["person"]["sub"], entry["right"]["code"]) == (
        "grant_created",
        {"name": "Els Wouters"},
        tom.sub,
        "DIMONA_MANDAAT_BEHEERDER",
    )
    again = api.call("POST", f"/api/organizations/{ORG}/grants", caller=els, body=body)
    assert (again.status, again.code) == (409, "already_granted")
    # said to the administrator about the person, not in the requester's voice
    assert again.body["title"] == "Deze persoon heeft dit al."
    assert again.body["detail"] == (
        "Tom Jacobs heeft het gebruikersrecht Dimona mandaatbeheerder al voor Bakkerij De Zonnebloem BV."
    )


@pytest.mark.parametrize(
    ("caller", "body", "status", "code"),
    [
        ("beheerder-andere", {"person": ERWIN, "right": "DIMONA_MANDAAT_BEHEERDER"}, 403, "forbidden"),
        ("aanvrager", {"person": ERWIN, "right": "DIMONA_MANDAAT_BEHEERDER"}, 403, "forbidden"),
        ("beheerder", {"person": ERWIN}, 422, "invalid_input"),
        (
            "beheerder",
            {"person": ERWIN, "right": "DIMONA_MANDAAT_BEHEERDER", "endDate": "2020-01-01"},
            422,
            "invalid_input",
        ),
        (
            "beheerder",
            {"person": ERWIN, "right": "DIMONA_MANDAAT_BEHEERDER", "endDate": "2099-01-01"},
            422,
            "invalid_input",
        ),
        ("beheerder", {"person": ERWIN, "right": "DWSE_ORG_MEDEWERKER"}, 422, "invalid_input"),  # no context
        ("beheerder", {"person": ERWIN, "right": "ONBEKEND"}, 404, "no_rights_found"),
        ("beheerder", {"person": ERWIN, "right": "DIMONA_MANDAAT_LOKAAL"}, 404, "no_rights_found"),  # LB only
        (
            "beheerder",
            {"person": "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a11", "right": "DIMONA_MANDAAT_BEHEERDER"},
            422,
            "no_work_relationship",
        ),
        (
            "beheerder",
            {"person": "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a01", "right": "DIMONA_MANDAAT_BEHEERDER"},
            403,
            "own_request",
        ),
        ("beheerder", {"person": ERWIN, "right": "DIMONA_MANDAAT_RAADPLEGER"}, 409, "already_granted"),
    ],
)
def test_a_direct_grant_is_refused_in_the_contracts_order_and_stores_nothing(
    api: Api,
    table: Table,
    personas: dict[str, Persona],
    caller: str,
    body: dict[str, str],
    status: int,
    code: str,
) -> None:
    before = stored(table)
    answer = api.call("POST", f"/api/organizations/{ORG}/grants", caller=personas[caller], body=body)
    assert (answer.status, answer.code) == (status, code)
    assert stored(table) == before


# ---- revoking ------------------------------------------------------------------------------------


def test_revoke_then_revoke_again_then_ask_again_then_approve(
    api: Api, els: Persona, erwin: Persona, table: Table
) -> None:
    grant_id = a_grant_id(api, els, ERWIN, "DIMONA_MANDAAT_RAADPLEGER")
    answer = api.call(
        "POST", f"/api/grants/{grant_id}/revoke", caller=els, body={"reason": "Niet meer nodig."}
    )
    assert answer.status == 200
    assert answer.body["status"] == "revoked"
    assert answer.body["revocation"]["by"] == {"name": "Els Wouters"}
    assert answer.body["revocation"]["reason"] == "Niet meer nodig."
    # It leaves /api/me and the people list at once; it stays stored (the export shows it).
    assert grant_id not in {g["id"] for g in api.call("GET", "/api/me", caller=erwin).body["grants"]}
    assert grant_id not in {g["id"] for g in grants_of(api, els, ERWIN)}
    exported = api.call("GET", "/api/me/export", caller=erwin).body
    assert {g["id"]: g["status"] for g in exported["grants"]}[grant_id] == "revoked"
    before = stored(table)
    again = api.call("POST", f"/api/grants/{grant_id}/revoke", caller=els, body={"reason": "Nog eens."})
    assert (again.status, again.code) == (409, "already_ended")
    assert stored(table) == before
    # Erwin may ask for it again, and get it.
    filed = api.call(
        "POST",
        "/api/requests",
        caller=erwin,
        body=filing_body(right="DIMONA_MANDAAT_RAADPLEGER", email="e@x.be"),
    )
    assert filed.status == 201
    decided = api.call(
        "POST",
        f"/api/tasks/{filed.body['id']}/decision",
        caller=els,
        body={"decision": "approve", "reason": "Ok."},
    )
    assert decided.status == 200
    renewed = [g for g in grants_of(api, els, ERWIN) if g["right"]["code"] == "DIMONA_MANDAAT_RAADPLEGER"]
    assert len(renewed) == 1 and renewed[0]["id"] != grant_id and renewed[0]["status"] == "active"


def test_a_holder_gives_a_grant_up_without_a_reason(api: Api, els: Persona, erwin: Persona) -> None:
    grant_id = a_grant_id(api, els, ERWIN, "SUBSIDIE_AANVRAGER")
    answer = api.call("POST", f"/api/grants/{grant_id}/revoke", caller=erwin, body={})
    assert (answer.status, answer.body["status"], answer.body["revocation"]["reason"]) == (
        200,
        "revoked",
        None,
    )
    [entry, *_] = api.call("GET", f"/api/organizations/{ORG}/audit", caller=els).body["items"]
    assert (entry["action"], entry["by"]["name"]) == ("grant_revoked", "Erwin Hermans")


@pytest.mark.parametrize(
    ("caller", "body", "status", "code"),
    [
        ("beheerder", {}, 422, "invalid_input"),  # an administrator says why
        ("beheerder", {"reason": "   "}, 422, "invalid_input"),
        ("beheerder-andere", {"reason": "Weg."}, 404, "not_found"),  # administers another organisation
        ("aanvrager", {"reason": "Weg."}, 404, "not_found"),
        ("beheerder", {"reason": "x" * 1001}, 422, "invalid_input"),
    ],
)
def test_a_revocation_is_refused_and_stores_nothing(
    api: Api,
    els: Persona,
    table: Table,
    personas: dict[str, Persona],
    caller: str,
    body: dict[str, str],
    status: int,
    code: str,
) -> None:
    grant_id = a_grant_id(api, els, ERWIN, "SUBSIDIE_AANVRAGER")
    before = stored(table)
    answer = api.call("POST", f"/api/grants/{grant_id}/revoke", caller=personas[caller], body=body)
    assert (answer.status, answer.code) == (status, code)
    assert stored(table) == before


def test_an_unknown_grant_is_not_found(api: Api, els: Persona) -> None:
    answer = api.call("POST", "/api/grants/unknown/revoke", caller=els, body={"reason": "x"})
    assert (answer.status, answer.code) == (404, "not_found")


# ---- ending a work relationship ----------------------------------------------------------------------


def relationship_id(api: Api, caller: Persona, sub: str) -> str:
    [member] = [m for m in people(api, caller).body["items"] if m["sub"] == sub]
    return str(member["workRelationship"]["id"])


def test_ending_a_work_relationship_revokes_every_grant_there_at_once(
    api: Api, els: Persona, erwin: Persona
) -> None:
    wr = relationship_id(api, els, ERWIN)
    answer = api.call("POST", f"/api/work-relationships/{wr}/end", caller=els, body={"reason": "Uit dienst."})
    assert answer.status == 200
    assert answer.body["workRelationship"]["status"] == "ended"
    assert answer.body["workRelationship"]["end"] == clock.today().isoformat()
    assert sorted(g["right"]["code"] for g in answer.body["revokedGrants"]) == [
        "DIMONA_MANDAAT_RAADPLEGER",
        "SUBSIDIE_AANVRAGER",
    ]
    me = api.call("GET", "/api/me", caller=erwin).body
    assert (me["workRelationships"], me["grants"]) == ([], [])
    assert ERWIN not in {m["sub"] for m in people(api, els).body["items"]}
    again = api.call("POST", f"/api/work-relationships/{wr}/end", caller=els, body={"reason": "Nog eens."})
    assert (again.status, again.code) == (409, "already_ended")
    # Without a work relationship there, no direct grant.
    grant = {"person": ERWIN, "right": "DIMONA_MANDAAT_BEHEERDER"}
    refused = api.call("POST", f"/api/organizations/{ORG}/grants", caller=els, body=grant)
    assert (refused.status, refused.code) == (422, "no_work_relationship")


def test_a_person_ends_their_own_work_relationship(
    api: Api, els: Persona, personas: dict[str, Persona]
) -> None:
    from ops.load_data import Persona as P

    elodie = P(id="elodie", sub=ELODIE, given_name="Élodie", family_name="Vermeulen", description="")
    wr = relationship_id(api, els, ELODIE)
    answer = api.call("POST", f"/api/work-relationships/{wr}/end", caller=elodie, body={})
    assert (answer.status, len(answer.body["revokedGrants"])) == (200, 1)


@pytest.mark.parametrize(
    ("caller", "whose", "body", "status", "code"),
    [
        ("beheerder", "beheerder2", {"reason": "Weg."}, 409, "is_local_admin"),  # Tom administers it
        ("beheerder2", "beheerder2", {}, 409, "is_local_admin"),  # also for himself
        ("beheerder", "medewerker", {}, 422, "invalid_input"),
        ("beheerder-andere", "medewerker", {"reason": "Weg."}, 404, "not_found"),
        ("aanvrager", "medewerker", {"reason": "Weg."}, 404, "not_found"),
    ],
)
def test_ending_a_work_relationship_is_refused_and_stores_nothing(
    api: Api,
    els: Persona,
    table: Table,
    personas: dict[str, Persona],
    caller: str,
    whose: str,
    body: dict[str, str],
    status: int,
    code: str,
) -> None:
    wr = relationship_id(api, els, personas[whose].sub)
    before = stored(table)
    answer = api.call("POST", f"/api/work-relationships/{wr}/end", caller=personas[caller], body=body)
    assert (answer.status, answer.code) == (status, code)
    assert stored(table) == before


# ---- the audit trail and the export -----------------------------------------------------------------


def test_the_audit_trail_is_newest_first_in_pages_for_administrators_only(
    api: Api, els: Persona, personas: dict[str, Persona]
) -> None:
    for right in ("DIMONA_MANDAAT_RAADPLEGER", "SUBSIDIE_AANVRAGER"):
        grant_id = a_grant_id(api, els, ERWIN, right)
        api.call("POST", f"/api/grants/{grant_id}/revoke", caller=els, body={"reason": f"Weg: {right}"})
    first = api.call("GET", f"/api/organizations/{ORG}/audit", caller=els, query={"limit": "1"})
    second = api.call(
        "GET",
        f"/api/organizations/{ORG}/audit",
        caller=els,
        query={"limit": "1", "cursor": first.body["nextCursor"]},
    )
    reasons = [e["reason"] for e in first.body["items"] + second.body["items"]]
    assert reasons == ["Weg: SUBSIDIE_AANVRAGER", "Weg: DIMONA_MANDAAT_RAADPLEGER"]
    other = api.call("GET", f"/api/organizations/{OTHER_ORG}/audit", caller=els)
    assert (other.status, other.code) == (403, "forbidden")
    refused = api.call("GET", f"/api/organizations/{ORG}/audit", caller=personas["medewerker"])
    assert (refused.status, refused.code) == (403, "forbidden")


def test_the_export_is_a_download_of_everything_kept_about_the_caller(
    api: Api, els: Persona, erwin: Persona
) -> None:
    filed = api.call("POST", "/api/requests", caller=erwin, body=filing_body(email="e@x.be"))
    grant_id = a_grant_id(api, els, ERWIN, "SUBSIDIE_AANVRAGER")
    api.call("POST", f"/api/grants/{grant_id}/revoke", caller=els, body={"reason": "Weg."})
    answer = api.call("GET", "/api/me/export", caller=erwin)
    assert answer.status == 200
    assert answer.headers["Content-Disposition"].startswith(
        'attachment; filename="zelfregistratie-mijn-gegevens-'
    )
    body = answer.body
    assert (body["sub"], body["name"]) == (ERWIN, "Erwin Hermans")
    assert [r["id"] for r in body["requests"]] == [filed.body["id"]]
    assert {g["status"] for g in body["grants"]} == {"active", "revoked"}
    assert [w["organization"]["code"] for w in body["workRelationships"]] == [ORG]
    assert [(e["action"], e["by"]["name"]) for e in body["audit"]] == [("grant_revoked", "Els Wouters")]
    # Someone else's export holds none of it.
    assert api.call("GET", "/api/me/export", caller=els).body["requests"] == []


# ---- who may do what ------------------------------------------------------------------------------

# Per route, what each kind of caller gets: the holder (Erwin), an administrator of the organisation
# (Els), an administrator of another organisation (Lotte), an unrelated person (Sofie), no token.
MATRIX = {
    "people": {"holder": 403, "admin": 200, "other_admin": 403, "unrelated": 403, None: 401},
    "audit": {"holder": 403, "admin": 200, "other_admin": 403, "unrelated": 403, None: 401},
    "grant": {"holder": 403, "admin": 201, "other_admin": 403, "unrelated": 403, None: 401},
    "revoke": {"holder": 200, "admin": 200, "other_admin": 404, "unrelated": 404, None: 401},
    "end": {"holder": 200, "admin": 200, "other_admin": 404, "unrelated": 404, None: 401},
    "export": {"holder": 200, "admin": 200, "other_admin": 200, "unrelated": 200, None: 401},
}
CALLERS = {
    "holder": "medewerker",
    "admin": "beheerder",
    "other_admin": "beheerder-andere",
    "unrelated": "aanvrager",
}


@pytest.mark.parametrize(
    ("route", "who"), [(route, who) for route, answers in MATRIX.items() for who in answers]
)
def test_authorization_matrix(
    api: Api, els: Persona, personas: dict[str, Persona], route: str, who: str | None
) -> None:
    caller = personas[CALLERS[who]] if who else None
    grant_id = a_grant_id(api, els, ERWIN, "SUBSIDIE_AANVRAGER")
    wr = relationship_id(api, els, ERWIN)
    method, path, body = {
        "people": ("GET", f"/api/organizations/{ORG}/people", None),
        "audit": ("GET", f"/api/organizations/{ORG}/audit", None),
        "grant": (
            "POST",
            f"/api/organizations/{ORG}/grants",
            {"person": ELODIE, "right": "DIMONA_MANDAAT_BEHEERDER"},
        ),
        "revoke": ("POST", f"/api/grants/{grant_id}/revoke", {"reason": "Weg."}),
        "end": ("POST", f"/api/work-relationships/{wr}/end", {"reason": "Weg."}),
        "export": ("GET", "/api/me/export", None),
    }[route]
    answer = api.call(method, path, caller=caller, body=body)
    assert answer.status == MATRIX[route][who], answer.body


# ---- DynamoDB's 100 items per transaction ----------------------------------------------------------


def test_ending_a_relationship_with_more_grants_than_one_transaction_holds(
    api: Api, els: Persona, store: Store, table: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    """70 grants: two transactions revoke the 39 the last one has no room for (31, then 8), each complete
    in itself; the last revokes 31 and ends the relationship (99 items). Should one of them fail, the
    relationship is still active with the grants not yet revoked, and ending it again completes it."""
    held = [
        Grant(
            id=f"g{n:03}",
            person=ERWIN,
            person_name="Erwin Hermans",
            organization=ORG,
            right=f"RECHT_{n:03}",
            begin=date(2026, 1, 1),
            end=date(2028, 1, 1),
        )
        for n in range(70)
    ]
    relationship = store.people.work_relationship(ERWIN, ORG)
    assert relationship is not None
    store.people.load(relationship, tuple(held))
    writes: list[int] = []
    failing = [True]
    real_write = type(store.table).write

    def counting(self: Any, tx: Any) -> None:
        writes.append(len(tx.items))
        if failing[0] and len(writes) > 1:  # the first transaction goes through, every later one fails
            raise ConcurrentChange()
        real_write(self, tx)

    monkeypatch.setattr(type(store.table), "write", counting)  # the API's own store too
    path = f"/api/work-relationships/{relationship.id}/end"
    answer = api.call("POST", path, caller=els, body={"reason": "Uit dienst."})
    assert (answer.status, answer.code) == (409, "concurrent_change")
    assert all(n <= 100 for n in writes)
    member = store.people.member(relationship)
    # the first batch went through: (100 items - the ending's 6 and its 8 name entries) // 4 items
    # per revoked grant
    assert member is not None and len(member[0].grants) == 70 - 21
    assert store.people.work_relationship(ERWIN, ORG) is not None  # not half-ended: still active

    failing[0] = False
    writes.clear()
    answer = api.call("POST", path, caller=els, body={"reason": "Uit dienst."})
    assert answer.status == 200
    # the 28 left beyond the last transaction (21 and 7), then the rest with the ending and its two
    # name entries ("erwin hermans", "hermans"); these grants are of no application, so each is 3
    # items, not the 4 budgeted
    assert writes == [3 * 21 + 3, 3 * 7 + 3, 3 * 21 + 6 + 2]
    assert len(answer.body["revokedGrants"]) == 49
    assert store.people.work_relationship(ERWIN, ORG) is None and store.people.member(relationship) is None
    ours = {g.id for g in held}
    revoked = [g for g in store.people.history(ERWIN)[1] if g.id in ours]
    assert len(revoked) == 70 and all(g.revocation is not None for g in revoked)


# ---- mails ---------------------------------------------------------------------------------------


@pytest.fixture
def mailing(table: Table, demo: Any) -> tuple[Any, Stream, Outbox]:
    ses_as_deployed()
    from functions.notify import app

    stream = Stream(table)
    stream.new_records()  # the demo data load is not news
    return app, stream, Outbox(TEST_ENVIRONMENT["AWS_DEFAULT_REGION"])


def mailed(mailing: tuple[Any, Stream, Outbox]) -> list[Any]:
    """What notify sends for everything written since the last look (each mail once)."""
    notify, stream, outbox = mailing
    before = len(outbox.mails())
    assert deliver(notify, stream.new_records()) == {"batchItemFailures": []}
    return list(reversed(outbox.mails()))[before:]  # in the order sent


def test_each_change_mails_whom_it_concerns_once(
    api: Api, els: Persona, erwin: Persona, personas: dict[str, Persona], mailing: tuple[Any, Stream, Outbox]
) -> None:
    tom = personas["beheerder2"]
    granted = api.call(
        "POST",
        f"/api/organizations/{ORG}/grants",
        caller=els,
        body={"person": ELODIE, "right": "SUBSIDIE_AANVRAGER"},
    )
    assert granted.status == 201
    [mail] = mailed(mailing)
    assert (mail.to, mail.subject) == (
        ["elodie.vermeulen@zonnebloem.example"],
        "U heeft het gebruikersrecht Subsidieaanvrager gekregen voor Bakkerij De Zonnebloem BV",
    )
    assert "Els Wouters" in mail.text and "/user/profiel" in mail.text

    revoked = a_grant_id(api, els, ERWIN, "DIMONA_MANDAAT_RAADPLEGER")
    reason = "Geen <b>aangiften</b> meer."
    api.call("POST", f"/api/grants/{revoked}/revoke", caller=els, body={"reason": reason})
    [mail] = mailed(mailing)
    assert mail.to == ["erwin.hermans@zonnebloem.example"] and "herroepen" in mail.subject
    assert reason in mail.text and "&lt;b&gt;aangiften&lt;/b&gt;" in mail.html  # escaped in HTML

    given_up = a_grant_id(api, els, ERWIN, "SUBSIDIE_AANVRAGER")
    api.call("POST", f"/api/grants/{given_up}/revoke", caller=erwin, body={})
    mails = mailed(mailing)
    assert [m.to[0] for m in mails] == ["els.wouters@zonnebloem.example", "tom.jacobs@zonnebloem.example"]
    assert all("Erwin Hermans deed afstand van Subsidieaanvrager" in m.subject for m in mails)

    wr = relationship_id(api, els, ELODIE)
    api.call("POST", f"/api/work-relationships/{wr}/end", caller=tom, body={"reason": "Uit dienst."})
    [mail] = mailed(mailing)
    assert mail.to == ["elodie.vermeulen@zonnebloem.example"] and "beëindigd" in mail.subject
    assert (
        "DWSE Organisatie medewerker" in mail.text and "Subsidieaanvrager" in mail.text
    )  # both rights listed
    assert mailed(mailing) == []  # nothing twice


def test_recht_toekennen_offers_the_rights_of_the_organisations_target_group(api: Api, els: Persona) -> None:
    answer = api.call("GET", f"/api/organizations/{ORG}/rights", caller=els)
    assert answer.status == 200
    codes = [r["code"] for r in answer.body["items"]]
    assert "DIMONA_MANDAAT_LOKAAL" not in codes and "SUBSIDIE_BEHANDELAAR" not in codes  # LB, GID only
    assert {"DIMONA_MANDAAT_BEHEERDER", "DWSE_ORG_MEDEWERKER", "SUBSIDIE_AANVRAGER"} <= set(codes)
    dwse = next(r for r in answer.body["items"] if r["code"] == "DWSE_ORG_MEDEWERKER")
    assert dwse["contexts"] == ["Lokale diensteneconomie", "Sociale werkplaats"]
    refused = api.call("GET", f"/api/organizations/{OTHER_ORG}/rights", caller=els)
    assert (refused.status, refused.code) == (403, "forbidden")


def test_a_task_shows_what_the_requester_already_holds_there_and_what_the_right_allows(
    api: Api, els: Persona, erwin: Persona
) -> None:
    filed = api.call("POST", "/api/requests", caller=erwin, body=filing_body(email="e@x.be"))
    task = api.call("GET", f"/api/tasks/{filed.body['id']}", caller=els).body
    assert (
        task["rightDescription"]
        == "Doet de Dimona-aangiften van de organisatie en beheert wie ze mag inkijken."
    )
    holds = task["requesterHolds"]
    assert holds["workRelationship"]["since"] == "2024-02-01"
    assert {g["right"]["code"] for g in holds["grants"]} == {
        "DIMONA_MANDAAT_RAADPLEGER",
        "SUBSIDIE_AANVRAGER",
    }
    assert task["number"] == filed.body["number"]

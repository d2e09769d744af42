"""Appointing local administrators (issue: what an organisation needs before self-registration works)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest

from ops import appointments as ops
from ops.load_data import DataSet, Persona
from tests.api import Answer, Api
from tests.conftest import Table
from tests.factories import filing_body
from zelfregistratie.domain.audit import AuditAction
from zelfregistratie.domain.entities import AdminRole
from zelfregistratie.store.store import Store

NO_EMAIL_ORG = "0418825808"
ORG = "0428364866"
KAREL = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a09"
TOM = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a02"
ELS = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a01"


def appoint_self(api: Api, caller: Persona | None, org: str = NO_EMAIL_ORG, **body: Any) -> Answer:
    payload = {"email": "marc.dubois@example.be", "phone": "+3216000000", **body}
    return api.call("POST", f"/api/organizations/{org}/admins/self", caller=caller, body=payload)


def can_receive(api: Api, caller: Persona, org: str) -> bool:
    form = api.call("GET", "/api/registration-form", caller=caller, query={"dg": "EA", "an": "45", "oc": org})
    return bool(form.body["organization"]["canReceiveRequests"])


def test_the_legal_representative_appoints_themselves_and_the_request_goes_through(
    api: Api, personas: dict[str, Persona], store: Store
) -> None:
    sofie, marc = personas["aanvrager"], personas["vertegenwoordiger"]
    body = filing_body(organization=NO_EMAIL_ORG, email="sofie@example.be", reason=None)
    refused = api.call("POST", "/api/requests", caller=sofie, body=body)
    assert (refused.status, refused.code) == (422, "no_local_admin")
    assert not can_receive(api, sofie, NO_EMAIL_ORG)

    answer = appoint_self(api, marc)
    assert answer.status == 200
    assert answer.body == {
        "person": marc.sub,
        "name": "Marc Dubois",
        "role": "head_local_admin",
        "email": "marc.dubois@example.be",
        "phone": "+3216000000",
        "emailStatus": "ok",
    }

    assert can_receive(api, sofie, NO_EMAIL_ORG)
    assert api.call("POST", "/api/requests", caller=sofie, body=body).status == 201
    relationship = store.people.work_relationship(marc.sub, NO_EMAIL_ORG)
    assert relationship is not None and relationship.email == "marc.dubois@example.be"
    [entry] = list(reversed(store.audit.of(NO_EMAIL_ORG, 100).items))
    assert (entry.action, entry.actor, entry.person, entry.email) == (
        AuditAction.ADMIN_APPOINTED,
        marc.sub,
        marc.sub,
        "marc.dubois@example.be",
    )


@pytest.mark.parametrize("persona", ["aanvrager", "beheerder-andere"])
def test_only_the_representative_or_an_administrator_may_appoint_themselves(
    api: Api, personas: dict[str, Persona], store: Store, persona: str
) -> None:
    answer = appoint_self(api, personas[persona], org=ORG)
    assert (answer.status, answer.code) == (403, "forbidden")
    assert list(reversed(store.audit.of(ORG, 100).items)) == []


def test_a_plain_administrator_changes_their_own_address_and_stays_plain(
    api: Api, personas: dict[str, Persona], store: Store
) -> None:
    tom = personas["beheerder2"]
    answer = appoint_self(api, tom, org=ORG, email="tom.werkt@zonnebloem.example")
    assert answer.status == 200
    assert (answer.body["role"], answer.body["email"]) == ("local_admin", "tom.werkt@zonnebloem.example")
    [entry] = list(reversed(store.audit.of(ORG, 100).items))
    assert (entry.action, entry.previous_email) == (
        AuditAction.ADMIN_EMAIL_CHANGED,
        "tom.jacobs@zonnebloem.example",
    )
    # only his own: he still cannot appoint or change anyone else
    els = {"person": personas["beheerder"].sub, "role": "local_admin", "email": "els@elders.example"}
    refused = api.call("POST", f"/api/organizations/{ORG}/admins", caller=tom, body=els)
    assert (refused.status, refused.code) == (403, "forbidden")


def test_a_representative_of_another_organisation_may_not(api: Api, personas: dict[str, Persona]) -> None:
    assert appoint_self(api, personas["vertegenwoordiger"], org=ORG).code == "forbidden"


def test_a_head_changes_their_own_email(api: Api, personas: dict[str, Persona], store: Store) -> None:
    answer = appoint_self(api, personas["beheerder"], org=ORG, email="els.nieuw@zonnebloem.example")
    assert answer.status == 200
    [entry] = list(reversed(store.audit.of(ORG, 100).items))
    assert (entry.action, entry.email, entry.previous_email) == (
        AuditAction.ADMIN_EMAIL_CHANGED,
        "els.nieuw@zonnebloem.example",
        "els.wouters@zonnebloem.example",
    )
    found = store.catalog.organization_with_admins(ORG)
    assert found.organization is not None and found.organization.reachable_admins == 2


def test_a_head_changing_a_colleagues_address_is_an_address_change_the_old_address_hears_of(
    api: Api, personas: dict[str, Persona], store: Store
) -> None:
    from zelfregistratie.domain.periods import Periods
    from zelfregistratie.mail.compose import Site, mails_for_audit

    els, tom = personas["beheerder"], personas["beheerder2"]
    body = {"person": tom.sub, "role": "local_admin", "email": "tom.elders@example.be"}
    answer = api.call("POST", f"/api/organizations/{ORG}/admins", caller=els, body=body)
    assert answer.status == 200  # not a new appointment
    [entry] = list(reversed(store.audit.of(ORG, 100).items))
    assert (entry.action, entry.email, entry.previous_email) == (
        AuditAction.ADMIN_EMAIL_CHANGED,
        "tom.elders@example.be",
        "tom.jacobs@zonnebloem.example",
    )
    [notice] = mails_for_audit(entry, Site("https://zelfregistratie.example", Periods()))
    assert notice.to == "tom.jacobs@zonnebloem.example"  # the previous address, never the new one
    assert "door Els Wouters" in notice.text and "contact op met Els Wouters" in notice.text
    assert "U bent" not in notice.subject

    # the same again changes nothing and tells nobody
    again = api.call("POST", f"/api/organizations/{ORG}/admins", caller=els, body=body)
    assert again.status == 200
    assert len(store.audit.of(ORG, 100).items) == 1


def test_a_heads_own_address_change_does_not_send_her_to_herself(
    api: Api, personas: dict[str, Persona], store: Store
) -> None:
    from zelfregistratie.domain.periods import Periods
    from zelfregistratie.mail.compose import Site, mails_for_audit

    assert (
        appoint_self(api, personas["beheerder"], org=ORG, email="els.nieuw@zonnebloem.example").status == 200
    )
    [entry] = list(reversed(store.audit.of(ORG, 100).items))
    [notice] = mails_for_audit(entry, Site("https://zelfregistratie.example", Periods()))
    assert notice.to == "els.wouters@zonnebloem.example"
    assert "hoofd lokale beheerder van de organisatie" not in notice.text and "1700" in notice.text


def test_bad_contact_details_are_invalid_input(api: Api, personas: dict[str, Persona]) -> None:
    answer = appoint_self(api, personas["vertegenwoordiger"], email="a@b.be\r\nBcc: x@y.be", phone="0")
    assert (answer.status, answer.code) == (422, "invalid_input")
    assert set(answer.field_errors()) == {"email", "phone"}


def test_a_head_appoints_someone_with_a_work_relationship(
    api: Api, personas: dict[str, Persona], store: Store
) -> None:
    # Lotte is head of 0415327175; give Sofie a work relationship there first, by ops.
    from zelfregistratie.domain.rights import WorkRelationship

    sofie = personas["aanvrager"]
    store.people.load(
        WorkRelationship(
            person=sofie.sub,
            person_name="Sofie Peeters",
            organization="0415327175",
            email="sofie@vzw.example",
            since=date(2026, 1, 1),
        ),
        (),
    )
    answer = api.call(
        "POST",
        "/api/organizations/0415327175/admins",
        caller=personas["beheerder-andere"],
        body={"person": sofie.sub, "role": "local_admin"},
    )
    assert answer.status == 201
    assert (answer.body["name"], answer.body["email"]) == ("Sofie Peeters", "sofie@vzw.example")
    found = store.catalog.organization_with_admins("0415327175")
    assert found.organization is not None and found.organization.reachable_admins == 2


def test_appointing_someone_without_a_work_relationship_is_refused(
    api: Api, personas: dict[str, Persona]
) -> None:
    answer = api.call(
        "POST",
        f"/api/organizations/{ORG}/admins",
        caller=personas["beheerder"],
        body={"person": personas["aanvrager"].sub},
    )
    assert (answer.status, answer.code) == (422, "invalid_input")
    assert "werkrelatie" in answer.field_errors()["person"]


def test_a_plain_administrator_cannot_appoint_or_remove(api: Api, personas: dict[str, Persona]) -> None:
    tom = personas["beheerder2"]
    assert (
        api.call("POST", f"/api/organizations/{ORG}/admins", caller=tom, body={"person": ELS}).code
        == "forbidden"
    )
    assert api.call("DELETE", f"/api/organizations/{ORG}/admins/{ELS}", caller=tom).code == "forbidden"


def test_removing_an_administrator(api: Api, personas: dict[str, Persona], store: Store) -> None:
    answer = api.call("DELETE", f"/api/organizations/{ORG}/admins/{TOM}", caller=personas["beheerder"])
    assert answer.status == 204
    assert store.admins.get(ORG, TOM) is None
    found = store.catalog.organization_with_admins(ORG)
    assert found.organization is not None and found.organization.reachable_admins == 1
    [entry] = list(reversed(store.audit.of(ORG, 100).items))
    assert (entry.action, entry.person, entry.email) == (
        AuditAction.ADMIN_REMOVED,
        TOM,
        "tom.jacobs@zonnebloem.example",
    )


def test_the_last_administrator_with_an_email_goes_only_with_confirmation(
    api: Api, personas: dict[str, Persona], store: Store
) -> None:
    lotte = personas["beheerder-andere"]
    path = f"/api/organizations/0415327175/admins/{lotte.sub}"
    refused = api.call("DELETE", path, caller=lotte)
    assert (refused.status, refused.code) == (409, "last_reachable_admin")
    assert "zelfregistratie" in refused.body["detail"]
    assert store.admins.get("0415327175", lotte.sub) is not None
    assert api.call("DELETE", path, caller=lotte, query={"confirm": "true"}).status == 204
    assert not can_receive(api, personas["aanvrager"], "0415327175")


def test_the_handover_of_the_seed_new_head_appoints_themselves_then_removes_the_old_one(
    api: Api, personas: dict[str, Persona], store: Store
) -> None:
    marc = personas["vertegenwoordiger"]
    assert appoint_self(api, marc).status == 200
    assert api.call("DELETE", f"/api/organizations/{NO_EMAIL_ORG}/admins/{KAREL}", caller=marc).status == 204
    found = store.catalog.organization_with_admins(NO_EMAIL_ORG)
    assert [(a.name, a.role) for a in found.admins] == [("Marc Dubois", AdminRole.HEAD)]
    assert [e.action for e in list(reversed(store.audit.of(NO_EMAIL_ORG, 100).items))] == [
        AuditAction.ADMIN_APPOINTED,
        AuditAction.ADMIN_REMOVED,
    ]


def test_two_removals_at_once_never_take_the_last_two_reachable_administrators(
    api: Api, personas: dict[str, Persona], store: Store
) -> None:
    els = personas["beheerder"]
    barrier = threading.Barrier(2)
    answers: list[Answer] = []

    def remove(sub: str) -> None:
        barrier.wait()
        answers.append(api.call("DELETE", f"/api/organizations/{ORG}/admins/{sub}", caller=els))

    threads = [threading.Thread(target=remove, args=(sub,)) for sub in (ELS, TOM)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One wins. The other either read too late (Els is no longer head: 403) or raced the write and
    # met the condition on the organisation's count (409): never both.
    statuses = sorted(a.status for a in answers)
    assert statuses[0] == 204 and statuses[1] in (403, 409)
    found = store.catalog.organization_with_admins(ORG)
    assert found.organization is not None and found.organization.reachable_admins == 1
    assert len(found.reachable_admins) == 1


def test_administrators_see_their_colleagues_with_contact_details(
    api: Api, personas: dict[str, Persona]
) -> None:
    answer = api.call("GET", f"/api/organizations/{ORG}/admins", caller=personas["beheerder2"])
    assert answer.status == 200
    assert [(a["name"], a["role"], a["email"]) for a in answer.body["admins"]] == [
        ("Els Wouters", "head_local_admin", "els.wouters@zonnebloem.example"),
        ("Tom Jacobs", "local_admin", "tom.jacobs@zonnebloem.example"),
    ]
    assert answer.body["canReceiveRequests"] is True
    assert {c["name"] for c in answer.body["candidates"]} == {
        "Els Wouters",
        "Tom Jacobs",
        "Erwin Hermans",
        "Élodie Vermeulen",
    }


MATRIX = {
    # route: requester, head administrator of the organisation, administrator of another one, no token
    ("GET", f"/api/organizations/{ORG}/admins"): [403, 200, 403, 401],
    ("POST", f"/api/organizations/{ORG}/admins/self"): [403, 200, 403, 401],
    # Tom administers it already: an unchanged appointment
    ("POST", f"/api/organizations/{ORG}/admins"): [403, 200, 403, 401],
    ("DELETE", f"/api/organizations/{ORG}/admins/{TOM}"): [403, 204, 403, 401],
}


@pytest.mark.parametrize(("route", "expected"), list(MATRIX.items()), ids=[f"{m} {p}" for m, p in MATRIX])
def test_authorization_matrix(
    route: tuple[str, str], expected: list[int], personas: dict[str, Persona], demo: DataSet, table: Table
) -> None:
    method, path = route
    api = Api()  # each call reaches the function template.yaml routes it to
    callers = [personas["aanvrager"], personas["beheerder"], personas["beheerder-andere"], None]
    bodies = {
        "/admins/self": {"email": "x@example.be", "phone": "+3212345678"},
        "/admins": {"person": TOM, "role": "local_admin"},
    }
    body = (
        next((b for suffix, b in bodies.items() if path.endswith(suffix)), None) if method == "POST" else None
    )
    statuses = [api.call(method, path, caller=caller, body=body).status for caller in callers]
    assert statuses == expected


def test_ops_appoints_and_removes_for_a_government_organisation(
    table: Table, demo: DataSet, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--table", table.name, "--org", "OVO000123", "--person", "ann-sub", "--by", "Jan (helpdesk)"]
    assert (
        ops.main(
            [
                "appoint",
                *args,
                "--name",
                "Ann Peeters",
                "--email",
                "ann@vlaanderen.example",
                "--role",
                "head_local_admin",
            ],
            store,
        )
        == 0
    )
    admin = store.admins.get("OVO000123", "ann-sub")
    assert admin is not None and admin.role is AdminRole.HEAD
    assert store.people.work_relationship("ann-sub", "OVO000123") is not None
    assert ops.main(["remove", *args], store) == 0
    assert store.admins.get("OVO000123", "ann-sub") is None
    assert [(e.action, e.actor) for e in list(reversed(store.audit.of("OVO000123", 100).items))] == [
        (AuditAction.ADMIN_APPOINTED, "ops:Jan (helpdesk)"),
        (AuditAction.ADMIN_REMOVED, "ops:Jan (helpdesk)"),
    ]


def test_ops_refuses_to_remove_the_last_reachable_administrator_unconfirmed(
    table: Table, demo: DataSet, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["remove", "--table", table.name, "--org", "OVO000123", "--person", ELS, "--by", "Jan"]
    assert ops.main(args, store) == 1
    assert "laatste lokale beheerder" in capsys.readouterr().err
    assert ops.main([*args, "--confirm"], store) == 0


def test_the_count_condition_refuses_a_change_made_from_a_stale_read(store: Store, demo: DataSet) -> None:
    """Two removals decided on the same read (both saw two reachable administrators)."""
    from datetime import UTC, datetime

    from zelfregistratie.domain.audit import AuditEntry
    from zelfregistratie.domain.errors import LastReachableAdmin
    from zelfregistratie.store.admins import AdminChange

    organization, found = store.catalog.known_organization(ORG)
    now = datetime.now(UTC)

    def removal(admin_sub: str) -> None:
        admin = next(a for a in found.admins if a.person == admin_sub)
        entry = AuditEntry(
            id=admin_sub,
            organization=ORG,
            at=now,
            action=AuditAction.ADMIN_REMOVED,
            actor=ELS,
            actor_name="Els Wouters",
            person=admin.person,
            person_name=admin.name,
        )
        store.admins.save(AdminChange(entry, removed=admin, keep_one_reachable=True))

    removal(TOM)
    with pytest.raises(LastReachableAdmin):
        removal(ELS)
    assert store.admins.get(ORG, ELS) is not None
    assert organization.reachable_admins == 2  # the stale read
    assert store.catalog.known_organization(ORG)[0].reachable_admins == 1

"""Managing rights over HTTP on a running stack, the way an administrator and an employee walk it, with
the refusals in between: each refusal mails nobody, and each change after one still mails."""

from __future__ import annotations

from typing import Any

import httpx

from tests.stack.conftest import Stack
from tests.stack.test_local_stack import bearer, login
from tests.stack.test_refusals import Outbox
from tests.stack.test_unreachable import eventually

ORG = "0428364866"
ERWIN_WORK = "erwin.hermans@zonnebloem.example"
ERWIN_REQUEST = "erwin@example.be"
ELODIE_WORK = "elodie.vermeulen@zonnebloem.example"
ELS, TOM = "els.wouters@zonnebloem.example", "tom.jacobs@zonnebloem.example"


def refused(response: httpx.Response, status: int, code: str) -> None:
    assert (response.status_code, response.json()["code"]) == (status, code), response.text


def member(api: str, headers: dict[str, str], name: str) -> dict[str, Any]:
    found = httpx.get(f"{api}/organizations/{ORG}/people", headers=headers, params={"q": name}).json()[
        "items"
    ]
    [one] = found
    return dict(one)


def test_revoke_refuse_ask_again_approve_give_up_end_each_mailed_once(stack: Stack) -> None:
    outbox = Outbox(stack)
    els, tom = bearer(login(stack, "beheerder")), bearer(login(stack, "beheerder2"))
    erwin = bearer(login(stack, "medewerker"))
    api = f"{stack.base}/api"

    # Els revokes Erwin's Dimona raadpleger with a reason: Erwin hears it, with the reason.
    grants = {g["right"]["code"]: g["id"] for g in member(api, els, "Erwin")["grants"]}
    raadpleger = grants["DIMONA_MANDAAT_RAADPLEGER"]
    revoked = httpx.post(
        f"{api}/grants/{raadpleger}/revoke", headers=els, json={"reason": "Geen aangiften meer."}
    )
    assert revoked.status_code == 200, revoked.text
    outbox.expect((ERWIN_WORK, "Geen aangiften meer."))

    # Again: refused, nobody mailed.
    refused(
        httpx.post(f"{api}/grants/{raadpleger}/revoke", headers=els, json={"reason": "Nog eens."}),
        409,
        "already_ended",
    )
    outbox.expect_none()

    # Erwin asks for it again: accepted, he and both administrators are mailed; Els approves.
    body = {
        "type": "user_right",
        "targetGroup": "EA",
        "organization": ORG,
        "application": 45,
        "right": "DIMONA_MANDAAT_RAADPLEGER",
        "phone": "+3216123431",
        "email": ERWIN_REQUEST,
    }
    filed = httpx.post(f"{api}/requests", headers=erwin, json=body)
    assert filed.status_code == 201, filed.text
    outbox.expect((ERWIN_REQUEST, "ontvangen"), (ELS, filed.json()["id"]), (TOM, filed.json()["id"]))
    decision = {"decision": "approve", "reason": "Toch weer nodig."}
    assert (
        httpx.post(f"{api}/tasks/{filed.json()['id']}/decision", headers=els, json=decision).status_code
        == 200
    )
    outbox.expect((ERWIN_REQUEST, "goedgekeurd"), (TOM, "behandeld"))
    assert "DIMONA_MANDAAT_RAADPLEGER" in {g["right"]["code"] for g in member(api, els, "Erwin")["grants"]}

    # Erwin gives up his Subsidieaanvrager: both administrators hear it.
    given_up = httpx.post(f"{api}/grants/{grants['SUBSIDIE_AANVRAGER']}/revoke", headers=erwin, json={})
    assert given_up.status_code == 200, given_up.text
    outbox.expect((ELS, "deed afstand"), (TOM, "deed afstand"))

    # Ending: Tom's own relationship is refused (he administers the organisation); Élodie's is ended.
    refused(
        httpx.post(
            f"{api}/work-relationships/{member(api, els, 'Tom')['workRelationship']['id']}/end",
            headers=els,
            json={"reason": "x"},
        ),
        409,
        "is_local_admin",
    )
    elodie = member(api, els, "elodie")["workRelationship"]["id"]
    ended = httpx.post(f"{api}/work-relationships/{elodie}/end", headers=tom, json={"reason": "Uit dienst."})
    assert ended.status_code == 200, ended.text
    outbox.expect((ELODIE_WORK, "DWSE Organisatie medewerker"))
    refused(
        httpx.post(f"{api}/work-relationships/{elodie}/end", headers=tom, json={"reason": "x"}),
        409,
        "already_ended",
    )
    outbox.expect_none()

    # After all of it, a direct grant still mails within seconds.
    direct = {"person": member(api, els, "Erwin")["sub"], "right": "SUBSIDIE_AANVRAGER"}
    assert httpx.post(f"{api}/organizations/{ORG}/grants", headers=els, json=direct).status_code == 201
    outbox.expect((ERWIN_WORK, "gekregen"))


def test_an_appointed_administrator_finds_the_open_tasks_decides_one_and_loses_them_when_removed(
    stack: Stack,
) -> None:
    """The hand-over runs from the stream, after the appointment answered: the new administrator's
    list fills within a minute (here, within the poller's next rounds)."""
    els, sofie = bearer(login(stack, "beheerder")), bearer(login(stack, "aanvrager"))
    erwin = bearer(login(stack, "medewerker"))
    api = f"{stack.base}/api"
    body = {
        "type": "user_right",
        "targetGroup": "EA",
        "organization": ORG,
        "application": 45,
        "right": "DIMONA_MANDAAT_RAADPLEGER",
        "phone": "+3212345678",
        "email": "sofie@example.be",
    }
    filed = httpx.post(f"{api}/requests", headers=sofie, json=body)
    assert filed.status_code == 201, filed.text
    refused(httpx.get(f"{api}/tasks", headers=erwin), 403, "forbidden")

    erwin_sub = httpx.get(f"{api}/me", headers=erwin).json()["sub"]
    appointment = {"person": erwin_sub, "role": "local_admin", "email": ERWIN_WORK}
    appointed = httpx.post(f"{api}/organizations/{ORG}/admins", headers=els, json=appointment)
    assert appointed.status_code == 201, appointed.text

    def open_tasks() -> list[str]:
        return [t["id"] for t in httpx.get(f"{api}/tasks", headers=erwin).json()["items"]]

    eventually(stack, lambda: filed.json()["id"] in open_tasks())
    decision = {"decision": "approve", "reason": "Welkom."}
    decided = httpx.post(f"{api}/tasks/{filed.json()['id']}/decision", headers=erwin, json=decision)
    assert decided.status_code == 200, decided.text
    assert filed.json()["id"] not in open_tasks()

    removed = httpx.delete(f"{api}/organizations/{ORG}/admins/{appointment['person']}", headers=els)
    assert removed.status_code == 204, removed.text
    refused(httpx.get(f"{api}/tasks", headers=erwin), 403, "forbidden")
    closed = httpx.get(f"{api}/tasks", headers=els, params={"status": "closed"}).json()["items"]
    assert filed.json()["id"] in [t["id"] for t in closed]

"""An administrator who cannot be reached (PRODUCT.md §11), over HTTP on a running stack, through the
SES mailbox simulator: the bounce reaches the same handler as SES's events in AWS, the organisation
refuses filings, a new address makes it reachable again, and the next mail arrives."""

from __future__ import annotations

import time

import httpx

from tests.factories import filing_body
from tests.stack.conftest import Stack
from tests.stack.test_local_stack import bearer, login

ORG = "0418825808"  # its only administrator has no e-mail address
BOUNCE = "bounce@simulator.amazonses.com"


def eventually(check: object, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "not within seconds"
        time.sleep(0.2)


def test_bounce_refused_filing_new_address_accepted_filing_the_mail_arrives(stack: Stack) -> None:
    marc, sofie = bearer(login(stack, "vertegenwoordiger")), bearer(login(stack, "aanvrager"))
    api = f"{stack.base}/api"
    body = filing_body(organization=ORG, email="sofie@example.be")

    # Marc becomes the organisation's administrator with the simulator's bouncing address: the mail
    # that tells him so bounces, and SES's event marks the address
    appointed = httpx.post(
        f"{api}/organizations/{ORG}/admins/self", headers=marc, json={"email": BOUNCE, "phone": "+3216000000"}
    )
    assert appointed.status_code == 200, appointed.text

    def status() -> str:
        admins = httpx.get(f"{api}/organizations/{ORG}/admins", headers=marc).json()["admins"]
        return str(next(a["emailStatus"] for a in admins if a["email"] == BOUNCE))

    eventually(lambda: status() == "bounced")
    organization = httpx.get(f"{api}/organizations/{ORG}", headers=sofie).json()
    assert [a["reachable"] for a in organization["localAdmins"] if a["name"] == "Marc Dubois"] == [False]
    refused = httpx.post(f"{api}/requests", headers=sofie, json=body)
    assert (refused.status_code, refused.json()["code"]) == (422, "no_local_admin")

    # a working address: reachable again, the filing goes through, and its mail reaches Marc
    saved = httpx.post(
        f"{api}/organizations/{ORG}/admins/self",
        headers=marc,
        json={"email": "marc@duik.example", "phone": "+3216000000"},
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["emailStatus"] == "ok"
    filed = httpx.post(f"{api}/requests", headers=sofie, json=body)
    assert filed.status_code == 201, filed.text

    def arrived() -> bool:
        mails = httpx.get(f"{stack.base}/dev/outbox.json").json()
        return any(m["to"] == ["marc@duik.example"] and filed.json()["id"] in m["text"] for m in mails)

    eventually(arrived)

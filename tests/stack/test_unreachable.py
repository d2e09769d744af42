"""An administrator who cannot be reached (docs/unreachable-administrators.md), over HTTP on a running stack,
through the SES mailbox simulator: the bounce reaches the same handler as SES's events in AWS, the
organisation refuses filings, a new address makes it reachable again, and the next mail arrives; a filing
whose administrator mails all bounce tells its requester. The demo's unreachable organisation in the
browser."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from playwright.sync_api import Browser, expect

from tests.factories import filing_body
from tests.stack.conftest import Stack, settled
from tests.stack.test_local_stack import bearer, login
from tests.stack.test_pages import browser, open_signed_in, serious_violations

__all__ = ["browser"]  # the module-scoped chromium of the page tests

ORG = "0418825808"  # its only administrator has no e-mail address
BOUNCE = "bounce@simulator.amazonses.com"
UNREACHABLE = "0412345614"  # the demo's organisation whose only administrator's address bounced


def eventually(stack: Stack, check: Callable[[], object]) -> None:
    """Once the stream is quiet, `check` holds: what the test did has had all its effects."""
    settled(stack)
    assert check()


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

    eventually(stack, lambda: status() == "bounced")
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

    eventually(stack, arrived)

    # Marc saves the bouncing address again: it counts as working until SES says otherwise. Jonas
    # files; the one administrator mail bounces, and Jonas hears his request reached nobody.
    again = httpx.post(
        f"{api}/organizations/{ORG}/admins/self", headers=marc, json={"email": BOUNCE, "phone": "+3216000000"}
    )
    assert again.status_code == 200 and again.json()["emailStatus"] == "ok", again.text
    jonas = bearer(login(stack, "aanvrager2"))
    second = httpx.post(
        f"{api}/requests", headers=jonas, json=filing_body(organization=ORG, email="jonas@example.be")
    )
    assert second.status_code == 201, second.text

    def told() -> list[dict[str, object]]:
        mails = httpx.get(f"{stack.base}/dev/outbox.json").json()
        return [
            m for m in mails if m["to"] == ["jonas@example.be"] and "geen beheerder bereikt" in m["subject"]
        ]

    eventually(stack, told)
    [notice] = told()
    assert f"{stack.base}/hulp/lokale-beheerder" in str(notice["text"])
    assert BOUNCE not in str(notice["text"]) and "marc@duik.example" not in str(notice["text"])
    assert status() == "bounced"
    assert httpx.get(f"{api}/requests/{second.json()['id']}", headers=jonas).json()["status"] == "pending"


def test_the_demo_s_unreachable_organisation_in_the_browser(browser: Browser, stack: Stack) -> None:
    """The request form says mails to its administrator fail; she sees it on /beheer/organisatie,
    saves a working address, and the form opens."""
    link = f"/user/aanvraag?dg=EA&an=45&oc={UNREACHABLE}"
    requester = browser.new_context(base_url=stack.base, locale="nl-BE")
    page = open_signed_in(requester, link, "Jonas Maes")
    expect(page.get_by_text("Deze organisatie kan nu geen aanvragen ontvangen")).to_be_visible()
    expect(page.get_by_text("het e-mailadres werkt niet", exact=False)).to_be_visible()
    expect(page.get_by_text("Lokale beheerder: Ruth Verhaegen", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Verder")).to_have_count(0)
    assert BOUNCE not in page.content()  # requesters learn `reachable: false`, nothing more

    administrator = browser.new_context(base_url=stack.base, locale="nl-BE")
    ruth = open_signed_in(administrator, "/beheer/organisatie", "Ruth Verhaegen")
    section = ruth.get_by_role("region", name=re.compile("Fietsatelier Omweg Demo"))
    expect(
        section.get_by_text("de e-mailadressen van haar beheerders werken niet", exact=False)
    ).to_be_visible()
    expect(
        section.get_by_role("heading", name=f"Uw e-mailadres {BOUNCE} werkt niet: mails komen niet aan.")
    ).to_be_visible()
    expect(section.get_by_role("cell", name=re.compile("werkt niet: mails komen niet aan"))).to_be_visible()
    assert serious_violations(ruth) == []
    section.get_by_label("Uw e-mailadres").fill("ruth@omweg.example")
    section.get_by_role("button", name="Wijzig mijn gegevens").click()
    expect(ruth.get_by_role("heading", name="Uw e-mailadres is opgeslagen.")).to_be_visible()
    section = ruth.get_by_role("region", name=re.compile("Fietsatelier Omweg Demo"))
    expect(section.get_by_text("Deze organisatie kan zelfregistratie-aanvragen ontvangen.")).to_be_visible()
    expect(section.get_by_text("werkt niet", exact=False)).to_have_count(0)

    page.reload()
    expect(page.get_by_role("button", name="Verder")).to_be_visible()
    requester.close()
    administrator.close()

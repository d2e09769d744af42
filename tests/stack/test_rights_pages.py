"""The two pages of managing rights in chromium: /beheer/personen (search, revoke with a reason in a
dialog, checked through the outbox) and /user/profiel (export download, giving a grant up); each
without serious accessibility findings, by keyboard, and at 390 px wide."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.stack.conftest import Stack, settled
from tests.stack.test_first_user import file_once
from tests.stack.test_pages import browser, open_signed_in, serious_violations, sized

__all__ = ["browser", "sized"]  # the module-scoped chromium, and a context at 1280 and at 390 px


@pytest.fixture
def context(browser: Browser, stack: Stack) -> Iterator[BrowserContext]:
    created = browser.new_context(base_url=stack.base, locale="nl-BE", accept_downloads=True)
    yield created
    created.close()


def mail_to(stack: Stack, recipient: str, text: str) -> dict[str, str]:
    settled(stack)
    for mail in httpx.get(f"{stack.base}/dev/outbox.json").json():
        if mail["to"] == [recipient] and text in mail["text"]:
            return dict(mail)
    raise AssertionError(f"no mail to {recipient} with {text!r}")


def fits(page: Page, width: int) -> bool:
    return bool(page.evaluate(f"document.documentElement.scrollWidth <= {width}"))


def test_an_administrator_searches_then_revokes_with_a_reason(context: BrowserContext, stack: Stack) -> None:
    page = open_signed_in(context, "/beheer/personen", "Els Wouters")
    expect(page.get_by_role("heading", name="Personen", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Élodie Vermeulen", exact=True)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Zoek een persoon op naam").fill("ERW")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("status").filter(has_text="1 persoon")).to_be_visible()
    page.get_by_role("button", name="Herroepen (Dimona raadpleger van Erwin Hermans)").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    assert serious_violations(page) == []
    dialog.get_by_role("button", name="Herroepen").click()  # without a reason: not sent
    expect(dialog.get_by_text("Geef een reden.")).to_be_visible()
    dialog.get_by_label("Reden").fill("Doet geen <aangiften> meer.")
    dialog.get_by_role("button", name="Herroepen").click()
    expect(page.get_by_role("status").filter(has_text="is herroepen")).to_be_visible()
    expect(page.get_by_text(re.compile("Dimona raadpleger — tot en met"))).to_have_count(0)
    mail = mail_to(stack, "erwin.hermans@zonnebloem.example", "Doet geen <aangiften> meer.")
    assert "herroepen" in mail["subject"]


def test_the_dialog_is_answered_by_keyboard_and_escape_cancels(context: BrowserContext, stack: Stack) -> None:
    page = open_signed_in(context, "/beheer/personen", "Els Wouters")
    opener = page.get_by_role("button", name="Werkrelatie beëindigen (Élodie Vermeulen)")
    opener.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_label("Reden")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(opener).to_be_focused()  # focus returns where it was
    expect(page.get_by_role("cell", name="Élodie Vermeulen", exact=True)).to_be_visible()  # nothing ended


def test_the_profile_downloads_everything_kept_and_gives_a_grant_up(
    context: BrowserContext, stack: Stack
) -> None:
    page = open_signed_in(context, "/user/profiel", "Erwin Hermans")
    expect(page.get_by_role("heading", name="Mijn profiel")).to_be_visible()
    expect(page.get_by_text("Els Wouters, hoofd lokale beheerder")).to_be_visible()
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Download mijn gegevens").click()
    assert download.value.suggested_filename.startswith("zelfregistratie-mijn-gegevens-")
    path = download.value.path()
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["name"] == "Erwin Hermans"
    assert {g["right"]["code"] for g in exported["grants"]} >= {"SUBSIDIE_AANVRAGER"}
    page.get_by_role("button", name="Afstand doen (Subsidieaanvrager)").click()
    page.get_by_role("dialog").get_by_role("button", name="Afstand doen").click()
    expect(page.get_by_role("status").filter(has_text="afstand van Subsidieaanvrager")).to_be_visible()
    expect(page.get_by_role("button", name="Afstand doen (Subsidieaanvrager)")).to_have_count(0)
    mail_to(stack, "els.wouters@zonnebloem.example", "Subsidieaanvrager")


@pytest.mark.parametrize(
    ("path", "persona"), [("/beheer/personen", "Els Wouters"), ("/user/profiel", "Erwin Hermans")]
)
def test_both_pages_fit_a_phone(browser: Browser, stack: Stack, path: str, persona: str) -> None:
    phone = browser.new_context(base_url=stack.base, locale="nl-BE", viewport={"width": 390, "height": 844})
    page = open_signed_in(phone, path, persona)
    expect(page.locator("main h1")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn profiel")
    ).to_be_visible()
    assert fits(page, 390)
    assert serious_violations(page) == []
    phone.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_task_page_shows_what_the_requester_already_holds(
    browser: Browser, stack: Stack, width: int
) -> None:
    size: ViewportSize = {"width": width, "height": 900}
    employee = browser.new_context(base_url=stack.base, locale="nl-BE", viewport=size)
    link = "/user/aanvraag?an=45&dg=EA&oc=0428364866&ec=DIMONA_MANDAAT_BEHEERDER"
    page = open_signed_in(employee, link, "Erwin Hermans")
    page.get_by_label("Uw telefoonnummer (bv. +3212345678):").fill("0470 12 34 56")
    page.get_by_label("Uw e-mailadres:").fill("erwin@example.be")
    file_once(page)  # filed once: the second width finds it pending
    employee.close()
    admin = browser.new_context(base_url=stack.base, locale="nl-BE", viewport=size)
    tasks = open_signed_in(admin, "/beheer/taken", "Els Wouters")
    tasks.get_by_role("row", name=re.compile("Erwin Hermans")).first.get_by_role(
        "link", name=re.compile("Details")
    ).click()
    holds = tasks.get_by_role("region", name=re.compile("Wat Erwin Hermans al heeft"))
    expect(holds).to_contain_text("Werkrelatie sinds 01/02/2024")
    expect(tasks.get_by_text("Doet de Dimona-aangiften van de organisatie")).to_be_visible()
    assert serious_violations(tasks) == []
    admin.close()


def test_an_administrators_work_relationship_offers_no_end_and_says_why(
    sized: BrowserContext, stack: Stack
) -> None:
    page = open_signed_in(sized, "/beheer/personen", "Els Wouters")
    tom = page.get_by_role("row").filter(has_text="Tom Jacobs")
    expect(tom.get_by_text("Tom Jacobs is lokale beheerder")).to_be_visible()
    expect(tom.get_by_role("button", name=re.compile("Werkrelatie beëindigen"))).to_have_count(0)
    expect(tom.get_by_role("link", name="Naar Beheerders")).to_have_attribute("href", "/beheer/organisatie")
    own = page.get_by_role("row").filter(has_text="Els Wouters")
    expect(own.get_by_role("button", name=re.compile("Werkrelatie beëindigen"))).to_have_count(0)
    erwin = page.get_by_role("row").filter(has_text="Erwin Hermans")
    expect(erwin.get_by_role("button", name=re.compile("Werkrelatie beëindigen"))).to_be_visible()
    assert serious_violations(page) == []

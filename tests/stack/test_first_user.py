"""The pages as a first user meets them (issue #14), in chromium at 1280 and at 390 px wide: Back and
reload, the checks before "Bevestigen", refusals that link on, an error summary that names its
fields, signing out, and menus by role."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.stack.conftest import Stack, settled
from tests.stack.test_pages import SEED_LINK, browser, serious_violations, sign_in_as

__all__ = ["browser"]


@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def width(request: pytest.FixtureRequest) -> int:
    return int(request.param)


@pytest.fixture
def context(width: int, browser: Browser, stack: Stack) -> Iterator[BrowserContext]:
    created = browser.new_context(
        base_url=stack.base, locale="nl-BE", viewport={"width": width, "height": 900}
    )
    yield created
    created.close()


def signed_in_form(context: BrowserContext, persona: str, came_from: str = "/hulp/lokale-beheerder") -> Page:
    page = context.new_page()
    page.goto(came_from)
    page.goto(SEED_LINK)
    sign_in_as(page, persona)
    expect(page.get_by_role("button", name="Verder")).to_be_visible()
    return page


def fill(page: Page, phone: str = "0470 12 34 56", email: str = "jonas.first@example.be") -> None:
    page.get_by_label("U wenst het gebruikersrecht:").select_option(label="Dimona raadpleger")
    page.get_by_label("Uw telefoonnummer (bv. +3212345678):").fill(phone)
    page.get_by_label("Uw e-mailadres:").fill(email)


def file_once(page: Page) -> None:
    """Verder, then Bevestigen; a module's stack keeps its data, so a second width finds the request
    pending and is refused before Bevestigen."""
    page.get_by_role("button", name="Verder").click()
    confirm = page.get_by_role("button", name="Bevestigen")
    refused = page.get_by_role("heading", name="U heeft deze aanvraag al ingediend.", level=1)
    expect(confirm.or_(refused)).to_be_visible()
    if confirm.count():
        confirm.click()
        expect(page.get_by_role("heading", name="Uw aanvraag is verstuurd")).to_be_visible()


def test_no_sign_in_step_stays_in_the_history(context: BrowserContext) -> None:
    page = signed_in_form(context, "Jonas Maes")
    assert page.url.endswith(SEED_LINK)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/hulp/lokale-beheerder$"))  # where the person came from


def test_back_from_the_summary_is_the_filled_in_form_and_a_national_number_is_normalised(
    context: BrowserContext,
) -> None:
    page = signed_in_form(context, "Jonas Maes")
    fill(page)
    page.get_by_role("button", name="Verder").click()
    summary = page.get_by_role("region", name="Controleer uw aanvraag")
    expect(summary).to_contain_text("+32470123456")  # checked and normalised by the API, before Bevestigen
    assert serious_violations(page) == []
    page.go_back()
    expect(page.get_by_label("Uw e-mailadres:")).to_have_value("jonas.first@example.be")
    expect(page.get_by_label("Uw telefoonnummer (bv. +3212345678):")).to_have_value("+32470123456")
    page.go_forward()
    expect(page.get_by_role("region", name="Controleer uw aanvraag")).to_be_visible()


def test_reloading_the_confirmation_shows_it_again_and_a_second_filing_is_refused_with_a_way_on(
    context: BrowserContext, width: int
) -> None:
    page = signed_in_form(context, "Sofie Peeters" if width > 400 else "Lotte Claes")  # one filing each
    fill(page, email="sofie.first@example.be")
    page.get_by_role("button", name="Verder").click()
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Uw aanvraag is verstuurd")).to_be_visible()
    number = page.locator("strong.number").inner_text()  # what the confirmation asks to quote to 1700
    page.reload()
    expect(page.get_by_role("heading", name="Uw aanvraag is verstuurd")).to_be_visible()
    expect(page.get_by_role("button", name="Verder")).to_have_count(0)  # never an empty form
    page.goto(SEED_LINK)
    fill(page, email="sofie.first@example.be")
    page.get_by_role("button", name="Verder").click()
    expect(
        page.get_by_text(re.compile(r"U heeft deze aanvraag al ingediend op \d\d/\d\d/\d{4}"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Bevestigen")).to_have_count(0)
    assert serious_violations(page) == []
    page.get_by_role("link", name="Bekijk die aanvraag").click()
    expect(page).to_have_url(re.compile(r"/user/aanvragen#aanvraag-"))
    expect(page.locator("tr:focus")).to_contain_text("Dimona raadpleger")
    expect(page.locator("tr:focus")).to_contain_text(f"Nr. {number}")  # Mijn aanvragen shows it too


def test_the_error_summary_names_each_field_and_links_to_it(context: BrowserContext) -> None:
    page = signed_in_form(context, "Jonas Maes")
    page.get_by_role("button", name="Verder").click()
    alert = page.get_by_role("alert")
    for text in (
        "Gebruikersrecht: Dit veld is verplicht.",
        "Telefoonnummer: Dit veld is verplicht.",
        "E-mailadres: Dit veld is verplicht.",
    ):
        expect(alert.get_by_role("link", name=text)).to_be_visible()
    # in the order the page shows the fields
    listed = alert.get_by_role("link").all_inner_texts()
    fields = page.locator("form [name]").evaluate_all("(nodes) => nodes.map((n) => n.name)")
    named = {"Gebruikersrecht": "right", "Telefoonnummer": "phone", "E-mailadres": "email"}
    order = [fields.index(named[text.split(":")[0]]) for text in listed if text.split(":")[0] in named]
    assert order == sorted(order) and len(order) == 3, (listed, fields)
    # each invalid field is outlined in the danger colour, not the ordinary grey
    phone = page.get_by_label("Uw telefoonnummer (bv. +3212345678):")
    colour = phone.evaluate("(n) => getComputedStyle(n).borderTopColor")
    danger = page.evaluate(
        "() => { const p = document.createElement('p'); p.style.color = 'var(--danger)';"
        " document.body.append(p); const c = getComputedStyle(p).color; p.remove(); return c; }"
    )
    assert colour == danger, (colour, danger)
    alert.get_by_role("link", name="Telefoonnummer: Dit veld is verplicht.").click()
    expect(phone).to_be_focused()
    assert serious_violations(page) == []


def test_signing_out_forgets_the_person(context: BrowserContext, stack: Stack) -> None:
    page = signed_in_form(context, "Jonas Maes")
    page.get_by_role("button", name="Afmelden").click()
    expect(page).to_have_url(f"{stack.base}/")
    page.goto("/user/aanvragen")
    expect(page.get_by_role("link", name=re.compile("Jonas Maes"))).to_be_visible()  # asked to sign in again


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("Sofie Peeters", ["Mijn aanvragen", "Mijn profiel"]),
        ("Els Wouters", ["Mijn aanvragen", "Mijn profiel", "Beheer", "Mijn taken", "Personen", "Beheerders"]),
        ("Marc Dubois", ["Mijn aanvragen", "Mijn profiel", "Beheerders"]),  # a legal representative
    ],
)
def test_the_menu_shows_what_the_person_may_use(
    context: BrowserContext, persona: str, links: list[str]
) -> None:
    page = context.new_page()
    page.goto("/user/aanvragen")
    sign_in_as(page, persona)
    navigation = page.get_by_role("navigation", name="Hoofdmenu")
    expect(navigation.get_by_role("link")).to_have_count(len(links))
    expect(navigation.get_by_role("link")).to_have_text(links)


@pytest.mark.parametrize(
    ("path", "heading", "says"),
    [
        ("/privacy", "Privacy", "Mijn profiel"),
        ("/cookies", "Cookies", "geen cookies"),
        ("/toegankelijkheid", "Toegankelijkheidsverklaring", "(WCAG) 2.1, niveau AA"),
    ],
)
def test_the_footer_leads_to_the_statements_every_government_site_publishes(
    context: BrowserContext, stack: Stack, path: str, heading: str, says: str
) -> None:
    page = context.new_page()
    page.goto("/hulp/lokale-beheerder")  # no sign-in needed
    page.get_by_role("contentinfo").get_by_role("link", name=heading).click()
    expect(page).to_have_url(f"{stack.base}{path}")
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text(says)
    assert serious_violations(page) == []
    assert page.request.get("/favicon.ico").headers["content-type"].startswith("image/")


def test_on_a_phone_the_first_field_is_on_the_first_screen_and_lists_read_cleanly(
    browser: Browser, stack: Stack
) -> None:
    phone = browser.new_context(base_url=stack.base, locale="nl-BE", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto(SEED_LINK)
    sign_in_as(page, "Jonas Maes")
    first = page.get_by_label("U wenst het gebruikersrecht:")
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] < 844
    expect(
        page.get_by_text("0428.364.866 (Bakkerij De Zonnebloem BV)")
    ).to_be_visible()  # KBO as people read it
    page.get_by_text("Meer uitleg").click()
    expect(page.get_by_text("U hoeft uw naam niet in te vullen")).to_be_visible()
    page.goto("/user/aanvragen")  # Jonas has filed nothing: the empty list
    expect(page.get_by_role("cell", name="U heeft nog geen aanvragen ingediend.")).to_be_visible()
    cells = page.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert all(not content.startswith('": ') for content in cells)  # no stray ": "
    caption = page.locator("caption").bounding_box()
    assert caption is not None and caption["width"] > 300  # not squeezed into a column
    for link in page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link").all():
        box = link.bounding_box()
        assert box is not None and box["height"] < 40  # one line each
    phone.close()


def test_pages_without_a_form_do_not_ask_to_fill_one_and_the_work_relationship_form_speaks_of_work(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    page.goto("/user/aanvraag?an=45&dg=EA&ec=ONBEKEND&oc=0428364866")
    sign_in_as(page, "Jonas Maes")
    expect(page.get_by_text("Geen gebruikersrechten gevonden")).to_be_visible()
    expect(page.get_by_text("Vul het formulier aan")).to_have_count(0)
    page.goto("/user/aanvraag_werkrelatie?dg=EA&oc=0428364866")
    expect(page.get_by_role("heading", name="Werkrelatie aanvragen")).to_be_visible()
    page.get_by_text("Meer uitleg").click()
    expect(page.locator("main")).not_to_contain_text("gebruikersrecht te geven")


def test_the_confirmation_gives_a_request_number_and_the_administrators_by_name(
    context: BrowserContext, stack: Stack, width: int
) -> None:
    page = context.new_page()
    page.goto("/user/aanvraag_werkrelatie?dg=EA&oc=0415327175")  # the association: one administrator
    sign_in_as(page, "Sofie Peeters" if width > 400 else "Jonas Maes")
    page.get_by_label("Uw telefoonnummer (bv. +3212345678):").fill("0470 12 34 56")
    page.get_by_label("Uw e-mailadres:").fill("first.wr@example.be")
    page.get_by_role("button", name="Verder").click()
    page.get_by_role("button", name="Bevestigen").click()
    number = page.locator(".number").first
    expect(number).to_have_text(re.compile(r"^[0-9A-F]{4}-[0-9A-F]{4}$"))
    expect(
        page.get_by_text(re.compile(r"lokale beheerders van uw organisatie \(Lotte Claes\)"))
    ).to_be_visible()
    text = number.inner_text()
    admin = context.browser.new_context(base_url=stack.base, viewport=context.pages[0].viewport_size)  # type: ignore[union-attr]
    tasks = admin.new_page()
    tasks.goto("/beheer/taken")
    sign_in_as(tasks, "Lotte Claes")
    expect(tasks.get_by_text(f"Nr. {text}")).to_be_visible()  # the same number in Mijn taken
    admin.close()


def test_a_page_for_an_organisation_without_a_reachable_administrator_names_who_administers_it(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    page.goto("/user/aanvraag?an=45&dg=EA&oc=0418825808")
    sign_in_as(page, "Jonas Maes")
    expect(page.get_by_text("Lokale beheerder zonder e-mailadres: Karel Zondermail")).to_be_visible()
    assert serious_violations(page) == []


def test_cancelling_asks_first(context: BrowserContext, width: int) -> None:
    page = signed_in_form(context, "Tom Jacobs" if width > 400 else "Els Wouters")  # each files once here
    fill(page, email="cancel.first@example.be")
    page.get_by_role("button", name="Verder").click()
    page.get_by_role("button", name="Bevestigen").click()
    page.goto("/user/aanvragen")
    page.get_by_role("button", name=re.compile("Trek in|Intrekken")).first.click()
    dialog = page.get_by_role("dialog", name="Aanvraag intrekken?")
    expect(dialog).to_be_visible()
    assert serious_violations(page) == []
    dialog.get_by_role("button", name="Nee, behoud de aanvraag").click()
    expect(page.get_by_role("cell", name="In behandeling").first).to_be_visible()
    page.get_by_role("button", name=re.compile("Trek in|Intrekken")).first.click()
    page.get_by_role("dialog").get_by_role("button", name="Ja, trek in").click()
    expect(page.get_by_text("Uw aanvraag is ingetrokken.")).to_be_visible()


def test_the_task_page_speaks_to_the_administrator_and_mijn_taken_says_who_decided_then_is_empty(
    context: BrowserContext,
) -> None:
    """Lotte's association has the work-relationship requests filed above: she rejects each of them
    from its task page; the closed tab says who decided what, and the open tab ends empty."""
    page = context.new_page()
    page.goto("/beheer/taken")
    sign_in_as(page, "Lotte Claes")
    expect(page.locator("p.count")).not_to_be_empty()  # the first page is in
    while page.locator("tbody tr").count():
        page.locator("tbody tr").first.get_by_role("link", name=re.compile("Details")).click()
        expect(page.get_by_role("heading", name="Zelfregistratiedetails")).to_be_visible()
        for term in ("Aanvraagnummer", "Telefoonnummer", "Reden van de aanvraag"):
            expect(page.locator("dt", has_text=term).first).to_be_visible()
        # a work relationship is asked for as one, never as "Gevraagd gebruikersrecht: Werkrelatie"
        expect(page.locator("dt", has_text=re.compile(r"^Gevraagd")).first).to_be_visible()
        expect(page.locator("dd", has_text=re.compile(r"^Werkrelatie$"))).to_have_count(0)
        expect(page.get_by_text("U vraagt aan")).to_have_count(0)
        expect(page.get_by_text("(bv. +3212345678)")).to_have_count(0)
        expect(page.get_by_role("link", name="Terug naar Mijn taken")).to_be_visible()
        page.get_by_role("button", name="Keur af").click()
        page.get_by_label("Reden van afkeuring").fill("Geen medewerker.")
        page.get_by_role("button", name="Bevestig afkeuring").click()
        expect(
            page.get_by_text("Deze aanvraag is al behandeld").or_(page.get_by_role("status"))
        ).to_be_visible()
        page.goto("/beheer/taken")
        expect(page.locator("p.count")).not_to_be_empty()
    expect(page.get_by_text("U heeft momenteel geen openstaande taken.")).to_be_visible()
    expect(page.locator("table")).to_be_hidden()  # an empty state, not an empty table
    page.get_by_role("button", name="Afgehandeld").click()
    expect(
        page.get_by_text(re.compile(r"Afgekeurd door Lotte Claes op \d\d/\d\d/\d{4}")).first
    ).to_be_visible()
    assert serious_violations(page) == []


def test_the_outbox_links_are_clickable_and_its_html_preview_has_room(
    context: BrowserContext, stack: Stack
) -> None:
    page = signed_in_form(context, "Jonas Maes")
    fill(page, email="outbox.first@example.be")
    file_once(page)
    settled(stack)  # the poller handed the filing to notify, and its mails are in the outbox
    page.goto("/dev/outbox")
    links = page.locator("pre a")
    expect(links.first).to_have_attribute("href", re.compile(r"^https?://"))
    assert any(href.startswith(stack.base) for href in links.evaluate_all("links => links.map(a => a.href)"))
    frame = page.locator("iframe").first.bounding_box()
    assert frame is not None and frame["height"] >= 800  # a whole mail, not its first lines


def test_mijn_taken_filters_on_requester_and_right(
    context: BrowserContext, browser: Browser, stack: Stack
) -> None:
    requester = browser.new_context(base_url=stack.base)
    form = signed_in_form(requester, "Marc Dubois")
    fill(form, email="marc.filter@example.be")
    file_once(form)
    requester.close()
    page = context.new_page()
    page.goto("/beheer/taken")
    sign_in_as(page, "Els Wouters")
    expect(page.locator("p.count")).not_to_be_empty()
    page.get_by_label("Aanvrager").fill("zzz-niemand")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("U heeft momenteel geen openstaande taken.")).to_be_visible()
    page.get_by_label("Aanvrager").fill("")
    page.get_by_label("Gebruikersrecht").select_option(label="Dimona raadpleger")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr").first).to_contain_text("Dimona raadpleger")
    assert all("Dimona raadpleger" in row for row in page.locator("tbody tr").all_inner_texts())
    assert serious_violations(page) == []


def test_the_home_page_title_says_its_name_once(context: BrowserContext) -> None:
    page = context.new_page()
    page.goto("/")
    expect(page).to_have_title("Zelfregistratie")
    assert serious_violations(page) == []


@pytest.mark.parametrize(
    ("path", "persona"),
    [
        ("/user/profiel", "Els Wouters"),
        ("/beheer/organisatie", "Els Wouters"),
        ("/beheer/personen", "Els Wouters"),
    ],
)
def test_a_page_reads_api_me_once(context: BrowserContext, path: str, persona: str) -> None:
    page = context.new_page()
    page.goto(path)
    sign_in_as(page, persona)
    expect(page.locator("main h1")).to_be_visible()
    reads: list[str] = []
    page.on("request", lambda request: reads.append(request.url) if request.url.endswith("/api/me") else None)
    page.reload()
    expect(page.locator("main h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert len(reads) == 1, reads  # the menu and the page share one read


def test_a_typed_organisation_number_is_checked_to_its_name_and_its_normal_form(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    page.goto("/user/aanvraag?&an=45&dg=EA")  # the link names no organisation: the person types it
    sign_in_as(page, "Jonas Maes")
    page.get_by_label(re.compile("Voor welke onderneming of organisatie")).fill("BE 0428.364.866")
    fill(page, email="jonas.typed@example.be")
    # a right Jonas has not asked for in this module (its other tests file Dimona raadpleger)
    page.get_by_label("U wenst het gebruikersrecht:").select_option(label="Dimona mandaatbeheerder")
    page.get_by_role("button", name="Verder").click()
    summary = page.get_by_role("region", name="Controleer uw aanvraag")
    expect(summary.get_by_text("0428.364.866 (Bakkerij De Zonnebloem BV)")).to_be_visible()
    expect(summary.get_by_text("BE 0428.364.866")).to_have_count(0)
    assert serious_violations(page) == []

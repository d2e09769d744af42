"""The pages in a real browser (Playwright driving Debian's chromium) against the running stack."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.stack.conftest import Stack, settled

SEED_LINK = "/user/aanvraag?&an=45&dg=EA&oc=0428364866"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is required for the browser tests: apt-get install -y chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser, stack: Stack) -> Iterator[BrowserContext]:
    created = browser.new_context(base_url=stack.base, locale="nl-BE")
    yield created
    created.close()


@pytest.fixture(params=[1280, 390], ids=["1280", "390"])
def sized(request: pytest.FixtureRequest, browser: Browser, stack: Stack) -> Iterator[BrowserContext]:
    """A context at a desktop's width and at a phone's: each test that takes it runs at both."""
    width = int(request.param)
    viewport = {"width": width, "height": 900 if width > 400 else 844}
    created = browser.new_context(base_url=stack.base, locale="nl-BE", viewport=viewport)  # type: ignore[arg-type]
    yield created
    created.close()


def cell(scope: Any, text: str) -> Any:
    """A table cell holding `text`; on a phone its name starts with its column's label ("Naam: …")."""
    return scope.get_by_role("cell", name=re.compile(rf"(^|: ){re.escape(text)}$"))


def sign_in_as(page: Page, persona_name: str) -> None:
    """The development provider's picker: choose the persona by name."""
    page.get_by_role("link", name=re.compile(persona_name)).click()


def open_signed_in(context: BrowserContext, path: str, persona_name: str) -> Page:
    page = context.new_page()
    page.goto(path)
    sign_in_as(page, persona_name)
    page.wait_for_url(re.compile(re.escape(path.split("?")[0])))
    return page


def mailed_task_link(stack: Stack, recipient: str, requester: str) -> str:
    """The task link from the administrator's mail, once notify has sent it."""
    settled(stack)
    for mail in httpx.get(f"{stack.base}/dev/outbox.json").json():
        found = re.search(r"https?://\S+/beheer/taken/\S+", mail["text"])
        if mail["to"] == [recipient] and requester in mail["subject"] and found:
            return found.group(0).removeprefix(stack.base)
    raise AssertionError(f"no task mail to {recipient}")


def serious_violations(page: Page) -> list[dict[str, Any]]:
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


def test_the_full_flow_across_requester_and_administrator(browser: Browser, stack: Stack) -> None:
    requester = browser.new_context(base_url=stack.base)
    administrator = browser.new_context(base_url=stack.base)
    # The requester opens the seed's example link, signs in, picks a right and files.
    page = open_signed_in(requester, SEED_LINK, "Sofie Peeters")
    assert page.url.endswith(SEED_LINK), "back on the same link, parameters intact"
    expect(page.get_by_role("heading", name="Aanvraag gebruikersrecht")).to_be_visible()
    expect(page.get_by_text("0428.364.866 (Bakkerij De Zonnebloem BV)")).to_be_visible()
    page.get_by_label("U wenst het gebruikersrecht:").select_option(label="Dimona raadpleger")
    page.get_by_label("Uw telefoonnummer (bv. +3212345678):").fill("+3212345678")
    page.get_by_label("Uw e-mailadres:").fill("sofie.browser@example.be")
    page.get_by_label("Reden van de aanvraag:").fill("Ik volg de aangiften op.")
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_role("heading", name="Controleer uw aanvraag")).to_be_visible()
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Bedankt, uw aanvraag is goed ontvangen.")).to_be_visible()
    expect(page.get_by_text("sofie.browser@example.be", exact=False)).to_be_visible()

    # The administrator opens the link from the mail, signs in and rejects with a reason.
    path = mailed_task_link(stack, "els.wouters@zonnebloem.example", "Sofie Peeters")
    admin_page = open_signed_in(administrator, path, "Els Wouters")
    expect(admin_page.get_by_role("heading", name="Zelfregistratiedetails")).to_be_visible()
    expect(admin_page.get_by_text("Dimona raadpleger")).to_be_visible()
    admin_page.get_by_role("button", name="Keur af").click()
    admin_page.get_by_role("button", name="Bevestig afkeuring").click()
    expect(admin_page.get_by_text("Geef een reden voor uw beslissing.").first).to_be_visible()
    admin_page.get_by_label("Reden van afkeuring").fill("U werkt niet voor onze bakkerij.")
    admin_page.get_by_role("button", name="Bevestig afkeuring").click()
    expect(admin_page.get_by_role("heading", name="De aanvraag is afgekeurd.")).to_be_visible()

    # The requester sees the rejection and its reason (a new tab signs in again: tokens live per tab).
    mine = open_signed_in(requester, "/user/aanvragen", "Sofie Peeters")
    row = mine.get_by_role("row", name=re.compile("Dimona raadpleger"))
    expect(row).to_contain_text("Afgekeurd")
    expect(row).to_contain_text("U werkt niet voor onze bakkerij.")
    requester.close()
    administrator.close()


class Fetches:
    """What the browser fetched over the network (Chrome DevTools Protocol): a response served from
    its memory or disk cache is no fetch."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.received: list[tuple[str, str]] = []
        self.from_cache: set[str] = set()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.requestServedFromCache", lambda e: self.from_cache.add(e["requestId"]))
        session.on("Network.responseReceived", self._received)

    def _received(self, event: dict[str, Any]) -> None:
        if not event["response"].get("fromDiskCache"):
            self.received.append((event["requestId"], event["response"]["url"]))

    def take(self) -> list[str]:
        """The paths fetched since the last call."""
        fetched = [httpx.URL(url).path for id_, url in self.received if id_ not in self.from_cache]
        self.received.clear()
        return fetched


def test_a_second_visit_after_sign_in_fetches_no_asset_again(context: BrowserContext) -> None:
    page = context.new_page()
    fetches = Fetches(context, page)
    page.goto(SEED_LINK)
    sign_in_as(page, "Sofie Peeters")
    expect(page.get_by_role("heading", name="Aanvraag gebruikersrecht")).to_be_visible()
    page.wait_for_load_state("networkidle")
    cold = [p for p in fetches.take() if p.startswith("/assets/")]
    assert sorted(cold) == sorted(set(cold)), "no asset is fetched twice while signing in"
    assert {re.sub(r"\.[0-9a-f]{10}\.", ".", p) for p in cold} >= {"/assets/app.js", "/assets/aanvraag.js"}

    page.goto(SEED_LINK)
    expect(page.get_by_role("heading", name="Aanvraag gebruikersrecht")).to_be_visible()
    page.wait_for_load_state("networkidle")
    again = fetches.take()
    assert [p for p in again if not p.startswith("/api/")] == ["/user/aanvraag"], again


def test_a_right_link_shows_the_fixed_right_and_no_drop_down(context: BrowserContext) -> None:
    page = open_signed_in(
        context, "/user/aanvraag?dg=EA&ec=DIMONA_MANDAAT_BEHEERDER&oc=0415327175", "Jonas Maes"
    )
    expect(page.get_by_text("Dimona mandaatbeheerder")).to_be_visible()
    expect(page.get_by_role("combobox")).to_have_count(0)


def test_no_rights_found_shows_the_seeds_message(context: BrowserContext) -> None:
    page = open_signed_in(context, "/user/aanvraag?dg=EA&an=999", "Jonas Maes")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Geen gebruikersrechten gevonden voor de gegeven criteria!")
    expect(alert).to_contain_text("Wat nu?")


def test_an_organisation_without_an_administrator_email_explains_the_step_plan(
    context: BrowserContext,
) -> None:
    page = open_signed_in(context, "/user/aanvraag?dg=EA&an=45&oc=0418825808", "Jonas Maes")
    expect(page.get_by_text("Deze organisatie kan nog geen aanvragen ontvangen")).to_be_visible()
    expect(page.get_by_text("Hoofd lokale beheerder", exact=False).first).to_be_visible()
    expect(
        page.get_by_role("link", name="Lees het stappenplan om een lokale beheerder aan te stellen")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Verder")).to_have_count(0)


def test_the_form_is_filled_and_submitted_with_the_keyboard_only(context: BrowserContext) -> None:
    page = open_signed_in(context, "/user/aanvraag?an=1203&dg=LB&oc=0415327175", "Jonas Maes")
    expect(page.get_by_label("U wenst het gebruikersrecht:")).to_be_visible()
    page.locator("body").focus()
    page.keyboard.press("Tab")  # skip link
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "right":
            break
    page.keyboard.press("ArrowDown")  # the only right
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "context"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("+3212345678")
    page.keyboard.press("Tab")
    page.keyboard.type("jonas.toetsenbord@example.be")
    page.keyboard.press("Tab")
    page.keyboard.type("Alleen met het toetsenbord.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Verder"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Controleer uw aanvraag")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Bevestigen"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Bedankt, uw aanvraag is goed ontvangen.")).to_be_visible()


def test_missing_fields_are_announced_and_tied_to_their_fields(context: BrowserContext) -> None:
    page = open_signed_in(context, SEED_LINK, "Jonas Maes")
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_role("alert")).to_contain_text("Niet alle gegevens zijn juist ingevuld.")
    phone = page.get_by_label("Uw telefoonnummer (bv. +3212345678):")
    expect(phone).to_have_attribute("aria-invalid", "true")
    described = phone.get_attribute("aria-describedby") or ""
    assert "phone-error" in described
    expect(page.locator("#phone-error")).to_have_text("Dit veld is verplicht.")


def test_the_server_s_field_errors_show_at_their_fields(context: BrowserContext) -> None:
    page = open_signed_in(context, SEED_LINK, "Jonas Maes")
    page.get_by_label("U wenst het gebruikersrecht:").select_option(label="Dimona raadpleger")
    page.get_by_label("Uw telefoonnummer (bv. +3212345678):").fill("012345")
    page.get_by_label("Uw e-mailadres:").fill("jonas@example.be")
    page.get_by_role("button", name="Verder").click()  # checked by the API before the summary
    expect(page.locator("#phone-error")).to_contain_text("+3212345678")
    expect(page.get_by_role("button", name="Bevestigen")).to_have_count(0)


@pytest.mark.parametrize(
    ("path", "persona"),
    [
        (SEED_LINK, "Sofie Peeters"),
        ("/user/aanvragen", "Sofie Peeters"),
        ("/beheer/taken", "Els Wouters"),
    ],
)
def test_pages_have_no_serious_accessibility_violations(
    context: BrowserContext, path: str, persona: str
) -> None:
    page = open_signed_in(context, path, persona)
    page.wait_for_selector("main h1")
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert serious_violations(page) == []


def test_the_task_page_has_no_serious_accessibility_violations(context: BrowserContext, stack: Stack) -> None:
    requester = open_signed_in(context, SEED_LINK, "Jonas Maes")
    requester.get_by_label("U wenst het gebruikersrecht:").select_option(label="Dimona mandaatbeheerder")
    requester.get_by_label("Uw telefoonnummer (bv. +3212345678):").fill("+3212345678")
    requester.get_by_label("Uw e-mailadres:").fill("jonas.axe@example.be")
    requester.get_by_role("button", name="Verder").click()
    requester.get_by_role("button", name="Bevestigen").click()
    expect(requester.get_by_role("heading", name="Bedankt, uw aanvraag is goed ontvangen.")).to_be_visible()
    tasks = open_signed_in(context, "/beheer/taken", "Tom Jacobs")  # a new tab: a new sign-in
    tasks.get_by_role("link", name=re.compile("Details van de aanvraag van Jonas Maes")).first.click()
    tasks.wait_for_selector("dl.summary")
    assert serious_violations(tasks) == []
    tasks.get_by_role("button", name="Keur goed").click()
    assert serious_violations(tasks) == []


def test_the_demo_path_refused_then_the_representative_appoints_themselves_then_accepted(
    browser: Browser, stack: Stack
) -> None:
    requester = browser.new_context(base_url=stack.base)
    representative = browser.new_context(base_url=stack.base)
    link = "/user/aanvraag?dg=EA&an=45&oc=0418825808"
    page = open_signed_in(requester, link, "Jonas Maes")
    expect(page.get_by_text("Deze organisatie kan nog geen aanvragen ontvangen")).to_be_visible()
    expect(page.get_by_role("link", name="Word hoofd lokale beheerder")).to_be_visible()

    admin_page = open_signed_in(representative, "/beheer/organisatie", "Marc Dubois")
    expect(
        admin_page.get_by_role("heading", name="Word hoofd lokale beheerder van 0418825808")
    ).to_be_visible()
    assert serious_violations(admin_page) == []
    admin_page.get_by_label("Uw e-mailadres").fill("marc.dubois@duikschool.example")
    admin_page.get_by_label("Uw telefoonnummer (bv. +3212345678)").fill("+3216000000")
    admin_page.get_by_role("button", name="Word hoofd lokale beheerder").click()
    expect(admin_page.get_by_role("heading", name="U bent nu hoofd lokale beheerder.")).to_be_visible()
    expect(admin_page.get_by_role("cell", name="marc.dubois@duikschool.example")).to_be_visible()

    page.reload()  # the same link, no restart of anything
    page.get_by_label("U wenst het gebruikersrecht:").select_option(label="Dimona raadpleger")
    page.get_by_label("Uw telefoonnummer (bv. +3212345678):").fill("+3212345678")
    page.get_by_label("Uw e-mailadres:").fill("jonas@duik.example")
    page.get_by_role("button", name="Verder").click()
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Bedankt, uw aanvraag is goed ontvangen.")).to_be_visible()
    requester.close()
    representative.close()


def test_the_step_plan_page_needs_no_sign_in_and_is_accessible(context: BrowserContext) -> None:
    page = context.new_page()
    page.goto("/hulp/lokale-beheerder")
    expect(page.get_by_role("heading", name="Voor overheidsorganisaties")).to_be_visible()
    assert serious_violations(page) == []


@pytest.mark.parametrize("path", ["/", "/hulp/lokale-beheerder", "/privacy", "/cookies", "/toegankelijkheid"])
def test_a_page_opened_without_signing_in_offers_aanmelden_and_shows_no_null(
    sized: BrowserContext, path: str
) -> None:
    page = sized.new_page()
    page.goto(path)
    header = page.locator("header.site")
    expect(header.get_by_role("button", name="Aanmelden")).to_be_visible()
    assert "null" not in header.inner_text()
    if path == "/privacy":  # signing in from here comes back here, signed in
        header.get_by_role("button", name="Aanmelden").click()
        sign_in_as(page, "Sofie Peeters")
        page.wait_for_url(re.compile("/privacy$"))
        expect(header.get_by_text("Aangemeld als Sofie Peeters")).to_be_visible()
        expect(header.get_by_role("button", name="Afmelden")).to_be_visible()


def test_a_head_appoints_and_removes_an_administrator_in_the_browser(sized: BrowserContext) -> None:
    page = open_signed_in(sized, "/beheer/organisatie", "Els Wouters")
    section = page.get_by_role("region", name=re.compile("Bakkerij De Zonnebloem BV"))
    expect(cell(section, "Tom Jacobs")).to_be_visible()
    assert serious_violations(page) == []
    # Verwijder asks first; Annuleren (where focus starts, and Escape) changes nothing
    section.get_by_role("button", name="Verwijder Tom Jacobs").click()
    dialog = page.get_by_role("dialog", name="Tom Jacobs verwijderen als beheerder?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Annuleren")).to_be_focused()
    assert serious_violations(page) == []
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(section.get_by_role("button", name="Verwijder Tom Jacobs")).to_be_focused()
    expect(cell(section, "Tom Jacobs")).to_be_visible()
    section.get_by_role("button", name="Verwijder Tom Jacobs").click()
    page.get_by_role("dialog").get_by_role("button", name="Verwijder Tom Jacobs").click()
    expect(page.get_by_role("heading", name="Tom Jacobs is geen beheerder meer.")).to_be_visible()
    section = page.get_by_role("region", name=re.compile("Bakkerij De Zonnebloem BV"))
    section.get_by_label("Persoon").select_option(value="5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a02")  # Tom Jacobs
    section.get_by_role("button", name="Stel aan").click()
    expect(page.get_by_role("heading", name="De beheerder is aangesteld.")).to_be_visible()
    section = page.get_by_role("region", name=re.compile("Bakkerij De Zonnebloem BV"))
    expect(cell(section, "Tom Jacobs")).to_be_visible()


def test_reached_through_another_host_name_sign_in_happens_on_the_public_one(
    browser: Browser, stack: Stack
) -> None:
    # As the distribution's own *.cloudfront.net name beside DomainName: the provider knows only the
    # public address's redirect, so the page moves there before signing in, and returns there.
    other = stack.base.replace("127.0.0.1", "localhost")
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    page.goto(f"{other}{SEED_LINK}")
    sign_in_as(page, "Sofie Peeters")
    page.wait_for_url(f"{stack.base}{SEED_LINK}")
    expect(page.get_by_role("heading", name="Aanvraag gebruikersrecht")).to_be_visible()
    context.close()


def test_an_administrators_own_request_is_marked_with_no_decision_to_offer(
    sized: BrowserContext, stack: Stack
) -> None:
    from tests.factories import filing_body
    from tests.stack.test_local_stack import bearer, login

    def pending(answer: httpx.Response) -> str:
        """The request filed, or the one already waiting (the other width filed it)."""
        if answer.status_code == 409 and answer.json()["code"] == "duplicate_pending":
            return str(answer.json()["request"]["id"])
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    tom = bearer(login(stack, "beheerder2"))
    body = filing_body(right="SUBSIDIE_AANVRAGER", application=310, email="tom@example.be")
    own_id = pending(httpx.post(f"{stack.base}/api/requests", headers=tom, json=body))
    number = own_id.replace("-", "")[-8:].upper()
    jonas = bearer(login(stack, "aanvrager2"))
    other = filing_body(right="SUBSIDIE_AANVRAGER", application=310, email="jonas@example.be")
    pending(httpx.post(f"{stack.base}/api/requests", headers=jonas, json=other))

    page = open_signed_in(sized, "/beheer/taken", "Tom Jacobs")
    row = page.get_by_role("row").filter(has_text=f"{number[:4]}-{number[4:]}")
    expect(row.get_by_text("Uw eigen aanvraag")).to_be_visible()
    expect(row.get_by_role("link", name=re.compile("Keur goed|Keur af"))).to_have_count(0)
    others = page.get_by_role("row").filter(has=page.get_by_role("link", name=re.compile("^Keur goed")))
    expect(others.first).to_be_visible()  # another's request still offers the decision

    page.goto(f"/beheer/taken/{own_id}#goedkeuren")
    expect(page.get_by_text("Dit is uw eigen aanvraag.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Keur goed|Keur af"))).to_have_count(0)
    expect(page.get_by_role("heading", name="Aanvraag goedkeuren")).to_have_count(0)
    assert serious_violations(page) == []


def test_an_unknown_address_is_a_page_with_the_header_and_a_way_back(sized: BrowserContext) -> None:
    page = sized.new_page()
    answer = page.goto("/beheer/bestaat-niet")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", name="Pagina niet gevonden")).to_be_visible()
    expect(page.locator("header.site").get_by_role("button", name="Aanmelden")).to_be_visible()
    page.get_by_role("link", name="Naar de startpagina van Zelfregistratie").click()
    page.wait_for_url(re.compile(r"/$"))
    assert serious_violations(page) == []
    missing_asset = sized.request.get("/assets/bestaat-niet.js")
    assert missing_asset.status == 404  # a file keeps its plain 404


def test_a_plain_administrator_changes_their_own_address_in_the_browser(sized: BrowserContext) -> None:
    page = open_signed_in(sized, "/beheer/organisatie", "Tom Jacobs")
    section = page.get_by_role("region", name=re.compile("Bakkerij De Zonnebloem BV"))
    expect(section.get_by_role("button", name=re.compile("^Verwijder"))).to_have_count(0)  # not a head
    form = section.locator("form").filter(has=page.get_by_role("heading", name="Mijn e-mailadres wijzigen"))
    form.get_by_label("Uw e-mailadres").fill("tom.nieuw@zonnebloem.example")
    form.get_by_role("button", name="Wijzig mijn gegevens").click()
    expect(page.get_by_role("heading", name="Uw e-mailadres is opgeslagen.")).to_be_visible()
    section = page.get_by_role("region", name=re.compile("Bakkerij De Zonnebloem BV"))
    expect(cell(section, "tom.nieuw@zonnebloem.example")).to_be_visible()
    expect(cell(section, "Lokale beheerder").first).to_be_visible()
    assert serious_violations(page) == []

"""The administrator's home (/beheer) and the organisations page (/beheer/organisaties) in chromium, at
1280 and at 390 px: each shows its first screen with at most two API calls, without serious
accessibility findings, usable by keyboard; the home's search over all organisations leads to the
person; the counts follow a filing through the stream."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from tests.factories import filing_body
from tests.stack.conftest import Stack, settled
from tests.stack.test_local_stack import bearer, sign
from tests.stack.test_pages import browser, serious_violations, sign_in_as, sized

__all__ = ["browser", "sized"]  # the module-scoped chromium, and a context at 1280 and at 390 px

ZONNEBLOEM = "0428364866"


def first_screen(context: BrowserContext, path: str, persona: str) -> tuple[Page, list[str]]:
    """The page signed in, then opened again: the API calls its first screen makes."""
    page = context.new_page()
    page.goto(path)
    sign_in_as(page, persona)
    expect(page.locator("main h1")).to_be_visible()
    calls: list[str] = []
    page.on("request", lambda request: calls.append(request.url) if "/api/" in request.url else None)
    page.reload()
    expect(page.locator("main h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    return page, calls


def downloaded_csv(page: Page, name: str) -> list[list[str]]:
    """ "Download als CSV", chosen by keyboard: the file's rows, once it is checked to open in Excel set
    to Dutch (a byte-order mark, `;`)."""
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download als CSV").focus()
        page.keyboard.press("Enter")
    raw = Path(downloading.value.path()).read_bytes()
    assert downloading.value.suggested_filename == name
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def fits(page: Page, width: int) -> bool:
    return bool(page.evaluate(f"document.documentElement.scrollWidth <= {width}"))


def test_the_home_shows_the_tiles_and_open_tasks_in_two_calls(sized: BrowserContext) -> None:
    page, calls = first_screen(sized, "/beheer", "Els Wouters")
    assert sorted(c.rsplit("/api/", 1)[1] for c in calls) == ["me", "organizations"], calls
    expect(page.get_by_role("heading", name="Beheer", level=1)).to_be_visible()
    for tile in ("Mijn taken", "Personen", "Organisaties", "Rechten beheren"):
        expect(page.get_by_role("region", name=tile)).to_be_visible()
    expect(page.get_by_role("link", name="Toon alle personen")).to_have_attribute("href", "/beheer/personen")
    expect(page.get_by_role("link", name="Snel recht toekennen")).to_be_visible()
    expect(page.get_by_role("region", name="Mijn taken")).to_contain_text(
        re.compile(r"open aanvra|geen open")
    )
    assert serious_violations(page) == []
    assert fits(page, sized.pages[0].viewport_size["width"])  # type: ignore[index]


def test_the_search_finds_people_of_all_my_organisations_and_leads_to_them_by_keyboard(
    sized: BrowserContext,
) -> None:
    page, _ = first_screen(sized, "/beheer", "Els Wouters")
    page.get_by_label("Naam").focus()
    page.keyboard.type("wouters")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("1 persoon gevonden")
    found = page.locator("#zoekresultaten li")
    expect(found).to_have_text("Els Wouters — Bakkerij De Zonnebloem BV, Agentschap Digitaal Demo")
    assert serious_violations(page) == []
    found.get_by_role("link", name="Bakkerij De Zonnebloem BV").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/beheer/personen\?"))
    expect(page.get_by_label("Zoek een persoon op naam")).to_have_value("Els Wouters")
    expect(page.get_by_role("row", name=re.compile("Els Wouters"))).to_be_visible()
    page.get_by_role("link", name="Beheer", exact=True).click()
    page.get_by_label("Naam").fill("rmans")  # the inside of a word
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("status")).to_have_text('Niemand gevonden voor "rmans"')


def test_someone_who_administers_nothing_lands_on_their_own_home(sized: BrowserContext) -> None:
    page, calls = first_screen(sized, "/beheer", "Sofie Peeters")
    assert len(calls) <= 2, calls
    expect(page.get_by_text("U bent geen lokale beheerder van een organisatie.")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name="Mijn aanvragen")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name="Mijn profiel")).to_be_visible()
    assert serious_violations(page) == []


def test_the_organisations_page_lists_mine_with_their_counts_in_two_calls(sized: BrowserContext) -> None:
    page, calls = first_screen(sized, "/beheer/organisaties", "Els Wouters")
    assert sorted(c.rsplit("/api/", 1)[1] for c in calls) == ["me", "organizations"], calls
    bakery = page.get_by_role("row", name=re.compile("Bakkerij De Zonnebloem BV"))
    expect(bakery).to_contain_text("Hoofd lokale beheerder")
    expect(page.get_by_role("row", name=re.compile("Agentschap Digitaal Demo"))).to_contain_text(
        "Lokale beheerder"
    )
    expect(bakery.get_by_role("cell").nth(2)).to_have_text("4")  # people (the name is the row header)
    expect(bakery.get_by_role("cell").nth(3)).to_have_text("3")  # active grants
    assert serious_violations(page) == []
    assert fits(page, sized.pages[0].viewport_size["width"])  # type: ignore[index]
    bakery.get_by_role("link", name=re.compile("^Personen")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/beheer/personen\?organisatie={ZONNEBLOEM}"))
    expect(page.get_by_role("row", name=re.compile("Erwin Hermans"))).to_be_visible()


def test_a_filing_counts_as_an_open_task_once_the_stream_has_it(stack: Stack) -> None:
    before = open_tasks(stack)
    token = sign(stack, sub="5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a77", given_name="Nele", family_name="Home")
    body = filing_body(email="nele.home@example.be")
    assert httpx.post(f"{stack.base}/api/requests", json=body, headers=bearer(token)).status_code == 201
    settled(stack)
    assert open_tasks(stack) == before + 1


def open_tasks(stack: Stack) -> int:
    token = sign(stack, sub="5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a01", given_name="Els", family_name="Wouters")
    answer = httpx.get(f"{stack.base}/api/organizations", headers=bearer(token)).json()
    return int(next(o["counts"]["openTasks"] for o in answer["items"] if o["code"] == ZONNEBLOEM))


def test_the_look_up_by_keyboard_finds_the_holders_and_downloads_them_for_excel(
    sized: BrowserContext,
) -> None:
    page, calls = first_screen(sized, "/beheer/toekenningen", "Els Wouters")
    assert sorted(c.rsplit("/api/", 1)[1] for c in calls) == ["me", f"organizations/{ZONNEBLOEM}/rights"], (
        calls
    )
    page.get_by_label("Gebruikersrecht").focus()
    page.keyboard.type("Subsidieaanvrager")
    expect(page.get_by_label("Gebruikersrecht")).to_have_value("SUBSIDIE_AANVRAGER")
    page.get_by_role("button", name="Opzoeken").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("1 toekenning")
    expect(page.get_by_role("row", name=re.compile("Erwin Hermans"))).to_contain_text("01/03/2027")
    assert serious_violations(page) == []
    assert fits(page, sized.pages[0].viewport_size["width"])  # type: ignore[index]
    rows = downloaded_csv(page, "toekenningen.csv")
    assert rows[0][0] == "Naam" and rows[1][:2] == ["Erwin Hermans", "Bakkerij De Zonnebloem BV"]


def test_two_people_compared_by_keyboard_side_by_side_with_the_differences_marked(
    sized: BrowserContext,
) -> None:
    page, _ = first_screen(sized, "/beheer/personen", "Els Wouters")
    for name in ("Erwin Hermans", "Élodie Vermeulen"):
        page.get_by_role("checkbox", name=name).focus()
        page.keyboard.press("Space")
    button = page.get_by_role("button", name="Vergelijk de gekozen personen (2)")
    expect(button).to_be_enabled()
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/beheer/vergelijken\?"))
    table = page.get_by_role("table", name="Gebruikersrechten per persoon")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Gebruikersrecht", "Erwin Hermans", "Élodie Vermeulen"]
    )
    expect(table.locator("tbody tr.differs")).to_have_count(3)  # each holds what the other does not
    expect(table.get_by_role("row", name=re.compile("Dimona raadpleger"))).to_contain_text(
        "verschilt (1 van 2)"
    )
    assert serious_violations(page) == []
    assert fits(page, sized.pages[0].viewport_size["width"])  # type: ignore[index]
    calls: list[str] = []
    page.on("request", lambda request: calls.append(request.url) if "/api/" in request.url else None)
    page.reload()
    expect(table).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert len(calls) == 2, calls  # /api/me and the comparison


def test_the_audit_page_filters_by_action_and_person_by_keyboard_and_downloads(
    sized: BrowserContext, stack: Stack
) -> None:
    els = sign(stack, sub="5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a01", given_name="Els", family_name="Wouters")
    elodie = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a32"
    body = {"person": elodie, "right": "DIMONA_MANDAAT_BEHEERDER"}
    path = f"{stack.base}/api/organizations/{ZONNEBLOEM}/grants"
    # granted by the first width; the second finds it granted (already_granted)
    assert httpx.post(path, json=body, headers=bearer(els)).status_code in (201, 409)
    page, calls = first_screen(sized, f"/beheer/audit?organisatie={ZONNEBLOEM}", "Els Wouters")
    assert sorted(c.rsplit("/api/", 1)[1].split("?")[0] for c in calls) == [
        "me",
        f"organizations/{ZONNEBLOEM}/audit",
    ]
    page.get_by_label("Actie").focus()
    page.keyboard.type("Recht toegekend")
    expect(page.get_by_role("status")).to_contain_text("wijziging")
    rows = page.get_by_role("table", name="Wie wat deed, het nieuwste eerst").locator("tbody tr")
    expect(rows.first).to_contain_text("Recht toegekend")
    page.get_by_role("button", name=re.compile("^Élodie Vermeulen")).first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("over Élodie Vermeulen")
    assert serious_violations(page) == []
    assert fits(page, sized.pages[0].viewport_size["width"])  # type: ignore[index]
    rows_read = downloaded_csv(page, "audit.csv")
    assert rows_read[0][:2] == ["Tijdstip", "Actie"]
    assert {r[3] for r in rows_read[1:]} == {"Élodie Vermeulen"} and {r[1] for r in rows_read[1:]} == {
        "Recht toegekend"
    }

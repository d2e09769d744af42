"""The "Verlengen" form in chromium: the link of an expiring grant opens a form that says it renews
the grant, until when it holds now, and starts from the work relationship's phone and address. A
module of its own: it moves the development clock, which the stack keeps for its life."""

from __future__ import annotations

import re
from datetime import date, datetime

import httpx
from playwright.sync_api import BrowserContext, expect

from tests.stack.conftest import Stack
from tests.stack.test_pages import browser, serious_violations, sign_in_as, sized

__all__ = ["browser", "sized"]  # the module-scoped chromium, and a context at 1280 and at 390 px

RENEW = "/user/aanvraag?dg=EA&an=310&ec=SUBSIDIE_AANVRAGER&oc=0428364866"


def test_the_renewal_form_says_it_renews_and_starts_from_the_work_relationship(
    sized: BrowserContext, stack: Stack
) -> None:
    # Erwin's Subsidieaanvrager ends 1 March 2027: move on to a day it is due to be renewed
    now = datetime.fromisoformat(httpx.get(f"{stack.base}/dev/clock").json()["now"])
    days = (date(2027, 2, 10) - now.date()).days
    if days > 0:
        moved = httpx.post(f"{stack.base}/dev/clock", json={"advance": f"P{days}D"}, timeout=120)
        assert moved.status_code == 200, moved.text
    page = sized.new_page()
    page.goto(RENEW)
    sign_in_as(page, "Erwin Hermans")
    notice = page.locator(".notice.renewal")
    expect(notice.get_by_role("heading", name="Verlenging")).to_be_visible()
    expect(notice).to_contain_text(re.compile(r"geldig tot en met 01/03/2027"))
    expect(page.get_by_label("Uw telefoonnummer (bv. +3212345678):")).to_have_value("+3216123431")
    expect(page.get_by_label("Uw e-mailadres:")).to_have_value("erwin.hermans@zonnebloem.example")
    assert serious_violations(page) == []

"""docs/lifecycle.md's table walked on a running stack with the development clock (docs/local-stack.md),
through the outbox and the events: a request reminded, reminded again and expired; a grant announced and
expired; and, two years on, what closed deleted."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.factories import filing_body
from tests.stack.conftest import Stack
from tests.stack.test_local_stack import bearer, login

ORG = "0428364866"
ELODIE = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a32"
ELS, TOM = "els.wouters@zonnebloem.example", "tom.jacobs@zonnebloem.example"
ELODIE_WORK = "elodie.vermeulen@zonnebloem.example"


class Mailbox:
    """The outbox as a test reads it: what arrived since the last look. The demo data's own grants
    reach their ends too while the clock runs months on; each check names the mails it is about."""

    def __init__(self, stack: Stack) -> None:
        self.url = f"{stack.base}/dev/outbox.json"
        self.seen: set[str] = {m["id"] for m in httpx.get(self.url).json()}

    def since(self) -> list[tuple[str, str]]:
        new = [m for m in httpx.get(self.url).json() if m["id"] not in self.seen]
        self.seen |= {m["id"] for m in new}
        return [(m["to"][0], m["subject"]) for m in new]


def advance(stack: Stack, duration: str) -> str:
    answer = httpx.post(f"{stack.base}/dev/clock", json={"advance": duration}, timeout=60)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["now"])


def about(mails: list[tuple[str, str]], word: str) -> list[str]:
    return sorted(to for to, subject in mails if word in subject)


def test_the_lifecycle_table_with_the_development_clock(stack: Stack) -> None:
    sofie, els = bearer(login(stack, "aanvrager")), bearer(login(stack, "beheerder"))
    api = f"{stack.base}/api"
    start = httpx.get(f"{stack.base}/dev/clock").json()["now"]
    bad = httpx.post(f"{stack.base}/dev/clock", json={"advance": "-P1D"})
    assert bad.status_code == 400 and httpx.get(f"{stack.base}/dev/clock").json()["now"] >= start
    mailbox = Mailbox(stack)

    filed = httpx.post(f"{api}/requests", headers=sofie, json=filing_body(email="sofie@example.be"))
    assert filed.status_code == 201, filed.text
    request = filed.json()["id"]
    advance(stack, "P6D")
    assert about(mailbox.since(), "Herinnering") == []

    # pending 7 days: the administrators are reminded, with the task link
    advance(stack, "P1DT1H")
    mails = mailbox.since()
    assert about(mails, "Herinnering") == [ELS, TOM]
    reminder = next(
        m for m in httpx.get(mailbox.url).json() if m["to"] == [ELS] and "Herinnering" in m["subject"]
    )
    assert f"/beheer/taken/{request}" in reminder["text"]

    # 14 days: again, and Sofie hears her request still waits, with their names and not their addresses
    advance(stack, "P7D")
    mails = mailbox.since()
    assert about(mails, "Herinnering") == [ELS, TOM]
    [waiting] = [
        m
        for m in httpx.get(mailbox.url).json()
        if m["to"] == ["sofie@example.be"] and "wacht nog" in m["subject"]
    ]
    assert "Els Wouters" in waiting["text"] and "zonnebloem.example" not in waiting["text"]

    # 30 days: expired, out of the open tasks, everyone told; the same request may be filed again
    advance(stack, "P16D")
    mails = mailbox.since()
    assert about(mails, "vervallen") == sorted([ELS, TOM, "sofie@example.be"])
    assert request not in [t["id"] for t in httpx.get(f"{api}/tasks", headers=els).json()["items"]]
    assert httpx.get(f"{api}/requests/{request}", headers=sofie).json()["status"] == "expired"
    events = httpx.get(f"{stack.base}/dev/events.json").json()
    assert any(
        e["detailType"] == "RequestExpired" and e["detail"]["request"]["id"] == request for e in events
    )
    again = httpx.post(f"{api}/requests", headers=sofie, json=filing_body(email="sofie@example.be"))
    assert again.status_code == 201, again.text
    decision = {"decision": "reject", "reason": "Niet bij ons."}
    assert (
        httpx.post(f"{api}/tasks/{again.json()['id']}/decision", headers=els, json=decision).status_code
        == 200
    )
    mailbox.since()

    # a grant ending in 40 days: announced 30 days before its end, to Élodie with the renewal link and
    # to the administrators; expired the day after its end, and Élodie is told
    today = date.fromisoformat(httpx.get(f"{stack.base}/dev/clock").json()["now"][:10])
    end = today + timedelta(days=40)
    body = {"person": ELODIE, "right": "DIMONA_MANDAAT_BEHEERDER", "endDate": end.isoformat()}
    granted = httpx.post(f"{api}/organizations/{ORG}/grants", headers=els, json=body)
    assert granted.status_code == 201, granted.text
    advance(stack, "P11D")
    mails = mailbox.since()
    assert about(mails, f"vervalt op {end:%d/%m/%Y}") == sorted([ELODIE_WORK, ELS, TOM])
    announced: list[dict[str, Any]] = [
        m for m in httpx.get(mailbox.url).json() if m["to"] == [ELODIE_WORK] and "vervalt op" in m["subject"]
    ]
    assert "ec=DIMONA_MANDAAT_BEHEERDER" in announced[0]["text"]
    advance(stack, "P30D")
    mails = mailbox.since()
    assert (
        ELODIE_WORK,
        "Uw gebruikersrecht Dimona mandaatbeheerder voor Bakkerij De Zonnebloem BV is vervallen",
    ) in mails
    people = httpx.get(f"{api}/organizations/{ORG}/people", headers=els, params={"q": "elodie"}).json()
    assert granted.json()["id"] not in [g["id"] for g in people["items"][0]["grants"]]

    # two years on: the closed requests are gone
    advance(stack, "P731D")
    mine = httpx.get(f"{api}/requests", headers=sofie).json()["items"]
    assert [r["id"] for r in mine] == []


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        ({"json": {"advance": "PT999999999999H"}}, 400, "invalid_input"),  # beyond what a date holds
        ({"json": {"advance": "PT87841H"}}, 400, "invalid_input"),  # 3660 days and an hour
        ({"json": {"advance": "P3661D"}}, 400, "invalid_input"),
        ({"json": ["P1D"]}, 400, "invalid_input"),
        (
            {"content": '{"advance": "P1D"}', "headers": {"Content-Type": "text/plain"}},
            415,
            "unsupported_media_type",
        ),
    ],
)
def test_the_clock_refuses_what_it_cannot_do_and_stays_where_it_is(
    stack: Stack, content: dict[str, Any], status: int, code: str
) -> None:
    def now() -> datetime:
        return datetime.fromisoformat(httpx.get(f"{stack.base}/dev/clock").json()["now"])

    before = now()
    answer = httpx.post(f"{stack.base}/dev/clock", timeout=10, **content)
    assert (answer.status_code, answer.headers["Content-Type"]) == (status, "application/problem+json")
    assert answer.json()["code"] == code and answer.json()["detail"]
    assert timedelta(0) <= now() - before < timedelta(minutes=1)  # real time only

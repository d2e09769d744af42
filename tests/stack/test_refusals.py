"""The sequence a first user walks, refusals in between, on one running stack: every refusal leaves
the outbox as it was, and every later event still mails within seconds.

Before the moto adapter made cancelled transactions leave no trace, the first refusal mailed a
confirmation for a request that did not exist and every mail after it was lost until a restart.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.stack.conftest import Stack, settled
from tests.stack.test_local_stack import bearer, login

ORGANIZATION = "0415327175"  # one administrator: Lotte Claes
ADMIN_MAIL = "lotte.claes@dierenwelzijn.example"
REQUESTER_MAIL = "jonas@example.be"


def _body(right: str, **overrides: Any) -> dict[str, Any]:
    return {
        "type": "user_right",
        "targetGroup": "EA",
        "organization": ORGANIZATION,
        "application": 45 if right.startswith("DIMONA") else 310,
        "right": right,
        "phone": "+3212345678",
        "email": REQUESTER_MAIL,
    } | overrides


class Outbox:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.url = f"{stack.base}/dev/outbox.json"
        self.seen: set[str] = set()

    def new_mails(self) -> list[dict[str, Any]]:
        return [m for m in httpx.get(self.url).json() if m["id"] not in self.seen]

    def expect(self, *wanted: tuple[str, str]) -> None:
        """Exactly these new mails (recipient, a text each holds) arrive within seconds, no others."""
        settled(self.stack)
        new = self.new_mails()
        got = sorted(
            (m["to"][0], next((t for to, t in wanted if to in m["to"] and t in m["subject"] + m["text"]), ""))
            for m in new
        )
        assert got == sorted(wanted), [(m["to"], m["subject"]) for m in new]
        self.seen |= {m["id"] for m in new}

    def expect_none(self) -> None:
        settled(self.stack)
        assert [(m["to"], m["subject"]) for m in self.new_mails()] == []


def _refused(response: httpx.Response, status: int, code: str) -> None:
    assert (response.status_code, response.headers["content-type"]) == (status, "application/problem+json")
    assert response.json()["code"] == code, response.text


def test_refusals_in_between_leave_no_mail_and_stop_none(stack: Stack) -> None:
    outbox = Outbox(stack)
    requester = bearer(login(stack, "aanvrager2"))
    administrator = bearer(login(stack, "beheerder-andere"))
    api = f"{stack.base}/api"

    # File, with an Idempotency-Key: the requester and the administrator are mailed.
    keyed = requester | {"Idempotency-Key": "eerste-aanvraag"}
    first = httpx.post(f"{api}/requests", headers=keyed, json=_body("DIMONA_MANDAAT_RAADPLEGER"))
    assert first.status_code == 201, first.text
    first_id = first.json()["id"]
    outbox.expect((REQUESTER_MAIL, "ontvangen"), (ADMIN_MAIL, first_id))

    # The same request again: refused, and nothing is mailed.
    _refused(
        httpx.post(f"{api}/requests", headers=requester, json=_body("DIMONA_MANDAAT_RAADPLEGER")),
        409,
        "duplicate_pending",
    )
    outbox.expect_none()

    # The key replayed: the first answer, nothing filed, nothing mailed.
    replay = httpx.post(f"{api}/requests", headers=keyed, json=_body("DIMONA_MANDAAT_RAADPLEGER"))
    assert (replay.status_code, replay.json()["id"]) == (201, first_id)
    assert replay.headers["idempotent-replayed"] == "true"
    outbox.expect_none()

    # The key reused for another request: refused.
    _refused(
        httpx.post(f"{api}/requests", headers=keyed, json=_body("DIMONA_MANDAAT_BEHEERDER")),
        409,
        "idempotency_key_reused",
    )
    outbox.expect_none()

    # Approved: the requester hears it (the deciding administrator is not mailed about their own act).
    decision = {"decision": "approve", "reason": "Medewerker van de vereniging."}
    approved = httpx.post(f"{api}/tasks/{first_id}/decision", headers=administrator, json=decision)
    assert approved.status_code == 200, approved.text
    outbox.expect((REQUESTER_MAIL, "goedgekeurd"))

    # Decided twice, then filed for what is now held: both refused, nothing mailed.
    _refused(
        httpx.post(f"{api}/tasks/{first_id}/decision", headers=administrator, json=decision),
        409,
        "already_decided",
    )
    _refused(
        httpx.post(f"{api}/requests", headers=requester, json=_body("DIMONA_MANDAAT_RAADPLEGER")),
        409,
        "already_granted",
    )
    outbox.expect_none()

    # Another request, cancelled, then cancelled again (refused).
    second = httpx.post(f"{api}/requests", headers=requester, json=_body("SUBSIDIE_AANVRAGER"))
    assert second.status_code == 201, second.text
    second_id = second.json()["id"]
    outbox.expect((REQUESTER_MAIL, "ontvangen"), (ADMIN_MAIL, second_id))
    cancelled = httpx.post(f"{api}/requests/{second_id}/cancel", headers=requester)
    assert cancelled.status_code == 200, cancelled.text
    outbox.expect((ADMIN_MAIL, "ingetrokken"))
    _refused(httpx.post(f"{api}/requests/{second_id}/cancel", headers=requester), 409, "already_decided")
    outbox.expect_none()

    # After all of it, a new filing still mails within seconds.
    third = httpx.post(f"{api}/requests", headers=requester, json=_body("DIMONA_MANDAAT_BEHEERDER"))
    assert third.status_code == 201, third.text
    outbox.expect((REQUESTER_MAIL, "ontvangen"), (ADMIN_MAIL, third.json()["id"]))


def test_ten_identical_filings_at_once_over_http_file_one_and_mail_once(stack: Stack) -> None:
    """The gateway runs them in separate execution environments at once, as Lambda would."""
    import threading

    requester = bearer(login(stack, "aanvrager"))
    together = threading.Barrier(10)
    answers: list[httpx.Response] = []

    def file() -> None:
        together.wait()
        body = _body("SUBSIDIE_AANVRAGER", email="sofie.race@example.be")
        answers.append(httpx.post(f"{stack.base}/api/requests", headers=requester, json=body, timeout=30))

    threads = [threading.Thread(target=file) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [201] + [409] * 9
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"duplicate_pending"}
    [created] = [a.json()["id"] for a in answers if a.status_code == 201]
    settled(stack)
    mails = httpx.get(f"{stack.base}/dev/outbox.json").json()
    assert len([m for m in mails if m["to"] == ["sofie.race@example.be"]]) == 1
    assert len([m for m in mails if m["to"] == [ADMIN_MAIL] and created in m["text"]]) == 1

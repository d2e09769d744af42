"""An application integrating over HTTP on a running stack (docs/applications.md), as its developers would:
a client-credentials token from the provider, its grants, then a change made through the
person-facing API that it sees both in `changedSince` and on the bus (`/dev/events.json`); and the
refusals in between."""

from __future__ import annotations

from typing import Any

import httpx

from tests.stack.conftest import Stack, settled
from tests.stack.test_local_stack import bearer, login

ORG = "0428364866"
ELODIE = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a32"


def client_token(stack: Stack, client_id: str, secret: str, **form: str) -> httpx.Response:
    return httpx.post(
        f"{stack.base}/dev-idp/token",
        data={"grant_type": "client_credentials", **form},
        auth=(client_id, secret),
    )


def once_settled(stack: Stack, condition: Any) -> Any:
    settled(stack)
    return condition()


def test_an_application_reads_its_grants_and_follows_a_change_in_changed_since_and_on_the_bus(
    stack: Stack,
) -> None:
    clients = {c["id"]: c for c in httpx.get(f"{stack.base}/dev-idp/clients").json()}
    dimona = clients["dimona-mandaat"]
    assert (dimona["applications"], dimona["scopes"]) == ([45], ["grants.read"])
    discovery = httpx.get(f"{stack.base}/dev-idp/.well-known/openid-configuration").json()
    assert "client_credentials" in discovery["grant_types_supported"]

    # the wrong secret, a scope it does not have: no token
    assert client_token(stack, "dimona-mandaat", "verkeerd").status_code == 401
    assert client_token(stack, "dimona-mandaat", dimona["secret"], scope="grants.write").status_code == 400
    issued = client_token(stack, "dimona-mandaat", dimona["secret"])
    assert issued.status_code == 200, issued.text
    machine = {"Authorization": f"Bearer {issued.json()['access_token']}"}
    grants_url = f"{stack.base}/api/applications/45/grants"

    # its own application, not another; no token at all; a person's token; and a person route
    active = httpx.get(grants_url, headers=machine)
    assert active.status_code == 200, active.text
    assert {g["person"]["sub"] for g in active.json()["items"]} >= {"5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a31"}
    assert httpx.get(f"{stack.base}/api/applications/310/grants", headers=machine).status_code == 403
    assert httpx.get(grants_url).status_code == 401
    els = bearer(login(stack, "beheerder"))
    refused = httpx.get(grants_url, headers=els)
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert httpx.get(f"{stack.base}/api/me", headers=machine).status_code == 403

    # where it stands: the last change it has seen
    since = max(g["changedAt"] for g in active.json()["items"])
    events_before = {e["detail"]["eventId"] for e in httpx.get(f"{stack.base}/dev/events.json").json()}

    # Els grants Élodie a Dimona right through the person-facing API
    body = {"person": ELODIE, "right": "DIMONA_MANDAAT_BEHEERDER"}
    granted = httpx.post(f"{stack.base}/api/organizations/{ORG}/grants", headers=els, json=body)
    assert granted.status_code == 201, granted.text
    grant_id = granted.json()["id"]

    def changed() -> list[dict[str, Any]]:
        answer = httpx.get(grants_url, headers=machine, params={"changedSince": since})
        assert answer.status_code == 200, answer.text
        return [g for g in answer.json()["items"] if g["id"] == grant_id]

    # not listed while it may still settle (the API lists changes a few seconds old): an hour later,
    # by the development clock, listed once, with its status
    assert changed() == []
    moved = httpx.post(f"{stack.base}/dev/clock", json={"advance": "PT1H"})
    assert moved.status_code == 200, moved.text
    [change] = changed()
    assert change["status"] == "active" and change["changedAt"] > since

    def on_the_bus() -> list[dict[str, Any]]:
        events = httpx.get(f"{stack.base}/dev/events.json").json()
        return [
            e
            for e in events
            if e["detail"]["eventId"] not in events_before
            and e["detailType"] == "GrantCreated"
            and e["detail"]["grant"]["id"] == grant_id
        ]

    [event] = once_settled(stack, on_the_bus)
    assert event["source"] == "zelfregistratie"
    assert event["detail"]["grant"]["application"]["id"] == 45
    assert "@" not in str(event)
    page = httpx.get(f"{stack.base}/dev/events")
    assert page.status_code == 200 and "GrantCreated" in page.text

"""An approval that races another change reads again and applies the rules to what it finds: a grant
revoked meanwhile is granted anew, a work relationship ended meanwhile is created again (rule 5).
`concurrent_change` is the last resort, not the answer to a race that can be resolved.

Each race is made certain: the other change lands between the approval's reads and its write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from ops.load_data import Persona
from tests.api import Api, claims_for
from tests.factories import filing_body
from zelfregistratie.api.identity import caller_from_claims
from zelfregistratie.domain import clock
from zelfregistratie.logic import rights
from zelfregistratie.store.requests import Requests
from zelfregistratie.store.store import Store

ORG = "0428364866"
APPROVE = {"decision": "approve", "reason": "In orde."}


def race_before_the_write(
    monkeypatch: pytest.MonkeyPatch, other_change: Callable[[Store], None]
) -> list[str]:
    """The approval's transaction meets `other_change`, made just before its first try's write."""
    original = Requests.decide
    raced: list[str] = []

    def decide(self: Requests, *args: Any, **kwargs: Any) -> Any:
        if not raced:
            raced.append("raced")
            other_change(Store.connect(self._table.name, self._table.client))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Requests, "decide", decide)
    return raced


def _held(api: Api, persona: Persona, right: str) -> list[dict[str, Any]]:
    grants = api.call("GET", "/api/me", caller=persona).body["grants"]
    return [g for g in grants if g["right"]["code"] == right]


def test_approving_a_renewal_while_the_grant_is_revoked_grants_it_anew(
    api: Api, personas: dict[str, Persona], monkeypatch: pytest.MonkeyPatch
) -> None:
    erwin, els = personas["medewerker"], personas["beheerder"]
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 1, 31, 8, 0, tzinfo=UTC))  # expiring by then
    [held] = _held(api, erwin, "SUBSIDIE_AANVRAGER")
    assert held["status"] == "expiring"
    filed = api.call(
        "POST", "/api/requests", caller=erwin, body=filing_body(right="SUBSIDIE_AANVRAGER", application=310)
    )
    assert filed.status == 201 and filed.body["renewal"] is True, filed.body

    def revoke(store: Store) -> None:
        actor = caller_from_claims(claims_for(els))
        now = clock.now()
        rights.revoke(store, actor, held["id"], "Vertrokken.", now=now, today=clock.today(now))

    raced = race_before_the_write(monkeypatch, revoke)
    approved = api.call("POST", f"/api/tasks/{filed.body['id']}/decision", caller=els, body=APPROVE)

    assert raced and approved.status == 200, approved.body
    assert approved.body["status"] == "approved"
    [granted] = _held(api, erwin, "SUBSIDIE_AANVRAGER")  # /api/me lists what is active
    assert granted["id"] != held["id"] and granted["status"] == "active"


def test_approving_while_the_work_relationship_is_ended_creates_it_again(
    api: Api, personas: dict[str, Persona], monkeypatch: pytest.MonkeyPatch
) -> None:
    erwin, els = personas["medewerker"], personas["beheerder"]
    people = api.call("GET", f"/api/organizations/{ORG}/people", caller=els).body["items"]
    [line] = [p for p in people if p["sub"] == erwin.sub]
    ended_id = line["workRelationship"]["id"]
    filed = api.call(
        "POST", "/api/requests", caller=erwin, body=filing_body(right="DIMONA_MANDAAT_BEHEERDER")
    )
    assert filed.status == 201, filed.body

    def end(store: Store) -> None:
        actor = caller_from_claims(claims_for(els))
        now = clock.now()
        rights.end_work_relationship(store, actor, ended_id, "Uit dienst.", now=now, today=clock.today(now))

    raced = race_before_the_write(monkeypatch, end)
    approved = api.call("POST", f"/api/tasks/{filed.body['id']}/decision", caller=els, body=APPROVE)

    assert raced and approved.status == 200, approved.body
    people = api.call("GET", f"/api/organizations/{ORG}/people", caller=els).body["items"]
    [line] = [p for p in people if p["sub"] == erwin.sub]
    assert line["workRelationship"]["id"] != ended_id  # a new one, since the approval (rule 5)
    assert [g["right"]["code"] for g in line["grants"]] == ["DIMONA_MANDAAT_BEHEERDER"]

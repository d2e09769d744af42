"""Which table changes are request events, from the stream's typed images."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import TODAY, a_grant, a_request
from tests.unit.test_domain_rules import ENDING
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.requests import RequestEvent
from zelfregistratie.domain.rights import GrantChange
from zelfregistratie.store import changes
from zelfregistratie.store.changes import request_event
from zelfregistratie.store.person_items import grant_items
from zelfregistratie.store.request_items import request_item


def image(kind: str, status: str | None = None) -> dict[str, dict[str, str]]:
    return {"kind": {"S": kind}, **({"status": {"S": status}} if status else {})}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (None, image("request", "pending"), RequestEvent.FILED),
        (image("request", "pending"), image("request", "approved"), RequestEvent.DECIDED),
        (image("request", "pending"), image("request", "rejected"), RequestEvent.DECIDED),
        (image("request", "pending"), image("request", "cancelled"), RequestEvent.CANCELLED),
        (image("request", "pending"), image("request", "pending"), None),
        (image("request", "approved"), None, None),
        (None, image("grant"), None),
        (None, image("pending_guard"), None),
        (None, {"PK": {"S": "IDEMPOTENCY#x"}}, None),
    ],
)
def test_request_events(
    old: dict[str, Any] | None, new: dict[str, Any] | None, expected: RequestEvent | None
) -> None:
    assert request_event(old, new) is expected


def _record(
    old: dict[str, Any] | None, new: dict[str, Any] | None, sort_key: str = "#GRANT"
) -> dict[str, Any]:
    return {"eventID": "e1", "dynamodb": {"Keys": {"SK": {"S": sort_key}}, "OldImage": old, "NewImage": new}}


def test_a_record_is_read_once_into_its_typed_change() -> None:
    grant = a_grant(a_request())
    created, _ = grant_items(grant, Periods())
    warned, _ = grant_items(grant.warn()[0], Periods())
    revoked, _ = grant_items(grant.revoke(ENDING, TODAY)[0], Periods())

    assert changes.read(_record(None, created)).grant == (GrantChange.CREATED, grant)
    read_warning = changes.read(_record(created, warned)).grant
    assert read_warning is not None and read_warning[0] is GrantChange.WARNED
    read_revocation = changes.read(_record(created, revoked)).grant
    assert read_revocation is not None and read_revocation[0] is GrantChange.REVOKED
    assert read_revocation[1].revocation == ENDING

    same = changes.read(_record(warned, warned))
    assert same.grant is None and not same.matters, "a change of nothing that counts: nothing to do"
    assert not changes.read(
        _record(None, {"PK": {"S": "IDEMPOTENCY#x"}, "kind": {"S": "idempotency"}})
    ).matters

    filed = changes.read(_record(None, request_item(a_request(), Periods()), sort_key="#REQUEST"))
    assert filed.matters and filed.request is not None and filed.request[0] is RequestEvent.FILED
    assert filed.request[1].requester_name == "Sofie Peeters"

"""The API's JSON, as the contract words it: camelCase keys, instants in UTC with `Z`, dates as
`YYYY-MM-DD`, enums by value, every field present (null when empty)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from zelfregistratie.api.views import dumps, page_view, request_view
from zelfregistratie.domain.entities import Outcome, RequestStatus, RequestType, TargetGroup
from zelfregistratie.domain.requests import AccessRequest, Decision

AT = datetime(2026, 11, 28, 9, 30, 15, tzinfo=UTC)
APPROVED = AccessRequest(
    id="0193a1b2-0000-7000-8000-000000000001",
    type=RequestType.USER_RIGHT,
    status=RequestStatus.APPROVED,
    requester="sub-1",
    requester_name="Sofie Peeters",
    target_group=TargetGroup.EA,
    organization="0428364866",
    organization_name="Voorbeeld BV",
    application_id=45,
    application_name="Dimona",
    right="DIMONA_MANDAAT_BEHEERDER",
    right_name="Mandaatbeheerder",
    phone="+3212345678",
    email="sofie@example.be",
    reason="Nieuwe functie – €",
    created_at=AT,
    decision=Decision(outcome=Outcome.APPROVED, by_person="a", by_name="Els Wouters", at=AT, reason="Ok."),
    grant_begin=date(2026, 11, 28),
    grant_end=date(2028, 11, 28),
)


def test_a_request_is_answered_in_the_contracts_shape() -> None:
    assert json.loads(dumps(request_view(APPROVED))) == {
        "id": APPROVED.id,
        "number": "0000-0001",  # the id's last eight hex digits, for the helpdesk
        "type": "user_right",
        "status": "approved",
        "targetGroup": "EA",
        "organization": {"code": "0428364866", "name": "Voorbeeld BV"},
        "application": {"id": 45, "name": "Dimona"},
        "right": {"code": "DIMONA_MANDAAT_BEHEERDER", "name": "Mandaatbeheerder"},
        "context": None,
        "phone": "+3212345678",
        "email": "sofie@example.be",
        "reason": "Nieuwe functie – €",
        "createdAt": "2026-11-28T09:30:15Z",
        "cancelledAt": None,
        "decision": {
            "outcome": "approved",
            "by": {"name": "Els Wouters"},
            "at": "2026-11-28T09:30:15Z",
            "reason": "Ok.",
        },
        "grant": {"begin": "2026-11-28", "end": "2028-11-28"},
        "renewal": False,
    }


def test_json_is_compact_utf8_and_pages_name_their_cursor() -> None:
    text = dumps(page_view([request_view(APPROVED)], "abc"))
    assert '"reason":"Nieuwe functie – €"' in text and ", " not in text
    assert json.loads(text)["nextCursor"] == "abc"

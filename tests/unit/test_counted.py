"""What a stream record's change does to its organisation's counts (store/counts.counted), no moto."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import ORG, a_grant, a_request
from zelfregistratie.domain.requests import RequestEvent
from zelfregistratie.domain.rights import GrantChange, WorkRelationship, WorkRelationshipChange
from zelfregistratie.store.changes import Change
from zelfregistratie.store.counts import Counted, counted


@pytest.mark.parametrize(
    ("event", "step"),
    [
        (RequestEvent.FILED, 1),
        (RequestEvent.DECIDED, -1),
        (RequestEvent.CANCELLED, -1),
        (RequestEvent.EXPIRED, -1),
        (RequestEvent.REMINDED, 0),
        (RequestEvent.REMINDED_AGAIN, 0),
    ],
)
def test_a_filing_opens_a_task_and_its_end_closes_it(event: RequestEvent, step: int) -> None:
    found = counted(Change("e1", request=(event, a_request())))
    assert found == (Counted("e1", ORG, open_tasks=step) if step else None)


@pytest.mark.parametrize(
    ("what", "step"),
    [
        (GrantChange.CREATED, 1),
        (GrantChange.REVOKED, -1),
        (GrantChange.EXPIRED, -1),
        (GrantChange.RENEWED, 0),
        (GrantChange.WARNED, 0),
    ],
)
def test_a_grant_counts_from_its_creation_to_its_revocation_or_expiry(what: GrantChange, step: int) -> None:
    found = counted(Change("e2", grant=(what, a_grant(a_request()))))
    assert found == (Counted("e2", ORG, active_grants=step) if step else None)


def test_a_work_relationship_puts_its_person_on_the_list_until_it_ends() -> None:
    relationship = WorkRelationship(person="p", organization=ORG, since=date(2026, 1, 1))
    assert counted(Change("e3", work_relationship=(WorkRelationshipChange.CREATED, relationship))) == Counted(
        "e3", ORG, people=1
    )
    assert counted(Change("e4", work_relationship=(WorkRelationshipChange.ENDED, relationship))) == Counted(
        "e4", ORG, people=-1
    )
    assert counted(Change("e5")) is None

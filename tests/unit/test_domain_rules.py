"""The domain's rules, as plain Python: no table, no moto. Each state change enforces its rule and
returns the new value with what happened; the store only writes what these return."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import NOW, TODAY, a_grant, a_request, an_approval
from zelfregistratie.domain import lifecycle
from zelfregistratie.domain.entities import Outcome, RequestStatus, end_within
from zelfregistratie.domain.errors import AlreadyDecided, AlreadyEnded, InvalidInput
from zelfregistratie.domain.lifecycle import Step
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.requests import RequestEvent
from zelfregistratie.domain.rights import (
    Ending,
    GrantChange,
    GrantStatus,
    WorkRelationship,
    WorkRelationshipChange,
)

DEFAULTS = Periods()
LATER = NOW + timedelta(hours=2)
ENDING = Ending(by_person="els", by_name="Els Wouters", at=LATER, reason="Weg.")


def test_a_pending_request_is_approved_with_its_grant_s_period_once() -> None:
    request = a_request()
    approved, happened = request.decide(an_approval(), TODAY, date(2028, 11, 28))
    assert happened is RequestEvent.DECIDED
    assert approved.status is RequestStatus.APPROVED
    assert (approved.grant_begin, approved.grant_end) == (TODAY, date(2028, 11, 28))
    assert request.status is RequestStatus.PENDING, "the old value is left as it was"
    with pytest.raises(AlreadyDecided):
        approved.decide(an_approval())


def test_a_rejection_keeps_no_grant_period() -> None:
    rejection = replace(an_approval(), outcome=Outcome.REJECTED)
    rejected, _ = a_request().decide(rejection, TODAY, date(2028, 11, 28))
    assert rejected.status is RequestStatus.REJECTED and rejected.grant_end is None


@pytest.mark.parametrize("close", ["cancel", "expire"])
def test_cancelled_or_expired_a_request_can_no_longer_be_decided_cancelled_or_reminded(close: str) -> None:
    closed, happened = getattr(a_request(), close)(LATER)
    assert happened is {"cancel": RequestEvent.CANCELLED, "expire": RequestEvent.EXPIRED}[close]
    assert closed.closed_at == LATER
    for step in (lambda: closed.decide(an_approval()), lambda: closed.cancel(LATER), closed.remind):
        with pytest.raises(AlreadyDecided):
            step()


def test_the_first_reminder_then_the_second() -> None:
    once, first = a_request().remind()
    twice, second = once.remind()
    assert (first, second) == (RequestEvent.REMINDED, RequestEvent.REMINDED_AGAIN)
    assert twice.reminders == 2


def test_a_request_s_next_step_follows_the_periods_it_is_given() -> None:
    request = a_request(created_at=NOW)
    short = Periods.of_days(first_reminder=2, second_reminder=4, request_expiry=6)
    assert lifecycle.request_due(request, DEFAULTS) == (Step.FIRST_REMINDER, NOW + timedelta(days=7))
    assert lifecycle.request_due(request, short) == (Step.FIRST_REMINDER, NOW + timedelta(days=2))
    reminded, _ = request.remind()
    assert lifecycle.request_due(reminded, short) == (Step.SECOND_REMINDER, NOW + timedelta(days=4))
    expired, _ = request.expire(LATER)
    assert lifecycle.request_due(expired, short) is None


def test_the_end_date_window_is_today_to_today_plus_the_validity() -> None:
    assert end_within(TODAY, 24, None) == date(2028, 11, 28)
    assert end_within(TODAY, 24, TODAY) == TODAY
    for wrong in (TODAY - timedelta(days=1), date(2028, 11, 29)):
        with pytest.raises(InvalidInput) as refused:
            end_within(TODAY, 24, wrong)
        [error] = refused.value.errors
        assert (error.field, error.reason) == ("endDate", "end_date_window")
        assert error.facts == {"earliest": TODAY, "latest": date(2028, 11, 28)}
    request = replace(a_request(), right_validity_months=6)
    assert request.latest_end(TODAY) == date(2027, 5, 28)
    assert request.chosen_end(TODAY, None) == date(2027, 5, 28)


def test_a_grant_is_expiring_within_the_warning_period_it_is_given() -> None:
    grant = a_grant(a_request(), end=TODAY + timedelta(days=20))
    assert grant.status(TODAY, DEFAULTS) is GrantStatus.EXPIRING
    assert grant.status(TODAY, Periods.of_days(grant_warning=10)) is GrantStatus.ACTIVE
    assert grant.status(TODAY + timedelta(days=21), DEFAULTS) is GrantStatus.EXPIRED
    assert lifecycle.renewable_until(TODAY, DEFAULTS) == TODAY + timedelta(days=30)


def test_a_grant_is_revoked_once_and_a_revoked_one_is_not_renewed() -> None:
    grant = a_grant(a_request())
    revoked, happened = grant.revoke(ENDING, TODAY)
    assert happened is GrantChange.REVOKED
    assert revoked.status(TODAY, DEFAULTS) is GrantStatus.REVOKED and revoked.changed_at == LATER
    with pytest.raises(AlreadyEnded):
        revoked.revoke(ENDING, TODAY)
    with pytest.raises(AlreadyEnded):
        revoked.renew(date(2030, 1, 1), LATER)
    with pytest.raises(AlreadyEnded):
        a_grant(a_request(), end=TODAY - timedelta(days=1)).revoke(ENDING, TODAY)


def test_a_renewal_keeps_the_grant_and_moves_its_end_an_expiry_ends_it() -> None:
    grant = replace(a_grant(a_request()), expired_at=NOW)
    renewed, happened = grant.renew(date(2030, 1, 1), LATER)
    assert happened is GrantChange.RENEWED
    assert (renewed.id, renewed.begin, renewed.end, renewed.expired_at) == (
        grant.id,
        grant.begin,
        date(2030, 1, 1),
        None,
    )
    warned, happened = renewed.warn()
    assert happened is GrantChange.WARNED and warned.warned_end == date(2030, 1, 1)
    assert lifecycle.grant_due(warned, DEFAULTS) == (
        Step.GRANT_EXPIRY,
        datetime(2030, 1, 1, 23, 0, tzinfo=UTC),
    )
    expired, happened = warned.expire(LATER)
    assert happened is GrantChange.EXPIRED and not expired.is_active(TODAY)
    assert lifecycle.grant_due(expired, DEFAULTS) is None


def test_a_work_relationship_ends_once() -> None:
    relationship = WorkRelationship(person="sofie", organization="0428364866", since=TODAY)
    ended, happened = relationship.end_by(ENDING, TODAY)
    assert happened is WorkRelationshipChange.ENDED
    assert (ended.end, ended.ending) == (TODAY, ENDING)
    with pytest.raises(AlreadyEnded):
        ended.end_by(ENDING, TODAY)

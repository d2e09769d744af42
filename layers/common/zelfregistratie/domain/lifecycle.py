"""Lifecycle (docs/lifecycle.md): when a pending request is reminded of and expires, when a grant is
announced as expiring and expires, and how long what ended is kept.

Each request or grant has at most one timer, its next step: the store keys it in the due index by
`due` (docs/lifecycle.md). The periods are the template's parameters, passed in (`periods.py`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from zelfregistratie.domain.clock import start_of
from zelfregistratie.domain.entities import RequestStatus
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.requests import AccessRequest
from zelfregistratie.domain.rights import Grant


class Step(StrEnum):
    FIRST_REMINDER = "first_reminder"
    SECOND_REMINDER = "second_reminder"
    REQUEST_EXPIRY = "request_expiry"
    GRANT_WARNING = "grant_warning"
    GRANT_EXPIRY = "grant_expiry"


class Due(NamedTuple):
    step: Step
    at: datetime


def request_due(request: AccessRequest, periods: Periods) -> Due | None:
    """A pending request's next step: a reminder, a second one, its expiry."""
    if request.status is not RequestStatus.PENDING:
        return None
    steps = (
        (Step.FIRST_REMINDER, periods.first_reminder),
        (Step.SECOND_REMINDER, periods.second_reminder),
        (Step.REQUEST_EXPIRY, periods.request_expiry),
    )
    step, after = steps[min(request.reminders, len(steps) - 1)]
    return Due(step, request.created_at + after)


def grant_due(grant: Grant, periods: Periods) -> Due | None:
    """A held grant's next step: the warning for its end date (once per end date: a renewal's new end
    is announced again), then its expiry at the start of the day after its end (Brussels)."""
    if grant.revocation is not None or grant.expired_at is not None:
        return None
    if grant.warned_end != grant.end:
        # one made (or renewed) inside the window is announced at the next run
        warning = start_of(grant.end - periods.grant_warning)
        return Due(Step.GRANT_WARNING, max(warning, grant.changed_at) if grant.changed_at else warning)
    return Due(Step.GRANT_EXPIRY, start_of(grant.end + timedelta(days=1)))


def renewable_until(today: date, periods: Periods) -> date:
    """A grant that ends by this day is `expiring`: a request for its right renews it."""
    return today + periods.grant_warning


def kept_until(ended: datetime, periods: Periods) -> datetime:
    """When what ended (closed, revoked, expired, written) at `ended` is deleted."""
    return ended + periods.retention

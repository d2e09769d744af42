"""Aanvragen: a person's request for a right or a work relationship, and the changes of its state.

Each change is a method that enforces the rule and returns the new request with what happened (a
`RequestEvent`, what notify mails and publishes); the store writes it with the conditions that hold
the rule under concurrency too.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum

from zelfregistratie.domain.entities import (
    Outcome,
    RequestStatus,
    RequestType,
    TargetGroup,
    add_months,
    end_within,
)
from zelfregistratie.domain.errors import AlreadyDecided

DEFAULT_VALIDITY_MONTHS = 24  # a right whose validity is not known when filed


class RequestEvent(StrEnum):
    FILED = "filed"
    DECIDED = "decided"
    CANCELLED = "cancelled"
    REMINDED = "reminded"  # pending a week: the administrators are reminded
    REMINDED_AGAIN = "reminded_again"  # two weeks: again, and the requester hears it still waits
    EXPIRED = "expired"  # a month: no longer waits


@dataclass(frozen=True, kw_only=True)
class Decision:
    """A local administrator's approval or rejection of a request, with the reason given."""

    outcome: Outcome
    by_person: str
    by_name: str
    at: datetime
    reason: str


@dataclass(frozen=True, kw_only=True)
class AccessRequest:
    """Aanvraag: a person asks for a right or a work relationship; its task shares its id."""

    id: str
    type: RequestType
    status: RequestStatus = RequestStatus.PENDING
    requester: str
    requester_name: str
    target_group: TargetGroup
    organization: str
    organization_name: str | None = None
    application_id: int | None = None
    application_name: str | None = None
    right: str | None = None
    right_name: str | None = None
    # The right's validity when filed: decisions and task details need no catalog read.
    right_validity_months: int | None = None
    context: str | None = None
    phone: str
    email: str
    reason: str | None = None
    created_at: datetime
    decision: Decision | None = None
    cancelled_at: datetime | None = None
    grant_begin: date | None = None
    grant_end: date | None = None
    # The administrators whose task list holds this task (their subs).
    assignees: frozenset[str] = frozenset()
    # Reminders sent to the administrators (docs/lifecycle.md), and when it expired unanswered.
    reminders: int = 0
    expired_at: datetime | None = None
    # Filed while the same right's grant was `expiring`: approving gives that grant (its id) a new end.
    renews: str | None = None

    @property
    def renewal(self) -> bool:
        return self.renews is not None

    @property
    def closed_at(self) -> datetime | None:
        """When it stopped waiting (decided, cancelled, expired): retention counts from here."""
        if self.decision is not None:
            return self.decision.at
        return self.cancelled_at or self.expired_at

    @property
    def number(self) -> str:
        """The request number people read out to the 1700 helpdesk: the id's last eight hex digits
        (random bits of the UUIDv7), e.g. `3F9A-1C2B`. The full id stays the key."""
        tail = self.id.replace("-", "")[-8:].upper()
        return f"{tail[:4]}-{tail[4:]}"

    def _pending(self) -> None:
        if self.status is not RequestStatus.PENDING:
            raise AlreadyDecided()

    def decide(
        self, decision: Decision, grant_begin: date | None = None, grant_end: date | None = None
    ) -> tuple[AccessRequest, RequestEvent]:
        """Pending → approved or rejected, as `decision` says; approved with the grant's period, if any.
        A request no longer pending: `already_decided`."""
        self._pending()
        approved = decision.outcome is Outcome.APPROVED
        status = RequestStatus.APPROVED if approved else RequestStatus.REJECTED
        decided = replace(self, status=status, decision=decision)
        if approved and grant_end is not None:
            decided = replace(decided, grant_begin=grant_begin, grant_end=grant_end)
        return decided, RequestEvent.DECIDED

    def cancel(self, at: datetime) -> tuple[AccessRequest, RequestEvent]:
        """Pending → cancelled by the person; one no longer pending: `already_decided`."""
        self._pending()
        return replace(self, status=RequestStatus.CANCELLED, cancelled_at=at), RequestEvent.CANCELLED

    def remind(self) -> tuple[AccessRequest, RequestEvent]:
        """A reminder to the administrators went out: the first, or the second (the requester hears too)."""
        self._pending()
        again = self.reminders >= 1
        reminded = replace(self, reminders=self.reminders + 1)
        return reminded, RequestEvent.REMINDED_AGAIN if again else RequestEvent.REMINDED

    def expire(self, at: datetime) -> tuple[AccessRequest, RequestEvent]:
        """Pending too long → expired."""
        self._pending()
        return replace(self, status=RequestStatus.EXPIRED, expired_at=at), RequestEvent.EXPIRED

    def latest_end(self, begin: date) -> date:
        """The latest end a grant beginning on `begin` may get: the right's validity as filed."""
        return add_months(begin, self.right_validity_months or DEFAULT_VALIDITY_MONTHS)

    def chosen_end(self, today: date, wanted: date | None) -> date:
        """The end of the grant approving it today gives: `wanted`, within the window (`end_within`)."""
        return end_within(today, self.right_validity_months or DEFAULT_VALIDITY_MONTHS, wanted)

    def __post_init__(self) -> None:
        if (self.type is RequestType.USER_RIGHT) != (self.right is not None):
            raise ValueError("a user_right request names a right; a work_relation request does not")


def new_request_id(now_ms: int) -> str:
    """A UUIDv7 (RFC 9562): unique, and sorting ids sorts requests by creation time.

    Python 3.13 (the Lambda runtime) has no `uuid.uuid7`; the layout is 48 bits of Unix milliseconds,
    the version and variant bits, and 74 random bits.
    """
    value = (now_ms & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10)) & ((1 << 80) - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 9562 variant
    return str(uuid.UUID(int=value))


def request_created_at(request_id: str) -> datetime:
    """When a request was filed: the milliseconds at the front of its UUIDv7."""
    millis = uuid.UUID(request_id).int >> 80
    return datetime.fromtimestamp(millis / 1000, UTC)


def is_request_id(value: str) -> bool:
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return False
    return parsed.version == 7 and str(parsed) == value

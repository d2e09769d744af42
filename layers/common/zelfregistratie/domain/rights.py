"""People's rights in an organisation (docs/rules.md § Managing rights): work relationships and grants, each
with a stable id, kept after they end; and a person as an organisation's people list shows them."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from zelfregistratie.domain.errors import AlreadyEnded
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.requests import AccessRequest


def folded(text: str) -> str:
    """A name as search and sorting compare it: without case or accents ("Élodie" ~ "elodie")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# A name is found by the start of any of its words: at most this many starts are kept (the store's name
# index writes one entry per start).
NAME_STARTS = 8


def name_starts(name: str) -> list[str]:
    """Where a search may begin in a name: the folded name from the start of each of its words on
    ("Anne-Marie De Smet" → "anne-marie de smet", "marie de smet", "de smet", "smet")."""
    text = searched(name)
    starts = [i for i, c in enumerate(text) if c.isalnum() and (i == 0 or not text[i - 1].isalnum())]
    return [text[i:] for i in starts[:NAME_STARTS]]


def searched(text: str) -> str:
    """Text as a name search compares it: folded, its spaces collapsed."""
    return " ".join(folded(text).split())


def new_id() -> str:
    """An opaque, stable id for a grant or a work relationship."""
    return str(uuid.uuid4())


class GrantStatus(StrEnum):
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"


class WorkRelationshipStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class GrantChange(StrEnum):
    """What happened to a grant: what its state changes return."""

    CREATED = "created"
    RENEWED = "renewed"
    REVOKED = "revoked"
    WARNED = "warned"  # its coming end was announced
    EXPIRED = "expired"


class WorkRelationshipChange(StrEnum):
    CREATED = "created"
    ENDED = "ended"


@dataclass(frozen=True, kw_only=True)
class Ending:
    """Who ended a grant or work relationship before its time, when, and why (optional for the
    person themselves)."""

    by_person: str
    by_name: str
    at: datetime
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class WorkRelationship:
    """Werkrelatie: a person works for an organisation; holds the work e-mail and phone."""

    id: str = field(default_factory=new_id)
    person: str
    person_name: str | None = None
    organization: str
    organization_name: str | None = None
    email: str | None = None
    phone: str | None = None
    since: date
    end: date | None = None
    ending: Ending | None = None

    @property
    def status(self) -> WorkRelationshipStatus:
        return WorkRelationshipStatus.ACTIVE if self.end is None else WorkRelationshipStatus.ENDED

    def end_by(self, ending: Ending, today: date) -> tuple[WorkRelationship, WorkRelationshipChange]:
        """Ended today, by whom and why; one ended already: `already_ended`."""
        if self.end is not None:
            raise AlreadyEnded()
        return replace(self, end=today, ending=ending), WorkRelationshipChange.ENDED

    @classmethod
    def for_request(cls, request: AccessRequest, since: date) -> WorkRelationship:
        """The work relationship approving this request creates, where the person has none yet."""
        return cls(
            person=request.requester,
            person_name=request.requester_name,
            organization=request.organization,
            organization_name=request.organization_name,
            email=request.email,
            phone=request.phone,
            since=since,
        )


@dataclass(frozen=True, kw_only=True)
class Grant:
    """Toekenning: a right held by a person for an organisation (and context), from `begin` to `end`."""

    id: str = field(default_factory=new_id)
    person: str
    person_name: str | None = None
    organization: str
    organization_name: str | None = None
    application_id: int | None = None
    application_name: str | None = None
    right: str
    right_name: str | None = None
    context: str | None = None
    begin: date
    end: date
    request_id: str | None = None
    # The holder's work e-mail when granted: where mails about this grant go.
    email: str | None = None
    revocation: Ending | None = None
    # When it last changed (created, renewed, revoked, expired): the application grants API's `changedAt`.
    changed_at: datetime | None = None
    # The end date whose coming expiry was announced (once per end date), and when it expired.
    warned_end: date | None = None
    expired_at: datetime | None = None

    def status(self, today: date, periods: Periods) -> GrantStatus:
        """What the grant is on `today` (Brussels): validity is enforced when read, not by a timer."""
        if self.revocation is not None:
            return GrantStatus.REVOKED
        if not self.is_active(today):
            return GrantStatus.EXPIRED
        # this close to its end it is `expiring` (docs/lifecycle.md): its holder may renew it
        return GrantStatus.EXPIRING if self.end - today <= periods.grant_warning else GrantStatus.ACTIVE

    def is_active(self, today: date) -> bool:
        """Held (`active` or `expiring`): neither revoked nor past its end nor expired."""
        return self.revocation is None and self.end >= today and self.expired_at is None

    def revoke(self, ending: Ending, today: date) -> tuple[Grant, GrantChange]:
        """Herroepen (or given up by its holder) before its time; one no longer held: `already_ended`."""
        if not self.is_active(today):
            raise AlreadyEnded()
        return replace(self, revocation=ending, changed_at=ending.at), GrantChange.REVOKED

    def renew(self, end: date, at: datetime) -> tuple[Grant, GrantChange]:
        """The same grant (id, begin) with a new end: a renewal's approval; one revoked meanwhile
        cannot be renewed (`already_ended`: it is granted anew)."""
        if self.revocation is not None:
            raise AlreadyEnded()
        return replace(self, end=end, changed_at=at, expired_at=None), GrantChange.RENEWED

    def warn(self) -> tuple[Grant, GrantChange]:
        """Its coming end was announced, once per end date."""
        return replace(self, warned_end=self.end), GrantChange.WARNED

    def expire(self, at: datetime) -> tuple[Grant, GrantChange]:
        """The day after its end: expired."""
        return replace(self, expired_at=at, changed_at=at), GrantChange.EXPIRED


@dataclass(frozen=True, kw_only=True)
class Member:
    """A person in an organisation's people list: their active work relationship and active grants."""

    work_relationship: WorkRelationship
    grants: tuple[Grant, ...] = ()

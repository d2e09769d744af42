"""The domain: catalog, organisations, administrators, and requests with their states (people's work
relationships and grants: `rights.py`; the audit trail: `audit.py`).

Entities are immutable dataclasses: input is validated where it enters (the request bodies'
pydantic models), and `store/records.py` stores and reads them. Field names are snake_case;
camelCase is the HTTP layer's concern (`api/views.py`).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum


class TargetGroup(StrEnum):
    """Doelgroep: decides which form an organisation code takes."""

    EA = "EA"
    LB = "LB"
    GID = "GID"
    OV = "OV"

    @property
    def label(self) -> str:
        return _TARGET_GROUP_LABELS[self]


_TARGET_GROUP_LABELS = {
    TargetGroup.EA: "Economische actoren",
    TargetGroup.LB: "Lokale besturen",
    TargetGroup.GID: "Vlaamse overheid",
    TargetGroup.OV: "Onderwijs- en vormingsinstellingen",
}


class RequestType(StrEnum):
    USER_RIGHT = "user_right"
    WORK_RELATION = "work_relation"


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # pending too long (docs/lifecycle.md)


class Outcome(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class AdminRole(StrEnum):
    HEAD = "head_local_admin"
    LOCAL = "local_admin"


class EmailStatus(StrEnum):
    """Whether an administrator's address works (docs/unreachable-administrators.md): SES reported a permanent
    bounce or a complaint for it, or not. Saving an address makes it `ok` again."""

    OK = "ok"
    BOUNCED = "bounced"
    COMPLAINED = "complained"


@dataclass(frozen=True, kw_only=True)
class Application:
    """Toepassing: an application whose rights can be requested."""

    id: int
    name: str


@dataclass(frozen=True, kw_only=True)
class MachineClient:
    """An application's OAuth2 client (client credentials): which applications' grants it may read."""

    id: str
    applications: frozenset[int] = frozenset()


@dataclass(frozen=True, kw_only=True)
class Right:
    """Gebruikersrecht: a right within an application, for some target groups."""

    code: str
    name: str
    application_id: int
    application_name: str
    target_groups: frozenset[TargetGroup]
    contexts: tuple[str, ...] = ()
    validity_months: int = 24
    # What the right lets its holder do, in a sentence: shown to the administrator who decides.
    description: str | None = None

    def available_to(self, target_group: TargetGroup) -> bool:
        return target_group in self.target_groups

    @property
    def needs_context(self) -> bool:
        return bool(self.contexts)


@dataclass(frozen=True, kw_only=True)
class Organization:
    """Organisatie: identified by its KBO number, OVO code or institution number (per target group)."""

    code: str
    name: str
    target_group: TargetGroup
    # How many local administrators have a working e-mail address (`LocalAdmin.reachable`): kept on the
    # organisation so that one read answers "can it receive requests?" (written with every change to
    # its administrators).
    reachable_admins: int = 0
    # Who its local administrators are (their subs), so that a filing knows whose task list the new
    # task goes to without reading them (written with every change to its administrators).
    administrators: frozenset[str] = frozenset()

    @property
    def can_receive_requests(self) -> bool:
        return self.reachable_admins > 0


@dataclass(frozen=True, kw_only=True)
class LocalAdmin:
    """(Hoofd) lokale beheerder of one organisation; reachable only with an e-mail address."""

    organization: str
    organization_name: str | None = None
    person: str
    name: str
    role: AdminRole
    email: str | None = None
    phone: str | None = None
    email_status: EmailStatus = EmailStatus.OK

    @property
    def reachable(self) -> bool:
        """Mail reaches them: they have an address, and it has not bounced."""
        return self.email is not None and self.email_status is EmailStatus.OK


@dataclass(frozen=True, kw_only=True)
class Lookup:
    """What one batch read found: an application with all its rights, a right, an organisation."""

    application: Application | None = None
    application_rights: tuple[Right, ...] = ()
    right: Right | None = None
    organization: Organization | None = None
    # The grant the filer holds of that right there, if any: its id and end (a renewal's).
    held_grant: str | None = None
    held_until: date | None = None
    # The filer's work relationship there, if any: how it reaches them (a renewal's form offers it).
    contact_phone: str | None = None
    contact_email: str | None = None


@dataclass(frozen=True, kw_only=True)
class OrganizationWithAdmins:
    """An organisation as its partition holds it: the organisation and its local administrators."""

    organization: Organization | None
    admins: tuple[LocalAdmin, ...] = ()

    @property
    def can_receive_requests(self) -> bool:
        """An unknown organisation has no local administrator: it cannot receive requests."""
        return self.organization is not None and self.organization.can_receive_requests

    @property
    def reachable_admins(self) -> tuple[LocalAdmin, ...]:
        return tuple(admin for admin in self.admins if admin.reachable)


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

    def __post_init__(self) -> None:
        if (self.type is RequestType.USER_RIGHT) != (self.right is not None):
            raise ValueError("a user_right request names a right; a work_relation request does not")


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day where needed."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


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

"""The domain: catalog, organisations and administrators (requests and their states: `requests.py`;
people's work relationships and grants: `rights.py`; the audit trail: `audit.py`).

Entities are immutable dataclasses: input is validated where it enters (the request bodies'
pydantic models), and `store/records.py` stores and reads them. Field names are snake_case;
camelCase is the HTTP layer's concern (`api/views.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from zelfregistratie.domain.errors import FieldError, InvalidInput


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


def end_within(today: date, validity_months: int, wanted: date | None) -> date:
    """The end date of a grant given today: `wanted`, or else the latest; between today and today plus
    the right's validity, or `invalid_input` on `endDate` naming the window."""
    latest = add_months(today, validity_months)
    end = wanted or latest
    if not today <= end <= latest:
        raise InvalidInput(
            errors=[FieldError("endDate", "end_date_window", {"earliest": today, "latest": latest})]
        )
    return end


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

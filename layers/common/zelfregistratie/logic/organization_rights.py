"""An organisation's rights as its administrators read them (docs/rules.md § Managing rights): its
people with who administers it, the rights that can be granted there, and its audit trail."""

from __future__ import annotations

from typing import NamedTuple

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.audit import AuditEntry
from zelfregistratie.domain.entities import Right
from zelfregistratie.domain.errors import Forbidden, InvalidInput
from zelfregistratie.domain.rights import Member
from zelfregistratie.logic.rights import administrator
from zelfregistratie.store.paging import Page
from zelfregistratie.store.store import Store


class PeoplePage(NamedTuple):
    page: Page[Member]
    administrators: frozenset[str]  # whose work relationship cannot be ended (`is_local_admin`)


def people(
    store: Store, actor: Actor, org: str, search: str | None, limit: int, cursor: str | None
) -> PeoplePage:
    """The people, for the organisation's administrators (one Query, which authorizes), and who they are."""
    organization = store.catalog.lookup(organization=org).organization
    administrators = organization.administrators if organization else frozenset()
    if actor.sub not in administrators:
        raise Forbidden()
    return PeoplePage(store.people.members(org, search, limit, cursor), administrators)


def grantable(store: Store, actor: Actor, org: str) -> list[Right]:
    """The rights "Recht toekennen" offers: those of the organisation's target group."""
    administrator(store, actor, org)
    organization = store.catalog.lookup(organization=org).organization
    return store.catalog.rights_of(organization.target_group) if organization else []


class AuditFilter(NamedTuple):
    person: str | None = None  # entries about this person
    action: str | None = None


EVERYTHING = AuditFilter()
MAX_ROWS = 10_000  # a download's rows; more asks for a narrower one
DOWNLOAD_PAGE = 100


def audit_trail(
    store: Store, actor: Actor, org: str, limit: int, cursor: str | None, only: AuditFilter = EVERYTHING
) -> Page[AuditEntry]:
    administrator(store, actor, org)
    return store.audit.of(org, limit, cursor, person=only.person, action=only.action)


def whole_audit_trail(store: Store, actor: Actor, org: str, only: AuditFilter) -> list[AuditEntry]:
    """Every entry, for a download: `invalid_input` past `MAX_ROWS`."""
    administrator(store, actor, org)
    found: list[AuditEntry] = []
    cursor: str | None = None
    while True:
        page = store.audit.of(org, DOWNLOAD_PAGE, cursor, person=only.person, action=only.action)
        found += page.items
        if len(found) > MAX_ROWS:
            raise InvalidInput("lookup_too_wide", max_rows=MAX_ROWS)
        if (cursor := page.next_cursor) is None:
            return found

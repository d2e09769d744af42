"""The administrator's home (docs/administrators-home.md): the organisations they administer, and the
people of all of them found by name."""

from __future__ import annotations

from typing import NamedTuple

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.entities import LocalAdmin, Organization
from zelfregistratie.store.counts import OrganizationCounts
from zelfregistratie.store.names import NameMatch
from zelfregistratie.store.paging import Page
from zelfregistratie.store.store import Store


class Administered(NamedTuple):
    """An organisation the caller administers: their role there (`admin`), what it is, its counts."""

    admin: LocalAdmin
    organization: Organization | None
    counts: OrganizationCounts


def organizations(store: Store, actor: Actor) -> list[Administered]:
    """The caller's organisations by name, with their counts: two reads (their administrator items,
    then the organisations with their counts)."""
    administered = store.admins.administered_by(actor.sub)
    found = store.counts.organizations([admin.organization for admin in administered])
    return sorted(
        (Administered(admin, *found[admin.organization]) for admin in administered),
        key=lambda a: (a.admin.organization_name or a.admin.organization).casefold(),
    )


class FoundPeople(NamedTuple):
    page: Page[NameMatch]
    administered: dict[str, LocalAdmin]  # by organisation code: its name, the caller's role there


def people(store: Store, actor: Actor, text: str, limit: int, cursor: str | None) -> FoundPeople:
    """People of every organisation the caller administers whose name has a word starting with `text`;
    someone who administers nothing finds no one."""
    administered = {admin.organization: admin for admin in store.admins.administered_by(actor.sub)}
    if not administered:
        return FoundPeople(Page([], None), {})
    return FoundPeople(store.names.search(sorted(administered), text, limit, cursor), administered)

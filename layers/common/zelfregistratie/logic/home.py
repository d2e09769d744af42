"""The administrator's home (docs/administrators-home.md): the organisations they administer, and the
people of all of them found by name."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.entities import LocalAdmin, Organization
from zelfregistratie.domain.errors import FieldError, InvalidInput
from zelfregistratie.domain.rights import Grant, Member
from zelfregistratie.logic.rights import administrator
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


COMPARED = (2, 5)  # how many people a comparison takes


class Row(NamedTuple):
    right: str
    right_name: str | None
    context: str | None
    grants: dict[str, Grant | None]  # every person compared, None where not held


class Comparison(NamedTuple):
    people: list[Member]
    rows: list[Row]


def compare(store: Store, actor: Actor, org: str, subs: Sequence[str], today: date) -> Comparison:
    """Vergelijk meerdere personen: 2 to 5 people of an organisation the caller administers, a row per
    right (and context) any of them holds there, in order of the right's name."""
    administrator(store, actor, org)
    least, most = COMPARED
    if not least <= len(subs) <= most or len(set(subs)) != len(subs):
        raise InvalidInput(errors=[FieldError("person", "compare_how_many", {"least": least, "most": most})])
    found = store.people.members_of(org, subs)
    if any(sub not in found for sub in subs):
        raise InvalidInput(errors=[FieldError("person", "compare_not_here")])
    people = [found[sub] for sub in subs]
    rows: dict[tuple[str, str | None], Row] = {}
    for member in people:
        for grant in member.grants:
            if grant.is_active(today):
                row = rows.setdefault(
                    (grant.right, grant.context),
                    Row(grant.right, grant.right_name, grant.context, dict.fromkeys(subs)),
                )
                row.grants[grant.person] = grant
    ordered = sorted(rows.values(), key=lambda r: ((r.right_name or r.right).casefold(), r.context or ""))
    return Comparison(people, ordered)

"""The administrator's home (docs/administrators-home.md): the organisations they administer, and the
people of all of them found by name."""

from __future__ import annotations

from typing import NamedTuple

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.entities import LocalAdmin
from zelfregistratie.store.names import NameMatch
from zelfregistratie.store.paging import Page
from zelfregistratie.store.store import Store


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

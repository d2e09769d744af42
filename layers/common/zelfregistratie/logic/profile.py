"""What a person holds and administers ("Mijn profiel"), and who administers an organisation."""

from __future__ import annotations

from typing import NamedTuple

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.entities import LocalAdmin, Organization, OrganizationWithAdmins
from zelfregistratie.domain.rights import Grant, WorkRelationship
from zelfregistratie.store.store import Store


class Profile(NamedTuple):
    actor: Actor
    work_relationships: list[WorkRelationship]
    grants: list[Grant]
    administers: list[LocalAdmin]


def profile(store: Store, actor: Actor) -> Profile:
    relationships, grants = store.people.relations(actor.sub)
    return Profile(
        actor,
        relationships,
        sorted(grants, key=lambda g: (g.organization, g.right)),
        store.admins.administered_by(actor.sub),
    )


def organization(store: Store, code: str) -> tuple[Organization, OrganizationWithAdmins]:
    """Who are the local administrators? The view shows names, roles, whether an e-mail is known."""
    return store.catalog.known_organization(code)

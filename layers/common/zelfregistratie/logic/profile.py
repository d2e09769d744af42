"""What a person holds and administers ("Mijn profiel"), and who administers an organisation."""

from __future__ import annotations

from dataclasses import dataclass

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.entities import (
    Grant,
    LocalAdmin,
    Organization,
    OrganizationWithAdmins,
    WorkRelationship,
)
from zelfregistratie.store.repository import Repository


@dataclass(frozen=True)
class Profile:
    actor: Actor
    work_relationships: list[WorkRelationship]
    grants: list[Grant]
    administers: list[LocalAdmin]


def profile(repository: Repository, actor: Actor) -> Profile:
    relationships, grants = repository.person_relations(actor.sub)
    return Profile(
        actor,
        relationships,
        sorted(grants, key=lambda g: (g.organization, g.right)),
        repository.administered_by(actor.sub),
    )


def organization(repository: Repository, code: str) -> tuple[Organization, OrganizationWithAdmins]:
    """Who are the local administrators? The view shows names, roles, whether an e-mail is known."""
    return repository.known_organization(code)

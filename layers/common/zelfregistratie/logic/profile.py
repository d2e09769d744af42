"""What a person holds and administers ("Mijn profiel"), and who administers an organisation."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.audit import AuditEntry
from zelfregistratie.domain.entities import LocalAdmin, Organization, OrganizationWithAdmins
from zelfregistratie.domain.requests import AccessRequest
from zelfregistratie.domain.rights import Grant, WorkRelationship
from zelfregistratie.store.store import Store


class Profile(NamedTuple):
    """ "Mijn profiel": active work relationships and grants (a revoked one leaves at once; one whose
    end passed, on the day after), and the organisations the person administers."""

    actor: Actor
    work_relationships: list[WorkRelationship]
    grants: list[Grant]
    administers: list[LocalAdmin]
    today: date


class Export(NamedTuple):
    """Everything kept about the person (GDPR art. 15): ended grants and relationships too."""

    actor: Actor
    requests: list[AccessRequest]
    work_relationships: list[WorkRelationship]
    grants: list[Grant]
    administers: list[LocalAdmin]
    audit: list[AuditEntry]
    at: datetime
    today: date


def profile(store: Store, actor: Actor, today: date) -> Profile:
    relationships, grants = store.people.relations(actor.sub)
    return Profile(
        actor,
        relationships,
        sorted((g for g in grants if g.is_active(today)), key=lambda g: (g.organization, g.right)),
        store.admins.administered_by(actor.sub),
        today,
    )


def export(store: Store, actor: Actor, now: datetime, today: date) -> Export:
    relationships, grants = store.people.history(actor.sub)
    return Export(
        actor,
        store.requests.all_of(actor.sub),
        sorted(relationships, key=lambda r: (r.since, r.id)),
        sorted(grants, key=lambda g: (g.begin, g.id)),
        store.admins.administered_by(actor.sub),
        store.audit.about(actor.sub),
        now,
        today,
    )


def organization(store: Store, code: str) -> tuple[Organization, OrganizationWithAdmins]:
    """Who are the local administrators? The view shows names, roles, whether an e-mail is known."""
    return store.catalog.known_organization(code)

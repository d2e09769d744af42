"""A person's own requests: read one, list them, cancel a pending one (docs/rules.md § The API's
conventions)."""

from __future__ import annotations

from datetime import datetime

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.errors import NotFound
from zelfregistratie.domain.requests import AccessRequest
from zelfregistratie.store.paging import Page
from zelfregistratie.store.store import Store


def own_request(store: Store, actor: Actor, request_id: str) -> AccessRequest:
    """Another person's request answers exactly as one that does not exist."""
    request = store.requests.get(request_id)
    if request is None or request.requester != actor.sub:
        raise NotFound()
    return request


def own_requests(store: Store, actor: Actor, limit: int, cursor: str | None) -> Page[AccessRequest]:
    return store.requests.of_person(actor.sub, limit, cursor)


def cancel(store: Store, actor: Actor, request_id: str, now: datetime) -> AccessRequest:
    """A pending own request becomes cancelled; one no longer pending answers `already_decided`."""
    request = own_request(store, actor, request_id)
    cancelled, _ = request.cancel(now)
    store.requests.cancel(request, cancelled)
    return cancelled

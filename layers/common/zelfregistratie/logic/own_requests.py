"""A person's own requests: read one, list them, cancel a pending one (PRODUCT.md §5)."""

from __future__ import annotations

from datetime import datetime

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.entities import AccessRequest
from zelfregistratie.domain.errors import NotFound
from zelfregistratie.store.repository import Page, Repository


def own_request(repository: Repository, actor: Actor, request_id: str) -> AccessRequest:
    """Another person's request answers exactly as one that does not exist."""
    request = repository.get_request(request_id)
    if request is None or request.requester != actor.sub:
        raise NotFound()
    return request


def own_requests(repository: Repository, actor: Actor, limit: int, cursor: str | None) -> Page[AccessRequest]:
    return repository.requests_of(actor.sub, limit, cursor)


def cancel(repository: Repository, actor: Actor, request_id: str, now: datetime) -> AccessRequest:
    """A pending own request becomes cancelled; one no longer pending answers `already_decided`."""
    return repository.cancel_request(own_request(repository, actor, request_id), now)

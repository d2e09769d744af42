"""Applications read their grants (docs/applications.md): a machine client, for the applications it is
registered for, reads the active grants or every change since an instant."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.entities import MachineClient
from zelfregistratie.domain.errors import Forbidden
from zelfregistratie.domain.rights import Grant
from zelfregistratie.store.paging import Page
from zelfregistratie.store.store import Store

# Changes are listed once they are this old. Two writers take their instants before they commit; the
# later instant may commit first. An application that read it and asks again "since" it must still
# get the earlier one, so the list stops short of the present by more than a write takes (a
# transaction that outlasts this window fails: see docs/applications.md).
SETTLED_AFTER = timedelta(seconds=5)
# Which applications a client reads is kept in the table; an environment asks again after this long,
# so a page costs one call, and a change of registration applies within a minute.
CLIENT_CACHE_SECONDS = 60.0

_clients: dict[str, tuple[MachineClient | None, float]] = {}
NOT_REGISTERED = "client_not_registered"  # a reason


def grants(
    store: Store,
    caller: Actor,
    application: str,
    *,
    organization: str | None,
    person: str | None,
    changed_since: datetime | None,
    limit: int,
    cursor: str | None,
    now: datetime,
    today: date,
) -> Page[Grant]:
    application_id = _registered(store, caller, application)
    if changed_since is None:
        return store.applications.active(
            application_id, today, organization=organization, person=person, limit=limit, cursor=cursor
        )
    return store.applications.changes(
        application_id,
        changed_since,
        now - SETTLED_AFTER,
        organization=organization,
        person=person,
        limit=limit,
        cursor=cursor,
    )


def _registered(store: Store, caller: Actor, application: str) -> int:
    """The application's id, when the caller's client is registered for it; `forbidden` for any other
    id, known or not, and for a person."""
    # ASCII digits only: `isdigit` takes superscripts (²) and circled digits (①) too, which `int` refuses
    if not caller.is_machine or not (application.isascii() and application.isdigit()) or len(application) > 9:
        raise Forbidden(NOT_REGISTERED)
    client = registration(store, caller.sub)
    if client is None or int(application) not in client.applications:
        raise Forbidden(NOT_REGISTERED)
    return int(application)


def registration(store: Store, client_id: str) -> MachineClient | None:
    cached = _clients.get(client_id)
    if cached is not None and time.monotonic() - cached[1] < CLIENT_CACHE_SECONDS:
        return cached[0]
    found = store.applications.client(client_id)
    _clients[client_id] = (found, time.monotonic())
    return found


def forget_registrations() -> None:
    """Read every client's registration again on its next request (tests that change them)."""
    _clients.clear()

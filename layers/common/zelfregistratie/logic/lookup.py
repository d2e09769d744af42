"""Toekenning opzoeken (docs/administrators-home.md § Look-up): who holds a right at the caller's
organisations, a page at a time or, for the CSV download, all of it up to a bound."""

from __future__ import annotations

from typing import NamedTuple

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.errors import FieldError, Forbidden, InvalidInput
from zelfregistratie.domain.rights import Grant
from zelfregistratie.store.paging import Page
from zelfregistratie.store.store import Store

MAX_ROWS = 10_000  # a download's rows; more asks for a narrower look-up
DOWNLOAD_PAGE = 100


class Wanted(NamedTuple):
    right: str | None  # else every right of `application`
    organization: str | None = None  # else every organisation the caller administers
    context: str | None = None  # else every context
    ended: bool = False  # revoked and expired ones too
    application: int | None = None  # with a right, its own application (another finds nothing)


def grants(store: Store, actor: Actor, wanted: Wanted, limit: int, cursor: str | None) -> Page[Grant]:
    """A page of the holders; an organisation the caller does not administer is `forbidden`."""
    orgs, rights = _organizations(store, actor, wanted.organization), _rights(store, wanted)
    if not orgs or not rights:
        return Page([], None)
    page = store.holders.of(orgs, rights, wanted.context, ended=wanted.ended, limit=limit, cursor=cursor)
    return page._replace(items=[g for g in page.items if _of_application(g, wanted)])


def all_grants(store: Store, actor: Actor, wanted: Wanted) -> list[Grant]:
    """Every holder, for a download: `invalid_input` past `MAX_ROWS`."""
    orgs, rights = _organizations(store, actor, wanted.organization), _rights(store, wanted)
    found: list[Grant] = []
    cursor: str | None = None
    while orgs and rights:
        page = store.holders.of(
            orgs, rights, wanted.context, ended=wanted.ended, limit=DOWNLOAD_PAGE, cursor=cursor
        )
        found += [g for g in page.items if _of_application(g, wanted)]
        if len(found) > MAX_ROWS:
            raise InvalidInput("lookup_too_wide", max_rows=MAX_ROWS)
        if (cursor := page.next_cursor) is None:
            break
    return found


def _organizations(store: Store, actor: Actor, organization: str | None) -> list[str]:
    if organization is not None:
        if store.admins.get(organization, actor.sub) is None:
            raise Forbidden()
        return [organization]
    return sorted(admin.organization for admin in store.admins.administered_by(actor.sub))


def _of_application(grant: Grant, wanted: Wanted) -> bool:
    return wanted.application is None or grant.application_id == wanted.application


def _rights(store: Store, wanted: Wanted) -> list[str]:
    """The right asked for, or every right of the application asked for (an unknown one has none)."""
    if wanted.right is not None:
        return [wanted.right]
    if wanted.application is None:
        raise InvalidInput(errors=[FieldError("right", "lookup_right_or_application")])
    return [right.code for right in store.catalog.lookup(application=wanted.application).application_rights]

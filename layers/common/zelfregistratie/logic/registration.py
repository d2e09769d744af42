"""Registration (docs/using.md § Deep links, docs/rules.md): what the form offers for a deep link, and filing
a request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import NamedTuple, Protocol

from zelfregistratie.domain import lifecycle
from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.deeplinks import DeepLink
from zelfregistratie.domain.entities import Lookup, Organization, RequestType, Right, TargetGroup
from zelfregistratie.domain.errors import (
    FieldError,
    IdempotencyKeyReused,
    InvalidInput,
    NoLocalAdmin,
    NoRightsFound,
)
from zelfregistratie.domain.requests import AccessRequest, new_request_id
from zelfregistratie.store.idempotency import IdempotencyRecord
from zelfregistratie.store.store import Store

IDEMPOTENCY_SECONDS = 24 * 3600


# ---- the registration form ------------------------------------------------------------------------


class FormOrganization(NamedTuple):
    code: str
    found: Organization | None


class RegistrationForm(NamedTuple):
    link: DeepLink
    rights: list[Right]
    organization: FormOrganization | None
    renews_until: date | None = None  # the caller holds this right there until then: this is a renewal
    contact: tuple[str | None, str | None] | None = None  # their work relationship's phone and e-mail


def registration_form(store: Store, link: DeepLink, actor: Actor, today: date) -> RegistrationForm:
    """What the form shows for a deep link, to the caller; `no_rights_found` when no right fits its
    criteria. For a fixed right and organisation it also reads, in the same call, whether the caller
    holds that right there and is due to renew it, and how their work relationship reaches them."""
    wants_right = link.type is RequestType.USER_RIGHT
    found = store.catalog.lookup(
        application=link.application if wants_right and not link.right else None,
        right=link.right if wants_right else None,
        organization=link.organization,
        holder=actor.sub,
        context=link.context,
        contact=True,
    )
    rights = _rights_for(found, link) if wants_right else []
    organization = FormOrganization(link.organization, found.organization) if link.organization else None
    until = found.held_until
    renewal = (
        until
        if until is not None and today <= until <= lifecycle.renewable_until(today, store.periods)
        else None
    )
    contact = (found.contact_phone, found.contact_email) if renewal and found.contact_email else None
    return RegistrationForm(link, rights, organization, renewal, contact)


def _rights_for(found: Lookup, link: DeepLink) -> list[Right]:
    """The rights that fit the link, by name; the application is the first's."""
    candidates = [found.right] if found.right else list(found.application_rights)
    rights = [
        r
        for r in candidates
        if r.available_to(link.target_group)
        and (link.application is None or r.application_id == link.application)
        and (link.context is None or link.context in r.contexts)
    ]
    if not rights:
        raise NoRightsFound()
    return sorted(rights, key=lambda r: r.name)


# ---- filing ---------------------------------------------------------------------------------------


class Filing(Protocol):
    """What a filing says, validated where it entered (the API's input model); identity is not part of it."""

    @property
    def type(self) -> RequestType: ...
    @property
    def target_group(self) -> TargetGroup: ...
    @property
    def organization(self) -> str: ...
    @property
    def application(self) -> int | None: ...
    @property
    def right(self) -> str | None: ...
    @property
    def context(self) -> str | None: ...
    @property
    def phone(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def reason(self) -> str | None: ...
    def fingerprint(self) -> str: ...


class Filed(NamedTuple):
    """The answer to a filing as JSON: written once, and answered as it is to a replay of its key."""

    request_id: str
    json: str
    replayed: bool


def file_request(
    store: Store,
    actor: Actor,
    filing: Filing,
    *,
    now: datetime,
    today: date,
    answer: Callable[[AccessRequest], str],
    idempotency_key: str | None = None,
) -> Filed:
    """Checks in the contract's order: invalid_input, no_local_admin, duplicate_pending, already_granted.

    `answer` writes the request as the API answers it; with an `Idempotency-Key` that text is kept, in
    the same transaction, for a replay.
    """
    request = _prepared(store, actor, filing, now, today)
    text = answer(request)
    record = None
    if idempotency_key is not None:
        record = IdempotencyRecord(
            caller=actor.sub,
            key=idempotency_key,
            fingerprint=filing.fingerprint(),
            response=text,
            request_id=request.id,
            expires_at=int(now.timestamp()) + IDEMPOTENCY_SECONDS,
        )
    earlier = store.requests.create(request, today, idempotency=record)
    if earlier is None:
        return Filed(request.id, text, replayed=False)
    assert record is not None
    if earlier.fingerprint != record.fingerprint:
        raise IdempotencyKeyReused()
    return Filed(earlier.request_id, earlier.response, replayed=True)


def check_request(store: Store, actor: Actor, filing: Filing, *, now: datetime, today: date) -> AccessRequest:
    """Everything filing would check, in the same order and with the same rules, without filing: what
    the summary before "Bevestigen" shows (the phone number normalised), or the refusal it would meet."""
    request = _prepared(store, actor, filing, now, today)
    store.requests.check(request, today)
    return request


def _prepared(store: Store, actor: Actor, filing: Filing, now: datetime, today: date) -> AccessRequest:
    """The request a filing makes, after `invalid_input` and `no_local_admin` (one BatchGetItem, which
    also finds a grant of the right the filer holds there: expiring, the request is its renewal)."""
    renewable = filing.type is RequestType.USER_RIGHT  # a work relationship is not renewed
    found = store.catalog.lookup(
        right=filing.right,
        organization=filing.organization,
        holder=actor.sub if renewable else None,
        context=filing.context,
    )
    right = _checked_right(found.right, filing) if filing.type is RequestType.USER_RIGHT else None
    if found.organization is None or not found.organization.can_receive_requests:
        raise NoLocalAdmin()
    request = _new_request(actor, filing, found.organization, right, now)
    if found.held_until is not None and today <= found.held_until <= lifecycle.renewable_until(
        today, store.periods
    ):
        request = replace(request, renews=found.held_grant)
    return request


def _checked_right(right: Right | None, filing: Filing) -> Right:
    errors: list[FieldError] = []
    if right is None:
        raise InvalidInput(errors=[FieldError("right", "unknown_right")])
    if not right.available_to(filing.target_group):
        errors.append(FieldError("right", "right_not_for_target_group"))
    if filing.application is not None and filing.application != right.application_id:
        errors.append(FieldError("application", "right_not_of_application"))
    if right.needs_context and filing.context is None:
        errors.append(FieldError("context", "choose_context", {"contexts": right.contexts}))
    elif filing.context is not None and filing.context not in right.contexts:
        errors.append(FieldError("context", "context_not_of_right", {"contexts": right.contexts}))
    if errors:
        raise InvalidInput(errors=errors)
    return right


def _new_request(
    actor: Actor, filing: Filing, organization: Organization, right: Right | None, now: datetime
) -> AccessRequest:
    return AccessRequest(
        id=new_request_id(int(now.timestamp() * 1000)),
        type=filing.type,
        requester=actor.sub,
        requester_name=actor.name,
        target_group=filing.target_group,
        organization=organization.code,
        organization_name=organization.name,
        assignees=organization.administrators,
        application_id=right.application_id if right else None,
        application_name=right.application_name if right else None,
        right=right.code if right else None,
        right_name=right.name if right else None,
        right_validity_months=right.validity_months if right else None,
        context=filing.context,
        phone=filing.phone,
        email=filing.email,
        reason=filing.reason,
        created_at=now,
    )

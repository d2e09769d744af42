"""The requester's side (PRODUCT.md §3-5): deep links into forms, filing, own requests, profile."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic.alias_generators import to_camel

from zelfregistratie.deeplinks import DeepLink
from zelfregistratie.domain import (
    AccessRequest,
    Lookup,
    Organization,
    RequestType,
    Right,
    TargetGroup,
    new_request_id,
)
from zelfregistratie.errors import (
    FieldError,
    IdempotencyKeyReused,
    InvalidInput,
    NoLocalAdmin,
    NoRightsFound,
    NotFound,
)
from zelfregistratie.fields import EmailAddress, FreeText, Phone, SingleLine
from zelfregistratie.identifiers import MAX_APPLICATION_ID, parse_organization_code
from zelfregistratie.identity import Caller
from zelfregistratie.repository import IdempotencyRecord, Page, Repository
from zelfregistratie.views import (
    ApplicationRef,
    FormOrganization,
    MeView,
    OrganizationView,
    RegistrationFormView,
    administered_view,
    dumps,
    grant_view,
    organization_view,
    request_view,
    right_choice,
    target_group_ref,
    work_relationship_view,
)

IDEMPOTENCY_SECONDS = 24 * 3600


# ---- the registration form ------------------------------------------------------------------------


def registration_form(repository: Repository, link: DeepLink) -> RegistrationFormView:
    """What the form shows for a deep link; `no_rights_found` when no right fits its criteria."""
    wants_right = link.type is RequestType.USER_RIGHT
    found = repository.lookup(
        application=link.application if wants_right and not link.right else None,
        right=link.right if wants_right else None,
        organization=link.organization,
    )
    application, rights = _rights_for(found, link) if wants_right else (None, [])
    organization: FormOrganization | None = None
    if link.organization:
        organization = FormOrganization(
            code=link.organization,
            name=found.organization.name if found.organization else None,
            canReceiveRequests=found.organization is not None and found.organization.can_receive_requests,
        )
    return RegistrationFormView(
        type=link.type,
        targetGroup=target_group_ref(link.target_group),
        application=application,
        rights=[right_choice(right) for right in rights],
        rightFixed=link.right is not None,
        context=link.context,
        organization=organization,
    )


def _rights_for(found: Lookup, link: DeepLink) -> tuple[ApplicationRef, list[Right]]:
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
    first = rights[0]
    return ApplicationRef(id=first.application_id, name=first.application_name), sorted(
        rights, key=lambda r: r.name
    )


class FormQuery(BaseModel):
    """The deep-link parameters `GET /api/registration-form` takes (documentation; `DeepLink` parses)."""

    model_config = ConfigDict(defer_build=True)

    type: RequestType = RequestType.USER_RIGHT
    dg: TargetGroup
    an: Annotated[int, Field(gt=0, le=MAX_APPLICATION_ID)] | None = None
    ec: str | None = None
    ctx: str | None = None
    oc: str | None = None


# ---- filing ---------------------------------------------------------------------------------------


class FileRequestBody(BaseModel):
    """`POST /api/requests`. References are codes; identity is not part of it (it comes from the token)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True, defer_build=True
    )

    type: RequestType
    target_group: TargetGroup
    organization: Annotated[str, Field(min_length=1, max_length=32)]
    application: Annotated[int, Field(gt=0, le=MAX_APPLICATION_ID)] | None = None
    right: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        default=None, validate_default=True
    )
    context: Annotated[SingleLine, Field(min_length=1, max_length=200)] | None = None
    phone: Phone
    email: Annotated[EmailAddress, Field(max_length=254)]
    reason: Annotated[FreeText, Field(max_length=1000)] | None = None

    @field_validator("organization")
    @classmethod
    def _organization_fits_target_group(cls, value: str, info: ValidationInfo) -> str:
        target_group = info.data.get("target_group")
        return parse_organization_code(value, target_group) if target_group else value

    @field_validator("right")
    @classmethod
    def _right_fits_type(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("type")
        if kind is RequestType.USER_RIGHT and value is None:
            raise ValueError("Kies het gebruikersrecht dat u wilt aanvragen.")
        if kind is RequestType.WORK_RELATION and value is not None:
            raise ValueError("Een aanvraag voor een werkrelatie vermeldt geen gebruikersrecht.")
        return value

    @field_validator("context", "application")
    @classmethod
    def _only_for_rights(cls, value: object, info: ValidationInfo) -> object:
        if value is not None and info.data.get("type") is RequestType.WORK_RELATION:
            raise ValueError("Een aanvraag voor een werkrelatie vermeldt dit niet.")
        return value

    @field_validator("reason")
    @classmethod
    def _blank_reason_is_none(cls, value: str | None) -> str | None:
        return value if value and value.strip() else None

    def fingerprint(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Filed:
    view: dict[str, Any]
    replayed: bool


def file_request(
    repository: Repository,
    caller: Caller,
    body: FileRequestBody,
    *,
    now: datetime,
    today: date,
    idempotency_key: str | None = None,
) -> Filed:
    """Checks in the contract's order: invalid_input, no_local_admin, duplicate_pending, already_granted."""
    found = repository.lookup(right=body.right, organization=body.organization)
    right = _checked_right(found.right, body) if body.type is RequestType.USER_RIGHT else None
    if found.organization is None or not found.organization.can_receive_requests:
        raise NoLocalAdmin()
    request = _new_request(caller, body, found.organization, right, now)
    answer = dumps(request_view(request))  # the JSON answered now, and to a retry with the same key
    record = None
    if idempotency_key is not None:
        record = IdempotencyRecord(
            caller=caller.sub,
            key=idempotency_key,
            fingerprint=body.fingerprint(),
            response=answer,
            expires_at=int(now.timestamp()) + IDEMPOTENCY_SECONDS,
        )
    earlier = repository.create_request(request, today, idempotency=record)
    if earlier is None:
        return Filed(json.loads(answer), replayed=False)
    assert record is not None
    if earlier.fingerprint != record.fingerprint:
        raise IdempotencyKeyReused()
    return Filed(json.loads(earlier.response), replayed=True)


def _checked_right(right: Right | None, body: FileRequestBody) -> Right:
    errors: list[FieldError] = []
    if right is None:
        raise InvalidInput(errors=[FieldError("right", "Dit gebruikersrecht bestaat niet.")])
    if not right.available_to(body.target_group):
        errors.append(FieldError("right", "Dit gebruikersrecht is niet beschikbaar voor deze doelgroep."))
    if body.application is not None and body.application != right.application_id:
        errors.append(FieldError("application", "Dit gebruikersrecht hoort niet bij deze toepassing."))
    if right.needs_context and body.context is None:
        errors.append(FieldError("context", "Kies een context: " + ", ".join(right.contexts) + "."))
    elif body.context is not None and body.context not in right.contexts:
        allowed = ", ".join(right.contexts) if right.contexts else "geen"
        errors.append(
            FieldError("context", f"Deze context hoort niet bij dit gebruikersrecht (mogelijk: {allowed}).")
        )
    if errors:
        raise InvalidInput(errors=errors)
    return right


def _new_request(
    caller: Caller, body: FileRequestBody, organization: Organization, right: Right | None, now: datetime
) -> AccessRequest:
    return AccessRequest(
        id=new_request_id(int(now.timestamp() * 1000)),
        type=body.type,
        requester=caller.sub,
        requester_name=caller.name,
        target_group=body.target_group,
        organization=organization.code,
        organization_name=organization.name,
        application_id=right.application_id if right else None,
        application_name=right.application_name if right else None,
        right=right.code if right else None,
        right_name=right.name if right else None,
        right_validity_months=right.validity_months if right else None,
        context=body.context,
        phone=body.phone,
        email=body.email,
        reason=body.reason,
        created_at=now,
    )


# ---- own requests ---------------------------------------------------------------------------------


def own_request(repository: Repository, caller: Caller, request_id: str) -> AccessRequest:
    """Another person's request answers exactly as one that does not exist."""
    request = repository.get_request(request_id)
    if request is None or request.requester != caller.sub:
        raise NotFound()
    return request


def own_requests(
    repository: Repository, caller: Caller, limit: int, cursor: str | None
) -> Page[AccessRequest]:
    return repository.requests_of(caller.sub, limit, cursor)


def cancel(repository: Repository, caller: Caller, request_id: str, now: datetime) -> AccessRequest:
    """A pending own request becomes cancelled; one no longer pending answers `already_decided`."""
    return repository.cancel_request(own_request(repository, caller, request_id), now)


# ---- people and organisations ---------------------------------------------------------------------


def organization(repository: Repository, code: str) -> OrganizationView:
    """Who are the local administrators? Names, roles, whether an e-mail is known — never the address."""
    organization, found = repository.known_organization(code)
    return organization_view(organization, found)


def profile(repository: Repository, caller: Caller) -> MeView:
    relationships, grants = repository.person_relations(caller.sub)
    return MeView(
        sub=caller.sub,
        name=caller.name,
        workRelationships=[work_relationship_view(r) for r in relationships],
        grants=[grant_view(g) for g in sorted(grants, key=lambda g: (g.organization, g.right))],
        administers=[administered_view(a) for a in repository.administered_by(caller.sub)],
    )

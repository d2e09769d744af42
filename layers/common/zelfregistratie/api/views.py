"""The API's answers built from domain objects, the only place that builds them (shapes in
`shapes.py`), and `dumps`, which writes them as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from zelfregistratie.domain.clock import isoformat
from zelfregistratie.domain.entities import (
    AdminRole,
    LocalAdmin,
    Organization,
    OrganizationWithAdmins,
    Right,
    TargetGroup,
)
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.requests import AccessRequest, Decision
from zelfregistratie.domain.rights import Grant, WorkRelationship

if TYPE_CHECKING:  # only named in annotations: a function imports the logic it calls, no more
    from zelfregistratie.api.shapes import (
        AdministeredView,
        ApplicationGrantView,
        ApplicationRef,
        DecisionView,
        GrantView,
        MeView,
        OrganizationView,
        PageView,
        Period,
        Ref,
        RegistrationFormView,
        RequestView,
        RightChoice,
        TargetGroupRef,
        WorkRelationshipView,
    )
    from zelfregistratie.logic.profile import Profile
    from zelfregistratie.logic.registration import RegistrationForm

T = TypeVar("T")


def dumps(value: Any) -> str:
    """A view as compact JSON: instants in UTC with `Z`, dates as `YYYY-MM-DD`, enums by value."""
    return json.dumps(value, default=_json_value, ensure_ascii=False, separators=(",", ":"))


def _json_value(value: Any) -> Any:
    if isinstance(value, date):  # datetime too
        return isoformat(value)
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"not serialisable: {type(value).__name__}")


def page_view(items: list[T], next_cursor: str | None) -> PageView[T]:
    return {"items": items, "nextCursor": next_cursor}


def application_ref(request: AccessRequest) -> ApplicationRef | None:
    if request.application_id is None or not request.application_name:
        return None
    return {"id": request.application_id, "name": request.application_name}


def right_ref(request: AccessRequest) -> Ref | None:
    return {"code": request.right, "name": request.right_name} if request.right else None


def decision_view(decision: Decision | None) -> DecisionView | None:
    if decision is None:
        return None
    return {
        "outcome": decision.outcome,
        "by": {"name": decision.by_name},
        "at": decision.at,
        "reason": decision.reason,
    }


def request_view(request: AccessRequest) -> RequestView:
    grant: Period | None = None
    if request.grant_begin and request.grant_end:
        grant = {"begin": request.grant_begin, "end": request.grant_end}
    return {
        "id": request.id,
        "number": request.number,
        "type": request.type,
        "status": request.status,
        "targetGroup": request.target_group,
        "organization": {"code": request.organization, "name": request.organization_name},
        "application": application_ref(request),
        "right": right_ref(request),
        "context": request.context,
        "phone": request.phone,
        "email": request.email,
        "reason": request.reason,
        "createdAt": request.created_at,
        "cancelledAt": request.cancelled_at,
        "decision": decision_view(request.decision),
        "grant": grant,
        "renewal": request.renewal,
    }


def target_group_ref(target_group: TargetGroup) -> TargetGroupRef:
    return {"code": target_group, "name": target_group.label}


def right_choice(right: Right) -> RightChoice:
    return {"code": right.code, "name": right.name, "contexts": list(right.contexts)}


def heads_first(admins: Sequence[LocalAdmin]) -> list[LocalAdmin]:
    return sorted(admins, key=lambda a: (a.role is not AdminRole.HEAD, a.name))


def organization_view(organization: Organization, found: OrganizationWithAdmins) -> OrganizationView:
    return {
        "code": organization.code,
        "name": organization.name,
        "targetGroup": organization.target_group,
        "localAdmins": [
            {"name": a.name, "role": a.role, "hasEmail": a.email is not None, "reachable": a.reachable}
            for a in heads_first(found.admins)
        ],
    }


def work_relationship_view(relationship: WorkRelationship) -> WorkRelationshipView:
    return {
        "id": relationship.id,
        "organization": {"code": relationship.organization, "name": relationship.organization_name},
        "email": relationship.email,
        "phone": relationship.phone,
        "since": relationship.since,
        "status": relationship.status,
        "end": relationship.end,
    }


def grant_view(grant: Grant, today: date, periods: Periods) -> GrantView:
    revocation = grant.revocation
    application: ApplicationRef | None = None
    if grant.application_id is not None and grant.application_name:
        application = {"id": grant.application_id, "name": grant.application_name}
    return {
        "id": grant.id,
        "person": {"sub": grant.person, "name": grant.person_name},
        "organization": {"code": grant.organization, "name": grant.organization_name},
        "application": application,
        "right": {"code": grant.right, "name": grant.right_name},
        "context": grant.context,
        "begin": grant.begin,
        "end": grant.end,
        "status": grant.status(today, periods),
        "revocation": {"by": {"name": revocation.by_name}, "at": revocation.at, "reason": revocation.reason}
        if revocation
        else None,
    }


def application_grant_view(grant: Grant, today: date, periods: Periods) -> ApplicationGrantView:
    """A grant as an application reads it (docs/applications.md): the grant, and when it last changed."""
    return {**grant_view(grant, today, periods), "changedAt": grant.changed_at}  # type: ignore[typeddict-item]


def administered_view(admin: LocalAdmin) -> AdministeredView:
    return {"organization": {"code": admin.organization, "name": admin.organization_name}, "role": admin.role}


def registration_form_view(form: RegistrationForm) -> RegistrationFormView:
    link, organization = form.link, form.organization
    first = form.rights[0] if form.rights else None
    found = organization.found if organization else None
    return {
        "type": link.type,
        "targetGroup": target_group_ref(link.target_group),
        "application": {"id": first.application_id, "name": first.application_name} if first else None,
        "rights": [right_choice(right) for right in form.rights],
        "rightFixed": link.right is not None,
        "context": link.context,
        "organization": {
            "code": organization.code,
            "name": found.name if found else None,
            "canReceiveRequests": found is not None and found.can_receive_requests,
        }
        if organization
        else None,
        "renewal": {"end": form.renews_until} if form.renews_until else None,
        "contact": {"phone": form.contact[0], "email": form.contact[1]} if form.contact else None,
    }


def me_view(profile: Profile, periods: Periods) -> MeView:
    return {
        "sub": profile.actor.sub,
        "name": profile.actor.name,
        "workRelationships": [work_relationship_view(r) for r in profile.work_relationships],
        "grants": [grant_view(g, profile.today, periods) for g in profile.grants],
        "administers": [administered_view(a) for a in profile.administers],
    }

"""What tests build again and again, in one place: a filing body, a request, a grant, a decision."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from zelfregistratie.domain.entities import Outcome, RequestType, TargetGroup
from zelfregistratie.domain.requests import AccessRequest, Decision, new_request_id
from zelfregistratie.domain.rights import Grant, WorkRelationship
from zelfregistratie.store.requests import Effects
from zelfregistratie.store.store import Store

ORG = "0428364866"  # Bakkerij De Zonnebloem BV: administrators Els Wouters (head) and Tom Jacobs
SOFIE = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a11"
ELS = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a01"
TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def filing_body(**overrides: Any) -> dict[str, Any]:
    """`POST /api/requests`: Dimona mandaatbeheerder at the bakery, fields overridden by name."""
    return {
        "type": "user_right",
        "targetGroup": "EA",
        "organization": ORG,
        "application": 45,
        "right": "DIMONA_MANDAAT_BEHEERDER",
        "phone": "+3212345678",
        "email": "sofie.peeters@example.be",
        "reason": "Ik doe de Dimona-aangiften voor de bakkerij.",
    } | overrides


def a_request(
    *,
    requester: str = SOFIE,
    organization: str = ORG,
    right: str | None = "DIMONA_MANDAAT_BEHEERDER",
    context: str | None = None,
    created_at: datetime = NOW,
    assignees: frozenset[str] = frozenset(),
) -> AccessRequest:
    return AccessRequest(
        assignees=assignees,
        id=new_request_id(int(created_at.timestamp() * 1000)),
        type=RequestType.USER_RIGHT if right else RequestType.WORK_RELATION,
        requester=requester,
        requester_name="Sofie Peeters",
        target_group=TargetGroup.EA,
        organization=organization,
        organization_name="Bakkerij De Zonnebloem BV",
        application_id=45 if right else None,
        application_name="Dimona Mandaat" if right else None,
        right=right,
        right_name="Dimona mandaatbeheerder" if right else None,
        context=context,
        phone="+3212345678",
        email="sofie@example.be",
        reason="Ik doe de Dimona-aangiften.",
        created_at=created_at,
    )


def a_grant(request: AccessRequest, *, begin: date = TODAY, end: date = date(2028, 11, 28)) -> Grant:
    assert request.right
    return Grant(
        id=f"grant-{request.id}",
        person=request.requester,
        organization=request.organization,
        right=request.right,
        context=request.context,
        begin=begin,
        end=end,
        request_id=request.id,
    )


def an_approval(
    by: str = ELS, by_name: str = "Els Wouters", at: datetime = NOW, reason: str = "In orde."
) -> Decision:
    return Decision(outcome=Outcome.APPROVED, by_person=by, by_name=by_name, at=at, reason=reason)


def hold(store: Store, *grants: Grant, relationship: WorkRelationship | None = None) -> None:
    """What a person holds, written as the data loader writes it (their work relationship too)."""
    if relationship is None:
        first = grants[0]
        relationship = WorkRelationship(
            person=first.person,
            person_name=first.person_name,
            organization=first.organization,
            since=first.begin,
        )
    store.people.load(relationship, grants)


def decided_in(
    store: Store, request: AccessRequest, decision: Decision, today: date, effects: Effects | None = None
) -> AccessRequest:
    """The request decided by the domain's rule and written by the store, as the decide use case does."""
    grant = (effects.renewed or effects.grant) if effects else None
    decided, _ = request.decide(decision, grant.begin if grant else None, grant.end if grant else None)
    store.requests.decide(request, decided, today, effects)
    return decided


def cancelled_in(store: Store, request: AccessRequest, at: datetime) -> AccessRequest:
    cancelled, _ = request.cancel(at)
    store.requests.cancel(request, cancelled)
    return cancelled

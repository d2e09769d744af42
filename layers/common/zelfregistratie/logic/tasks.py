"""Tasks (docs/rules.md): "Mijn Taken", a task's details, the decision."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Literal, NamedTuple

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.audit import AuditAction, new_entry
from zelfregistratie.domain.entities import Outcome, RequestStatus, RequestType
from zelfregistratie.domain.errors import (
    ConcurrentChange,
    Forbidden,
    NotFound,
    NoWorkRelationship,
    OwnRequest,
)
from zelfregistratie.domain.requests import AccessRequest, Decision
from zelfregistratie.domain.rights import Grant, WorkRelationship
from zelfregistratie.store.paging import Page
from zelfregistratie.store.requests import Effects, RelationshipAppeared
from zelfregistratie.store.store import Store
from zelfregistratie.store.tasks import TaskFilter

APPROVED, REJECTED = AuditAction.REQUEST_APPROVED, AuditAction.REQUEST_REJECTED
RELATIONSHIP_CREATED = AuditAction.WORK_RELATIONSHIP_CREATED
RENEWED = AuditAction.GRANT_RENEWED


class Verdict(NamedTuple):
    """An administrator's decision on a task: approve or reject, why, and a shorter end if wanted."""

    outcome: Outcome
    reason: str
    end_date: date | None = None


def tasks(
    store: Store,
    actor: Actor,
    status: Literal["open", "closed"],
    limit: int,
    cursor: str | None,
    filters: TaskFilter | None = None,
) -> Page[AccessRequest]:
    """Tasks of every organisation the actor administers, newest first; `forbidden` for nobody's admin.

    One query when the list has tasks: only the organisations' administrators have any (a removal
    takes them back). An empty list asks whether the actor administers anything at all."""
    page = store.tasks.of(actor.sub, status, limit, cursor, filters)
    if not page.items and not store.admins.administers_any(actor.sub):
        raise Forbidden()
    return page


def task(store: Store, actor: Actor, task_id: str) -> AccessRequest:
    """A task of an organisation the actor does not administer answers as one that does not exist."""
    request = store.requests.get(task_id)
    if request is None or store.admins.get(request.organization, actor.sub) is None:
        raise NotFound()
    return request


class TaskDetail(NamedTuple):
    """A task, the period its grant has (or would get if approved today), and what the administrator
    needs to decide without looking elsewhere: what the requester already holds there, what the right
    lets its holder do."""

    request: AccessRequest
    begin: date | None
    end: date | None
    relationship: WorkRelationship | None = None
    grants: tuple[Grant, ...] = ()
    right_description: str | None = None
    today: date | None = None


def details(request: AccessRequest, today: date) -> TaskDetail:
    """A pending task shows the period a grant would get if approved today; a decided one, its own."""
    if request.status is RequestStatus.PENDING and request.type is RequestType.USER_RIGHT:
        return TaskDetail(request, today, request.latest_end(today), today=today)
    return TaskDetail(request, request.grant_begin, request.grant_end, today=today)


def task_detail(store: Store, actor: Actor, task_id: str, today: date) -> TaskDetail:
    """Three calls: the request; one BatchGetItem for the administrator and the right; one Query of the
    requester's partition for what they hold. A task of another organisation is `not_found`."""
    request = store.requests.get(task_id)
    if request is None:
        raise NotFound()
    admin, right = store.requests.administrator_and_right(request.organization, actor.sub, request.right)
    if admin is None:
        raise NotFound()
    relationships, grants = store.people.relations(request.requester)
    here = request.organization
    base = details(request, today)
    renewed = next((g for g in grants if g.id == request.renews), None)
    if renewed is not None and request.status is RequestStatus.PENDING:
        base = base._replace(begin=renewed.begin)  # a renewal keeps its grant's begin; only the end moves
    return base._replace(
        relationship=next((r for r in relationships if r.organization == here), None),
        grants=tuple(g for g in grants if g.organization == here and g.is_active(today)),
        right_description=right.description if right else None,
    )


# How often a decision that raced another change reads again and applies the rules to what it finds.
DECIDE_TRIES = 4


def decide(
    store: Store,
    actor: Actor,
    task_id: str,
    verdict: Verdict,
    *,
    now: datetime,
    today: date,
) -> AccessRequest:
    """Approve or reject; approval creates the work relationship if missing, then the grant, atomically,
    with the audit entries (the request's own mails tell of them).

    A decision that raced another change (the grant it renews revoked, the work relationship ended or
    created meanwhile) reads again and decides by what it now finds: a revoked grant is granted anew,
    an ended relationship is created again (rule 5). `concurrent_change` only after those tries; a
    request decided meanwhile answers `already_decided` at once."""
    for _ in range(DECIDE_TRIES):
        try:
            return _decide(store, actor, task_id, verdict, now=now, today=today)
        except (ConcurrentChange, NoWorkRelationship, RelationshipAppeared):
            continue
    raise ConcurrentChange()


def _decide(
    store: Store,
    actor: Actor,
    task_id: str,
    verdict: Verdict,
    *,
    now: datetime,
    today: date,
) -> AccessRequest:
    request = store.requests.get(task_id)
    if request is None:
        raise NotFound()
    admin, existing = store.requests.decision_context(request.organization, actor.sub, request.requester)
    if admin is None:
        raise NotFound()
    if request.requester == actor.sub:
        raise OwnRequest()
    decision = Decision(
        outcome=verdict.outcome, by_person=actor.sub, by_name=actor.name, at=now, reason=verdict.reason
    )
    entry = partial(
        new_entry,
        organization=request.organization,
        organization_name=request.organization_name,
        actor=actor,
        person=request.requester,
        person_name=request.requester_name,
        at=now,
        right=request.right,
        right_name=request.right_name,
        context=request.context,
        reason=verdict.reason,
        mailed=False,
    )
    if verdict.outcome is Outcome.REJECTED:
        rejected, _ = request.decide(decision)
        store.requests.decide(request, rejected, today, Effects(None, None, (entry(REJECTED),)))
        return rejected
    relationship = None if existing else WorkRelationship.for_request(request, today)
    works_there = existing or relationship
    assert works_there is not None
    grant, renewed = None, None
    if request.type is RequestType.USER_RIGHT:
        grant = _grant(request, verdict, works_there, today, now)
        renewed = _renewed(store, request, grant, now)
        if renewed is not None:
            grant = None
    held = renewed or grant
    entries = [entry(APPROVED, grant_id=held.id if held else None, end=held.end if held else None)]
    if renewed is not None:
        entries.append(entry(RENEWED, grant_id=renewed.id, end=renewed.end, email=renewed.email))
    if relationship is not None:
        entries.append(entry(RELATIONSHIP_CREATED, email=relationship.email))
    effects = Effects(grant, relationship, tuple(entries), renewed)
    approved, _ = request.decide(decision, held.begin if held else None, held.end if held else None)
    store.requests.decide(request, approved, today, effects)
    return approved


def _renewed(store: Store, request: AccessRequest, new: Grant, now: datetime) -> Grant | None:
    """A renewal's grant (the same id and begin) with the new grant's end; None when it is no longer
    there to renew (revoked meanwhile: the approval grants anew)."""
    if request.renews is None:
        return None
    found = store.people.grant_by_id(request.renews)
    if found is None or found.revocation is not None:
        return None
    renewed, _ = found.renew(new.end, now)
    return renewed


def _grant(
    request: AccessRequest, verdict: Verdict, works_there: WorkRelationship, today: date, now: datetime
) -> Grant:
    assert request.right is not None
    end = request.chosen_end(today, verdict.end_date)
    return Grant(
        person=request.requester,
        person_name=works_there.person_name,
        organization=request.organization,
        organization_name=request.organization_name,
        application_id=request.application_id,
        application_name=request.application_name,
        right=request.right,
        right_name=request.right_name,
        context=request.context,
        begin=today,
        end=end,
        request_id=request.id,
        email=works_there.email,
        changed_at=now,
    )

"""Tasks (PRODUCT.md §4-5): "Mijn Taken", a task's details, the decision."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, NamedTuple

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.entities import (
    AccessRequest,
    Decision,
    Grant,
    Outcome,
    RequestStatus,
    RequestType,
    add_months,
)
from zelfregistratie.domain.errors import FieldError, Forbidden, InvalidInput, NotFound, OwnRequest
from zelfregistratie.store.paging import Page
from zelfregistratie.store.store import Store

DEFAULT_VALIDITY_MONTHS = 24


class Verdict(NamedTuple):
    """An administrator's decision on a task: approve or reject, why, and a shorter end if wanted."""

    outcome: Outcome
    reason: str
    end_date: date | None = None


def tasks(
    store: Store, actor: Actor, status: Literal["open", "closed"], limit: int, cursor: str | None
) -> Page[AccessRequest]:
    """Tasks of every organisation the actor administers, newest first; `forbidden` for nobody's admin."""
    organizations = sorted({admin.organization for admin in store.admins.administered_by(actor.sub)})
    if not organizations:
        raise Forbidden()
    return store.tasks.of(organizations, status, limit, cursor)


def task(store: Store, actor: Actor, task_id: str) -> AccessRequest:
    """A task of an organisation the actor does not administer answers as one that does not exist."""
    request = store.requests.get(task_id)
    if request is None or store.admins.get(request.organization, actor.sub) is None:
        raise NotFound()
    return request


def default_end(request: AccessRequest, begin: date) -> date:
    return add_months(begin, request.right_validity_months or DEFAULT_VALIDITY_MONTHS)


class TaskDetail(NamedTuple):
    """A task, and the period its grant has, or would get if approved today."""

    request: AccessRequest
    begin: date | None
    end: date | None


def details(request: AccessRequest, today: date) -> TaskDetail:
    """A pending task shows the period a grant would get if approved today; a decided one, its own."""
    if request.status is RequestStatus.PENDING and request.type is RequestType.USER_RIGHT:
        return TaskDetail(request, today, default_end(request, today))
    return TaskDetail(request, request.grant_begin, request.grant_end)


def decide(
    store: Store,
    actor: Actor,
    task_id: str,
    verdict: Verdict,
    *,
    now: datetime,
    today: date,
) -> AccessRequest:
    """Approve or reject; approval creates the work relationship if missing, then the grant, atomically."""
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
    if verdict.outcome is Outcome.REJECTED:
        return store.requests.decide(request, decision)
    relationship = None
    if existing is None:
        relationship = request.work_relationship(since=today)
    grant = None
    if request.type is RequestType.USER_RIGHT:
        assert request.right is not None
        latest = default_end(request, today)
        end = verdict.end_date or latest
        if not today <= end <= latest:
            raise InvalidInput(
                errors=[
                    FieldError("endDate", f"Kies een einddatum tussen {today:%d/%m/%Y} en {latest:%d/%m/%Y}.")
                ]
            )
        grant = Grant(
            person=request.requester,
            organization=request.organization,
            organization_name=request.organization_name,
            right=request.right,
            right_name=request.right_name,
            context=request.context,
            begin=today,
            end=end,
            request_id=request.id,
        )
    return store.requests.decide(request, decision, work_relationship=relationship, grant=grant)

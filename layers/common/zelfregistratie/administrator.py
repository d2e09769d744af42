"""The local administrator's side (PRODUCT.md §4-5): "Mijn Taken", task details, decisions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from zelfregistratie.domain import (
    AccessRequest,
    Decision,
    Grant,
    Outcome,
    RequestStatus,
    RequestType,
    WorkRelationship,
    add_months,
)
from zelfregistratie.errors import FieldError, Forbidden, InvalidInput, NotFound, OwnRequest
from zelfregistratie.fields import FreeText
from zelfregistratie.identity import Caller
from zelfregistratie.repository import Page, Repository
from zelfregistratie.views import HistoryEntry, TaskDetails, application_ref, decision_view, right_ref

DEFAULT_VALIDITY_MONTHS = 24


def tasks(
    repository: Repository, caller: Caller, status: Literal["open", "closed"], limit: int, cursor: str | None
) -> Page[AccessRequest]:
    """Tasks of every organisation the caller administers, newest first; `forbidden` for nobody's admin."""
    organizations = sorted({admin.organization for admin in repository.administered_by(caller.sub)})
    if not organizations:
        raise Forbidden()
    return repository.tasks_of(organizations, status, limit, cursor)


def task(repository: Repository, caller: Caller, task_id: str) -> AccessRequest:
    """A task of an organisation the caller does not administer answers as one that does not exist."""
    request = repository.get_request(task_id)
    if request is None or repository.get_local_admin(request.organization, caller.sub) is None:
        raise NotFound()
    return request


def default_end(request: AccessRequest, begin: date) -> date:
    return add_months(begin, request.right_validity_months or DEFAULT_VALIDITY_MONTHS)


def details(request: AccessRequest, today: date) -> TaskDetails:
    """A pending task shows the period a grant would get if approved today; a decided one, its own."""
    begin, end = request.grant_begin, request.grant_end
    if request.status is RequestStatus.PENDING and request.type is RequestType.USER_RIGHT:
        begin, end = today, default_end(request, today)
    history = [
        HistoryEntry(
            event="filed", at=request.created_at, by={"name": request.requester_name}, reason=request.reason
        )
    ]
    if request.decision:
        history.append(
            HistoryEntry(
                event=request.decision.outcome.value,
                at=request.decision.at,
                by={"name": request.decision.by_name},
                reason=request.decision.reason,
            )
        )
    if request.cancelled_at:
        history.append(
            HistoryEntry(
                event="cancelled", at=request.cancelled_at, by={"name": request.requester_name}, reason=None
            )
        )
    return TaskDetails(
        id=request.id,
        requestType=request.type,
        status=request.status,
        requester={"name": request.requester_name},
        application=application_ref(request),
        organization={"code": request.organization, "name": request.organization_name},
        right=right_ref(request),
        context=request.context,
        email=request.email,
        phone=request.phone,
        beginDate=begin,
        endDate=end,
        reason=request.reason,
        createdAt=request.created_at,
        decision=decision_view(request.decision),
        history=history,
    )


class DecisionBody(BaseModel):
    """`POST /api/tasks/{id}/decision`."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True, defer_build=True
    )

    decision: Literal["approve", "reject"]
    reason: Annotated[FreeText, Field(min_length=1, max_length=1000)]
    end_date: date | None = None

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Geef een reden voor uw beslissing.")
        return value.strip()


def decide(
    repository: Repository, caller: Caller, task_id: str, body: DecisionBody, *, now: datetime, today: date
) -> AccessRequest:
    """Approve or reject; approval creates the work relationship if missing, then the grant, atomically."""
    request = repository.get_request(task_id)
    if request is None:
        raise NotFound()
    admin, existing = repository.decision_context(request.organization, caller.sub, request.requester)
    if admin is None:
        raise NotFound()
    if request.requester == caller.sub:
        raise OwnRequest()
    outcome = Outcome.APPROVED if body.decision == "approve" else Outcome.REJECTED
    decision = Decision(
        outcome=outcome, by_person=caller.sub, by_name=caller.name, at=now, reason=body.reason
    )
    if outcome is Outcome.REJECTED:
        return repository.record_decision(request, decision)
    relationship = None
    if existing is None:
        relationship = WorkRelationship(
            person=request.requester,
            person_name=request.requester_name,
            organization=request.organization,
            organization_name=request.organization_name,
            email=request.email,
            phone=request.phone,
            since=today,
        )
    grant = None
    if request.type is RequestType.USER_RIGHT:
        assert request.right is not None
        latest = default_end(request, today)
        end = body.end_date or latest
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
    return repository.record_decision(request, decision, work_relationship=relationship, grant=grant)

"""The administrator's answers, built (`task_shapes.py` names their shapes): rows of "Mijn Taken", a
task's details with its history, an organisation's administrators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zelfregistratie.api.views import (
    application_ref,
    decision_view,
    grant_view,
    heads_first,
    right_ref,
    work_relationship_view,
)
from zelfregistratie.domain.periods import Periods

if TYPE_CHECKING:  # only named in annotations
    from zelfregistratie.api.task_shapes import (
        AdminView,
        HistoryEntry,
        OrganizationAdminsView,
        TaskDetails,
        TaskRow,
    )
    from zelfregistratie.domain.entities import LocalAdmin, OrganizationWithAdmins
    from zelfregistratie.domain.requests import AccessRequest
    from zelfregistratie.domain.rights import WorkRelationship
    from zelfregistratie.logic.tasks import TaskDetail


def task_row(request: AccessRequest, caller: str) -> TaskRow:
    """A row of "Mijn Taken" as `caller` sees it: their own request is marked, for nobody decides it."""
    return {
        "id": request.id,
        "number": request.number,
        "task": "create",
        "type": "self-registration",
        "requestType": request.type,
        "status": request.status,
        "createdBy": {"name": request.requester_name},
        "createdAt": request.created_at,
        "organization": {"code": request.organization, "name": request.organization_name},
        "right": right_ref(request),
        "context": request.context,
        "decision": decision_view(request.decision),
        "renewal": request.renewal,
        "own": request.requester == caller,
    }


def admin_view(admin: LocalAdmin) -> AdminView:
    return {
        "person": admin.person,
        "name": admin.name,
        "role": admin.role,
        "email": admin.email,
        "phone": admin.phone,
        "emailStatus": admin.email_status,
    }


def organization_admins_view(
    found: OrganizationWithAdmins, relationships: list[WorkRelationship]
) -> OrganizationAdminsView:
    assert found.organization is not None
    organization = found.organization
    return {
        "organization": {"code": organization.code, "name": organization.name},
        "targetGroup": organization.target_group,
        "canReceiveRequests": found.can_receive_requests,
        "admins": [admin_view(a) for a in heads_first(found.admins)],
        "candidates": [{"person": r.person, "name": r.person_name, "email": r.email} for r in relationships],
    }


def task_details(detail: TaskDetail, caller: str, periods: Periods) -> TaskDetails:
    request = detail.request
    history: list[HistoryEntry] = [
        {
            "event": "filed",
            "at": request.created_at,
            "by": {"name": request.requester_name},
            "reason": request.reason,
        }
    ]
    if request.decision:
        history.append(
            {
                "event": request.decision.outcome.value,
                "at": request.decision.at,
                "by": {"name": request.decision.by_name},
                "reason": request.decision.reason,
            }
        )
    if request.cancelled_at:
        history.append(
            {
                "event": "cancelled",
                "at": request.cancelled_at,
                "by": {"name": request.requester_name},
                "reason": None,
            }
        )
    if request.expired_at:
        history.append(
            {"event": "expired", "at": request.expired_at, "by": {"name": "Zelfregistratie"}, "reason": None}
        )
    return {
        "id": request.id,
        "number": request.number,
        "renewal": request.renewal,
        "own": request.requester == caller,
        "requestType": request.type,
        "status": request.status,
        "requester": {"name": request.requester_name},
        "application": application_ref(request),
        "organization": {"code": request.organization, "name": request.organization_name},
        "right": right_ref(request),
        "context": request.context,
        "email": request.email,
        "phone": request.phone,
        "beginDate": detail.begin,
        "endDate": detail.end,
        "reason": request.reason,
        "createdAt": request.created_at,
        "decision": decision_view(request.decision),
        "history": history,
        "rightDescription": detail.right_description,
        "requesterHolds": {
            "workRelationship": work_relationship_view(detail.relationship) if detail.relationship else None,
            "grants": [grant_view(g, detail.today or g.begin, periods) for g in detail.grants],
        },
    }

"""The answers of managing rights (docs/rules.md § Managing rights): people, audit entries, an ended work
relationship, and the export; grants and work relationships as `views.py` builds them everywhere."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

from zelfregistratie.api.views import administered_view, grant_view, request_view, work_relationship_view
from zelfregistratie.domain.audit import AuditEntry
from zelfregistratie.domain.entities import Right
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.rights import Member

if TYPE_CHECKING:
    from zelfregistratie.api.shapes import (
        AuditEntryView,
        EndedView,
        ExportView,
        GrantableRightView,
        MemberView,
    )
    from zelfregistratie.logic.profile import Export
    from zelfregistratie.logic.rights import Ended


def member_view(member: Member, today: date, administrators: Collection[str], periods: Periods) -> MemberView:
    relationship = member.work_relationship
    return {
        "sub": relationship.person,
        "name": relationship.person_name,
        "localAdmin": relationship.person in administrators,
        "workRelationship": work_relationship_view(relationship),
        "grants": [grant_view(g, today, periods) for g in member.grants if g.is_active(today)],
    }


def grantable_right_view(right: Right) -> GrantableRightView:
    return {
        "code": right.code,
        "name": right.name,
        "application": {"id": right.application_id, "name": right.application_name},
        "contexts": list(right.contexts),
        "validityMonths": right.validity_months,
    }


def audit_view(entry: AuditEntry) -> AuditEntryView:
    return {
        "id": entry.id,
        "at": entry.at,
        "action": entry.action,
        "by": {"name": entry.actor_name},
        "person": {"sub": entry.person, "name": entry.person_name},
        "right": {"code": entry.right, "name": entry.right_name} if entry.right else None,
        "reason": entry.reason,
    }


def ended_view(ended: Ended, today: date, periods: Periods) -> EndedView:
    return {
        "workRelationship": work_relationship_view(ended.work_relationship),
        "revokedGrants": [grant_view(g, today, periods) for g in ended.revoked_grants],
    }


def export_view(export: Export, periods: Periods) -> ExportView:
    return {
        "exportedAt": export.at,
        "sub": export.actor.sub,
        "name": export.actor.name,
        "requests": [request_view(r) for r in export.requests],
        "workRelationships": [work_relationship_view(r) for r in export.work_relationships],
        "grants": [grant_view(g, export.today, periods) for g in export.grants],
        "administers": [administered_view(a) for a in export.administers],
        "audit": [audit_view(e) for e in export.audit],
    }

"""The administrator's home as the API answers it (shapes: api/home_shapes.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from zelfregistratie.api.csv_files import csv_text
from zelfregistratie.api.views import grant_view
from zelfregistratie.domain.audit import AuditAction, AuditEntry
from zelfregistratie.domain.entities import LocalAdmin
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.rights import Grant, GrantStatus
from zelfregistratie.store.names import NameMatch

if TYPE_CHECKING:  # shapes are for type checkers and the OpenAPI generator, not the cold start
    from zelfregistratie.api.home_shapes import AdministeredOrganizationView, ComparisonView, FoundPersonView
    from zelfregistratie.logic.home import Administered, Comparison


def found_person_view(match: NameMatch, administered: Mapping[str, LocalAdmin]) -> FoundPersonView:
    return {
        "sub": match.person,
        "name": match.name,
        "organizations": [
            {"code": code, "name": administered[code].organization_name if code in administered else None}
            for code in match.organizations
        ],
    }


def administered_organization_view(found: Administered) -> AdministeredOrganizationView:
    organization, counts = found.organization, found.counts
    return {
        "code": found.admin.organization,
        "name": organization.name if organization else found.admin.organization_name,
        "targetGroup": organization.target_group if organization else None,
        "role": found.admin.role,
        "reachable": organization.can_receive_requests if organization else False,
        "counts": {
            "people": counts.people,
            "activeGrants": counts.active_grants,
            "openTasks": counts.open_tasks,
        },
    }


# The look-up's download: its columns, and the statuses as its readers say them.
GRANT_COLUMNS = (
    "Naam",
    "Organisatie",
    "Toepassing",
    "Gebruikersrecht",
    "Context",
    "Begindatum",
    "Einddatum",
    "Status",
)
GRANT_STATUS_WORDS = {
    GrantStatus.ACTIVE: "Actief",
    GrantStatus.EXPIRING: "Verloopt binnenkort",
    GrantStatus.EXPIRED: "Verlopen",
    GrantStatus.REVOKED: "Herroepen",
}


def grants_csv(grants: Iterable[Grant], today: date, periods: Periods) -> str:
    return csv_text(
        GRANT_COLUMNS,
        (
            (
                grant.person_name or grant.person,
                grant.organization_name or grant.organization,
                grant.application_name,
                grant.right_name or grant.right,
                grant.context,
                grant.begin,
                grant.end,
                GRANT_STATUS_WORDS[grant.status(today, periods)],
            )
            for grant in grants
        ),
    )


def comparison_view(found: Comparison, today: date, periods: Periods) -> ComparisonView:
    return {
        "people": [
            {"sub": m.work_relationship.person, "name": m.work_relationship.person_name} for m in found.people
        ],
        "rows": [
            {
                "right": {"code": row.right, "name": row.right_name},
                "context": row.context,
                "grants": {
                    sub: grant_view(grant, today, periods) if grant else None
                    for sub, grant in row.grants.items()
                },
            }
            for row in found.rows
        ],
    }


# The audit trail's download: its columns, and each action as its readers say it.
AUDIT_COLUMNS = ("Tijdstip", "Actie", "Door", "Over", "Gebruikersrecht", "Context", "Reden")
AUDIT_ACTION_WORDS = {
    AuditAction.REQUEST_APPROVED: "Aanvraag goedgekeurd",
    AuditAction.REQUEST_REJECTED: "Aanvraag afgekeurd",
    AuditAction.GRANT_CREATED: "Recht toegekend",
    AuditAction.GRANT_RENEWED: "Recht verlengd",
    AuditAction.GRANT_REVOKED: "Recht herroepen",
    AuditAction.GRANT_EXPIRED: "Recht verlopen",
    AuditAction.WORK_RELATIONSHIP_CREATED: "Werkrelatie gestart",
    AuditAction.WORK_RELATIONSHIP_ENDED: "Werkrelatie beëindigd",
    AuditAction.ADMIN_APPOINTED: "Beheerder aangesteld",
    AuditAction.ADMIN_REMOVED: "Beheerder verwijderd",
    AuditAction.ADMIN_EMAIL_CHANGED: "E-mailadres beheerder gewijzigd",
    AuditAction.ADMIN_UNREACHABLE: "Beheerder onbereikbaar",
}


def audit_csv(entries: Iterable[AuditEntry]) -> str:
    return csv_text(
        AUDIT_COLUMNS,
        (
            (
                entry.at,
                AUDIT_ACTION_WORDS[entry.action],
                entry.actor_name,
                entry.person_name or entry.person,
                entry.right_name or entry.right,
                entry.context,
                entry.reason,
            )
            for entry in entries
        ),
    )

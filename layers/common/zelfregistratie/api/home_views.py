"""The administrator's home as the API answers it (shapes: api/home_shapes.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from zelfregistratie.api.csv_files import csv_text
from zelfregistratie.domain.entities import LocalAdmin
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.rights import Grant, GrantStatus
from zelfregistratie.store.names import NameMatch

if TYPE_CHECKING:  # shapes are for type checkers and the OpenAPI generator, not the cold start
    from zelfregistratie.api.home_shapes import AdministeredOrganizationView, FoundPersonView
    from zelfregistratie.logic.home import Administered


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

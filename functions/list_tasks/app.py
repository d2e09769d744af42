"""The local administrator's reads: "Mijn Taken", task details, administrators, people, audit
(docs/rules.md); and the applications' read of their grants (docs/applications.md)."""

from __future__ import annotations

import gc

# What a cold start imports and builds is not garbage: collecting meanwhile only costs time (with
# gc.freeze at the end of this module, about 5 % of it). Collection resumes there.
gc.disable()

from typing import TYPE_CHECKING, Annotated, Any, Literal

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from zelfregistratie.api.csv_files import csv_download
from zelfregistratie.api.fields import Instant
from zelfregistratie.api.home_views import (
    administered_organization_view,
    audit_csv,
    comparison_view,
    found_person_view,
    grants_csv,
)
from zelfregistratie.api.http import Response
from zelfregistratie.api.inputs import PageQuery
from zelfregistratie.api.rights_views import audit_view, grantable_right_view, member_view
from zelfregistratie.api.router import create_router, documented, parse_query
from zelfregistratie.api.task_views import organization_admins_view, task_details, task_row
from zelfregistratie.api.views import application_grant_view, grant_view, page_view
from zelfregistratie.aws import client
from zelfregistratie.config import Settings, lifecycle_days
from zelfregistratie.domain import clock
from zelfregistratie.domain.audit import AuditAction
from zelfregistratie.domain.periods import Periods
from zelfregistratie.logic import applications, appointments, home, lookup
from zelfregistratie.logic import organization_rights as rights
from zelfregistratie.logic import tasks as task_logic
from zelfregistratie.store.store import Store
from zelfregistratie.store.tasks import TaskFilter

if TYPE_CHECKING:  # answers' shapes are named in annotations only (tools/openapi resolves them)
    from zelfregistratie.api.home_shapes import AdministeredOrganizationView, ComparisonView, FoundPersonView
    from zelfregistratie.api.shapes import (
        ApplicationGrantView,
        AuditEntryView,
        GrantableRightView,
        GrantView,
        MemberView,
        PageView,
    )
    from zelfregistratie.api.task_shapes import OrganizationAdminsView, TaskDetails, TaskRow

settings = Settings.from_environment()
PERIODS = Periods.of_days(**lifecycle_days())  # the template's lifecycle periods, handed to what needs them
logger = Logger(environment=settings.environment)  # a key of every log line
metrics = Metrics()
store = Store.connect(settings.table_name, client("dynamodb"), PERIODS)
app = create_router()


class TaskQuery(PageQuery):
    status: Literal["open", "closed"] = "open"
    q: Annotated[str, Field(min_length=1, max_length=100)] | None = None  # part of the requester's name
    right: Annotated[str, Field(min_length=1, max_length=64)] | None = None


@app.get("/api/tasks", openapi_extensions=documented(query=TaskQuery))
def tasks() -> PageView[TaskRow]:
    query = parse_query(app.current_event, TaskQuery)
    filters = TaskFilter(query.q, query.right)
    page = task_logic.tasks(store, app.caller, query.status, query.limit, query.cursor, filters)
    return page_view([task_row(r, app.caller.sub) for r in page.items], page.next_cursor)


@app.get("/api/tasks/<id>")
def task(id: str) -> TaskDetails:
    return task_details(task_logic.task_detail(store, app.caller, id, clock.today()), app.caller.sub, PERIODS)


@app.get("/api/organizations/<code>/admins")
def organization_admins(code: str) -> OrganizationAdminsView:
    found, relationships = appointments.administrators(store, app.caller, code)
    return organization_admins_view(found, relationships)


class PeopleQuery(PageQuery):
    q: Annotated[str, Field(min_length=1, max_length=100)] | None = None


@app.get("/api/organizations/<code>/people", openapi_extensions=documented(query=PeopleQuery))
def people(code: str) -> PageView[MemberView]:
    query = parse_query(app.current_event, PeopleQuery)
    found = rights.people(store, app.caller, code, query.q, query.limit, query.cursor)
    today = clock.today()
    members = [member_view(m, today, found.administrators, PERIODS) for m in found.page.items]
    return page_view(members, found.page.next_cursor)


@app.get("/api/organizations")
def administered_organizations() -> PageView[AdministeredOrganizationView]:
    """The organisations the caller administers, with their counts (one page: all of them)."""
    return page_view([administered_organization_view(a) for a in home.organizations(store, app.caller)], None)


class GrantLookup(PageQuery):
    right: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^#]+$")] | None = None
    organization: Annotated[str, Field(pattern=r"^[0-9A-Za-z]{1,32}$")] | None = None
    # without a right, every right of it; with one, the right's own (another finds nothing)
    application: Annotated[int, Field(ge=1, le=2_147_483_647)] | None = None
    context: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^#]+$")] | None = None
    status: Literal["active", "all"] = "active"
    format: Literal["json", "csv"] = "json"  # or `Accept: text/csv`


@app.get("/api/grants", openapi_extensions=documented(query=GrantLookup))
def grant_lookup() -> Response[PageView[GrantView]]:
    """Toekenning opzoeken: who holds a right at the caller's organisations; with `format=csv` (or
    `Accept: text/csv`) all of them as `text/csv` (docs/administrators-home.md § Look-up)."""
    query = parse_query(app.current_event, GrantLookup)
    wanted = lookup.Wanted(
        query.right, query.organization, query.context, query.status == "all", query.application
    )
    today = clock.today()
    if query.format == "csv" or "text/csv" in app.current_event.headers.get("accept", ""):
        found_all = grants_csv(lookup.all_grants(store, app.caller, wanted), today, PERIODS)
        return csv_download("toekenningen.csv", found_all)  # type: ignore[return-value]  # the CSV form
    page = lookup.grants(store, app.caller, wanted, query.limit, query.cursor)
    found = page_view([grant_view(g, today, PERIODS) for g in page.items], page.next_cursor)
    return Response(200, "application/json", found)


class PeopleSearch(PageQuery):
    q: Annotated[str, Field(min_length=1, max_length=100, pattern=r"\w")]  # the start of a word of the name


@app.get("/api/people", openapi_extensions=documented(query=PeopleSearch))
def people_search() -> PageView[FoundPersonView]:
    """People of all the caller's organisations found by the start of a word of their name."""
    query = parse_query(app.current_event, PeopleSearch)
    found = home.people(store, app.caller, query.q, query.limit, query.cursor)
    return page_view(
        [found_person_view(m, found.administered) for m in found.page.items], found.page.next_cursor
    )


class CompareQuery(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built on first use, not at a cold start

    person: Annotated[str, Field(min_length=1, max_length=700)]  # subs, comma-separated (or repeated)


@app.get("/api/organizations/<code>/people/compare", openapi_extensions=documented(query=CompareQuery))
def compare_people(code: str) -> ComparisonView:
    """Vergelijk meerdere personen: 2 to 5 people of the organisation, a row per right they hold."""
    query = parse_query(app.current_event, CompareQuery)
    subs = [sub.strip() for sub in query.person.split(",")]
    today = clock.today()
    return comparison_view(home.compare(store, app.caller, code, subs, today), today, PERIODS)


@app.get("/api/organizations/<code>/rights")
def grantable_rights(code: str) -> PageView[GrantableRightView]:
    """What "Recht toekennen" offers: the rights of the organisation's target group."""
    return page_view([grantable_right_view(r) for r in rights.grantable(store, app.caller, code)], None)


class AuditQuery(PageQuery):
    person: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^#]+$")] | None = None
    action: AuditAction | None = None
    format: Literal["json", "csv"] = "json"  # or `Accept: text/csv`


@app.get("/api/organizations/<code>/audit", openapi_extensions=documented(query=AuditQuery))
def audit_trail(code: str) -> Response[PageView[AuditEntryView]]:
    """The organisation's audit trail, newest first, about one person or of one action; with
    `format=csv` (or `Accept: text/csv`) all of it as `text/csv`."""
    query = parse_query(app.current_event, AuditQuery)
    only = rights.AuditFilter(query.person, query.action)
    if query.format == "csv" or "text/csv" in app.current_event.headers.get("accept", ""):
        found_all = audit_csv(rights.whole_audit_trail(store, app.caller, code, only))
        return csv_download("audit.csv", found_all)  # type: ignore[return-value]  # the CSV form
    page = rights.audit_trail(store, app.caller, code, query.limit, query.cursor, only)
    return Response(200, "application/json", page_view([audit_view(e) for e in page.items], page.next_cursor))


class ApplicationGrantsQuery(PageQuery):
    organization: Annotated[str, Field(pattern=r"^[0-9A-Za-z]{1,32}$")] | None = None
    person: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^#]+$")] | None = None
    changedSince: Instant | None = None


@app.get(
    "/api/applications/<application>/grants",
    openapi_extensions=documented(query=ApplicationGrantsQuery),
    machine=True,
)
def application_grants(application: str) -> PageView[ApplicationGrantView]:
    """For an application's machine client (scope `grants.read`): its active grants, or every change
    after `changedSince`, oldest first (docs/applications.md)."""
    query = parse_query(app.current_event, ApplicationGrantsQuery)
    now = clock.now()
    today = clock.today(now)
    page = applications.grants(
        store,
        app.caller,
        application,
        organization=query.organization,
        person=query.person,
        changed_since=query.changedSince,
        limit=query.limit,
        cursor=query.cursor,
        now=now,
        today=today,
    )
    return page_view([application_grant_view(g, today, PERIODS) for g in page.items], page.next_cursor)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


# The cold start is over. What it made lives as long as this environment: moved out of the collector's
# sight (a first collection would otherwise scan all of it), then collection resumes.
gc.freeze()
gc.enable()

"""The local administrator's writes: decisions, appointing and removing administrators (docs/rules.md § The
API's conventions)."""

from __future__ import annotations

import gc

# What a cold start imports and builds is not garbage: collecting meanwhile only costs time (with
# gc.freeze at the end of this module, about 5 % of it). Collection resumes there.
gc.disable()

from functools import partial
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from zelfregistratie.api.decision_inputs import (
    Appointment,
    DecisionBody,
    GrantBody,
    ReasonBody,
    SelfAppointment,
)
from zelfregistratie.api.http import Response
from zelfregistratie.api.rights_views import ended_view
from zelfregistratie.api.router import create_router, documented, parse_body
from zelfregistratie.api.task_views import admin_view
from zelfregistratie.api.views import grant_view, request_view
from zelfregistratie.aws import client
from zelfregistratie.config import Settings, lifecycle_days
from zelfregistratie.domain import clock
from zelfregistratie.domain.periods import Periods
from zelfregistratie.logic import appointments, rights, tasks
from zelfregistratie.store.store import Store

if TYPE_CHECKING:  # answers' shapes are named in annotations only (tools/openapi resolves them)
    from zelfregistratie.api.shapes import EndedView, GrantView, RequestView
    from zelfregistratie.api.task_shapes import AdminView

settings = Settings.from_environment()
PERIODS = Periods.of_days(**lifecycle_days())  # the template's lifecycle periods, handed to what needs them
logger = Logger(environment=settings.environment)  # a key of every log line
metrics = Metrics()
store = Store.connect(settings.table_name, client("dynamodb"), PERIODS)
app = create_router()


@app.post("/api/tasks/<id>/decision", openapi_extensions=documented(body=DecisionBody))
def decision(id: str) -> RequestView:
    verdict = parse_body(app.current_event, DecisionBody).verdict()
    now = clock.now()
    decided = tasks.decide(store, app.caller, id, verdict, now=now, today=clock.today(now))
    assert decided.decision is not None
    metrics.add_dimension(name="outcome", value=decided.decision.outcome.value)
    metrics.add_metric(name="RequestsDecided", unit=MetricUnit.Count, value=1)
    waited = (decided.decision.at - decided.created_at).total_seconds()
    metrics.add_metric(name="TimeToDecision", unit=MetricUnit.Seconds, value=waited)
    return request_view(decided)


@app.post("/api/organizations/<code>/admins/self", openapi_extensions=documented(body=SelfAppointment))
def appoint_self(code: str) -> AdminView:
    may = partial(appointments.may_appoint_self, store, app.caller, code)
    body = parse_body(app.current_event, SelfAppointment, authorize=may)
    now = clock.now()
    appointed = appointments.appoint_self(
        store, app.caller, code, email=body.email, phone=body.phone, now=now, today=clock.today(now)
    )
    return admin_view(appointed)


@app.post("/api/organizations/<code>/admins", openapi_extensions=documented(body=Appointment))
def appoint(code: str) -> Response[AdminView]:
    may = partial(appointments.may_appoint, store, app.caller, code)
    nominee = parse_body(app.current_event, Appointment, authorize=may).nominee()
    appointed = appointments.appoint(store, app.caller, code, nominee, now=clock.now())
    return Response(201 if appointed.new else 200, "application/json", admin_view(appointed.admin))


@app.delete("/api/organizations/<code>/admins/<sub>")
def remove(code: str, sub: str) -> Response[str]:
    confirm = (app.current_event.query_string_parameters or {}).get("confirm") == "true"
    appointments.remove(store, app.caller, code, sub, confirm=confirm, now=clock.now())
    return Response(204, None, "")


@app.post("/api/organizations/<code>/grants", openapi_extensions=documented(body=GrantBody))
def grant(code: str) -> Response[GrantView]:
    may = partial(rights.may_grant, store, app.caller, code)
    grantee = parse_body(app.current_event, GrantBody, authorize=may).grantee()
    now = clock.now()
    today = clock.today(now)
    created = rights.grant(store, app.caller, code, grantee, now=now, today=today)
    metrics.add_metric(name="GrantsCreatedDirectly", unit=MetricUnit.Count, value=1)
    return Response(201, "application/json", grant_view(created, today, PERIODS))


@app.post("/api/grants/<id>/revoke", openapi_extensions=documented(body=ReasonBody))
def revoke(id: str) -> GrantView:
    reason = parse_body(app.current_event, ReasonBody).reason
    now = clock.now()
    today = clock.today(now)
    revoked = rights.revoke(store, app.caller, id, reason, now=now, today=today)
    metrics.add_metric(name="GrantsRevoked", unit=MetricUnit.Count, value=1)
    return grant_view(revoked, today, PERIODS)


@app.post("/api/work-relationships/<id>/end", openapi_extensions=documented(body=ReasonBody))
def end_work_relationship(id: str) -> EndedView:
    reason = parse_body(app.current_event, ReasonBody).reason
    now = clock.now()
    today = clock.today(now)
    ended = rights.end_work_relationship(store, app.caller, id, reason, now=now, today=today)
    metrics.add_metric(name="WorkRelationshipsEnded", unit=MetricUnit.Count, value=1)
    return ended_view(ended, today, PERIODS)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


# The cold start is over. What it made lives as long as this environment: moved out of the collector's
# sight (a first collection would otherwise scan all of it), then collection resumes.
gc.freeze()
gc.enable()

"""The local administrator's writes: decisions, appointing and removing administrators (PRODUCT.md §5)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from zelfregistratie import administrator, admins, clock
from zelfregistratie.api import create_router, documented, parse_body
from zelfregistratie.aws import client
from zelfregistratie.config import Settings
from zelfregistratie.http import Response
from zelfregistratie.identity import caller_from_event
from zelfregistratie.repository import Repository
from zelfregistratie.views import AdminView, RequestView, admin_view, request_view

settings = Settings.from_environment()
logger = Logger()
metrics = Metrics()
repository = Repository(settings.table_name, client("dynamodb"))
app = create_router()


@app.post("/api/tasks/<id>/decision", openapi_extensions=documented(body=administrator.DecisionBody))
def decision(id: str) -> RequestView:
    caller = caller_from_event(app.current_event)
    body = parse_body(app.current_event, administrator.DecisionBody)
    now = clock.now()
    decided = administrator.decide(repository, caller, id, body, now=now, today=clock.today(now))
    assert decided.decision is not None
    metrics.add_dimension(name="outcome", value=decided.decision.outcome.value)
    metrics.add_metric(name="RequestsDecided", unit=MetricUnit.Count, value=1)
    waited = (decided.decision.at - decided.created_at).total_seconds()
    metrics.add_metric(name="TimeToDecision", unit=MetricUnit.Seconds, value=waited)
    return request_view(decided)


@app.post("/api/organizations/<code>/admins/self", openapi_extensions=documented(body=admins.SelfAppointment))
def appoint_self(code: str) -> AdminView:
    caller = caller_from_event(app.current_event)
    body = parse_body(app.current_event, admins.SelfAppointment)
    now = clock.now()
    return admin_view(admins.appoint_self(repository, caller, code, body, now=now, today=clock.today(now)))


@app.post("/api/organizations/<code>/admins", openapi_extensions=documented(body=admins.Appointment))
def appoint(code: str) -> Response[AdminView]:
    actor = admins.actor_of(caller_from_event(app.current_event))
    body = parse_body(app.current_event, admins.Appointment)
    appointed = admins.appoint(repository, actor, code, body, now=clock.now())
    return Response(201, "application/json", admin_view(appointed))


@app.delete("/api/organizations/<code>/admins/<sub>")
def remove(code: str, sub: str) -> Response[str]:
    actor = admins.actor_of(caller_from_event(app.current_event))
    confirm = (app.current_event.query_string_parameters or {}).get("confirm") == "true"
    admins.remove(repository, actor, code, sub, confirm=confirm, now=clock.now())
    return Response(204, None, "")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)

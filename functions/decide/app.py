"""The local administrator's writes: decisions on tasks (PRODUCT.md §5)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from zelfregistratie import administrator, clock
from zelfregistratie.api import create_resolver, documented, parse_body
from zelfregistratie.aws import client
from zelfregistratie.config import Settings
from zelfregistratie.identity import caller_from_event
from zelfregistratie.repository import Repository
from zelfregistratie.views import RequestView

settings = Settings.from_environment()
logger = Logger()
metrics = Metrics()
repository = Repository(settings.table_name, client("dynamodb"))
app = create_resolver()


@app.post("/api/tasks/<task_id>/decision", openapi_extensions=documented(body=administrator.DecisionBody))
def decision(task_id: str) -> RequestView:
    caller = caller_from_event(app.current_event)
    body = parse_body(app.current_event, administrator.DecisionBody)
    now = clock.now()
    decided = administrator.decide(repository, caller, task_id, body, now=now, today=clock.today(now))
    assert decided.decision is not None
    metrics.add_dimension(name="outcome", value=decided.decision.outcome.value)
    metrics.add_metric(name="RequestsDecided", unit=MetricUnit.Count, value=1)
    waited = (decided.decision.at - decided.created_at).total_seconds()
    metrics.add_metric(name="TimeToDecision", unit=MetricUnit.Seconds, value=waited)
    return RequestView.of(decided)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)

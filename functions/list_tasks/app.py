"""The local administrator's reads: task list, task details, administrators (PRODUCT.md §5)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from zelfregistratie.api import create_resolver
from zelfregistratie.aws import client
from zelfregistratie.config import Settings
from zelfregistratie.repository import Repository

settings = Settings.from_environment()
logger = Logger()
metrics = Metrics()
repository = Repository(settings.table_name, client("dynamodb"))
app = create_resolver()


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)

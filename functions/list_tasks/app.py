"""The local administrator's reads: "Mijn Taken", task details, administrators (PRODUCT.md §5)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from zelfregistratie import administrator, admins, clock
from zelfregistratie.api import create_router, documented, parse_query
from zelfregistratie.aws import client
from zelfregistratie.config import Settings
from zelfregistratie.identity import caller_from_event
from zelfregistratie.repository import Repository
from zelfregistratie.views import (
    OrganizationAdminsView,
    PageView,
    TaskDetails,
    TaskRow,
    organization_admins_view,
    page_view,
    task_row,
)

settings = Settings.from_environment()
logger = Logger()
metrics = Metrics()
repository = Repository(settings.table_name, client("dynamodb"))
app = create_router()


class TaskQuery(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built on first use, as every input model

    status: Literal["open", "closed"] = "open"
    limit: Annotated[int, Field(ge=1, le=100)] = 25
    cursor: Annotated[str, Field(max_length=4096)] | None = None


@app.get("/api/tasks", openapi_extensions=documented(query=TaskQuery))
def tasks() -> PageView[TaskRow]:
    query = parse_query(app.current_event, TaskQuery)
    caller = caller_from_event(app.current_event)
    page = administrator.tasks(repository, caller, query.status, query.limit, query.cursor)
    return page_view([task_row(r) for r in page.items], page.next_cursor)


@app.get("/api/tasks/<id>")
def task(id: str) -> TaskDetails:
    request = administrator.task(repository, caller_from_event(app.current_event), id)
    return administrator.details(request, clock.today())


@app.get("/api/organizations/<code>/admins")
def organization_admins(code: str) -> OrganizationAdminsView:
    found, relationships = admins.administrators(repository, caller_from_event(app.current_event), code)
    return organization_admins_view(found, relationships)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)

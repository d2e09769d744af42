"""The requester's side of the API: deep links, filing, own requests, profile (PRODUCT.md §5)."""

from __future__ import annotations

from typing import Annotated, Any, cast

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from zelfregistratie import clock, requester
from zelfregistratie.api import create_router, documented, header, openapi_document, parse_body, parse_query
from zelfregistratie.aws import client
from zelfregistratie.config import Settings
from zelfregistratie.deeplinks import DeepLink
from zelfregistratie.http import Response
from zelfregistratie.identity import caller_from_event
from zelfregistratie.repository import Repository
from zelfregistratie.views import (
    MeView,
    OrganizationView,
    PageView,
    RegistrationFormView,
    RequestView,
    page_view,
    request_view,
)

settings = Settings.from_environment()
logger = Logger()
metrics = Metrics()
repository = Repository(settings.table_name, client("dynamodb"))
app = create_router()


class PageQuery(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built on first use, as every input model

    limit: Annotated[int, Field(ge=1, le=100)] = 25
    cursor: Annotated[str, Field(max_length=2048)] | None = None


@app.get("/api/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/openapi.json")
def openapi() -> Response[str]:
    return Response(200, "application/json", openapi_document())


@app.get("/api/registration-form", openapi_extensions=documented(query=requester.FormQuery))
def registration_form() -> RegistrationFormView:
    caller_from_event(app.current_event)  # signed in, like every route but health and OpenAPI
    link = DeepLink.parse(app.current_event.query_string_parameters or {})
    return requester.registration_form(repository, link)


@app.post("/api/requests", openapi_extensions=documented(body=requester.FileRequestBody))
def file_request() -> Response[RequestView]:
    event = app.current_event
    caller = caller_from_event(event)
    body = parse_body(event, requester.FileRequestBody)
    key = header(event, "Idempotency-Key")
    now = clock.now()
    filed = requester.file_request(
        repository, caller, body, now=now, today=clock.today(now), idempotency_key=key
    )
    headers = {"Location": f"/api/requests/{filed.view['id']}"}
    if filed.replayed:
        headers["Idempotent-Replayed"] = "true"
    else:
        metrics.add_metric(name="RequestsFiled", unit=MetricUnit.Count, value=1)
    view = cast("RequestView", filed.view)  # its JSON form: what was answered the first time
    return Response(201, "application/json", view, headers)


@app.get("/api/requests", openapi_extensions=documented(query=PageQuery))
def own_requests() -> PageView[RequestView]:
    query = parse_query(app.current_event, PageQuery)
    page = requester.own_requests(repository, caller_from_event(app.current_event), query.limit, query.cursor)
    return page_view([request_view(r) for r in page.items], page.next_cursor)


@app.get("/api/requests/<id>")
def own_request(id: str) -> RequestView:
    return request_view(requester.own_request(repository, caller_from_event(app.current_event), id))


@app.post("/api/requests/<id>/cancel")
def cancel(id: str) -> RequestView:
    caller = caller_from_event(app.current_event)
    return request_view(requester.cancel(repository, caller, id, clock.now()))


@app.get("/api/organizations/<code>")
def organization(code: str) -> OrganizationView:
    caller_from_event(app.current_event)  # signed in, like every route but health and OpenAPI
    return requester.organization(repository, code)


@app.get("/api/me")
def me() -> MeView:
    return requester.profile(repository, caller_from_event(app.current_event))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)

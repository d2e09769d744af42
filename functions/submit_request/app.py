"""The requester's side of the API: deep links, filing, own requests, profile (docs/rules.md § The API's
conventions)."""

from __future__ import annotations

import gc

# What a cold start imports and builds is not garbage: collecting meanwhile only costs time (with
# gc.freeze at the end of this module, about 5 % of it). Collection resumes there.
gc.disable()

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from zelfregistratie.api.filing_inputs import FileRequestBody, FormQuery
from zelfregistratie.api.http import Response
from zelfregistratie.api.inputs import PageQuery
from zelfregistratie.api.rights_views import export_view
from zelfregistratie.api.router import (
    create_router,
    documented,
    header,
    openapi_document,
    parse_body,
    parse_query,
)
from zelfregistratie.api.views import (
    dumps,
    me_view,
    organization_view,
    page_view,
    registration_form_view,
    request_view,
)
from zelfregistratie.aws import client
from zelfregistratie.config import Settings, lifecycle_days
from zelfregistratie.domain import clock
from zelfregistratie.domain.deeplinks import DeepLink
from zelfregistratie.domain.periods import Periods
from zelfregistratie.logic import own_requests as own
from zelfregistratie.logic import profile, registration
from zelfregistratie.store.store import Store

if TYPE_CHECKING:  # answers' shapes are named in annotations only (tools/openapi resolves them)
    from zelfregistratie.api.shapes import (
        ExportView,
        MeView,
        OrganizationView,
        PageView,
        RegistrationFormView,
        RequestView,
    )

settings = Settings.from_environment()
PERIODS = Periods.of_days(**lifecycle_days())  # the template's lifecycle periods, handed to what needs them
logger = Logger(environment=settings.environment)  # a key of every log line
metrics = Metrics()
store = Store.connect(settings.table_name, client("dynamodb"), PERIODS)
app = create_router()


@app.get("/api/health", public=True)
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/openapi.json", public=True)
def openapi() -> Response[str]:
    return Response(200, "application/json", openapi_document())


@app.get("/api/registration-form", openapi_extensions=documented(query=FormQuery))
def registration_form() -> RegistrationFormView:
    link = DeepLink.parse(app.current_event.query_string_parameters or {})
    now = clock.now()
    return registration_form_view(registration.registration_form(store, link, app.caller, clock.today(now)))


@app.post("/api/requests", openapi_extensions=documented(body=FileRequestBody))
def file_request() -> Response[RequestView]:
    event = app.current_event
    body = parse_body(event, FileRequestBody)
    key = header(event, "Idempotency-Key")
    now = clock.now()
    filed = registration.file_request(
        store,
        app.caller,
        body,
        now=now,
        today=clock.today(now),
        answer=lambda request: dumps(request_view(request)),
        idempotency_key=key,
    )
    headers = {"Location": f"/api/requests/{filed.request_id}"}
    if filed.replayed:
        headers["Idempotent-Replayed"] = "true"
    else:
        metrics.add_metric(name="RequestsFiled", unit=MetricUnit.Count, value=1)
    # The JSON written once: answered now, and as it is to a replay of the key.
    return Response(201, "application/json", filed.json, headers)  # type: ignore[arg-type]


@app.post("/api/requests/check", openapi_extensions=documented(body=FileRequestBody))
def check_request() -> RequestView:
    """The filing's checks without filing (the summary before "Bevestigen"): the request as it would be
    filed, its phone number normalised, or the refusal a filing would meet. Nothing is stored."""
    body = parse_body(app.current_event, FileRequestBody)
    now = clock.now()
    return request_view(registration.check_request(store, app.caller, body, now=now, today=clock.today(now)))


@app.get("/api/requests", openapi_extensions=documented(query=PageQuery))
def own_requests() -> PageView[RequestView]:
    query = parse_query(app.current_event, PageQuery)
    page = own.own_requests(store, app.caller, query.limit, query.cursor)
    return page_view([request_view(r) for r in page.items], page.next_cursor)


@app.get("/api/requests/<id>")
def own_request(id: str) -> RequestView:
    return request_view(own.own_request(store, app.caller, id))


@app.post("/api/requests/<id>/cancel")
def cancel(id: str) -> RequestView:
    return request_view(own.cancel(store, app.caller, id, clock.now()))


@app.get("/api/organizations/<code>")
def organization(code: str) -> OrganizationView:
    return organization_view(*profile.organization(store, code))


@app.get("/api/me")
def me() -> MeView:
    return me_view(profile.profile(store, app.caller, clock.today()), PERIODS)


@app.get("/api/me/export")
def export() -> Response[ExportView]:
    """Everything kept about the caller, as a download (GDPR art. 15)."""
    now = clock.now()
    found = profile.export(store, app.caller, now, clock.today(now))
    name = f"zelfregistratie-mijn-gegevens-{clock.today(now).isoformat()}.json"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(200, "application/json", export_view(found, PERIODS), disposition)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)


# The cold start is over. What it made lives as long as this environment: moved out of the collector's
# sight (a first collection would otherwise scan all of it), then collection resumes.
gc.freeze()
gc.enable()

"""The Lambda entry points: importing them is free of AWS calls, and they answer through events."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest

from ops import streams
from tests.conftest import TEST_ENVIRONMENT, Table, ses_as_deployed
from tests.events import LambdaContext, http_event
from tests.factories import a_request
from zelfregistratie.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
HANDLERS = ["submit_request", "list_tasks", "decide", "notify"]

_NO_AWS_CALL = """
import sys
import botocore.httpsession

calls = []

def refuse(self, request):
    calls.append(request.url)
    raise RuntimeError("AWS call at import: " + request.url)

botocore.httpsession.URLLib3Session.send = refuse
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import app  # the module name Lambda imports
assert callable(app.lambda_handler)
print(len(calls))
"""


@pytest.mark.slow
@pytest.mark.parametrize("name", HANDLERS)
def test_importing_a_handler_makes_no_aws_call(name: str) -> None:
    # A fresh interpreter with Lambda's import roots: the function's folder and the layer.
    environment = {**os.environ, **TEST_ENVIRONMENT}
    result = subprocess.run(
        [sys.executable, "-c", _NO_AWS_CALL, str(ROOT / "functions" / name), str(ROOT / "layers" / "common")],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"


def test_health_answers_through_the_handler(aws: None) -> None:
    from functions.submit_request import app

    response = app.lambda_handler(http_event("GET", "/api/health"), LambdaContext())
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"status": "ok"}


def test_without_claims_a_protected_route_is_refused_even_if_the_authorizer_were_bypassed(aws: None) -> None:
    from functions.submit_request import app

    response = app.lambda_handler(http_event("GET", "/api/bestaat-niet"), LambdaContext())
    assert response["statusCode"] == 401


def test_another_method_of_a_known_path_answers_405_with_allow(aws: None) -> None:
    from functions.submit_request import app

    for method, path, allowed in [("DELETE", "/api/health", "GET"), ("PUT", "/api/tasks/x/decision", "POST")]:
        response = app.lambda_handler(http_event(method, path, route="/api/{proxy+}"), LambdaContext())
        assert response["statusCode"] == 405
        assert json.loads(response["body"])["code"] == "method_not_allowed"
        assert response["headers"]["Allow"] == allowed


@pytest.mark.parametrize("name", ["submit_request", "list_tasks", "decide"])
def test_an_unknown_route_answers_not_found_as_problem_json(aws: None, name: str) -> None:
    module = __import__(f"functions.{name}.app", fromlist=["lambda_handler"])
    response = module.lambda_handler(
        http_event("GET", "/api/bestaat-niet", claims={"sub": "x"}), LambdaContext()
    )
    assert response["statusCode"] == 404
    assert response["headers"]["Content-Type"] == "application/problem+json"
    assert json.loads(response["body"])["code"] == "not_found"


def test_notify_takes_real_stream_records_without_failures(table: Table) -> None:
    from functions.notify import app

    ses_as_deployed()
    store = Store.connect(table.name, table.client)
    request = a_request(created_at=datetime.now(UTC))
    store.requests.create(request, request.created_at.date())
    records = streams.read_all(boto3.client("dynamodbstreams"), table.stream_arn)

    assert {r["eventName"] for r in records} == {"INSERT"}
    assert all(isinstance(r["dynamodb"]["ApproximateCreationDateTime"], int) for r in records)
    response = app.lambda_handler({"Records": records}, LambdaContext())
    assert response == {"batchItemFailures": []}


def test_the_openapi_document_is_generated_from_the_current_routes() -> None:
    from tools import openapi
    from zelfregistratie.api.router import OPENAPI_FILE

    assert OPENAPI_FILE.read_text(encoding="utf-8") == openapi.render(), "run `make openapi`"


def test_the_openapi_document_is_served_without_a_token(aws: None) -> None:
    from functions.submit_request import app

    response = app.lambda_handler(http_event("GET", "/api/openapi.json"), LambdaContext())
    document = json.loads(response["body"])
    assert response["statusCode"] == 200
    assert "/api/requests" in document["paths"]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


@pytest.mark.parametrize("path", ["/api/registration-form", "/api/organizations/0428364866", "/api/me"])
def test_routes_reached_through_the_catch_all_still_need_a_caller(aws: None, path: str) -> None:
    """Should API Gateway ever hand a protected route's request over the unauthenticated catch-all."""
    from functions.submit_request import app

    event = http_event("GET", path, route="/api/{proxy+}", query={"dg": "EA", "an": "45"})
    response = app.lambda_handler(event, LambdaContext())
    assert response["statusCode"] == 401


def test_the_openapi_document_lists_exactly_the_templates_routes() -> None:
    from tests.integration.test_template import _routes
    from zelfregistratie.api.router import CATCH_ALL, openapi_document

    documented = {
        (method.upper(), path)
        for path, operations in json.loads(openapi_document())["paths"].items()
        for method in operations
    }
    declared = {(method, path) for method, path, _ in _routes() if path != CATCH_ALL}
    assert documented == declared


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/me"), ("GET", "/api/registration-form?dg=EA&an=45"), ("POST", "/api/requests/x/cancel")],
)
def test_a_protected_route_reached_through_the_catch_all_without_a_token_is_refused(
    aws: None, method: str, path: str
) -> None:
    """The catch-all route has no authorizer; the router refuses every route that is not public."""
    from functions.submit_request import app

    bare, _, query = path.partition("?")
    event = http_event(
        method, bare, route="/api/{proxy+}", query=dict(p.split("=") for p in query.split("&") if p)
    )
    response = app.lambda_handler(event, LambdaContext())
    assert (response["statusCode"], json.loads(response["body"])["code"]) == (401, "unauthenticated")


def test_public_routes_say_so_and_are_the_only_ones() -> None:
    from functions.decide import app as decide
    from functions.list_tasks import app as list_tasks
    from functions.submit_request import app as submit

    public = {
        (r.method, r.path) for module in (submit, list_tasks, decide) for r in module.app.routes if r.public
    }
    assert public == {("GET", "/api/health"), ("GET", "/api/openapi.json")}


def test_every_log_line_names_the_environment(aws: None) -> None:
    import io

    from functions.submit_request import app

    handler = app.logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    written = io.StringIO()
    previous = handler.setStream(written)
    try:
        app.lambda_handler(http_event("GET", "/api/requests/x", claims={"sub": "abc"}), LambdaContext())
    finally:
        handler.setStream(previous)
    lines = [json.loads(line) for line in written.getvalue().splitlines()]
    refused = next(line for line in lines if line.get("message") == "request refused")
    assert refused["environment"] == "local"

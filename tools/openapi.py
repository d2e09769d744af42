"""Generate the OpenAPI document from the API functions' routes (`make openapi`).

Each function's routes are registered on a powertools `APIGatewayHttpResolver` here, at generation
time, and powertools writes the document from their signatures and return types; the functions
themselves route with `zelfregistratie.http` and never import powertools' event handler.

The document is written into the layer, where `GET /api/openapi.json` serves it from. A test fails
when it is out of date, so the routes and the document cannot drift apart.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import sys
import typing
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler import Response as PowertoolsResponse
from aws_lambda_powertools.event_handler.openapi.models import (
    HTTPBearer,
    OAuth2,
    OAuthFlowClientCredentials,
    OAuthFlows,
    Server,
)
from pydantic import BaseModel

from zelfregistratie.api import home_shapes, shapes, task_shapes
from zelfregistratie.api import http as http
from zelfregistratie.api.router import OPENAPI_FILE, QUERY, REQUEST_BODY

FUNCTIONS = ["submit_request", "list_tasks", "decide"]
PLACEHOLDER_ENVIRONMENT = {
    "AWS_DEFAULT_REGION": "eu-west-1",
    "TABLE_NAME": "openapi",
    "ENVIRONMENT": "local",
    "PUBLIC_BASE_URL": "https://zelfregistratie.invalid",
}
DESCRIPTION = (
    "Self-registration and access requests (Zelfregistratie). Every route but `/api/health` and "
    "`/api/openapi.json` needs an OpenID Connect access token as a bearer token: a person's for the "
    "person routes (`bearer`), an application's client-credentials token with the scope "
    "`grants.read` for `/api/applications/{application}/grants` (`clientCredentials`); each refuses "
    "the other's with 403. Errors are `application/problem+json` with a stable `code` and a Dutch "
    "`title`/`detail`."
)
MACHINE_SCHEME = "clientCredentials"
# The provider's token endpoint: the local one here; in AWS, the OIDC issuer's (its discovery document).
TOKEN_URL = "/dev-idp/token"  # noqa: S105 (an address, not a secret)


def _security_schemes() -> dict[str, Any]:
    flows = OAuthFlows(
        clientCredentials=OAuthFlowClientCredentials(
            tokenUrl=TOKEN_URL,
            scopes={"grants.read": "Read the grants of the applications the client is registered for"},
        )
    )
    return {
        "bearer": HTTPBearer(bearerFormat="JWT", description="A person's OpenID Connect access token."),
        MACHINE_SCHEME: OAuth2(
            flows=flows,
            description="An application's client-credentials token (sub = client_id), scope grants.read.",
        ),
    }


def document() -> dict[str, Any]:
    for name, value in PLACEHOLDER_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    merged: dict[str, Any] = {}
    for name in FUNCTIONS:
        router = importlib.import_module(f"functions.{name}.app").app
        schema = json.loads(
            _resolver(router).get_openapi_json_schema(
                title="Zelfregistratie API",
                version="1.0.0",
                description=DESCRIPTION,
                servers=[Server(url="/")],
                security_schemes=_security_schemes(),
                security=[{"bearer": []}],
            )
        )
        for route in router.routes:
            if route.machine:
                path = http._PARAMETER.sub(r"{\1}", route.path)
                schema["paths"][path][route.method.lower()]["security"] = [{MACHINE_SCHEME: ["grants.read"]}]
        if not merged:
            merged = schema
            continue
        for path, operations in schema.get("paths", {}).items():
            merged["paths"].setdefault(path, {}).update(operations)  # one path, methods in two functions
        merged.setdefault("components", {}).setdefault("schemas", {}).update(
            schema.get("components", {}).get("schemas", {})
        )
    schemas = merged.setdefault("components", {}).setdefault("schemas", {})
    for operations in merged["paths"].values():
        for operation in operations.values():
            _document_input(operation, schemas)
    merged["paths"] = dict(sorted(merged["paths"].items()))
    if "components" in merged:
        merged["components"]["schemas"] = dict(sorted(merged["components"].get("schemas", {}).items()))
    return merged


def _resolver(router: http.Router[Any]) -> APIGatewayHttpResolver:
    """A powertools resolver with the router's routes, for its OpenAPI generator."""
    resolver = APIGatewayHttpResolver()
    for route in router.routes:
        resolver.route(route.path, route.method, openapi_extensions=dict(route.openapi_extensions or {}))(
            _documented(route.handler)
        )
    return resolver


def _documented(handler: http.Handler) -> http.Handler:
    """The handler's signature with its types resolved, our `Response[T]` read as powertools' own."""
    # The functions name the answers' shapes for type checkers only (no import at cold start).
    hints = typing.get_type_hints(handler, localns={**vars(shapes), **vars(task_shapes), **vars(home_shapes)})
    returns = hints.pop("return", inspect.Signature.empty)
    if typing.get_origin(returns) is http.Response:
        returns = PowertoolsResponse[typing.get_args(returns)]  # type: ignore[misc]
    parameters = [
        p.replace(annotation=hints.get(p.name, p.annotation))
        for p in inspect.signature(handler).parameters.values()
    ]

    def endpoint(**kwargs: Any) -> Any:
        return handler(**kwargs)

    endpoint.__name__, endpoint.__qualname__, endpoint.__doc__ = (
        handler.__name__,
        handler.__qualname__,
        handler.__doc__,
    )
    endpoint.__module__ = handler.__module__
    endpoint.__signature__ = inspect.Signature(parameters, return_annotation=returns)  # type: ignore[attr-defined]
    return endpoint


def _schema(reference: str, schemas: dict[str, Any]) -> dict[str, Any]:
    """The model's JSON schema, its nested definitions moved into the shared components."""
    module, name = reference.split(":")
    model: type[BaseModel] = getattr(importlib.import_module(module), name)
    schema = model.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    return schema


def _document_input(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """The routes' `x-request-body` / `x-query` model names become request bodies and parameters."""
    if REQUEST_BODY in operation:
        reference = operation.pop(REQUEST_BODY)
        name = reference.split(":")[1]
        schemas[name] = _schema(reference, schemas)
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
    if QUERY in operation:
        schema = _schema(operation.pop(QUERY), schemas)
        required = set(schema.get("required", []))
        operation["parameters"] = [
            {"name": name, "in": "query", "required": name in required, "schema": field}
            for name, field in schema["properties"].items()
        ]


def render() -> str:
    return json.dumps(document(), indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> int:
    OPENAPI_FILE.write_text(render(), encoding="utf-8")
    print(f"written {OPENAPI_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

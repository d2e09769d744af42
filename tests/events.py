"""API Gateway HTTP API (payload 2.0) events, built in one place."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode


def http_event(
    method: str,
    path: str,
    *,
    route: str | None = None,
    claims: dict[str, Any] | None = None,
    body: Any = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    path_parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    raw_body = body if isinstance(body, str) or body is None else json.dumps(body)
    request_context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "api",
        "domainName": "zelfregistratie.test",
        "domainPrefix": "zelfregistratie",
        "http": {
            "method": method,
            "path": path,
            "protocol": "HTTP/1.1",
            "sourceIp": "192.0.2.1",
            "userAgent": "test",
        },
        "requestId": "req-1",
        "routeKey": f"{method} {route or path}",
        "stage": "$default",
        "time": "28/Nov/2026:12:00:00 +0000",
        "timeEpoch": 1795867200000,
    }
    if claims is not None:
        request_context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {route or path}",
        "rawPath": path,
        "rawQueryString": urlencode(query or {}, errors="surrogatepass"),
        "headers": {"content-type": "application/json", **(headers or {})},
        "requestContext": request_context,
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if raw_body is not None:
        event["body"] = raw_body
    return event


def claims_of(
    sub: str, given_name: str = "Test", family_name: str = "Persoon", **extra: Any
) -> dict[str, Any]:
    return {
        "sub": sub,
        "given_name": given_name,
        "family_name": family_name,
        "iss": "test",
        "aud": "zelfregistratie",
        **extra,
    }


class LambdaContext:
    function_name = "test"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:test"
    aws_request_id = "00000000-0000-0000-0000-000000000000"

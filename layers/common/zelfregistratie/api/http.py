"""Routing for API Gateway HTTP API events (payload format 2.0): match, call, answer.

Why not powertools' `APIGatewayHttpResolver`: importing `aws_lambda_powertools.event_handler` runs
its package `__init__`, which imports every resolver it has — AppSync (and with it asyncio), Bedrock
agents, VPC Lattice — and every event data class, about 40 ms of each API function's cold start,
for the one resolver we use. What we need of it is small: routes with `<name>` path parameters,
the current event, typed responses, errors mapped in one place. The OpenAPI document is still made
by powertools, from these routes, when it is generated (`tools/openapi.py`), not at cold start.
"""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Generic, NamedTuple, TypeVar

T = TypeVar("T")
C = TypeVar("C")
E = TypeVar("E", bound=Exception)
Handler = Callable[..., Any]
Extensions = Mapping[str, Any] | None  # OpenAPI `x-` fields of a route, for the generator
_PARAMETER = re.compile(r"<(\w+)>")


class Request(NamedTuple):
    """The parts of an HTTP API event the handlers read."""

    raw_event: Mapping[str, Any]

    @property
    def path(self) -> str:
        return str(self.raw_event.get("rawPath") or "/")

    @property
    def http_method(self) -> str:
        return str(self.raw_event["requestContext"]["http"]["method"]).upper()

    @property
    def route_key(self) -> str:
        return str(self.raw_event.get("routeKey", ""))

    @property
    def headers(self) -> Mapping[str, str]:
        """By lower-case name, as API Gateway passes them (and as a caller may not)."""
        return {name.lower(): value for name, value in (self.raw_event.get("headers") or {}).items()}

    @property
    def query_string_parameters(self) -> Mapping[str, str] | None:
        return self.raw_event.get("queryStringParameters")

    @property
    def decoded_body(self) -> str | None:
        body: str | None = self.raw_event.get("body")
        if body is not None and self.raw_event.get("isBase64Encoded"):
            return base64.b64decode(body).decode()
        return body

    @property
    def jwt_claims(self) -> Mapping[str, Any]:
        """The claims API Gateway's JWT authorizer verified; empty without one."""
        authorizer = self.raw_event["requestContext"].get("authorizer") or {}
        claims: Mapping[str, Any] = (authorizer.get("jwt") or {}).get("claims") or {}
        return claims


class Response(NamedTuple, Generic[T]):
    """A handler's answer when 200 with a JSON body is not it; `body` is serialised unless a str."""

    status_code: int
    content_type: str | None
    body: T
    headers: Mapping[str, str] = MappingProxyType({})


class Route(NamedTuple):
    method: str
    path: str
    handler: Handler
    openapi_extensions: Extensions
    pattern: re.Pattern[str]
    public: bool = False
    machine: bool = False  # for applications' client-credentials tokens, not people's


class Router(Generic[C]):
    """Routes of one function. Handlers take the path parameters as keyword arguments and return a
    body to serialise (answered 200) or a `Response`; `current_event` is the request being handled.

    A route is public only when it says so. For every other one, `authenticate` runs before the
    handler, whatever brought the request here (the catch-all route included), told whether the route
    is for machines; what it returns is `caller` while the handler runs; what it raises is answered
    like a handler's error.
    """

    def __init__(
        self,
        serializer: Callable[[Any], str],
        headers: Mapping[str, str] | None = None,
        authenticate: Callable[[Request, bool], C] | None = None,
    ) -> None:
        self.routes: list[Route] = []
        self._serialize = serializer
        self._headers = dict(headers or {})  # on every answer
        self._authenticate = authenticate
        self._errors: list[tuple[type[Exception], Callable[[Any], Response[Any]]]] = []
        self._not_found: Callable[[Request], Response[Any]] = lambda _: Response(404, None, "")
        self._before: Callable[[Request], None] = lambda _: None
        # Lambda hands an environment one request at a time; tests and the local stack may not.
        self._handling = threading.local()

    @property
    def current_event(self) -> Request:
        current: Request | None = getattr(self._handling, "request", None)
        if current is None:
            raise RuntimeError("no request is being handled")
        return current

    @property
    def caller(self) -> C:
        """Who is calling: verified before the handler of a route that is not public ran."""
        caller: C | None = getattr(self._handling, "caller", None)
        if caller is None:
            raise RuntimeError("no caller: a public route, or no request is being handled")
        return caller

    def route(
        self,
        method: str,
        path: str,
        openapi_extensions: Extensions = None,
        *,
        public: bool = False,
        machine: bool = False,
    ) -> Callable[[Handler], Handler]:
        pattern = re.compile(_PARAMETER.sub(r"(?P<\1>[^/]+)", re.escape(path)))

        def register(handler: Handler) -> Handler:
            route = Route(method.upper(), path, handler, openapi_extensions, pattern, public, machine)
            self.routes.append(route)
            return handler

        return register

    def get(
        self, path: str, openapi_extensions: Extensions = None, *, public: bool = False, machine: bool = False
    ) -> Callable[[Handler], Handler]:
        return self.route("GET", path, openapi_extensions, public=public, machine=machine)

    def post(self, path: str, openapi_extensions: Extensions = None) -> Callable[[Handler], Handler]:
        return self.route("POST", path, openapi_extensions)

    def delete(self, path: str, openapi_extensions: Extensions = None) -> Callable[[Handler], Handler]:
        return self.route("DELETE", path, openapi_extensions)

    def exception_handler(self, error: type[E]) -> Callable[[Callable[[E], Response[Any]]], None]:
        def register(handler: Callable[[E], Response[Any]]) -> None:
            self._errors.append((error, handler))

        return register

    def not_found(self, handler: Callable[[Request], Response[Any]]) -> None:
        """Answers when no route has this method and path."""
        self._not_found = handler

    def before(self, hook: Callable[[Request], None]) -> None:
        """Runs before every request is routed; what it raises is answered like a handler's error."""
        self._before = hook

    def resolve(self, event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
        request = self._handling.request = Request(event)
        try:
            return self._answer(self._dispatch(request))
        finally:
            self._handling.request = self._handling.caller = None

    def _dispatch(self, request: Request) -> Any:
        try:
            self._before(request)
            for route in self.routes:
                if route.method == request.http_method and (match := route.pattern.fullmatch(request.path)):
                    if not route.public and self._authenticate is not None:
                        self._handling.caller = self._authenticate(request, route.machine)
                    return route.handler(**match.groupdict())
            return self._not_found(request)
        except Exception as exc:
            for error, handler in self._errors:
                if isinstance(exc, error):
                    return handler(exc)
            raise

    def _answer(self, result: Any) -> dict[str, Any]:
        response = result if isinstance(result, Response) else Response(200, "application/json", result)
        headers = self._headers | dict(response.headers)
        if response.content_type:
            headers["Content-Type"] = response.content_type
        body = response.body if isinstance(response.body, str) else self._serialize(response.body)
        return {
            "statusCode": response.status_code,
            "headers": headers,
            "body": body,
            "isBase64Encoded": False,
        }

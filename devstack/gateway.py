"""The local HTTP API: routes, handlers and environment read from template.yaml — no second route table.

Requests become API Gateway HTTP API payload 2.0 events for the real handlers. Protected routes get
the checks API Gateway's JWT authorizer makes (RS256 signature against the provider's JWKS, `iss`,
`aud`, `exp`, `nbf`); the verified claims land in `requestContext.authorizer.jwt.claims`.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
import json
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from werkzeug.wrappers import Request, Response

from devstack import template
from zelfregistratie.api.problems import PROBLEM_JSON, problem
from zelfregistratie.domain.errors import DomainError, Forbidden, NotFound, PayloadTooLarge, Unauthenticated

LAMBDA_PAYLOAD_LIMIT = 6_291_456
MISSING_SCOPE = "missing_scope"  # a reason
Handler = Callable[[dict[str, Any], Any], Any]


@dataclass(frozen=True)
class Route:
    function: str
    method: str
    path: str
    public: bool
    pattern: re.Pattern[str]
    scopes: tuple[str, ...] = ()  # AuthorizationScopes: the token's `scope` must hold one of them

    @property
    def specificity(self) -> tuple[int, int]:
        """API Gateway prefers the route with the most literal segments."""
        segments = self.path.strip("/").split("/")
        return (sum(1 for s in segments if not s.startswith("{")), len(segments))


# Imports read the process environment, which each function sets to its own: one import at a time.
_IMPORTING = threading.Lock()


@dataclass
class Function:
    """One Lambda function as the template declares it, imported in this process.

    As in Lambda, each execution environment handles one invocation at a time and concurrent
    invocations run in separate ones: an invocation that finds every instance busy gets a new one,
    a fresh import of the function's module with its own module state (router, powertools Logger
    and Metrics objects, clients), up to `max_instances`. `handler` is the first instance.
    """

    logical_id: str
    module: str
    handler_name: str
    environment: dict[str, str]
    handler: Handler | None = None
    max_instances: int = 8
    _environ: MutableMapping[str, str] = field(default_factory=lambda: os.environ, repr=False)
    _idle: list[Handler] = field(default_factory=list, repr=False)
    _instances: int = 0
    _changed: threading.Condition = field(default_factory=threading.Condition, repr=False)

    @property
    def instances(self) -> int:
        return self._instances

    def load(self, environ: MutableMapping[str, str]) -> None:
        """The first instance, imported under the module's own name (a cold start at `make run`)."""
        self._environ = environ
        with _IMPORTING:
            environ.update(self.environment)
            self.handler = getattr(importlib.import_module(self.module), self.handler_name)

    def invoke(self, event: dict[str, Any]) -> Any:
        handler = self._acquire()
        try:
            return handler(event, LambdaContext(self.logical_id))
        finally:
            with self._changed:
                self._idle.append(handler)
                self._changed.notify()

    def _acquire(self) -> Handler:
        with self._changed:
            while not self._idle and self._instances >= self.max_instances:
                self._changed.wait()
            if self._idle:
                return self._idle.pop()
            self._instances += 1
            first = self._instances == 1
        try:
            if first:
                assert self.handler is not None, f"{self.logical_id} was not loaded"
                return self.handler
            return self._new_instance(self._instances)
        except BaseException:
            with self._changed:
                self._instances -= 1
                self._changed.notify()
            raise

    def _new_instance(self, number: int) -> Handler:
        """A further execution environment: the module imported again, under a name of its own."""
        spec = importlib.util.find_spec(self.module)
        if spec is None or spec.origin is None:
            raise ModuleNotFoundError(self.module)
        name = f"{self.module}__instance{number}"
        with _IMPORTING:
            self._environ.update(self.environment)
            instance_spec = importlib.util.spec_from_file_location(name, spec.origin)
            assert instance_spec is not None
            assert instance_spec.loader is not None
            module = importlib.util.module_from_spec(instance_spec)
            sys.modules[name] = module  # pydantic resolves a model's annotations through it
            instance_spec.loader.exec_module(module)
        handler: Handler = getattr(module, self.handler_name)
        return handler


class LambdaContext:
    def __init__(self, function_name: str) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 512
        self.invoked_function_arn = f"arn:aws:lambda:eu-west-1:000000000000:function:{function_name}"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + 30

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _resolve(value: Any, references: Mapping[str, str]) -> str:
    if isinstance(value, dict) and "Ref" in value:
        return references[value["Ref"]]
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
        return re.sub(r"\$\{([\w:]+)\}", lambda found: references[found.group(1)], value["Fn::Sub"])
    if isinstance(value, str | int | float):
        return str(value)
    raise ValueError(f"cannot resolve {value!r} locally")


def handler_of(properties: Mapping[str, Any]) -> tuple[str, str]:
    """A function's handler as (module, name), from its `CodeUri` and `Handler`."""
    module_file, handler_name = str(properties["Handler"]).rsplit(".", 1)
    package = str(properties["CodeUri"]).strip("/").replace("/", ".")
    return f"{package}.{module_file}", handler_name


def functions_from_template(
    references: Mapping[str, str], derived: Mapping[str, str], path: Path = template.TEMPLATE
) -> dict[str, Function]:
    """Each function's module, handler and environment (Globals merged with its own). `derived` gives
    the variables that AWS derives from resources the local stack does not have (the public base
    URL, from CloudFront's domain)."""
    document = template.load(path)
    # A parameter the stack does not name takes its default, as a deployment without it would.
    defaults = {
        name: str(p["Default"]) for name, p in document.get("Parameters", {}).items() if "Default" in p
    }
    references = {**defaults, **references}
    global_env = document.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    functions = {}
    for logical_id, resource in document["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        properties = resource["Properties"]
        own_env = properties.get("Environment", {}).get("Variables", {})
        module, handler_name = handler_of(properties)
        functions[logical_id] = Function(
            logical_id=logical_id,
            module=module,
            handler_name=handler_name,
            environment={
                k: derived[k] if k in derived else _resolve(v, references)
                for k, v in {**global_env, **own_env}.items()
            },
        )
    return functions


def routes_from_template(path: Path = template.TEMPLATE) -> list[Route]:
    routes = []
    for logical_id, resource in template.load(path)["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in resource["Properties"].get("Events", {}).values():
            if event["Type"] != "HttpApi":
                continue
            properties = event["Properties"]
            auth = properties.get("Auth", {})
            route_path = properties["Path"]
            regex = re.sub(r"\\\{(\w+)\\\+\\\}", r"(?P<\1>.+)", re.escape(route_path))
            regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", regex)
            routes.append(
                Route(
                    function=logical_id,
                    method=properties["Method"].upper(),
                    path=route_path,
                    public=auth.get("Authorizer") == "NONE",
                    pattern=re.compile(f"^{regex}$"),
                    scopes=tuple(auth.get("AuthorizationScopes", ())),
                )
            )
    return sorted(routes, key=lambda r: r.specificity, reverse=True)


def load_handlers(functions: Mapping[str, Function], environ: MutableMapping[str, str]) -> None:
    """Import every handler with its own environment, as its cold start would see it.

    The process shares one environment; variables that differ between functions (the service
    name) only matter at import, where powertools reads them.
    """
    for function in functions.values():
        function.load(environ)


@dataclass
class TokenVerifier:
    """What API Gateway's JWT authorizer checks, with the same outcome: claims or 401."""

    issuer: str
    audience: str
    keys: Callable[[], KeySet]

    def claims(self, authorization: str | None) -> dict[str, Any]:
        if not authorization or not authorization.lower().startswith("bearer "):
            raise Unauthenticated()
        token = authorization[7:].strip()
        try:
            if not isinstance(_protected_header(token).get("kid"), str):
                raise ValueError("no kid: API Gateway's authorizer picks the key by it")
            decoded = jwt.decode(token, self.keys(), algorithms=["RS256"])
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.audience},
                exp={"essential": True},
                sub={"essential": True},
            ).validate(decoded.claims)
        except (JoseError, ValueError, RecursionError) as exc:
            raise Unauthenticated("invalid_token") from exc
        return decoded.claims


def _protected_header(token: str) -> dict[str, Any]:
    encoded = token.split(".", 1)[0]
    header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    if not isinstance(header, dict):
        raise ValueError("the token's header is not a JSON object")
    return header


def _claim_value(value: Any) -> str:
    # API Gateway hands claims to the function as strings; a list becomes "[a b]".
    if isinstance(value, list):
        return "[" + " ".join(str(v) for v in value) + "]"
    return str(value)


@dataclass
class Gateway:
    routes: list[Route]
    functions: dict[str, Function]
    verifier: TokenVerifier

    def handle(self, request: Request) -> Response:
        try:
            route, parameters = self._match(request.method, request.path)
            body = request.get_data(cache=False)
            if len(body) > LAMBDA_PAYLOAD_LIMIT:
                raise PayloadTooLarge()
            claims = None if route.public else self.verifier.claims(request.headers.get("Authorization"))
            if route.scopes and not set(route.scopes) & set(str((claims or {}).get("scope", "")).split()):
                raise Forbidden(MISSING_SCOPE)
        except DomainError as error:
            extra = {"WWW-Authenticate": 'Bearer realm="zelfregistratie"'} if error.status == 401 else {}
            return Response(
                json.dumps(problem(error)), status=error.status, mimetype=PROBLEM_JSON, headers=extra
            )
        event = self.event(request, route, parameters, body, claims)
        return self._response(self.functions[route.function].invoke(event))

    def _match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        """As API Gateway: the most specific route for this method, else 404. Telling 405 from 404
        is the catch-all route's handler's job, in AWS and here alike."""
        for route in self.routes:
            found = route.pattern.match(path)
            if found is not None and route.method in (method, "ANY"):
                return route, found.groupdict()
        raise NotFound()

    @staticmethod
    def event(
        request: Request, route: Route, parameters: dict[str, str], body: bytes, claims: dict[str, Any] | None
    ) -> dict[str, Any]:
        now = datetime.now(UTC)
        headers: dict[str, str] = {}
        for name, value in request.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]},{value}" if key in headers else value
        cookies = [f"{k}={v}" for k, v in request.cookies.items()]
        query: dict[str, str] = {}
        for name in request.args:
            query[name] = ",".join(request.args.getlist(name))
        text_body: str | None = None
        is_base64 = False
        if body:
            try:
                text_body = body.decode("utf-8")
            except UnicodeDecodeError:
                text_body, is_base64 = base64.b64encode(body).decode(), True
        route_key = f"{route.method} {route.path}"
        context: dict[str, Any] = {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": request.host,
            "domainPrefix": request.host.split(".")[0],
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
                "sourceIp": request.remote_addr or "127.0.0.1",
                "userAgent": request.user_agent.string,
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        }
        if claims is not None:
            context["authorizer"] = {
                "jwt": {"claims": {k: _claim_value(v) for k, v in claims.items()}, "scopes": None}
            }
        event: dict[str, Any] = {
            "version": "2.0",
            "routeKey": route_key,
            "rawPath": request.path,
            "rawQueryString": request.query_string.decode(),
            "headers": headers,
            "requestContext": context,
            "isBase64Encoded": is_base64,
        }
        if cookies:
            event["cookies"] = cookies
        if query:
            event["queryStringParameters"] = query
        if parameters:
            event["pathParameters"] = parameters
        if text_body is not None:
            event["body"] = text_body
        return event

    @staticmethod
    def _response(result: Any) -> Response:
        """A payload 2.0 response, including the shortcut where a handler returns plain JSON."""
        if not isinstance(result, dict) or "statusCode" not in result:
            return Response(json.dumps(result), status=200, mimetype="application/json")
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
        response = Response(data, status=int(result["statusCode"]))
        for name, value in (result.get("headers") or {}).items():
            response.headers[name] = str(value)
        for name, values in (result.get("multiValueHeaders") or {}).items():
            for value in values:
                response.headers.add(name, str(value))
        for cookie in result.get("cookies") or []:
            response.headers.add("Set-Cookie", cookie)
        return response

"""Call a function's handler as API Gateway would, and read the answer."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from ops.load_data import Persona
from tests.events import LambdaContext, claims_of, http_event


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: Any

    @property
    def code(self) -> str | None:
        return self.body.get("code") if isinstance(self.body, dict) else None

    def field_errors(self) -> dict[str, str]:
        return {e["field"]: e["message"] for e in self.body.get("errors", [])}


def claims_for(persona: Persona) -> dict[str, Any]:
    extra = {"wv_orgcode": persona.wv_orgcode} if persona.wv_orgcode else {}
    return claims_of(persona.sub, persona.given_name, persona.family_name, **extra)


class Api:
    """The API as a client sees it: each call goes to the function template.yaml routes it to, or to
    `function` when one is named (for tests that reach into that function's module)."""

    def __init__(self, function: str | None = None) -> None:
        self.function = function

    @property
    def module(self) -> Any:
        assert self.function is not None, "name the function to reach into its module"
        return importlib.import_module(f"functions.{self.function}.app")

    def module_for(self, method: str, path: str) -> Any:
        return importlib.import_module(self.function_module(method, path))

    def function_module(self, method: str, path: str) -> str:
        if self.function is not None:
            return f"functions.{self.function}.app"
        return _routes().module_for(method, path.split("?")[0])

    def call(
        self,
        method: str,
        path: str,
        *,
        caller: Persona | dict[str, Any] | None = None,
        body: Any = None,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        claims = claims_for(caller) if isinstance(caller, Persona) else caller
        event = http_event(method, path, claims=claims, body=body, query=query, headers=headers)
        result = self.module_for(method, path).lambda_handler(event, LambdaContext())
        raw = result.get("body") or ""
        content_type = result.get("headers", {}).get("Content-Type", "")
        parsed = json.loads(raw) if raw and "json" in content_type else raw
        return Answer(result["statusCode"], result.get("headers", {}), parsed)


class _Routes:
    """template.yaml's HTTP API routes, most specific first, as API Gateway matches them."""

    def __init__(self) -> None:
        from devstack import template
        from devstack.gateway import handler_of, routes_from_template

        self.routes = routes_from_template()
        self.modules = {
            route.function: handler_of(template.resource(route.function)["Properties"])[0]
            for route in self.routes
        }

    def module_for(self, method: str, path: str) -> str:
        for route in self.routes:
            if route.pattern.match(path) and route.method in (method, "ANY"):
                return self.modules[route.function]
        raise AssertionError(f"template.yaml routes no {method} {path}")


@cache
def _routes() -> _Routes:
    return _Routes()

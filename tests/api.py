"""Call a function's handler as API Gateway would, and read the answer."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from typing import Any

from tests.events import LambdaContext, claims_of, http_event
from tools.load_data import Persona


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
    def __init__(self, function: str) -> None:
        self.module = importlib.import_module(f"functions.{function}.app")

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
        result = self.module.lambda_handler(event, LambdaContext())
        raw = result.get("body") or ""
        content_type = result.get("headers", {}).get("Content-Type", "")
        parsed = json.loads(raw) if raw and "json" in content_type else raw
        return Answer(result["statusCode"], result.get("headers", {}), parsed)

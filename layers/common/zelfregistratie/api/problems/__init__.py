"""Domain errors and validation failures as problem+json (RFC 9457): the only place that maps them,
and with `texts.py` the only place that words them in Dutch."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from zelfregistratie.api.http import Response
from zelfregistratie.api.problems import texts
from zelfregistratie.domain.errors import DomainError, FieldError, InvalidValue

PROBLEM_JSON = "application/problem+json"
PYDANTIC_REASON = "pydantic"  # a failure of pydantic's own checks: its type and ctx are the facts


def title(error: DomainError) -> str:
    return texts.TITLES[error.wording or error.code][0]


def detail(error: DomainError) -> str:
    if error.reason is None:
        return texts.TITLES[error.wording or error.code][1]
    return worded(error.reason, error.facts)


def worded(reason: str, facts: Mapping[str, object]) -> str:
    """A reason in Dutch, its facts filled in: a list as "a, b" ("geen" when empty), a nested value
    error in its own words, an unknown fact as `texts.UNKNOWN_FACTS` says."""
    if reason == PYDANTIC_REASON:
        return _pydantic_message(str(facts.get("type", "")), facts.get("ctx") or {})
    filled = {name: _fact(name, value) for name, value in facts.items()}
    return texts.REASONS[reason].format(**filled)


def _pydantic_message(kind: str, ctx: Any) -> str:
    if kind in ("string_too_long", "too_long"):
        return texts.TOO_LONG.format(max_length=ctx.get("max_length"))
    if kind in ("enum", "literal_error"):
        return texts.CHOOSE_ONE_OF.format(expected=ctx.get("expected", ""))
    return texts.PYDANTIC.get(kind, texts.INVALID_VALUE)


def _fact(name: str, value: object) -> object:
    if value is None:
        return texts.UNKNOWN_FACTS.get(name, "")
    if isinstance(value, InvalidValue):
        return worded(value.reason, value.facts)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "geen"
    return value


def problem(error: DomainError) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"/problems/{error.code}",
        "title": title(error),
        "status": error.status,
        "detail": detail(error),
        "code": error.code,
    }
    if error.errors:
        body["errors"] = [{"field": e.field, "message": worded(e.reason, e.facts)} for e in error.errors]
    return body | {k: v for k, v in error.extensions.items() if k not in body}


def problem_response(error: DomainError, headers: Mapping[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=error.status,
        content_type=PROBLEM_JSON,
        body=json.dumps(problem(error), ensure_ascii=False),
        headers=dict(headers or {}),
    )


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """pydantic error dicts → one failure per field, the first of each field."""
    by_field: dict[str, FieldError] = {}
    for error in errors:
        name = _field_name(error.get("loc", ()))
        by_field.setdefault(name, _field_error(name, error))
    return list(by_field.values())


def _field_name(loc: Iterable[Any]) -> str:
    parts = [str(part) for part in loc if not isinstance(part, int)]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] or parts[:1]
    return ".".join(parts) or "body"


def _field_error(name: str, error: Mapping[str, Any]) -> FieldError:
    """Our validators raise `InvalidValue` (pydantic keeps it in ctx["error"]); pydantic's own failures
    are worded by their type."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    cause = ctx.get("error")
    if kind == "value_error" and isinstance(cause, InvalidValue):
        return FieldError(name, cause.reason, cause.facts)
    return FieldError(name, PYDANTIC_REASON, {"type": kind, "ctx": dict(ctx)})

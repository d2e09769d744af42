"""Domain errors and validation failures as problem+json (RFC 9457): the only place that maps them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from zelfregistratie.api.http import Response
from zelfregistratie.domain.errors import DomainError, FieldError

PROBLEM_JSON = "application/problem+json"

# pydantic error types → Dutch, for the failures our own validators do not word themselves.
_MESSAGES: dict[str, str] = {
    "missing": "Dit veld is verplicht.",
    "json_invalid": "De inhoud is geen geldige JSON.",
    "model_attributes_type": "Verwacht een JSON-object.",
    "dict_type": "Verwacht een JSON-object.",
    "model_type": "Verwacht een JSON-object.",
    "string_type": "Verwacht tekst.",
    "int_type": "Verwacht een geheel getal.",
    "int_parsing": "Verwacht een geheel getal.",
    "bool_type": "Verwacht true of false.",
    "bool_parsing": "Verwacht true of false.",
    "date_type": "Verwacht een datum (JJJJ-MM-DD).",
    "date_parsing": "Verwacht een datum (JJJJ-MM-DD).",
    "date_from_datetime_parsing": "Verwacht een datum (JJJJ-MM-DD).",
    "extra_forbidden": "Dit veld is onbekend.",
    "string_too_short": "Dit veld mag niet leeg zijn.",
    "too_short": "Dit veld mag niet leeg zijn.",
    "string_pattern_mismatch": "Deze waarde heeft niet de juiste vorm.",
    "greater_than": "Deze waarde is te klein.",
    "less_than_equal": "Deze waarde is te groot.",
    "unsupported_content_type": "Stuur de gegevens als application/json.",
}


def problem(error: DomainError) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"/problems/{error.code}",
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "code": error.code,
    }
    if error.errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in error.errors]
    return body | {k: v for k, v in error.extensions.items() if k not in body}


def problem_response(error: DomainError, headers: Mapping[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=error.status,
        content_type=PROBLEM_JSON,
        body=json.dumps(problem(error), ensure_ascii=False),
        headers=dict(headers or {}),
    )


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """pydantic error dicts → one Dutch message per field, first failure of each field wins."""
    by_field: dict[str, str] = {}
    for error in errors:
        by_field.setdefault(_field_name(error.get("loc", ())), _message(error))
    return [FieldError(field, message) for field, message in by_field.items()]


def _field_name(loc: Iterable[Any]) -> str:
    parts = [str(part) for part in loc if not isinstance(part, int)]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] or parts[:1]
    return ".".join(parts) or "body"


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        # Our validators raise ValueError with a Dutch message; pydantic keeps it in ctx["error"].
        return str(ctx.get("error", "")) or "Deze waarde is ongeldig."
    if kind in ("string_too_long", "too_long"):
        return f"Hoogstens {ctx.get('max_length')} tekens."
    if kind in ("enum", "literal_error"):
        return f"Kies een van: {ctx.get('expected', '')}."
    return _MESSAGES.get(kind, "Deze waarde is ongeldig.")

"""Who is calling: read once, from the claims the API Gateway JWT authorizer verified."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zelfregistratie.api.http import Request
from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.errors import Unauthenticated
from zelfregistratie.domain.identifiers import is_text, one_line


def caller_from_claims(claims: Mapping[str, Any]) -> Actor:
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip() or not is_text(sub):
        raise Unauthenticated()
    return Actor.person(
        sub,
        _text(claims.get("given_name")),
        _text(claims.get("family_name")),
        legal_representative_of=_org_codes(claims.get("wv_orgcode")),
    )


def caller_from_event(event: Request) -> Actor:
    """The token was verified by the authorizer (or the local gateway); the handler only reads it."""
    return caller_from_claims(event.jwt_claims)


def _text(value: Any) -> str:
    """A name as the provider sent it, on one line: it goes into mail subjects and pages."""
    return one_line(value) if isinstance(value, str) else ""


def _org_codes(value: Any) -> frozenset[str]:
    # API Gateway passes list claims flattened to a string such as "[0418825808 0123456749]".
    if isinstance(value, list):
        return frozenset(str(item) for item in value if str(item))
    if isinstance(value, str):
        return frozenset(part for part in value.strip("[]").replace(",", " ").split() if part)
    return frozenset()

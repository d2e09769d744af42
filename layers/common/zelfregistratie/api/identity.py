"""Who is calling: read once, from the claims the API Gateway JWT authorizer verified.

A person's token and an application's client-credentials token come from the same provider, with
the same audience (one authorizer serves both). A machine token is one whose `sub` is its client's
id (`client_id`, or `azp` where the provider names it so): docs/applications.md. Person routes refuse it,
and the machine route refuses everything else, and a machine token without the scope it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zelfregistratie.api.http import Request
from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.errors import Forbidden, Unauthenticated
from zelfregistratie.domain.identifiers import is_text, one_line

GRANTS_READ = "grants.read"
PERSONS_ONLY = "persons_only"  # a reason
MACHINES_ONLY = "machines_only"  # a reason


def caller_from_claims(claims: Mapping[str, Any], *, machine_route: bool = False) -> Actor:
    """The caller of a person route (`machine_route` false) or of the application grants route."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip() or not is_text(sub):
        raise Unauthenticated()
    client = claims.get("client_id") or claims.get("azp")
    if client == sub:
        scopes = _scopes(claims.get("scope", claims.get("scp")))
        if not machine_route or GRANTS_READ not in scopes:
            raise Forbidden(MACHINES_ONLY if machine_route else PERSONS_ONLY)
        return Actor.machine(sub, scopes)
    if machine_route:
        raise Forbidden(MACHINES_ONLY)
    return Actor.person(
        sub,
        _text(claims.get("given_name")),
        _text(claims.get("family_name")),
        legal_representative_of=_org_codes(claims.get("wv_orgcode")),
    )


def caller_from_event(event: Request, *, machine_route: bool = False) -> Actor:
    """The token was verified by the authorizer (or the local gateway); the handler only reads it."""
    return caller_from_claims(event.jwt_claims, machine_route=machine_route)


def _scopes(value: Any) -> frozenset[str]:
    """`scope` is one space-separated string (RFC 8693 §4.2); API Gateway passes a list as "[a b]"."""
    if isinstance(value, list):
        return frozenset(str(item) for item in value)
    if isinstance(value, str):
        return frozenset(value.strip("[]").split())
    return frozenset()


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

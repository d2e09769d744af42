"""The OpenID provider: its discovery, its issuer exactly, PKCE and its keys."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from ops.preflight.findings import GUIDE, Finding

HttpGet = Callable[[str], httpx.Response]


def issuer(http_get: HttpGet, expected: str) -> Finding:
    """ACM/IDM's discovery answers, names exactly this issuer (the authorizer compares `iss` to it, byte
    for byte), offers PKCE (S256) and publishes its keys."""
    discovery_url = f"{expected.rstrip('/')}/.well-known/openid-configuration"
    register = f"ask ACM/IDM for the issuer of the client's environment ({GUIDE}, step 4)"
    try:
        answer = http_get(discovery_url)
        document = answer.json() if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        return Finding("OIDC issuer", False, f"{discovery_url}: {type(exc).__name__}", register)
    if not isinstance(document, dict):
        return Finding("OIDC issuer", False, f"{discovery_url} answered {answer.status_code}", register)
    if document.get("issuer") != expected:
        return Finding(
            "OIDC issuer",
            False,
            f"discovery names issuer {document.get('issuer')!r}, the parameter is {expected!r}",
            f"deploy with OidcIssuer={document.get('issuer')} (exactly, trailing slash and all)",
        )
    methods = document.get("code_challenge_methods_supported")
    if methods is not None and "S256" not in methods:
        return Finding("OIDC issuer", False, f"no PKCE S256 (offers {methods})", register)
    try:
        keys = http_get(str(document.get("jwks_uri", ""))).json().get("keys", [])
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        return Finding("OIDC issuer", False, f"its jwks_uri does not answer ({type(exc).__name__})", register)
    if not keys:
        return Finding("OIDC issuer", False, "its jwks_uri lists no key", register)
    return Finding("OIDC issuer", True, f"{expected}: discovery, PKCE S256 and {len(keys)} signing key(s)")

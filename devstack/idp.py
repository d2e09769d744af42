"""The development OpenID provider — DEVELOPMENT ONLY, never deployed (it is not in template.yaml).

Authorization code flow with PKCE (S256 only), RS256 tokens signed with joserfc, a JWKS, standard
discovery and a persona picker. `login_hint=<persona id>` skips the picker. Any redirect URI under
the base URL is accepted for the client id `zelfregistratie`.

Applications' machine clients (docs/applications.md) get tokens by `grant_type=client_credentials`, with
their id and secret as form fields or HTTP Basic. The clients are the data file's; their secrets are
drawn at start (never kept in the repository) and listed at `/dev-idp/clients`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from joserfc import jwt
from joserfc.jwk import KeySet, KeySetSerialization, RSAKey
from werkzeug.wrappers import Request, Response

from ops.load_data import ClientEntry, Persona

CLIENT_ID = "zelfregistratie"
TOKEN_LIFETIME = 3600
CODE_LIFETIME = 120
MACHINE_SCOPES = ("grants.read",)


@dataclass(frozen=True)
class MachineClient:
    id: str
    secret: str
    applications: tuple[int, ...]
    scopes: tuple[str, ...] = MACHINE_SCOPES


def machine_clients(entries: list[ClientEntry]) -> list[MachineClient]:
    """The data file's clients, each with a secret drawn for this run."""
    return [MachineClient(e.id, secrets.token_urlsafe(24), tuple(e.applications)) for e in entries]


_pages = Environment(loader=PackageLoader("devstack", "templates"), autoescape=select_autoescape(["html"]))


def load_or_create_key(path: Path | None) -> RSAKey:
    """The signing key: from `path` when it exists, else new (and written there, for later runs)."""
    if path is not None and path.exists():
        return RSAKey.import_key(json.loads(path.read_text()))
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True, auto_kid=True)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(key.as_dict(private=True)))
        path.chmod(0o600)
    return key


@dataclass
class _Grant:
    persona: Persona
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    expires: float


@dataclass
class DevIdentityProvider:
    base_url: str
    personas: list[Persona]
    key: RSAKey
    admin_emails: dict[str, list[str]] = field(default_factory=dict)
    clients: list[MachineClient] = field(default_factory=list)
    _codes: dict[str, _Grant] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/dev-idp"

    @property
    def jwks(self) -> KeySetSerialization:
        return KeySet([self.key]).as_dict(private=False)

    def persona(self, persona_id: str | None) -> Persona | None:
        return next((p for p in self.personas if p.id == persona_id), None)

    # ---- WSGI ------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        path = request.path.removeprefix("/dev-idp")
        if path == "/.well-known/openid-configuration":
            return _json(self.discovery())
        if path == "/jwks":
            return _json(self.jwks)
        if path == "/personas":
            return _json(self.persona_list())
        if path == "/clients":
            return _json(self.client_list())
        if path == "/authorize" and request.method == "GET":
            return self.authorize(request)
        if path == "/token" and request.method == "POST":
            return self.token(request)
        if path == "/logout":
            return self.logout(request)
        return _json({"error": "not_found"}, 404)

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "client_credentials"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile", *MACHINE_SCOPES],
            "claims_supported": ["sub", "given_name", "family_name", "wv_orgcode"],
        }

    def logout(self, request: Request) -> Response:
        """RP-initiated logout: this provider keeps no session, so it only sends the person back (to an
        address of the stack alone)."""
        target = request.args.get("post_logout_redirect_uri", "")
        if not self._redirect_allowed(target):
            return Response("Ongeldige post_logout_redirect_uri.", status=400, mimetype="text/plain")
        return Response(status=303, headers={"Location": target})

    def persona_list(self) -> list[dict[str, str]]:
        listed = []
        for persona in self.personas:
            entry = {
                "id": persona.id,
                "name": f"{persona.given_name} {persona.family_name}",
                "description": persona.description,
            }
            if persona.sub in self.admin_emails:
                addresses = self.admin_emails[persona.sub]
                entry["email"] = addresses[0].split(" ")[0]
                entry["emails"] = ", ".join(addresses)  # every address administrator mails go to
            listed.append(entry)
        return listed

    def client_list(self) -> list[dict[str, Any]]:
        return [
            {"id": c.id, "secret": c.secret, "applications": list(c.applications), "scopes": list(c.scopes)}
            for c in self.clients
        ]

    def authorize(self, request: Request) -> Response:
        args = request.args
        redirect_uri = args.get("redirect_uri", "")
        problem = self._authorize_problem(args.to_dict(), redirect_uri)
        if problem:
            return render_page("idp_error.html", 400, message=problem)
        persona = self.persona(args.get("login_hint"))
        if persona is None:
            choices = [
                (p, f"{request.path}?{urlencode({**args.to_dict(), 'login_hint': p.id})}")
                for p in self.personas
            ]
            return render_page("idp_picker.html", 200, choices=choices, hint=args.get("login_hint"))
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._codes[code] = _Grant(
                persona=persona,
                redirect_uri=redirect_uri,
                code_challenge=args["code_challenge"],
                nonce=args.get("nonce"),
                expires=time.time() + CODE_LIFETIME,
            )
        query = {"code": code, **({"state": args["state"]} if "state" in args else {})}
        separator = "&" if "?" in redirect_uri else "?"
        return Response(status=302, headers={"Location": f"{redirect_uri}{separator}{urlencode(query)}"})

    def _authorize_problem(self, args: dict[str, str], redirect_uri: str) -> str | None:
        if args.get("client_id") != CLIENT_ID:
            return f"Onbekende client_id; gebruik '{CLIENT_ID}'."
        if not self._redirect_allowed(redirect_uri):
            return f"De redirect_uri moet onder {self.base_url}/ liggen."
        if args.get("response_type") != "code":
            return "Alleen response_type=code wordt ondersteund."
        if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
            return "PKCE is verplicht: geef code_challenge en code_challenge_method=S256."
        return None

    def _redirect_allowed(self, redirect_uri: str) -> bool:
        base, target = urlsplit(self.base_url), urlsplit(redirect_uri)
        return (target.scheme, target.netloc) == (base.scheme, base.netloc) and target.path.startswith(
            base.path.rstrip("/") + "/"
        )

    def token(self, request: Request) -> Response:
        form = request.form
        if form.get("grant_type") == "client_credentials":
            return self.client_token(request)
        if form.get("grant_type") != "authorization_code":
            return _json({"error": "unsupported_grant_type"}, 400)
        if form.get("client_id") != CLIENT_ID:
            return _json({"error": "invalid_client"}, 401)
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # single use
        if grant is None or grant.expires < time.time():
            return _json({"error": "invalid_grant", "error_description": "unknown or expired code"}, 400)
        if form.get("redirect_uri") != grant.redirect_uri:
            return _json({"error": "invalid_grant", "error_description": "redirect_uri differs"}, 400)
        if not _s256_matches(form.get("code_verifier", ""), grant.code_challenge):
            return _json({"error": "invalid_grant", "error_description": "PKCE verification failed"}, 400)
        now = int(time.time())
        access = self.sign(
            self.claims(grant.persona, now) | {"client_id": CLIENT_ID, "scope": "openid profile"}
        )
        id_token = self.sign(
            self.claims(grant.persona, now) | ({"nonce": grant.nonce} if grant.nonce else {})
        )
        return _json(
            {
                "access_token": access,
                "id_token": id_token,
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME,
            },
            headers={"Cache-Control": "no-store"},
        )

    def client_token(self, request: Request) -> Response:
        """RFC 6749 §4.4: a machine client's token, `sub` = `client_id`, with the scopes it asked for
        (all of its own when it named none)."""
        form = request.form
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if request.authorization is not None and request.authorization.type == "basic":
            client_id = request.authorization.username or ""
            secret = request.authorization.password or ""
        client = next((c for c in self.clients if c.id == client_id), None)
        if client is None or not secrets.compare_digest(client.secret.encode(), secret.encode()):
            return _json({"error": "invalid_client"}, 401, headers={"WWW-Authenticate": "Basic"})
        asked = form.get("scope", "").split()
        if not set(asked) <= set(client.scopes):
            return _json({"error": "invalid_scope"}, 400)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,  # one authorizer, one audience, for people and machines alike
            "sub": client.id,
            "client_id": client.id,
            "scope": " ".join(asked or client.scopes),
            "iat": now,
            "nbf": now,
            "exp": now + TOKEN_LIFETIME,
            "jti": secrets.token_hex(8),
        }
        return _json(
            {
                "access_token": self.sign(claims),
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME,
                "scope": claims["scope"],
            },
            headers={"Cache-Control": "no-store"},
        )

    def claims(self, persona: Persona, now: int) -> dict[str, Any]:
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": persona.sub,
            "given_name": persona.given_name,
            "family_name": persona.family_name,
            "iat": now,
            "nbf": now,
            "exp": now + TOKEN_LIFETIME,
            "jti": secrets.token_hex(8),
        }
        if persona.wv_orgcode:
            claims["wv_orgcode"] = persona.wv_orgcode
        return claims

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode({"alg": "RS256", "kid": self.key.kid, "typ": "JWT"}, claims, self.key)


def _s256_matches(verifier: str, challenge: str) -> bool:
    if not 43 <= len(verifier) <= 128:
        return False
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return secrets.compare_digest(digest, challenge)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json", headers=headers
    )


def render_page(template: str, status: int, **context: Any) -> Response:
    return Response(_pages.get_template(template).render(**context), status=status, mimetype="text/html")

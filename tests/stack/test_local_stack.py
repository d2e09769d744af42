"""`make run`'s stack, started as its own process and spoken to over HTTP, as a developer would."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import signal
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.stack.conftest import Stack, settled


def login(stack: Stack, persona: str) -> str:
    """Discovery, then authorization code + PKCE (S256) with login_hint, as a browser client does."""
    discovery = httpx.get(f"{stack.issuer}/.well-known/openid-configuration").json()
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect_uri = f"{stack.base}/user/aanvraag"
    authorize = httpx.get(
        discovery["authorization_endpoint"],
        params={
            "response_type": "code",
            "client_id": "zelfregistratie",
            "redirect_uri": redirect_uri,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "state": "xyz",
            "login_hint": persona,
            "scope": "openid profile",
        },
    )
    assert authorize.status_code == 302
    location = urlsplit(authorize.headers["location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == redirect_uri
    assert query["state"] == ["xyz"]
    token = httpx.post(
        discovery["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": redirect_uri,
            "client_id": "zelfregistratie",
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200, token.text
    access_token: str = token.json()["access_token"]
    return access_token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sign(stack: Stack, key: RSAKey | None = None, **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": stack.issuer,
        "aud": "zelfregistratie",
        "sub": "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a11",
        "given_name": "Sofie",
        "family_name": "Peeters",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    } | overrides
    signing_key = key or stack.key
    return jwt.encode({"alg": "RS256", "kid": signing_key.kid}, claims, signing_key)


def test_health_answers_without_a_token(stack: Stack) -> None:
    response = httpx.get(f"{stack.base}/api/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_a_token_from_discovery_pkce_and_login_hint_reaches_the_real_handler_with_its_claims(
    stack: Stack,
) -> None:
    token = login(stack, "beheerder")
    me = httpx.get(f"{stack.base}/api/me", headers=bearer(token))
    assert me.status_code == 200
    assert (me.json()["sub"], me.json()["name"]) == ("5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a01", "Els Wouters")
    assert {a["organization"]["code"] for a in me.json()["administers"]} == {"0428364866", "OVO000123"}


def _unsigned(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a01"  # pretend to be the administrator
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda s: _tampered(sign(s)), id="tampered"),
        pytest.param(lambda s: sign(s, exp=int(time.time()) - 5), id="expired"),
        pytest.param(lambda s: sign(s, nbf=int(time.time()) + 300), id="not-yet-valid"),
        pytest.param(lambda s: sign(s, aud="another-client"), id="wrong-audience"),
        pytest.param(lambda s: sign(s, iss="https://elders.example/op"), id="wrong-issuer"),
        pytest.param(
            lambda s: _unsigned(
                {"iss": s.issuer, "aud": "zelfregistratie", "sub": "x", "exp": int(time.time()) + 600}
            ),
            id="alg-none",
        ),
        pytest.param(lambda s: sign(s, key=RSAKey.generate_key(2048, auto_kid=True)), id="key-not-in-jwks"),
        pytest.param(lambda s: "niet-eens-een-jwt", id="garbage"),
    ],
)
def test_bad_tokens_get_401_problem_json(stack: Stack, make_token: Any) -> None:
    response = httpx.get(f"{stack.base}/api/me", headers=bearer(make_token(stack)))
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "unauthenticated"


def test_without_a_token_protected_routes_get_401(stack: Stack) -> None:
    response = httpx.get(f"{stack.base}/api/requests")
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_wrong_pkce_verifier_gets_no_token(stack: Stack) -> None:
    redirect_uri = f"{stack.base}/beheer"
    authorize = httpx.get(
        f"{stack.issuer}/authorize",
        params={
            "response_type": "code",
            "client_id": "zelfregistratie",
            "redirect_uri": redirect_uri,
            "code_challenge": "a" * 43,
            "code_challenge_method": "S256",
            "login_hint": "aanvrager",
        },
    )
    code = parse_qs(urlsplit(authorize.headers["location"]).query)["code"][0]
    token = httpx.post(
        f"{stack.issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": "zelfregistratie",
            "code_verifier": secrets.token_urlsafe(48),
        },
    )
    assert (token.status_code, token.json()["error"]) == (400, "invalid_grant")


def test_an_unknown_login_hint_shows_the_persona_picker(stack: Stack) -> None:
    page = httpx.get(
        f"{stack.issuer}/authorize",
        params={
            "response_type": "code",
            "client_id": "zelfregistratie",
            "redirect_uri": f"{stack.base}/x",
            "code_challenge": "a" * 43,
            "code_challenge_method": "S256",
            "login_hint": "niemand",
        },
    )
    assert page.status_code == 200
    assert "Onbekende testpersoon" in page.text and "login_hint=aanvrager" in page.text


def test_a_redirect_outside_the_base_url_is_refused(stack: Stack) -> None:
    page = httpx.get(
        f"{stack.issuer}/authorize",
        params={
            "response_type": "code",
            "client_id": "zelfregistratie",
            "redirect_uri": "https://evil.example/",
            "code_challenge": "a" * 43,
            "code_challenge_method": "S256",
            "login_hint": "aanvrager",
        },
    )
    assert page.status_code == 400


def test_personas_list_emails_of_administrators_only(stack: Stack) -> None:
    personas = {p["id"]: p for p in httpx.get(f"{stack.issuer}/personas").json()}
    assert set(personas) >= {
        "aanvrager",
        "aanvrager2",
        "beheerder",
        "beheerder2",
        "beheerder-andere",
        "vertegenwoordiger",
    }
    assert "email" in personas["beheerder"] and "email" not in personas["aanvrager"]
    # The addresses administrator mails actually go to: Els is administrator of two organisations.
    assert personas["beheerder"]["email"] == "els.wouters@zonnebloem.example"
    assert personas["beheerder"]["emails"] == (
        "els.wouters@zonnebloem.example (0428364866), els.wouters@digitaal-demo.example (OVO000123)"
    )


def test_a_filed_request_reaches_notify_and_the_mails_show_in_the_outbox(stack: Stack) -> None:
    token = login(stack, "aanvrager2")
    filed = httpx.post(
        f"{stack.base}/api/requests",
        headers=bearer(token),
        json={
            "type": "user_right",
            "targetGroup": "EA",
            "organization": "0428364866",
            "application": 45,
            "right": "DIMONA_MANDAAT_RAADPLEGER",
            "phone": "+3212345678",
            "email": "jonas@example.be",
        },
    )
    assert filed.status_code == 201, filed.text
    request_id = filed.json()["id"]
    settled(stack)
    mails = [
        m
        for m in httpx.get(f"{stack.base}/dev/outbox.json").json()
        if request_id in m["text"] or "jonas@example.be" in m["to"]
    ]
    assert {m["to"][0] for m in mails} == {
        "jonas@example.be",
        "els.wouters@zonnebloem.example",
        "tom.jacobs@zonnebloem.example",
    }
    assert all(m["html"] and m["text"] and m["sentAt"].endswith("Z") for m in mails)
    page = httpx.get(f"{stack.base}/dev/outbox")
    assert page.status_code == 200 and "Nieuwe aanvraag van Jonas Maes" in page.text


def _mails_about(stack: Stack, needle: str, count: int) -> list[dict[str, Any]]:
    settled(stack)
    mails = [m for m in httpx.get(f"{stack.base}/dev/outbox.json").json() if needle in m["text"]]
    assert len(mails) >= count, mails
    return mails


def test_the_full_flow_file_admin_mail_decide_requester_mail_shows_in_the_outbox(stack: Stack) -> None:
    requester = login(stack, "aanvrager")
    filed = httpx.post(
        f"{stack.base}/api/requests",
        headers=bearer(requester),
        json={
            "type": "user_right",
            "targetGroup": "EA",
            "organization": "0428364866",
            "application": 1203,
            "right": "DWSE_ORG_MEDEWERKER",
            "context": "Sociale werkplaats",
            "phone": "+3212345678",
            "email": "sofie@example.be",
            "reason": "Begeleiding in de werkplaats.",
        },
    )
    assert filed.status_code == 201, filed.text
    task_link = f"{stack.base}/beheer/taken/{filed.json()['id']}"
    admin_mail = next(
        m for m in _mails_about(stack, task_link, 2) if "els.wouters@zonnebloem.example" in m["to"]
    )
    task_id = admin_mail["text"].split(task_link.rsplit("/", 1)[0] + "/")[1].split()[0]

    administrator = login(stack, "beheerder")
    details = httpx.get(f"{stack.base}/api/tasks/{task_id}", headers=bearer(administrator))
    assert details.status_code == 200 and details.json()["requester"] == {"name": "Sofie Peeters"}
    decided = httpx.post(
        f"{stack.base}/api/tasks/{task_id}/decision",
        headers=bearer(administrator),
        json={"decision": "reject", "reason": "Geen medewerker van de werkplaats."},
    )
    assert decided.status_code == 200, decided.text

    [rejection] = [
        m
        for m in _mails_about(stack, "Geen medewerker van de werkplaats.", 2)
        if m["to"] == ["sofie@example.be"]
    ]
    assert "Uw aanvraag werd afgekeurd door een lokale beheerder" in rejection["text"]
    page = httpx.get(f"{stack.base}/dev/outbox").text
    assert "Uw aanvraag voor Bakkerij De Zonnebloem BV is afgekeurd" in page
    assert "Nieuwe aanvraag van Sofie Peeters" in page


def test_the_gateway_answers_404_and_405_as_problem_json(stack: Stack) -> None:
    missing = httpx.get(f"{stack.base}/api/bestaat-niet")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    wrong_method = httpx.delete(f"{stack.base}/api/health")
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, "method_not_allowed")


def test_a_body_over_the_lambda_limit_answers_413(stack: Stack) -> None:
    response = httpx.post(
        f"{stack.base}/api/requests", headers=bearer(login(stack, "aanvrager")), content=b"x" * 6_291_457
    )
    assert (response.status_code, response.json()["code"]) == (413, "payload_too_large")


def test_the_openapi_document_and_its_docs_page(stack: Stack) -> None:
    document = httpx.get(f"{stack.base}/api/openapi.json").json()
    assert {"/api/requests", "/api/tasks/{id}/decision", "/api/organizations/{code}/admins"} <= set(
        document["paths"]
    )
    docs = httpx.get(f"{stack.base}/dev/api-docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text
    assert httpx.get(f"{stack.base}/dev/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_pages_are_served_with_a_strict_content_security_policy(stack: Stack) -> None:
    page = httpx.get(f"{stack.base}/user/aanvraag?dg=EA&an=45")
    module = re.search(r'src="(/assets/aanvraag\.[0-9a-f]{10}\.js)"', page.text)
    assert page.status_code == 200 and module, "the page names its module by its content's hash"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-cache"
    again = httpx.get(page.url, headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304, "a page revalidates by its ETag"
    asset = httpx.get(f"{stack.base}{module.group(1)}")
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert asset.headers["content-type"].startswith("text/javascript")


def test_dead_letters_page_answers(stack: Stack) -> None:
    assert httpx.get(f"{stack.base}/dev/dead-letters.json").json() == []
    assert httpx.get(f"{stack.base}/dev/dead-letters").status_code == 200


def test_a_token_without_kid_is_refused_as_api_gateway_refuses_it(stack: Stack) -> None:
    now = int(time.time())
    claims = {"iss": stack.issuer, "aud": "zelfregistratie", "sub": "x", "iat": now, "exp": now + 600}
    token = jwt.encode({"alg": "RS256"}, claims, stack.key)
    response = httpx.get(f"{stack.base}/api/me", headers=bearer(token))
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
    assert httpx.get(f"{stack.base}/api/me", headers=bearer(sign(stack))).status_code == 200


def test_api_answers_are_never_stored_or_sniffed_also_the_gateways_own(stack: Stack) -> None:
    answers = [
        httpx.get(f"{stack.base}/api/me", headers=bearer(sign(stack))),  # a function's answer
        httpx.get(f"{stack.base}/api/me"),  # the authorizer's 401
        httpx.get(f"{stack.base}/api/bestaat-niet"),  # the catch-all's 404
    ]
    assert [a.status_code for a in answers] == [200, 401, 404]
    for answer in answers:
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_pages_carry_the_headers_of_the_templates_cloudfront_policy(stack: Stack) -> None:
    from devstack import template

    expected = template.response_headers("PagesHeadersPolicy", {"IssuerHost": stack.base.split("/")[2]})
    page = httpx.get(f"{stack.base}/user/aanvraag?dg=EA&an=45")
    assert {name: page.headers.get(name) for name in expected} == expected
    assert page.headers["referrer-policy"] == "same-origin"


def test_a_missing_swagger_ui_file_answers_404(stack: Stack) -> None:
    assert httpx.get(f"{stack.base}/dev/swagger-ui/bestaat-niet.js").status_code == 404
    assert httpx.get(f"{stack.base}/dev/swagger-ui/../../etc/passwd").status_code == 404


def test_preflight_against_the_local_stack_passes_every_item(stack: Stack) -> None:
    """`make preflight LOCAL=…`: the stack's moto answers at /dev/aws as AWS's endpoints do, its
    OpenID provider as ACM/IDM does."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "ops.preflight", "--local", stack.base],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split()[0] for line in lines] == ["PASS"] * 6
    assert "OIDC issuer" in lines[-1] and f"{stack.base}/dev-idp" in lines[-1]


def test_ctrl_c_stops_everything_within_two_seconds(stack: Stack) -> None:
    started = time.monotonic()
    stack.process.send_signal(signal.SIGINT)
    stack.process.wait(5)
    assert time.monotonic() - started < 2
    assert stack.process.returncode == 0

"""`make preflight`: each item passes against SES set up as docs/deploy.md has it, and each fails with
its fix when the piece it checks is missing (moto answering as SES and ACM do; the development OpenID
provider as the issuer)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import httpx
import pytest
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from devstack import moto_ses
from devstack.idp import DevIdentityProvider, load_or_create_key
from devstack.ses_setup import set_up_ses
from ops import preflight
from ops.preflight import Deployment, Finding

REGION = "eu-west-1"
BASE = "https://zelfregistratie.example.be"
SENDER = "no-reply@zelfregistratie.example.be"
DOMAIN = "zelfregistratie.example.be"
CONFIGURATION_SET = "zelfregistratie-ti-MailConfigurationSet-1A2B3C"
ITEMS = ["sender identity", "DKIM", "SES account", "configuration set", "certificate", "OIDC issuer"]


@pytest.fixture
def idp(tmp_path: Any) -> DevIdentityProvider:
    return DevIdentityProvider(BASE, [], load_or_create_key(tmp_path / "key.json"))


@pytest.fixture
def http_get(idp: DevIdentityProvider) -> Callable[[str], httpx.Response]:
    """The issuer's discovery and keys, answered by the development OpenID provider."""

    def get(url: str) -> httpx.Response:
        if not url.startswith(BASE):
            raise httpx.ConnectError(f"no route to {url}")
        answer = idp.handle(Request(EnvironBuilder(path=url.removeprefix(BASE)).get_environ()))
        return httpx.Response(answer.status_code, content=answer.get_data())

    return get


@pytest.fixture
def clients(aws: None) -> tuple[Any, Any]:
    ses = boto3.client("sesv2", region_name=REGION)
    set_up_ses(ses, SENDER, CONFIGURATION_SET, REGION, DEFAULT_ACCOUNT_ID)
    return ses, boto3.client("acm", region_name="us-east-1")


def run(clients: tuple[Any, Any], http_get: Any, **changes: str) -> dict[str, Finding]:
    deployment = Deployment(REGION, SENDER, f"{BASE}/dev-idp", "ti", CONFIGURATION_SET)
    findings = preflight.check(Deployment(**(vars(deployment) | changes)), *clients, http_get)
    assert [f.item for f in findings] == ITEMS
    return {f.item: f for f in findings}


def _ses_backend() -> Any:
    return ses_backends[DEFAULT_ACCOUNT_ID][REGION]


def test_set_up_as_the_guide_has_it_every_item_passes(clients: tuple[Any, Any], http_get: Any) -> None:
    findings = run(clients, http_get)
    assert all(f.ok for f in findings.values()), [f.line() for f in findings.values()]
    assert findings["OIDC issuer"].found == f"{BASE}/dev-idp: discovery, PKCE S256 and 1 signing key(s)"


def _pending() -> None:
    _ses_backend().email_identities[DOMAIN].verification_status = "PENDING"


def _no_identity() -> None:
    boto3.client("sesv2", region_name=REGION).delete_email_identity(EmailIdentity=DOMAIN)


def _address_only() -> None:
    ses = boto3.client("sesv2", region_name=REGION)
    ses.delete_email_identity(EmailIdentity=DOMAIN)
    ses.create_email_identity(EmailIdentity=SENDER)


def _no_dkim() -> None:
    ses = boto3.client("sesv2", region_name=REGION)
    ses.delete_email_identity(EmailIdentity=DOMAIN)
    ses.create_email_identity(EmailIdentity=DOMAIN)  # without Easy DKIM's keys: NOT_STARTED


def _account(**state: bool) -> Callable[[], None]:
    return lambda: moto_ses.account(_ses_backend()).update(state)


def _no_configuration_set() -> None:
    boto3.client("sesv2", region_name=REGION).delete_configuration_set(ConfigurationSetName=CONFIGURATION_SET)


def _no_destination() -> None:
    _no_configuration_set()
    boto3.client("sesv2", region_name=REGION).create_configuration_set(ConfigurationSetName=CONFIGURATION_SET)


@pytest.mark.parametrize(
    ("missing", "take_away", "item", "fix"),
    [
        ("the domain's verification", _pending, "sender identity", "get-email-identity --email-identity"),
        ("any identity", _no_identity, "sender identity", "aws sesv2 create-email-identity"),
        ("the domain, with the address verified", _address_only, "DKIM", "create-email-identity"),
        ("DKIM", _no_dkim, "DKIM", f"<token>._domainkey.{DOMAIN}"),
        (
            "production access",
            _account(ProductionAccessEnabled=False),
            "SES account",
            "--production-access-enabled",
        ),
        (
            "sending",
            _account(SendingEnabled=False),
            "SES account",
            "put-account-sending-attributes --sending-enabled",
        ),
        ("the configuration set", _no_configuration_set, "configuration set", "deploy the stack"),
        ("its feedback destination", _no_destination, "configuration set", "MailFeedbackDestination"),
    ],
)
def test_each_missing_piece_of_ses_fails_its_item_with_its_fix(
    clients: tuple[Any, Any], http_get: Any, missing: str, take_away: Callable[[], None], item: str, fix: str
) -> None:
    take_away()
    findings = run(clients, http_get)
    assert not findings[item].ok, missing
    assert fix in findings[item].fix
    assert f"\n      fix: {findings[item].fix}" in findings[item].line()
    assert findings["OIDC issuer"].ok and findings["certificate"].ok  # the rest still judged on its own


def _request(domain: str, region: str = "us-east-1") -> str:
    acm = boto3.client("acm", region_name=region)
    arn: str = acm.request_certificate(DomainName=domain, ValidationMethod="DNS")["CertificateArn"]
    return arn


def test_a_domain_needs_an_issued_certificate_in_us_east_1_that_covers_it(
    clients: tuple[Any, Any], http_get: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pending = _request(DOMAIN)  # its validation record not yet published
    found = run(clients, http_get, domain=DOMAIN, certificate_arn=pending)["certificate"]
    assert not found.ok and "PENDING_VALIDATION" in found.found and "validation CNAME" in found.fix

    from moto import settings

    monkeypatch.setattr(settings, "ACM_VALIDATION_WAIT", 0)
    assert run(clients, http_get, domain=DOMAIN, certificate_arn=pending)["certificate"].ok
    assert run(clients, http_get, domain=DOMAIN)["certificate"].ok  # found by listing, without an ARN
    wildcard = _request("*.example.be")
    assert run(clients, http_get, domain=DOMAIN, certificate_arn=wildcard)["certificate"].ok

    other = run(clients, http_get, domain="andere.example.org", certificate_arn=pending)["certificate"]
    assert not other.ok and "not andere.example.org" in other.found and "request-certificate" in other.fix
    elsewhere = run(clients, http_get, domain=DOMAIN, certificate_arn=_request(DOMAIN, REGION))["certificate"]
    assert not elsewhere.ok and "is not in us-east-1" in elsewhere.found
    unlisted = run(clients, http_get, domain="nergens.example.org")["certificate"]
    assert not unlisted.ok and "--domain-name nergens.example.org" in unlisted.fix


def test_production_without_a_domain_fails_the_certificate_item(
    clients: tuple[Any, Any], http_get: Any
) -> None:
    assert run(clients, http_get)["certificate"].ok  # ti may run on *.cloudfront.net
    found = run(clients, http_get, environment="prd")["certificate"]
    assert not found.ok and "DOMAIN and CERTIFICATE_ARN" in found.fix


@pytest.mark.parametrize(
    ("issuer", "found", "fix"),
    [
        # the authorizer compares `iss` byte for byte: a trailing slash is another issuer
        (f"{BASE}/dev-idp/", f"discovery names issuer '{BASE}/dev-idp'", f"OidcIssuer={BASE}/dev-idp"),
        ("https://authenticatie-ti.example.org/op", "ConnectError", "ask ACM/IDM"),
        (f"{BASE}/elders", "answered 404", "ask ACM/IDM"),
    ],
)
def test_an_issuer_that_does_not_answer_as_itself_fails_with_its_fix(
    clients: tuple[Any, Any], http_get: Any, issuer: str, found: str, fix: str
) -> None:
    finding = run(clients, http_get, issuer=issuer)["OIDC issuer"]
    assert not finding.ok
    assert found in finding.found and fix in finding.fix


def test_the_environment_takes_its_region_and_issuer_from_samconfig() -> None:
    assert preflight.from_samconfig("ti") == {
        "region": "eu-west-1",
        "issuer": "https://authenticatie-ti.vlaanderen.be/op",
    }
    assert preflight.from_samconfig("prd")["issuer"] == "https://authenticatie.vlaanderen.be/op"

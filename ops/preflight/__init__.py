"""`make preflight`: before a deploy, what AWS and ACM/IDM must already have, checked read-only.

    make preflight ENV=ti SENDER=no-reply@zelfregistratie.example.be \
        [DOMAIN=zelfregistratie.example.be CERTIFICATE_ARN=arn:aws:acm:us-east-1:…] [CONFIGURATION_SET=…]
    make preflight LOCAL=http://127.0.0.1:8000     # the local stack: its moto and its OpenID provider

One line per item, PASS or FAIL, with what was found and, for a failure, how to fix it
(docs/deploy.md walks each). Exit status 1 when an item fails. It only reads: SES v2 `GetEmailIdentity`,
`GetAccount`, `GetConfigurationSet`, `GetConfigurationSetEventDestinations`; ACM `DescribeCertificate`
and `ListCertificates` in us-east-1; the issuer's discovery document and its keys.
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path
from typing import Any

import boto3
import httpx
from botocore.exceptions import BotoCoreError, ClientError

from ops.preflight.certificate import CERTIFICATE_REGION, certificate
from ops.preflight.findings import Deployment, Finding
from ops.preflight.issuer import HttpGet, issuer
from ops.preflight.ses import account, configuration_set, sender_identity

ROOT = Path(__file__).resolve().parents[2]
__all__ = ["Deployment", "Finding", "check", "from_samconfig", "main"]


def check(deployment: Deployment, ses: Any, acm: Any, http_get: HttpGet) -> list[Finding]:
    return [
        *sender_identity(ses, deployment),
        account(ses, deployment),
        configuration_set(ses, deployment),
        certificate(acm, deployment),
        issuer(http_get, deployment.issuer),
    ]


def from_samconfig(environment: str, path: Path = ROOT / "samconfig.toml") -> dict[str, str]:
    """An environment's shared parameters (samconfig.toml): its region and issuer."""
    deploy = tomllib.loads(path.read_text(encoding="utf-8"))[environment]["deploy"]["parameters"]
    overrides = dict(o.split("=", 1) for o in deploy["parameter_overrides"])
    return {"region": deploy["region"], "issuer": overrides["OidcIssuer"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--env", choices=["ti", "prd"], help="the environment (samconfig.toml): region and issuer"
    )
    parser.add_argument("--sender", help="SesSenderIdentity")
    parser.add_argument("--issuer", help="OidcIssuer (default: the environment's)")
    parser.add_argument("--region", help="the stack's region (default: the environment's)")
    parser.add_argument("--configuration-set", default="", help="an existing configuration set to check")
    parser.add_argument("--domain", default="", help="DomainName")
    parser.add_argument("--certificate-arn", default="", help="CertificateArn")
    parser.add_argument(
        "--local", metavar="URL", help="check the local stack at URL (make run) instead of AWS"
    )
    args = parser.parse_args(argv)
    with httpx.Client(timeout=10, follow_redirects=False) as http:
        if args.local:
            try:
                deployment, ses, acm = _local(args.local.rstrip("/"), http)
            except (httpx.HTTPError, ValueError) as exc:
                print(Finding("local stack", False, f"{args.local}: {exc}", "start it: make run").line())
                return 1
        else:
            shared = from_samconfig(args.env) if args.env else {}
            region = args.region or shared.get("region")
            issuer_url = args.issuer or shared.get("issuer")
            if not (args.sender and region and issuer_url):
                parser.error("--sender, and --env or both --region and --issuer, are needed")
            deployment = Deployment(
                region,
                args.sender,
                issuer_url,
                args.env or "ti",
                args.configuration_set,
                args.domain,
                args.certificate_arn,
            )
            ses = boto3.client("sesv2", region_name=region)
            acm = boto3.client("acm", region_name=CERTIFICATE_REGION)
        try:
            findings = check(deployment, ses, acm, http.get)
        except (ClientError, BotoCoreError) as exc:
            print(Finding("AWS", False, str(exc), "run it with credentials that may read SES and ACM").line())
            return 1
    for finding in findings:
        print(finding.line())
    return 0 if all(f.ok for f in findings) else 1


def _local(base: str, http: httpx.Client) -> tuple[Deployment, Any, Any]:
    """The local stack says what it runs with; its moto answers at /dev/aws as AWS's endpoints do."""
    stack = http.get(f"{base}/dev/deployment.json").json()
    deployment = Deployment(
        stack["region"], stack["sender"], stack["issuer"], "ti", stack["configurationSet"]
    )
    local: dict[str, Any] = {
        "aws_access_key_id": "local",
        "aws_secret_access_key": "local",
        "endpoint_url": f"{base}/dev/aws",
    }
    ses = boto3.client("sesv2", region_name=deployment.region, **local)
    acm = boto3.client("acm", region_name=CERTIFICATE_REGION, **local)
    return deployment, ses, acm

"""The pages' certificate: issued in us-east-1, covering the domain, not about to expire."""

from __future__ import annotations

import fnmatch
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from ops.preflight.findings import GUIDE, Deployment, Finding

CERTIFICATE_REGION = "us-east-1"  # CloudFront takes certificates from there only
CERTIFICATE_MARGIN = timedelta(days=30)


def _covers(names: list[str], domain: str) -> bool:
    return any(
        name == domain
        or (name.startswith("*.") and fnmatch.fnmatch(domain, name) and domain.count(".") == name.count("."))
        for name in names
    )


def certificate(acm: Any, deployment: Deployment) -> Finding:
    """With a domain: an issued us-east-1 certificate that covers it for at least 30 more days."""
    domain, arn = deployment.domain, deployment.certificate_arn
    request = (
        f"aws acm request-certificate --region {CERTIFICATE_REGION} --domain-name {domain} "
        f"--validation-method DNS, publish its CNAME and wait for ISSUED ({GUIDE}, step 3)"
    )
    if not domain:
        if deployment.environment == "prd":
            return Finding(
                "certificate",
                False,
                "prd without DomainName",
                "pass DOMAIN and CERTIFICATE_ARN: prd runs on its own domain",
            )
        return Finding(
            "certificate", True, "not needed: without DomainName the distribution's *.cloudfront.net serves"
        )
    if not arn:
        listed = acm.list_certificates(CertificateStatuses=["ISSUED"])["CertificateSummaryList"]
        covering = [
            c
            for c in listed
            if _covers([c["DomainName"], *c.get("SubjectAlternativeNameSummaries", [])], domain)
        ]
        if not covering:
            return Finding(
                "certificate", False, f"no issued certificate for {domain} in {CERTIFICATE_REGION}", request
            )
        arn = covering[0]["CertificateArn"]
    if f":acm:{CERTIFICATE_REGION}:" not in arn:
        return Finding("certificate", False, f"{arn} is not in {CERTIFICATE_REGION}", request)
    try:
        found = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
            raise
        return Finding("certificate", False, f"{arn} does not exist", request)
    names = [found["DomainName"], *found.get("SubjectAlternativeNames", [])]
    if found["Status"] != "ISSUED":
        return Finding(
            "certificate",
            False,
            f"{found['DomainName']}: {found['Status']}",
            "publish the validation CNAME that `aws acm describe-certificate --region us-east-1 "
            f"--certificate-arn {arn}` lists, and wait for ISSUED",
        )
    if not _covers(names, domain):
        return Finding("certificate", False, f"{arn} is for {', '.join(names)}, not {domain}", request)
    not_after = found.get("NotAfter")
    if isinstance(not_after, datetime) and not_after - datetime.now(UTC) < CERTIFICATE_MARGIN:
        return Finding(
            "certificate",
            False,
            f"{domain}: expires {not_after:%Y-%m-%d}",
            "ACM renews a DNS-validated certificate while its CNAME stays published: check that record",
        )
    return Finding(
        "certificate", True, f"{domain}: issued in {CERTIFICATE_REGION} ({arn.rsplit('/', 1)[-1]})"
    )

"""SES: the sender's identity and DKIM, the account, a configuration set."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ops.preflight.findings import GUIDE, Deployment, Finding


def _identity(ses: Any, name: str) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = ses.get_email_identity(EmailIdentity=name)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "NotFoundException":
            return None
        raise
    return found


def sender_identity(ses: Any, deployment: Deployment) -> list[Finding]:
    """The sender's domain (or else its address) is a verified identity, and the domain signs with DKIM."""
    sender, region = deployment.sender, deployment.region
    domain = sender.rpartition("@")[2]
    create = (
        f"aws sesv2 create-email-identity --email-identity {domain} --region {region}, then publish "
        f"the DNS records it lists ({GUIDE}, step 1)"
    )
    domain_identity = _identity(ses, domain)
    identity, name = (domain_identity, domain) if domain_identity else (_identity(ses, sender), sender)
    if identity is None:
        verified = Finding(
            "sender identity", False, f"neither {domain} nor {sender} is an SES identity in {region}", create
        )
    elif not identity.get("VerifiedForSendingStatus"):
        status = identity.get("VerificationStatus", "PENDING")
        verified = Finding(
            "sender identity",
            False,
            f"{name} is not verified for sending ({status})",
            f"publish the DKIM CNAME records of `aws sesv2 get-email-identity --email-identity {name} "
            f"--region {region}` and wait for SUCCESS ({GUIDE}, step 1)",
        )
    else:
        verified = Finding("sender identity", True, f"{sender} sends as the verified identity {name}")
    dkim = (domain_identity or {}).get("DkimAttributes", {})
    if domain_identity is None:
        signed = Finding(
            "DKIM",
            False,
            f"{domain} is not an identity: mail from {sender} goes out unsigned and fails DMARC",
            create,
        )
    elif dkim.get("Status") != "SUCCESS" or not dkim.get("SigningEnabled"):
        signed = Finding(
            "DKIM",
            False,
            f"{domain}: DKIM {dkim.get('Status', 'NOT_STARTED')}, signing "
            f"{'on' if dkim.get('SigningEnabled') else 'off'}",
            f"publish the three CNAME records <token>._domainkey.{domain} → <token>.dkim.amazonses.com "
            f"(the tokens: aws sesv2 get-email-identity --email-identity {domain} --region {region}), and "
            f"SPF and DMARC records ({GUIDE}, step 1)",
        )
    else:
        signed = Finding("DKIM", True, f"{domain} signs every mail (DKIM {dkim['Status']})")
    return [verified, signed]


def account(ses: Any, deployment: Deployment) -> Finding:
    """Out of the sandbox, sending enabled, not under review."""
    region = deployment.region
    found = ses.get_account()
    if not found.get("SendingEnabled", False):
        return Finding(
            "SES account",
            False,
            f"sending is paused for this account in {region}",
            "read AWS's notice in the SES console (Reputation metrics); once the cause is fixed: "
            f"aws sesv2 put-account-sending-attributes --sending-enabled --region {region}",
        )
    if not found.get("ProductionAccessEnabled", False):
        return Finding(
            "SES account",
            False,
            f"in the SES sandbox of {region}: mail reaches verified addresses only, 200 a day",
            "request production access: aws sesv2 put-account-details --production-access-enabled "
            "--mail-type TRANSACTIONAL --website-url <PublicBaseUrl> --use-case-description '…' "
            f"--region {region} ({GUIDE}, step 2)",
        )
    status = found.get("EnforcementStatus", "HEALTHY")
    if status != "HEALTHY":
        return Finding(
            "SES account",
            False,
            f"out of the sandbox, but SES's enforcement status is {status}",
            "read the reputation notice in the SES console and answer it before deploying",
        )
    quota = found.get("SendQuota", {})
    return Finding(
        "SES account",
        True,
        f"out of the sandbox in {region}, {quota.get('Max24HourSend', 0):.0f} mails a day, "
        f"{quota.get('MaxSendRate', 0):.0f} a second",
    )


def configuration_set(ses: Any, deployment: Deployment) -> Finding:
    """A configuration set passed (the stack's own, after a deploy) exists, sends, and publishes bounces
    and complaints to the default bus."""
    name = deployment.configuration_set
    if not name:
        return Finding(
            "configuration set", True, "none passed: the stack creates its own (MailConfigurationSet)"
        )
    try:
        found = ses.get_configuration_set(ConfigurationSetName=name)
        destinations = ses.get_configuration_set_event_destinations(ConfigurationSetName=name)[
            "EventDestinations"
        ]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NotFoundException":
            raise
        return Finding(
            "configuration set",
            False,
            f"{name} does not exist in {deployment.region}",
            "pass the stack's own (notify's SES_CONFIGURATION_SET), or deploy the stack: it creates it",
        )
    if not found.get("SendingOptions", {}).get("SendingEnabled", True):
        return Finding(
            "configuration set",
            False,
            f"{name}: sending disabled",
            "aws sesv2 put-configuration-set-sending-options --sending-enabled "
            f"--configuration-set-name {name}",
        )
    feedback = [
        d
        for d in destinations
        if d.get("Enabled")
        and {"BOUNCE", "COMPLAINT"} <= set(d.get("MatchingEventTypes", []))
        and str(d.get("EventBridgeDestination", {}).get("EventBusArn", "")).endswith(":event-bus/default")
    ]
    if not feedback:
        return Finding(
            "configuration set",
            False,
            f"{name}: no enabled destination sends bounces and complaints to the default event bus",
            "deploy the stack again: its MailFeedbackDestination adds it",
        )
    return Finding(
        "configuration set", True, f"{name} publishes bounces and complaints ({feedback[0]['Name']})"
    )

"""SES in the local stack's moto as docs/deploy.md has it set up in AWS: the sender's domain verified
with DKIM, and the stack's configuration set with its event destination. `make preflight --local`
checks it; its tests take away one piece at a time."""

from __future__ import annotations

from typing import Any

from devstack import template


def set_up_ses(ses: Any, sender: str, configuration_set: str, region: str, account: str) -> None:
    ses.create_email_identity(
        EmailIdentity=sender.rpartition("@")[2],
        DkimSigningAttributes={"NextSigningKeyLength": "RSA_2048_BIT"},  # Easy DKIM, 2048-bit keys
    )
    template.create_configuration_set(ses, configuration_set, region, account)

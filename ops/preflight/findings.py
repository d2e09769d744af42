"""What a preflight item found, and what the deployment will be deployed with."""

from __future__ import annotations

from dataclasses import dataclass

GUIDE = "docs/deploy.md"


@dataclass(frozen=True)
class Finding:
    item: str
    ok: bool
    found: str
    fix: str = ""

    def line(self) -> str:
        text = f"{'PASS' if self.ok else 'FAIL'}  {self.item:<22} {self.found}"
        return text if self.ok else f"{text}\n      fix: {self.fix}"


@dataclass(frozen=True)
class Deployment:
    """What the stack will be deployed with: its parameters that AWS must already honour."""

    region: str
    sender: str
    issuer: str
    environment: str = "ti"
    configuration_set: str = ""
    domain: str = ""
    certificate_arn: str = ""

"""An SES event read once, at the edge, into typed feedback: no table, no moto."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zelfregistratie.domain.entities import EmailStatus
from zelfregistratie.logic import feedback

EVENTS = Path(__file__).resolve().parents[1] / "events"


@pytest.mark.parametrize(
    ("name", "kind", "status"),
    [
        ("ses_bounce_permanent", "BouncePermanent", EmailStatus.BOUNCED),
        ("ses_bounce_transient", "BounceTransient", None),
        ("ses_complaint", "Complaint", EmailStatus.COMPLAINED),
    ],
)
def test_each_ses_event_reads_into_its_kind_addresses_and_what_it_makes_of_an_address(
    name: str, kind: str, status: EmailStatus | None
) -> None:
    found = feedback.read(json.loads((EVENTS / f"{name}.json").read_text()))
    assert (found.kind, found.status) == (kind, status)
    assert found.addresses and all("@" in address for address in found.addresses)


def test_anything_else_is_read_as_its_own_kind_and_changes_nothing() -> None:
    found = feedback.read({"detail": {"eventType": "Delivery", "mail": {"tags": {"mail": ["approved"]}}}})
    assert (found.kind, found.mail, found.addresses, found.status) == ("Delivery", "approved", (), None)
    assert feedback.read({"detail": "not a record"}).kind == "unknown"

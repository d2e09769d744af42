"""A long demo: 10,000 filings through `make run`'s stack, their mails handed out by its poller, and
the stack still stops within two seconds of SIGTERM, without having grown without end."""

from __future__ import annotations

import signal
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.factories import filing_body
from tests.stack.conftest import Stack
from tests.stack.test_local_stack import bearer, sign

FILINGS = 10_000


def resident_megabytes(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise LookupError("VmRSS")


@pytest.mark.slow
@pytest.mark.runs_first
def test_after_ten_thousand_filings_sigterm_stops_the_stack_within_two_seconds(stack: Stack) -> None:
    # At the association, whose one administrator gets the task mail: two mails a filing.
    body = filing_body(organization="0415327175", email="lang.demo@example.be", reason=None)
    with httpx.Client(base_url=stack.base, timeout=30) as client:
        for n in range(FILINGS):
            token = sign(stack, sub=str(uuid.uuid4()), given_name="Demo", family_name=f"Persoon {n}")
            answer = client.post("/api/requests", json=body, headers=bearer(token))
            assert answer.status_code == 201, answer.text
        outbox = client.get("/dev/outbox.json").json()
    assert outbox  # the poller hands the filings to notify meanwhile
    memory = resident_megabytes(stack.process.pid)
    assert memory < 1_500, f"{memory:.0f} MB after {FILINGS} filings"

    started = time.monotonic()
    stack.process.send_signal(signal.SIGTERM)
    stack.process.wait(10)
    assert time.monotonic() - started < 2
    assert stack.process.returncode == 0

"""Property-based fuzz of every operation in the OpenAPI document, over HTTP against the running
stack (gateway, authorizer, functions, moto), with schemathesis: schema-valid and schema-violating
input, a fixed seed and a bounded number of examples. Whatever the input: never a 5xx, nothing
stored, no mail sent.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from tests.stack.conftest import Stack
from tests.stack.test_local_stack import login
from zelfregistratie.api.router import OPENAPI_FILE

EXAMPLES_PER_OPERATION = 100
schema = schemathesis.openapi.from_path(OPENAPI_FILE)
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
OPERATIONS = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
calls: Counter[str] = Counter()


@pytest.fixture(scope="module")
def token(stack: Stack) -> str:
    """An administrator's token: the fuzz reaches the administrators' routes too."""
    return login(stack, "beheerder")


@pytest.fixture(scope="module")
def before(stack: Stack) -> dict[str, int]:
    return _footprint(stack)


def _footprint(stack: Stack) -> dict[str, int]:
    return {
        "items": httpx.get(f"{stack.base}/dev/table.json").json()["items"],
        "mails": len(httpx.get(f"{stack.base}/dev/outbox.json").json()),
    }


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_no_input_gets_a_5xx(operation: Any, stack: Stack, token: str, before: dict[str, int]) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in MODES)))
    def call(case: Any) -> None:
        response = case.call(base_url=stack.base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        calls["5xx" if response.status_code >= 500 else "other"] += 1
        sent = (case.method, case.formatted_path, case.query, case.body)
        assert response.status_code < 500, (sent, response.text)
        if response.status_code >= 400:
            assert response.headers["content-type"] == ["application/problem+json"], response.text

    call()


def test_the_fuzz_stored_nothing_and_mailed_nobody(stack: Stack, before: dict[str, int]) -> None:
    """Runs after the fuzz (pytest keeps the order within a module)."""
    assert sum(calls.values()) >= len(OPERATIONS) * 10
    assert calls["5xx"] == 0
    assert _footprint(stack) == before
    print(f"fuzz: {sum(calls.values())} calls, {calls['5xx']} answered 5xx")

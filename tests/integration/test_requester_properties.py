"""Property tests: whatever JSON arrives at POST /api/requests, the answer is never a 5xx, and nothing
is stored unless the body was valid."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops.load_data import DataSet, Persona
from tests.api import Api
from tests.conftest import Table
from tests.factories import filing_body

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
pytestmark = pytest.mark.slow  # a few hundred bodies through the handler: `make quick` skips it
VALID = filing_body(email="sofie@example.be")
del VALID["reason"]
# Bodies near the valid one: each field replaced by an arbitrary value, or dropped, or extra fields.
mutated = st.fixed_dictionaries(
    {},
    optional={name: st.one_of(st.just(value), json_values) for name, value in VALID.items()}
    | {"reason": json_values, "context": json_values, "extra": json_values},
)


def _requests(table: Table) -> int:
    return sum(
        1 for item in table.items() if item["kind"]["S"] in ("request", "pending_guard", "idempotency")
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(json_values, mutated))
def test_arbitrary_bodies_never_fail_the_server_and_store_only_when_valid(
    demo: DataSet, table: Table, personas: dict[str, Persona], body: Any
) -> None:
    before = _requests(table)
    answer = Api("submit_request").call("POST", "/api/requests", caller=personas["aanvrager"], body=body)
    assert answer.status < 500, answer.body
    if answer.status == 201:
        assert _requests(table) == before + 2  # the request and its pending guard
        Api("submit_request").call(
            "POST", f"/api/requests/{answer.body['id']}/cancel", caller=personas["aanvrager"]
        )
    else:
        assert answer.body["code"] in {
            "invalid_input",
            "no_local_admin",
            "duplicate_pending",
            "already_granted",
        }
        assert _requests(table) == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(max_size=200))
def test_arbitrary_text_bodies_never_fail_the_server(
    demo: DataSet, table: Table, personas: dict[str, Persona], raw: str
) -> None:
    answer = Api("submit_request").call(
        "POST", "/api/requests", caller=personas["aanvrager"], body=raw or " "
    )
    assert answer.status < 500
    if answer.status != 201:
        assert _requests(table) == 0

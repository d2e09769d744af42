"""`TransactionConflict`: DynamoDB cancels a transaction that races another on the same item with this
reason. moto never does (its calls are serialised), so a botocore hook answers the first calls
with it, as DynamoDB would, before moto sees them.

The policy, for every write: a cancellation for conflicts only is retried with jittered backoff,
and then the condition the other transaction settled decides; a failed condition is the answer at
once; conflicts that persist answer 409 `concurrent_change` with nothing changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders

from ops.load_data import DataSet, Persona
from tests.api import Api
from tests.conftest import Table
from tests.factories import cancelled_in
from tests.factories import filing_body as body
from tests.integration.test_notify import _decide, file
from tests.integration.test_requester_api import requests_in
from zelfregistratie.domain.entities import Outcome, RequestStatus
from zelfregistratie.domain.errors import AlreadyDecided, ConcurrentChange, DuplicatePending
from zelfregistratie.store import table as table_module
from zelfregistratie.store.store import Store
from zelfregistratie.store.table import CONFLICT_RETRIES

EVENT = "before-call.dynamodb.TransactWriteItems"


@dataclass
class Conflicts:
    """Cancels the next `times` transactions: `TransactionConflict` on the item at `position`,
    optionally `ConditionalCheckFailed` on another."""

    times: int
    position: int = 0
    failed_condition_at: int | None = None
    calls: int = 0
    pauses: list[float] = field(default_factory=list)

    def __call__(self, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        self.calls += 1
        if self.times == 0:
            return None
        self.times -= 1
        items = json.loads(params["body"])["TransactItems"]  # the request as serialised for the wire
        reasons: list[dict[str, str]] = [{"Code": "None"} for _ in items]
        reasons[self.position] = {
            "Code": "TransactionConflict",
            "Message": "Transaction is ongoing for the item",
        }
        if self.failed_condition_at is not None:
            reasons[self.failed_condition_at] = {"Code": "ConditionalCheckFailed"}
        codes = ", ".join(r["Code"] for r in reasons)
        parsed = {
            "Error": {"Code": "TransactionCanceledException", "Message": f"Transaction cancelled [{codes}]"},
            "CancellationReasons": reasons,
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        return AWSResponse("https://dynamodb.local", 400, HTTPHeaders(), None), parsed


@pytest.fixture
def conflicts(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Installs a `Conflicts` on a client; backoff pauses are recorded, not slept."""
    installed: list[tuple[Any, Conflicts]] = []

    def install(client: Any, conflict: Conflicts) -> Conflicts:
        monkeypatch.setattr(table_module, "pause", conflict.pauses.append)
        client.meta.events.register_first(EVENT, conflict)
        installed.append((client, conflict))
        return conflict

    yield install
    for client, conflict in installed:
        client.meta.events.unregister(EVENT, conflict)


def test_a_filing_that_conflicts_is_retried_and_stored_once(
    store: Store, demo: DataSet, table: Table, personas: dict[str, Persona], conflicts: Any
) -> None:
    conflict = conflicts(store.table.client, Conflicts(times=2))
    file(store, personas["aanvrager"])
    assert conflict.calls == 3
    assert len(requests_in(table)) == 1
    assert len(conflict.pauses) == 2 and all(p >= 0 for p in conflict.pauses)
    assert conflict.pauses[1] <= table_module.CONFLICT_BACKOFF_SECONDS * 2


def test_the_retry_answers_what_the_winning_transaction_settled(
    store: Store, demo: DataSet, personas: dict[str, Persona], conflicts: Any
) -> None:
    """The other filing won the guard: the retry meets its condition and says `duplicate_pending`."""
    file(store, personas["aanvrager"])
    conflict = conflicts(store.table.client, Conflicts(times=1))
    with pytest.raises(DuplicatePending):
        file(store, personas["aanvrager"])
    assert conflict.calls == 2


def test_a_failed_condition_is_the_answer_without_a_retry(
    store: Store, demo: DataSet, personas: dict[str, Persona], conflicts: Any
) -> None:
    conflict = conflicts(store.table.client, Conflicts(times=1, position=2, failed_condition_at=0))
    with pytest.raises(DuplicatePending):
        file(store, personas["aanvrager"])
    assert conflict.calls == 1


def test_conflicts_that_persist_answer_concurrent_change_and_change_nothing(
    store: Store, demo: DataSet, table: Table, personas: dict[str, Persona], conflicts: Any
) -> None:
    before = table.items()
    conflict = conflicts(store.table.client, Conflicts(times=CONFLICT_RETRIES + 1))
    with pytest.raises(ConcurrentChange):
        file(store, personas["aanvrager"])
    assert conflict.calls == CONFLICT_RETRIES + 1
    assert table.items() == before


def test_a_decision_that_conflicts_is_retried_and_a_second_decision_is_refused(
    store: Store, demo: DataSet, personas: dict[str, Persona], conflicts: Any
) -> None:
    request = file(store, personas["aanvrager"])
    conflict = conflicts(store.table.client, Conflicts(times=1))
    _decide(store, request, Outcome.APPROVED, "Welkom")
    stored = store.requests.get(request.id)
    assert stored is not None and stored.status is RequestStatus.APPROVED
    conflict.times = 1
    with pytest.raises(AlreadyDecided):
        _decide(store, request, Outcome.REJECTED, "Toch niet")
    assert conflict.calls == 4


def test_a_cancellation_that_conflicts_is_retried(
    store: Store, demo: DataSet, personas: dict[str, Persona], conflicts: Any
) -> None:
    request = file(store, personas["aanvrager"])
    conflict = conflicts(store.table.client, Conflicts(times=1))
    cancelled_in(store, request, datetime.now(UTC))
    assert conflict.calls == 2
    stored = store.requests.get(request.id)
    assert stored is not None and stored.status is RequestStatus.CANCELLED


def test_over_http_a_conflict_is_never_a_500(
    demo: DataSet, personas: dict[str, Persona], conflicts: Any
) -> None:
    api = Api("submit_request")
    conflict = conflicts(api.module.store.table.client, Conflicts(times=1))
    answer = api.call("POST", "/api/requests", caller=personas["aanvrager"], body=body())
    assert answer.status == 201, answer.body
    conflict.times = CONFLICT_RETRIES + 1
    again = api.call("POST", "/api/requests", caller=personas["aanvrager2"], body=body())
    assert (again.status, again.code) == (409, "concurrent_change")
    assert again.headers["Content-Type"] == "application/problem+json"

"""How a request is stored and read back: its item (under its next lifecycle step while pending, with
a time to live once closed), its pending guard, and the transaction that closes it with its tasks."""

from __future__ import annotations

from typing import Any

from zelfregistratie.domain import lifecycle
from zelfregistratie.domain.entities import RequestStatus, RequestType
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.requests import AccessRequest
from zelfregistratie.store import keys, tasks
from zelfregistratie.store.table import Condition, Table, Transaction, item, number, string

DUE_KIND = "REQUEST"


def read_request(table: Table, request_id: str) -> AccessRequest | None:
    """The request as it is now (a strongly consistent read)."""
    return table.get(AccessRequest, keys.request(request_id), consistent=True)


def request_item(request: AccessRequest, periods: Periods) -> dict[str, Any]:
    """The request, under its next lifecycle step while pending (GSI2), kept for the retention
    period once closed (`ttl`)."""
    parts = [keys.request(request.id), keys.request_owner_index(request.requester, request.id)]
    if (due := lifecycle.request_due(request, periods)) is not None:
        parts.append(keys.due(due.at, DUE_KIND, request.id))
    stored = item(request, "request", *parts)
    if (closed := request.closed_at) is not None:
        stored["ttl"] = number(int(lifecycle.kept_until(closed, periods).timestamp()))
    return stored


def guard_and_held(request: AccessRequest) -> tuple[keys.Key, keys.Key]:
    """The pending guard of `request`, and where what it asks for would be held."""
    guard = keys.pending_guard(request.requester, request.organization, request.right, request.context)
    if request.type is RequestType.USER_RIGHT:
        assert request.right is not None
        return guard, keys.grant(request.requester, request.organization, request.right, request.context)
    return guard, keys.work_relationship(request.requester, request.organization)


def closing(table: Table, before: AccessRequest, after: AccessRequest, still: Condition) -> Transaction:
    """A transaction that replaces the pending request by its closed state while `still` holds,
    drops its guard, and moves its tasks to the closed lists."""
    guard = keys.pending_guard(before.requester, before.organization, before.right, before.context)
    tx = table.transaction().put(request_item(after, table.periods), condition=still).delete(guard)
    tasks.close(tx, before, after)
    return tx


class NotAtStep(Exception):
    """The request or grant is no longer at the lifecycle step its timer was found for."""


def at_step(due_key: str) -> Condition:
    """Still pending and at the step the timer found (`GSI2SK`): a timer that runs twice, or finds a
    stale index entry, changes nothing."""
    return Condition(
        "GSI2SK = :due AND #status = :pending",
        NotAtStep,
        names={"#status": "status"},
        values={":due": string(due_key), ":pending": string(RequestStatus.PENDING.value)},
    )

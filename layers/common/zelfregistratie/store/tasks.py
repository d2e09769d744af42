"""Tasks: the requests administrators decide, kept per administrator, so that a page of someone's task
list is one query however many organisations they serve.

Fan-out on write. A request's task is a copy of it under its organisation (`TASKS#{org}#{bucket}`)
and one under each of its assignees (`INBOX#{sub}#{bucket}`), written in the transaction that files
the request and moved from `open` to `closed` in the one that closes it. The request keeps who its
assignees are. Appointing an administrator copies the organisation's tasks to them and a removal
takes them away, in steps (`store/handovers.py`); the stream's `notify` reconciles a request whose
assignees differ from its organisation's administrators, which only a filing or decision that
raced an appointment leaves behind. docs/architecture.md § Task lists explains the choice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, NamedTuple, TypeVar

from zelfregistratie.domain.entities import RequestStatus
from zelfregistratie.domain.errors import InvalidCursor
from zelfregistratie.domain.requests import AccessRequest, is_request_id
from zelfregistratie.domain.rights import folded
from zelfregistratie.store import keys
from zelfregistratie.store.paging import Page, decode_cursor, encode_cursor, page_size
from zelfregistratie.store.table import (
    Condition,
    Table,
    Transaction,
    item,
    model,
    plain_key,
    string,
    string_set,
    values,
)

T = TypeVar("T")

# Assignees written inside a filing's or closing's transaction (at most 100 items); an organisation
# with more administrators gets the rest from notify's reconciliation, a moment later.
FAN_OUT_IN_TRANSACTION = 20
BUCKETS = ("open", "closed")
RETRIES = 5
# Tasks handed over or taken back in one transaction: three items each, within DynamoDB's 100.
TASKS_PER_TRANSACTION = 25


class TaskFilter(NamedTuple):
    """Mijn taken's filter: part of the requester's name (without case or accents), and a right."""

    requester: str | None = None
    right: str | None = None

    def __bool__(self) -> bool:
        return bool(self.requester or self.right)

    def expression(self) -> dict[str, Any]:
        parts, names, found = [], {}, {}
        if self.requester:
            parts.append("contains(#search, :requester)")
            names["#search"] = "requester_search"
            found[":requester"] = string(folded(self.requester))
        if self.right:
            parts.append("#right = :right")
            names["#right"] = "right"
            found[":right"] = string(self.right)
        return {"FilterExpression": " AND ".join(parts), "ExpressionAttributeNames": names, "_values": found}


class _Moved(Exception):
    """The request changed between reading it and assigning it: read it again."""


def in_transaction(request: AccessRequest) -> AccessRequest:
    """The request with the assignees its own transactions write (see FAN_OUT_IN_TRANSACTION)."""
    kept = frozenset(sorted(request.assignees)[:FAN_OUT_IN_TRANSACTION])
    return request if kept == request.assignees else dataclasses.replace(request, assignees=kept)


def entry(request: AccessRequest, key: keys.Key) -> dict[str, Any]:
    """A task: the request as the list shows it, with the name the filter searches."""
    stored = item(dataclasses.replace(request, assignees=frozenset()), "task", key)
    stored["requester_search"] = string(folded(request.requester_name))
    return stored


def _places(request: AccessRequest, status: RequestStatus) -> list[keys.Key]:
    return [
        keys.org_task(request.organization, status, request.id),
        *(keys.inbox_task(sub, status, request.id) for sub in sorted(request.assignees)),
    ]


def file(tx: Transaction, request: AccessRequest) -> None:
    """A new request's tasks, in its filing transaction."""
    for key in _places(request, request.status):
        tx.put(entry(request, key))


def close(tx: Transaction, before: AccessRequest, after: AccessRequest) -> None:
    """The tasks of a request that is cancelled or decided, moved in the transaction that closes it.
    A request read as closed already moves nothing (the transaction fails on its status anyway)."""
    if keys.task_bucket(before.status) == keys.task_bucket(after.status):
        return
    for key in _places(before, before.status):
        tx.delete(key)
    for key in _places(after, after.status):
        tx.put(entry(after, key))


class Tasks:
    def __init__(self, table: Table) -> None:
        self._table = table

    def of(
        self,
        sub: str,
        status: RequestStatus | str,
        limit: int,
        cursor: str | None = None,
        filters: TaskFilter | None = None,
    ) -> Page[AccessRequest]:
        """The administrator's tasks of one bucket, newest first: one query of `limit + 1` items.

        The cursor is the last id handed out; the partition comes from the caller, so no cursor
        reaches another administrator's tasks. With a filter the query reads on until the page is
        full or the list ends (a filtered read under a Limit can come back short).
        """
        size = page_size(limit)
        bucket = keys.task_bucket(status)
        query: dict[str, Any] = {
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": string(keys.inbox_partition(sub, bucket))},
            "ScanIndexForward": False,
            "Limit": size + 1,
        }
        if filters:
            expression = filters.expression()
            query["ExpressionAttributeValues"] |= expression.pop("_values")
            query |= expression
        if cursor is not None:
            data = decode_cursor(cursor)
            after = data.get("after")
            if data.get("s") != bucket or not isinstance(after, str) or not is_request_id(after):
                raise InvalidCursor()
            query["ExclusiveStartKey"] = plain_key(keys.inbox_task(sub, bucket, after))
        found: list[dict[str, Any]] = []
        while True:
            response = self._table.query(**query)
            found += response["Items"]
            if len(found) > size or "LastEvaluatedKey" not in response:
                break
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        page = [model(AccessRequest, values(i)) for i in found[:size]]
        more = len(found) > size
        return Page(page, encode_cursor({"s": bucket, "after": page[-1].id}) if more else None)

    # ---- keeping the task lists in step with the administrators ----------------------------------

    def reconcile(self, request: AccessRequest, administrators: Iterable[str]) -> None:
        """Make the request's assignees its organisation's administrators (as read after it changed)."""
        wanted = frozenset(administrators)
        for sub in sorted(wanted - request.assignees):
            self.assign(request.id, sub)
        for sub in sorted(request.assignees - wanted):
            self.unassign(request.id, sub)

    def assign(self, request_id: str, sub: str) -> None:
        """The task in `sub`'s list, in the bucket of the request's status, in one transaction with
        the request's assignees; a request that changed meanwhile is read again."""
        for _ in range(RETRIES):
            request = self._table.get(AccessRequest, keys.request(request_id), consistent=True)
            if request is None or sub in request.assignees:
                return
            try:
                self._table.write(_assigned(self._table.transaction(), request, sub))
                return
            except _Moved:
                continue
        raise _Moved()

    def unassign(self, request_id: str, sub: str) -> None:
        """The task leaves `sub`'s list (whichever bucket it is in) and the request's assignees."""
        try:
            self._table.write(_unassigned(self._table.transaction(), request_id, sub, stored=True))
        except _Moved:  # the request is gone: its tasks in `sub`'s list go all the same
            self._table.write(_unassigned(self._table.transaction(), request_id, sub, stored=False))

    def assign_many(self, request_ids: list[str], sub: str) -> None:
        """`assign` for many requests: read in batches, written `TASKS_PER_TRANSACTION` at a time; a
        transaction that meets a request changed meanwhile is done again one request at a time."""
        todo = [r for r in self._requests(request_ids) if sub not in r.assignees]
        for chunk in _chunks(todo, TASKS_PER_TRANSACTION):
            tx = self._table.transaction()
            for request in chunk:
                _assigned(tx, request, sub)
            try:
                self._table.write(tx)
            except _Moved:
                for request in chunk:
                    self.assign(request.id, sub)

    def unassign_many(self, request_ids: list[str], sub: str) -> None:
        """`unassign` for many requests, as `assign_many` does it."""
        stored = {r.id: r for r in self._requests(request_ids)}
        todo = [i for i in request_ids if i not in stored or sub in stored[i].assignees]
        for chunk in _chunks(todo, TASKS_PER_TRANSACTION):
            tx = self._table.transaction()
            for request_id in chunk:
                _unassigned(tx, request_id, sub, stored=request_id in stored)
            try:
                self._table.write(tx)
            except _Moved:
                for request_id in chunk:
                    self.unassign(request_id, sub)

    def ids_of(self, org: str, bucket: str, after: str | None, limit: int) -> tuple[list[str], bool]:
        """Up to `limit` of the organisation's task ids of one bucket, after `after`; and whether
        there are more. One strongly consistent query that reads keys only."""
        query: dict[str, Any] = {
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": string(keys.task_partition(org, bucket))},
            "ProjectionExpression": "SK",
            "ConsistentRead": True,
            "Limit": limit,
        }
        if after is not None:
            query["ExclusiveStartKey"] = plain_key(keys.org_task(org, bucket, after))
        response = self._table.query(**query)
        return [i["SK"]["S"] for i in response["Items"]], "LastEvaluatedKey" in response

    def _requests(self, request_ids: list[str]) -> list[AccessRequest]:
        found = self._table.batch_get([keys.request(i) for i in request_ids], consistent=True)
        return [model(AccessRequest, i) for i in found]


def _assigned(tx: Transaction, request: AccessRequest, sub: str) -> Transaction:
    """Three items: the task in `sub`'s bucket of the request's status, out of the other, and `sub`
    among the request's assignees while its status is the one read."""
    status = request.status
    tx.put(entry(request, keys.inbox_task(sub, status, request.id)))
    tx.delete(keys.inbox_task(sub, _other(status), request.id))
    unchanged = Condition(
        "#status = :status", _Moved, names={"#status": "status"}, values={":status": string(status.value)}
    )
    return tx.update(keys.request(request.id), "ADD assignees :sub", {":sub": string_set([sub])}, unchanged)


def _unassigned(tx: Transaction, request_id: str, sub: str, *, stored: bool) -> Transaction:
    """At most three items: the task out of both of `sub`'s buckets and, if the request is `stored`,
    `sub` out of its assignees (while it exists)."""
    for bucket in BUCKETS:
        tx.delete(keys.inbox_task(sub, bucket, request_id))
    if stored:
        exists = Condition("attribute_exists(PK)", _Moved)
        tx.update(keys.request(request_id), "DELETE assignees :sub", {":sub": string_set([sub])}, exists)
    return tx


def _chunks(items: list[T], size: int) -> list[list[T]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _other(status: RequestStatus) -> str:
    return "closed" if keys.task_bucket(status) == "open" else "open"

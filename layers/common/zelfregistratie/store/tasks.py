"""Tasks: the open or closed requests of the organisations an administrator serves, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from zelfregistratie.domain.entities import AccessRequest, RequestStatus, is_request_id
from zelfregistratie.domain.errors import InvalidCursor
from zelfregistratie.domain.rights import folded
from zelfregistratie.store import keys
from zelfregistratie.store.paging import Page, decode_cursor, encode_cursor, page_size
from zelfregistratie.store.table import Table, model, plain_key, string, values


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


class Tasks:
    def __init__(self, table: Table) -> None:
        self._table = table

    def of(
        self,
        organizations: Sequence[str],
        status: RequestStatus | str,
        limit: int,
        cursor: str | None = None,
        filters: TaskFilter | None = None,
    ) -> Page[AccessRequest]:
        """Tasks of several organisations, newest first, merged from one query per organisation.

        The cursor holds each organisation's position (the last id handed out) and which
        organisations are exhausted. Organisations outside `organizations` make it invalid, so a
        crafted cursor cannot read another organisation's tasks. A filter (part of the requester's
        name, a right) is a FilterExpression; each organisation's query then reads on past its page
        (a filtered query under a Limit could stop short of every match and never move on).
        """
        size = page_size(limit)
        bucket = keys.task_bucket(status)
        positions, exhausted = self._task_positions(cursor, organizations, bucket)
        fetched: list[tuple[str, AccessRequest]] = []
        more_in: set[str] = set()
        for org in organizations:
            if org in exhausted:
                continue
            query: dict[str, Any] = {
                "IndexName": "GSI2",
                "KeyConditionExpression": "GSI2PK = :pk",
                "ExpressionAttributeValues": {":pk": string(keys.task_partition(org, bucket))},
                "ScanIndexForward": False,
            }
            if filters:
                expression = filters.expression()
                query["ExpressionAttributeValues"] |= expression.pop("_values")
                query |= expression
            else:
                query["Limit"] = size
            after = positions.get(org)
            if after:
                query["ExclusiveStartKey"] = plain_key(
                    {**keys.request(after), **keys.task_index(org, bucket, after)}
                )
            response = self._table.query(**query)
            fetched += [(org, model(AccessRequest, values(i))) for i in response["Items"]]
            if "LastEvaluatedKey" in response:
                more_in.add(org)
        fetched.sort(key=lambda pair: pair[1].id, reverse=True)
        page, rest = fetched[:size], fetched[size:]
        for org, request in page:
            positions[org] = request.id
        left_over = {org for org, _ in rest}
        exhausted |= {org for org in organizations if org not in more_in and org not in left_over}
        if all(org in exhausted for org in organizations):
            return Page([r for _, r in page], None)
        next_cursor = encode_cursor({"s": bucket, "p": positions, "x": sorted(exhausted)})
        return Page([r for _, r in page], next_cursor)

    def _task_positions(
        self, cursor: str | None, organizations: Sequence[str], bucket: str
    ) -> tuple[dict[str, str], set[str]]:
        if cursor is None:
            return {}, set()
        data = decode_cursor(cursor)
        positions, exhausted = data.get("p"), data.get("x")
        allowed = set(organizations)
        if (
            data.get("s") != bucket
            or not isinstance(positions, dict)
            or not isinstance(exhausted, list)
            or not all(isinstance(org, str) for org in exhausted)
            or not set(positions) <= allowed
            or not set(exhausted) <= allowed
            or not all(isinstance(v, str) and is_request_id(v) for v in positions.values())
        ):
            raise InvalidCursor()
        return dict(positions), set(exhausted)

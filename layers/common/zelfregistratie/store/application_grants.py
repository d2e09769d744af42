"""What an application reads about its grants (docs/applications.md): the active ones, and every change.

- Active grants: GSI2 of the grant slots, `APPGRANTS#{an}`, sorted by organisation, person, right
  and context. A page is one Query of limit + 1 items; `organization` narrows the key range. With
  `person`, the person's own partition is read instead (their few slots), filtered on the
  application.
- Changes: `APPCHANGES#{an}`, one item per change, sorted by `changedAt` and then the grant's id,
  written in the transaction of the change. A page is one strongly consistent Query of limit + 1
  items after `changedSince` and before `until` (the settled past: see `logic.applications`).
  `organization` and `person` filter that Query, which then reads on until the page is full.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from zelfregistratie.domain.entities import MachineClient
from zelfregistratie.domain.errors import InvalidCursor
from zelfregistratie.domain.rights import Grant
from zelfregistratie.store import keys
from zelfregistratie.store.paging import Page, decode_cursor, encode_cursor, page_size
from zelfregistratie.store.table import Table, model, number, string, values

MAX_CURSOR_KEY = 1024


class ApplicationGrants:
    def __init__(self, table: Table) -> None:
        self._table = table

    def client(self, client_id: str) -> MachineClient | None:
        return self._table.get(MachineClient, keys.machine_client(client_id))

    def active(
        self,
        application_id: int,
        today: date,
        *,
        organization: str | None,
        person: str | None,
        limit: int,
        cursor: str | None,
    ) -> Page[Grant]:
        """Active and expiring grants of the application (a slot whose end passed is skipped)."""
        if person is not None:
            prefix = f"{keys.GRANT_PREFIX}{organization}#" if organization else keys.GRANT_PREFIX
            query: dict[str, Any] = {
                "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
                "FilterExpression": "application_id = :an",
                "ExpressionAttributeValues": {
                    ":pk": string(keys.person_partition(person)),
                    ":prefix": string(prefix),
                    ":an": number(application_id),
                },
            }
            key_names: tuple[str, ...] = ("PK", "SK")
            bounds = _Bounds("SK", keys.person_partition(person), "PK", prefix=prefix)
        else:
            values_ = {":pk": string(keys.application_grants_partition(application_id))}
            condition = "GSI2PK = :pk"
            if organization:
                condition += " AND begins_with(GSI2SK, :prefix)"
                values_[":prefix"] = string(f"{organization}#")
            query = {
                "IndexName": "GSI2",
                "KeyConditionExpression": condition,
                "ExpressionAttributeValues": values_,
            }
            key_names = ("PK", "SK", "GSI2PK", "GSI2SK")
            bounds = _Bounds(
                "GSI2SK", values_[":pk"]["S"], "GSI2PK", prefix=f"{organization}#" if organization else ""
            )
        found, next_cursor = self._page(query, key_names, bounds, limit, cursor, filtered=person is not None)
        grants = [model(Grant, i) for i in found]
        return Page([g for g in grants if g.is_active(today)], next_cursor)

    def changes(
        self,
        application_id: int,
        since: datetime,
        until: datetime,
        *,
        organization: str | None,
        person: str | None,
        limit: int,
        cursor: str | None,
    ) -> Page[Grant]:
        """Every change after `since` and before `until`, oldest first, each the grant as it left it."""
        if keys.instant(since) >= keys.instant(until):  # as the keys hold them, to their precision
            # Asked for the future or the settling window (an application polling with its last
            # `changedAt`): nothing has settled there yet. DynamoDB refuses a BETWEEN whose lower bound
            # is above its upper one, so no query is sent; the same question later gets the changes.
            return Page([], None)
        query: dict[str, Any] = {
            "KeyConditionExpression": "PK = :pk AND SK BETWEEN :after AND :before",
            "ExpressionAttributeValues": {
                ":pk": string(keys.grant_changes_partition(application_id)),
                # '$' sorts after the '#' that follows an instant: changes at `since` itself are out,
                # as are those at `until`.
                ":after": string(f"{keys.instant(since)}$"),
                ":before": string(f"{keys.instant(until)}#"),
            },
            "ConsistentRead": True,
        }
        filters, names = [], {}
        if organization:
            filters.append("#org = :org")
            names["#org"] = "organization"
            query["ExpressionAttributeValues"][":org"] = string(organization)
        if person:
            filters.append("#person = :person")
            names["#person"] = "person"
            query["ExpressionAttributeValues"][":person"] = string(person)
        if filters:
            query["FilterExpression"] = " AND ".join(filters)
            query["ExpressionAttributeNames"] = names
        range_ = query["ExpressionAttributeValues"]
        bounds = _Bounds(
            "SK", range_[":pk"]["S"], "PK", after=range_[":after"]["S"], before=range_[":before"]["S"]
        )
        found, next_cursor = self._page(query, ("PK", "SK"), bounds, limit, cursor, filtered=bool(filters))
        return Page([model(Grant, i) for i in found], next_cursor)

    def _page(
        self,
        query: dict[str, Any],
        key_names: tuple[str, ...],
        bounds: _Bounds,
        limit: int,
        cursor: str | None,
        *,
        filtered: bool,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One Query of limit + 1 items (a filtered one reads on, a megabyte at a time, until it has
        them or the range ends); the cursor is the key of the page's last item."""
        wanted = page_size(limit)
        start = _start(cursor, key_names, bounds)
        found: list[dict[str, Any]] = []
        size = {} if filtered else {"Limit": wanted + 1}
        while True:
            answer = self._table.query(**query, **size, **start)
            found += answer["Items"]
            last = answer.get("LastEvaluatedKey")
            if not filtered or last is None or len(found) > wanted:
                break
            start = {"ExclusiveStartKey": last}
        more = len(found) > wanted
        page = found[:wanted]
        next_cursor = None
        if more and page:
            next_cursor = encode_cursor({"after": {k: page[-1][k]["S"] for k in key_names}})
        return [values(i) for i in page], next_cursor


class _Bounds(NamedTuple):
    """The key range a query reads: a cursor's key must lie in it (DynamoDB refuses a start key
    outside a query's range with an error, which a tampered or reused cursor must not reach)."""

    sort_key: str
    partition: str
    partition_key: str
    prefix: str = ""
    after: str | None = None
    before: str | None = None

    def hold(self, key: dict[str, str]) -> bool:
        sort = key[self.sort_key]
        return (
            key[self.partition_key] == self.partition
            and sort.startswith(self.prefix)
            and (self.after is None or sort > self.after)
            and (self.before is None or sort < self.before)
        )


def _start(cursor: str | None, key_names: tuple[str, ...], bounds: _Bounds) -> dict[str, Any]:
    if cursor is None:
        return {}
    after = decode_cursor(cursor).get("after")
    if (
        not isinstance(after, dict)
        or set(after) != set(key_names)
        or not all(isinstance(v, str) and 0 < len(v) <= MAX_CURSOR_KEY for v in after.values())
        or not bounds.hold(after)
    ):
        raise InvalidCursor()
    return {"ExclusiveStartKey": {k: string(v) for k, v in after.items()}}

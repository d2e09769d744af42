"""Each organisation's counts, for the home and the organisations page (docs/administrators-home.md §
Counts): the people on its people list, its active grants, its open tasks.

Kept from the stream, not written with each change: a filing or a grant would otherwise update one item
per organisation in every transaction, and concurrent ones at a busy organisation would cancel each
other. notify reads what each stream record changed (`counted`) and adds it to the organisation's
`ORG#{code}` / `#COUNTS`, once per record: a marker `COUNTED#{event id}` is put in the same transaction,
on condition it is new, so a record that comes again adds nothing. A count lags its change by the time
notify takes to see it (about a second; longer while records are retried). `recount` sets them from the
table itself, for the local stack's demo data and for an operator who finds one off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from zelfregistratie.domain.entities import Organization
from zelfregistratie.domain.requests import RequestEvent
from zelfregistratie.domain.rights import GrantChange, WorkRelationshipChange
from zelfregistratie.store import keys
from zelfregistratie.store.changes import Change
from zelfregistratie.store.table import Table, model, number, pause, plain_key, string

MAX_ITEMS = 100  # a transaction's
CONFLICT_RETRIES = 4
FAILED_CHECK = "ConditionalCheckFailed"
OPENED, CLOSED = (RequestEvent.FILED,), (RequestEvent.DECIDED, RequestEvent.CANCELLED, RequestEvent.EXPIRED)


@dataclass(frozen=True)
class Counted:
    """What one stream record changes in its organisation's counts."""

    event_id: str
    organization: str
    people: int = 0
    active_grants: int = 0
    open_tasks: int = 0


class NotCounted(Exception):
    """The changes from `first` on (their position in what was given) were not added."""

    def __init__(self, first: int) -> None:
        super().__init__(f"counts not added from change {first} on")
        self.first = first


@dataclass(frozen=True)
class OrganizationCounts:
    people: int = 0
    active_grants: int = 0
    open_tasks: int = 0


def counted(change: Change) -> Counted | None:
    """A filing opens a task and its decision, cancellation or expiry closes it; a grant created adds
    one and a revocation or expiry takes it away; a work relationship adds its person to the people
    list until it ends. Anything else counts nothing."""
    if change.request is not None:
        event, request = change.request
        step = 1 if event in OPENED else -1 if event in CLOSED else 0
        return Counted(change.event_id, request.organization, open_tasks=step) if step else None
    if change.grant is not None:
        what, grant = change.grant
        step = {GrantChange.CREATED: 1, GrantChange.REVOKED: -1, GrantChange.EXPIRED: -1}.get(what, 0)
        return Counted(change.event_id, grant.organization, active_grants=step) if step else None
    if change.work_relationship is not None:
        ended, relationship = change.work_relationship
        step = 1 if ended is WorkRelationshipChange.CREATED else -1
        return Counted(change.event_id, relationship.organization, people=step)
    return None


class Counts:
    def __init__(self, table: Table) -> None:
        self._table = table

    def organizations(self, orgs: Sequence[str]) -> dict[str, tuple[Organization | None, OrganizationCounts]]:
        """These organisations with their counts (none yet: zeros), in one read per fifty."""
        wanted = [key for org in orgs for key in (keys.organization(org), keys.organization_counts(org))]
        found: dict[str, tuple[Organization | None, OrganizationCounts]] = {
            org: (None, OrganizationCounts()) for org in orgs
        }
        for item in self._table.batch_get(wanted):
            org = str(item["PK"]).removeprefix("ORG#")
            held, counts = found[org]
            if item.get("kind") == "organization":
                found[org] = (model(Organization, item), counts)
            else:
                found[org] = (held, _counts(item))
        return found

    def add(self, changes: Sequence[Counted], expires_at: int) -> None:
        """Each record's change, once, in order: in transactions of at most 100 items (their markers and
        one update per organisation); a record already counted is left out and the rest written again.
        `NotCounted` names the first change not added when a write fails."""
        left = list(changes)
        while left:
            chunk = _chunk(left)
            try:
                counted_before = self._write(chunk, expires_at)
            except Exception as exc:
                raise NotCounted(len(changes) - len(left)) from exc
            left = left[len(chunk) :] if not counted_before else _without(left, counted_before)

    def recount_all(self, today: str) -> int:
        """Every organisation's counts from the table (an operator's command, which scans): how many."""
        found = self._table.scan_all(
            FilterExpression="SK = :meta", ExpressionAttributeValues={":meta": string(keys.ORG_META)}
        )
        orgs = [str(item["PK"]).removeprefix("ORG#") for item in found if item.get("kind") == "organization"]
        for org in orgs:
            self.recount(org, today)
        return len(orgs)

    def recount(self, org: str, today: str) -> OrganizationCounts:
        """The counts read from the table (its people list and open tasks), set as they are."""
        lines = self._table.query_all(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": string(keys.members_partition(org))},
        )
        grants = sum(1 for line in lines for name, value in line.items() if _active(name, value, today))
        tasks = self._table.query_all(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": string(keys.task_partition(org, "open"))},
            ProjectionExpression="PK",
        )
        counts = OrganizationCounts(people=len(lines), active_grants=grants, open_tasks=len(tasks))
        self._table.client.put_item(
            TableName=self._table.name,
            Item=plain_key(keys.organization_counts(org))
            | {
                "kind": string("counts"),
                "people": number(counts.people),
                "active_grants": number(counts.active_grants),
                "open_tasks": number(counts.open_tasks),
            },
        )
        return counts

    def _write(self, chunk: list[Counted], expires_at: int) -> set[str]:
        """The chunk's transaction; the event ids among it already counted (nothing written then)."""
        items = [_marker(self._table.name, c.event_id, expires_at) for c in chunk]
        items += [_update(self._table.name, org, sums) for org, sums in _sums(chunk).items()]
        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                self._table.client.transact_write_items(TransactItems=items)  # type: ignore[arg-type]
                return set()
            except ClientError as exc:
                cancelled = exc.response.get("CancellationReasons", [])
                reasons = [r.get("Code") for r in cancelled]
                done = {c.event_id for c, code in zip(chunk, reasons, strict=False) if code == FAILED_CHECK}
                if done:
                    return done
                if "TransactionConflict" not in reasons or attempt == CONFLICT_RETRIES:
                    raise
                pause(0.025 * 2**attempt)
        return set()  # pragma: no cover (the loop returns or raises)


def _chunk(changes: list[Counted]) -> list[Counted]:
    chunk: list[Counted] = []
    orgs: set[str] = set()
    for change in changes:
        if len(chunk) + 1 + len(orgs | {change.organization}) > MAX_ITEMS:
            break
        chunk.append(change)
        orgs.add(change.organization)
    return chunk


def _without(changes: list[Counted], done: set[str]) -> list[Counted]:
    return [c for c in changes if c.event_id not in done]


def _sums(chunk: list[Counted]) -> dict[str, OrganizationCounts]:
    sums: dict[str, OrganizationCounts] = {}
    for c in chunk:
        held = sums.get(c.organization, OrganizationCounts())
        sums[c.organization] = OrganizationCounts(
            held.people + c.people, held.active_grants + c.active_grants, held.open_tasks + c.open_tasks
        )
    return sums


def _marker(table: str, event_id: str, expires_at: int) -> dict[str, Any]:
    key = plain_key(keys.counted(event_id))
    item = key | {"kind": string("counted"), "ttl": number(expires_at)}
    return {"Put": {"TableName": table, "Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}


def _update(table: str, org: str, sums: OrganizationCounts) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": table,
            "Key": plain_key(keys.organization_counts(org)),
            "UpdateExpression": "SET #kind = :kind ADD people :p, active_grants :g, open_tasks :t",
            "ExpressionAttributeNames": {"#kind": "kind"},
            "ExpressionAttributeValues": {
                ":kind": string("counts"),
                ":p": number(sums.people),
                ":g": number(sums.active_grants),
                ":t": number(sums.open_tasks),
            },
        }
    }


def _counts(item: dict[str, Any]) -> OrganizationCounts:
    return OrganizationCounts(
        people=max(0, int(item.get("people", 0))),
        active_grants=max(0, int(item.get("active_grants", 0))),
        open_tasks=max(0, int(item.get("open_tasks", 0))),
    )


def _active(name: str, value: Any, today: str) -> bool:
    """A grant on a line of the people list (`g_{id}`) that has not ended."""
    if not name.startswith("g_") or not isinstance(value, dict):
        return False
    ended = value.get("revocation") is not None or value.get("expired_at") is not None
    return not ended and str(value.get("end") or "9999") >= today

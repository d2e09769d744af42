"""Requests: filed with their pending guard and idempotency key, closed (cancelled or decided, with
what approval creates), read one by one and per person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import partial
from typing import Any, NamedTuple

from zelfregistratie.domain import lifecycle
from zelfregistratie.domain.audit import AuditEntry
from zelfregistratie.domain.clock import BRUSSELS, isoformat
from zelfregistratie.domain.entities import LocalAdmin, RequestStatus, RequestType, Right
from zelfregistratie.domain.errors import (
    AlreadyDecided,
    AlreadyGranted,
    ConcurrentChange,
    DomainError,
    DuplicatePending,
    InvalidCursor,
    NotFound,
)
from zelfregistratie.domain.requests import AccessRequest, is_request_id, request_created_at
from zelfregistratie.domain.rights import Grant, WorkRelationship
from zelfregistratie.store import audit, keys, request_lifecycle, tasks
from zelfregistratie.store import idempotency as idempotency_keys
from zelfregistratie.store.idempotency import IdempotencyRecord
from zelfregistratie.store.paging import Page, decode_cursor, encode_cursor, page_size
from zelfregistratie.store.people import People
from zelfregistratie.store.request_items import closing, guard_and_held, request_item
from zelfregistratie.store.table import Condition, Table, Transaction, model, plain_key, string, values


class RelationshipAppeared(Exception):
    """The work relationship a decision would create was created meanwhile."""


class Effects(NamedTuple):
    """What a decision writes besides the request: for an approval a new work relationship where the
    person has none and the grant (for a right), or the grant renewed; the audit entries."""

    grant: Grant | None
    new_relationship: WorkRelationship | None
    entries: tuple[AuditEntry, ...]
    renewed: Grant | None = None


class Requests:
    def __init__(self, table: Table, people: People) -> None:
        self._table = table
        self._people = people

    def create(
        self, request: AccessRequest, today: date, idempotency: IdempotencyRecord | None = None
    ) -> IdempotencyRecord | None:
        """Store a new pending request in one transaction; None when stored.

        The pending guard makes a second identical pending request fail (`duplicate_pending`), also
        under concurrency; a condition check on the grant or work relationship makes a request for
        what the person already holds fail (`already_granted`). The guard is checked first.

        With an idempotency record, the key is claimed in the same transaction (no extra call). When
        the caller used the key before, nothing is stored and the earlier record is returned.
        """
        tx = self._table.transaction()
        if idempotency is not None:
            tx.put(
                idempotency_keys.record_item(idempotency),
                condition=idempotency_keys.key_free(request.created_at),
            )
        guard, held = guard_and_held(request)
        pending = partial(self._failed, request, today, DuplicatePending)
        tx.put(
            idempotency_keys.plain_item(guard, "pending_guard", requestId=request.id), unless_exists=pending
        )
        refused = partial(self._failed, request, today, AlreadyGranted)
        if request.type is RequestType.USER_RIGHT:
            # not held, or held no further than the warning window: expiring, it may be renewed
            renewable = Condition(
                "attribute_not_exists(PK) OR #end <= :renewable",
                refused,
                names={"#end": "end"},
                values={
                    ":renewable": string(lifecycle.renewable_until(today, self._table.periods).isoformat())
                },
            )
            tx.check(held, renewable)
        else:
            tx.check(held, Condition("attribute_not_exists(PK)", refused))
        request = tasks.in_transaction(request)
        tx.put(request_item(request, tx.periods), unless_exists=ConcurrentChange)
        tasks.file(tx, request)
        try:
            self._table.write(tx)
        except idempotency_keys.KeyTaken:
            assert idempotency is not None
            earlier = self.idempotency(idempotency.caller, idempotency.key, request.created_at)
            if earlier is not None:
                return earlier
            return self.create(request, today, idempotency)  # it expired in between
        return None

    def load(self, requests: Sequence[AccessRequest]) -> None:
        """The loader's write: each request with its tasks (in the bucket of its status, in its
        assignees' lists), as filing and closing leave them, without their checks (no guard, no
        idempotency key)."""
        items: list[dict[str, Any]] = []
        for request in requests:
            tx = self._table.transaction()
            tasks.file(tx, request)
            items += [request_item(request, self._table.periods), *(dict(i["Put"]["Item"]) for i in tx.items)]
        self._table.put_all(items)

    def check(self, request: AccessRequest, today: date) -> None:
        """The refusal filing `request` would meet now, without filing: one BatchGetItem."""
        error = self._refusal(request, today)
        if error is not None:
            raise error

    def _failed(self, request: AccessRequest, today: date, meaning: type[DomainError]) -> DomainError:
        """What a filing that failed a condition meets, read again to name it (the earlier request,
        what is held); the condition's own meaning should it be gone by then."""
        return self._refusal(request, today) or meaning()

    def _refusal(self, request: AccessRequest, today: date) -> DomainError | None:
        """`duplicate_pending` naming the earlier request, or `already_granted` naming what is held
        (until when); read after a transaction failed on them, or before filing to check."""
        guard, held = guard_and_held(request)
        found = {(i["PK"], i["SK"]): i for i in self._table.batch_get([guard, held])}
        pending = found.get((guard["PK"], guard["SK"]))
        if pending is not None:
            earlier = str(pending["requestId"])
            filed = request_created_at(earlier).astimezone(BRUSSELS)
            earlier_request = {"id": earlier, "createdAt": isoformat(request_created_at(earlier))}
            return DuplicatePending("filed_before", extensions={"request": earlier_request}, filed=filed)
        holding = found.get((held["PK"], held["SK"]))
        organization = request.organization_name or request.organization
        if holding is not None and holding["kind"] == "work_relationship":
            relationship = model(WorkRelationship, holding)
            return AlreadyGranted(
                "works_there",
                organization=organization,
                since=relationship.since,
                extensions={
                    "workRelationship": {"id": relationship.id, "since": relationship.since.isoformat()}
                },
            )
        if holding is not None:
            grant = model(Grant, holding)
            if grant.end > lifecycle.renewable_until(today, self._table.periods):
                return AlreadyGranted(
                    "holds_right",
                    organization=organization,
                    end=grant.end,
                    extensions={"grant": {"id": grant.id, "end": grant.end.isoformat()}},
                )
        return None

    def idempotency(self, caller: str, key: str, now: datetime) -> IdempotencyRecord | None:
        return idempotency_keys.read(self._table, caller, key, now)

    def get(self, request_id: str, *, consistent: bool = False) -> AccessRequest | None:
        if not is_request_id(request_id):
            return None
        return self._table.get(AccessRequest, keys.request(request_id), consistent=consistent)

    def cancel(self, request: AccessRequest, cancelled: AccessRequest) -> None:
        """Pending → cancelled, and the pending guard goes, so the person may ask again."""
        self._table.write(self._closing(request, cancelled))

    def decide(
        self, request: AccessRequest, decided: AccessRequest, today: date, effects: Effects | None = None
    ) -> None:
        """Pending → approved/rejected together with what approval creates and the audit entries, in
        one transaction. The first decision wins: a request that is no longer pending fails the whole
        transaction with `already_decided`. A work relationship that appeared meanwhile raises
        `RelationshipAppeared`, and nothing is written: decide again with it."""
        grant = (effects.renewed or effects.grant) if effects else None
        tx = self._closing(request, decided)
        if effects is not None:
            if effects.renewed is not None:
                self._people.renew(tx, effects.renewed)
            elif effects.new_relationship is not None:
                grants = (grant,) if grant else ()
                self._people.add_work_relationship(
                    tx, effects.new_relationship, if_present=RelationshipAppeared, grants=grants
                )
            elif grant is not None:
                self._people.add_grant(tx, grant, today)
            for entry in effects.entries:
                audit.record(tx, entry)
        self._table.write(tx)

    def decision_context(
        self, org: str, admin: str, person: str
    ) -> tuple[LocalAdmin | None, WorkRelationship | None]:
        """Is `admin` a local administrator of `org`, and does `person` work there? One BatchGetItem."""
        found_admin, found_relationship = None, None
        for found in self._table.batch_get(
            [keys.local_admin(org, admin), keys.work_relationship(person, org)]
        ):
            if found["kind"] == "local_admin":
                found_admin = model(LocalAdmin, found)
            elif found["kind"] == "work_relationship":
                found_relationship = model(WorkRelationship, found)
        return found_admin, found_relationship

    def administrator_and_right(
        self, org: str, admin: str, right: str | None
    ) -> tuple[LocalAdmin | None, Right | None]:
        """Is `admin` a local administrator of `org`, and the right asked for: one BatchGetItem."""
        wanted = [keys.local_admin(org, admin), *([keys.right(right)] if right else [])]
        found_admin, found_right = None, None
        for found in self._table.batch_get(wanted):
            if found["kind"] == "local_admin":
                found_admin = model(LocalAdmin, found)
            elif found["kind"] == "right":
                found_right = model(Right, found)
        return found_admin, found_right

    def of_person(self, sub: str, limit: int, cursor: str | None = None) -> Page[AccessRequest]:
        """The person's own requests, newest first. The cursor is the last id; the partition comes
        from the caller, so no cursor can reach another person's requests."""
        query: dict[str, Any] = {
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": string(keys.person_partition(sub)),
                ":prefix": string(keys.REQUEST_PREFIX),
            },
            "ScanIndexForward": False,
            "Limit": page_size(limit),
        }
        if cursor is not None:
            last_id = decode_cursor(cursor).get("after")
            if not isinstance(last_id, str) or not is_request_id(last_id):
                raise InvalidCursor()
            query["ExclusiveStartKey"] = plain_key(
                {**keys.request(last_id), **keys.request_owner_index(sub, last_id)}
            )
        response = self._table.query(**query)
        items = [model(AccessRequest, values(i)) for i in response["Items"]]
        more = "LastEvaluatedKey" in response and bool(items)
        next_cursor = encode_cursor({"after": items[-1].id}) if more else None
        return Page(items, next_cursor)

    def all_of(self, sub: str) -> list[AccessRequest]:
        """Every request the person filed, oldest first (the export)."""
        items = self._table.query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
            ExpressionAttributeValues={
                ":pk": string(keys.person_partition(sub)),
                ":prefix": string(keys.REQUEST_PREFIX),
            },
        )
        return [model(AccessRequest, i) for i in items]

    def remind(self, reminded: AccessRequest, due_key: str) -> bool:
        return request_lifecycle.remind(self._table, reminded, due_key)

    def expire(self, request: AccessRequest, expired: AccessRequest, due_key: str) -> bool:
        return request_lifecycle.expire(self._table, request, expired, due_key)

    def _closing(self, before: AccessRequest, after: AccessRequest) -> Transaction:
        """A transaction that replaces a pending request by its closed state and drops its guard."""
        pending = Condition(
            "#status = :pending",
            lambda: self._not_pending(before.id),
            names={"#status": "status"},
            values={":pending": string(RequestStatus.PENDING.value)},
        )
        return closing(self._table, before, after, pending)

    def _not_pending(self, request_id: str) -> Exception:
        return NotFound() if self.get(request_id) is None else AlreadyDecided()

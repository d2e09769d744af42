"""The DynamoDB repository: every access pattern of the API, no Scan, state changes guarded by
conditional writes. A `ClientError` that means a business rule becomes a domain error `from` it."""

from __future__ import annotations

import base64
import binascii
import json
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from botocore.exceptions import ClientError

from zelfregistratie.domain.entities import (
    AccessRequest,
    Application,
    AuditEntry,
    Decision,
    Grant,
    LocalAdmin,
    Lookup,
    Organization,
    OrganizationWithAdmins,
    Outcome,
    RequestStatus,
    RequestType,
    Right,
    WorkRelationship,
    is_request_id,
)
from zelfregistratie.domain.errors import (
    AlreadyDecided,
    AlreadyGranted,
    ConcurrentChange,
    DuplicatePending,
    InvalidCursor,
    LastReachableAdmin,
    NotFound,
)
from zelfregistratie.domain.identifiers import parse_any_organization_code
from zelfregistratie.store import keys
from zelfregistratie.store.codec import deserialize, serialize
from zelfregistratie.store.records import from_record, to_record

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

T = TypeVar("T")
M = TypeVar("M")

_KEY_ATTRIBUTES = frozenset({"PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "kind", "ttl"})
MAX_PAGE_SIZE = 100
# A transaction that races another on the same item is cancelled with `TransactionConflict` and
# changed nothing: every transaction here is conditional, so running it again is safe, and then the
# condition that the other one settled decides. Jittered, bounded: at most about 0.4 s in all.
CONFLICT_RETRIES = 4
CONFLICT_BACKOFF_SECONDS = 0.025


class _WorkRelationshipAppeared(Exception):
    """The work relationship a decision would create was created meanwhile."""


@dataclass(frozen=True)
class IdempotencyRecord:
    """The first successful response to a caller's `Idempotency-Key`, kept until `expires_at` (epoch)."""

    caller: str
    key: str
    fingerprint: str
    response: str
    request_id: str
    expires_at: int


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    items_read: int = 0


class Repository:
    def __init__(self, table_name: str, client: DynamoDBClient) -> None:
        self._table = table_name
        self._client = client

    @property
    def client(self) -> DynamoDBClient:
        return self._client

    # ---- catalog and organisations (written by the loader; read by the API) ----------------------

    def put_application(self, application: Application, rights: Sequence[Right]) -> None:
        """The application carries its rights, so that one read lists them; each right is also an
        item of its own, for links that name one right."""
        item = _item(application, "application", keys.application(application.id))
        item["rights"] = serialize([to_record(r) for r in rights])
        self._client.put_item(TableName=self._table, Item=item)
        for right in rights:
            self._put(right, "right", keys.right(right.code))

    def put_organization(self, organization: Organization) -> None:
        self._put(organization, "organization", keys.organization(organization.code))

    def put_local_admin(self, admin: LocalAdmin) -> None:
        self._put(
            admin,
            "local_admin",
            keys.local_admin(admin.organization, admin.person),
            keys.local_admin_index(admin.organization, admin.person),
        )

    def put_work_relationship(self, relationship: WorkRelationship) -> None:
        self._put(
            relationship,
            "work_relationship",
            keys.work_relationship(relationship.person, relationship.organization),
            keys.work_relationship_index(relationship.person, relationship.organization),
        )

    def put_grant(self, grant: Grant) -> None:
        self._put(grant, "grant", *_grant_keys(grant))

    def lookup(
        self, *, application: int | None = None, right: str | None = None, organization: str | None = None
    ) -> Lookup:
        """Catalog and organisation for a form or a filing, in one BatchGetItem."""
        wanted = []
        if application is not None:
            wanted.append(keys.application(application))
        if right is not None:
            wanted.append(keys.right(right))
        if organization is not None:
            wanted.append(keys.organization(organization))
        found: dict[str, Any] = {}
        for item in self._batch_get(wanted):
            if item["kind"] == "application":
                found["application"] = _model(Application, {k: v for k, v in item.items() if k != "rights"})
                found["application_rights"] = tuple(from_record(Right, r) for r in item.get("rights", []))
            elif item["kind"] == "right":
                found["right"] = _model(Right, item)
            elif item["kind"] == "organization":
                found["organization"] = _model(Organization, item)
        return Lookup(**found)

    def organization_with_admins(self, code: str) -> OrganizationWithAdmins:
        """The organisation and its local administrators: one query on its partition."""
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND SK BETWEEN :first AND :last",
            ExpressionAttributeValues={
                ":pk": _s(keys.organization_partition(code)),
                ":first": _s(keys.ORG_META),
                ":last": _s(keys.ADMIN_RANGE_END),
            },
        )
        organization = next((_model(Organization, i) for i in items if i["kind"] == "organization"), None)
        admins = tuple(_model(LocalAdmin, i) for i in items if i["kind"] == "local_admin")
        return OrganizationWithAdmins(organization=organization, admins=admins)

    def known_organization(self, code: str) -> tuple[Organization, OrganizationWithAdmins]:
        """An organisation by any written form of its code, with its administrators; else `not_found`."""
        try:
            code = parse_any_organization_code(code)
        except ValueError:
            raise NotFound() from None
        found = self.organization_with_admins(code)
        if found.organization is None:
            raise NotFound()
        return found.organization, found

    def get_local_admin(self, org: str, sub: str) -> LocalAdmin | None:
        return self._get(LocalAdmin, keys.local_admin(org, sub))

    def administered_by(self, sub: str) -> list[LocalAdmin]:
        """Every organisation the person administers, with their role: one query on GSI1."""
        items = self._query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
            ExpressionAttributeValues={
                ":pk": _s(keys.person_partition(sub)),
                ":prefix": _s(keys.ADMIN_PREFIX),
            },
        )
        return [_model(LocalAdmin, i) for i in items]

    # ---- people: work relationships and grants ---------------------------------------------------

    def person_relations(self, sub: str) -> tuple[list[WorkRelationship], list[Grant]]:
        """A person's work relationships and grants: one query on their partition."""
        items = self._query_all(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": _s(keys.person_partition(sub))},
        )
        relationships = [_model(WorkRelationship, i) for i in items if i["kind"] == "work_relationship"]
        grants = [_model(Grant, i) for i in items if i["kind"] == "grant"]
        return relationships, grants

    def get_work_relationship(self, sub: str, org: str) -> WorkRelationship | None:
        return self._get(WorkRelationship, keys.work_relationship(sub, org))

    def get_grant(self, sub: str, org: str, right: str, context: str | None) -> Grant | None:
        return self._get(Grant, keys.grant(sub, org, right, context))

    def work_relationships_of(self, org: str) -> list[WorkRelationship]:
        return [_model(WorkRelationship, i) for i in self._organization_index(org, keys.WORKREL_PREFIX)]

    def grants_of(self, org: str) -> list[Grant]:
        return [_model(Grant, i) for i in self._organization_index(org, keys.GRANT_PREFIX)]

    # ---- requests and tasks ----------------------------------------------------------------------

    def create_request(
        self, request: AccessRequest, today: date, idempotency: IdempotencyRecord | None = None
    ) -> IdempotencyRecord | None:
        """Store a new pending request in one transaction; None when stored.

        The pending guard makes a second identical pending request fail (`duplicate_pending`), also
        under concurrency; a condition check on the grant or work relationship makes a request for
        what the person already holds fail (`already_granted`). The guard is checked first.

        With an idempotency record, the key is claimed in the same transaction (no extra call). When
        the caller used the key before, nothing is stored and the earlier record is returned.
        """
        guard = keys.pending_guard(request.requester, request.organization, request.right, request.context)
        held: TransactWriteItemTypeDef
        if request.type is RequestType.USER_RIGHT:
            assert request.right is not None
            held = {
                "ConditionCheck": {
                    "TableName": self._table,
                    "Key": _key(
                        keys.grant(request.requester, request.organization, request.right, request.context)
                    ),
                    "ConditionExpression": "attribute_not_exists(PK) OR #end < :today",
                    "ExpressionAttributeNames": {"#end": "end"},
                    "ExpressionAttributeValues": {":today": _s(today.isoformat())},
                }
            }
        else:
            held = {
                "ConditionCheck": {
                    "TableName": self._table,
                    "Key": _key(keys.work_relationship(request.requester, request.organization)),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            }
        items: list[TransactWriteItemTypeDef] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": _guard_item(guard, request.id),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            held,
            {
                "Put": {
                    "TableName": self._table,
                    "Item": _item(request, "request", *_request_keys(request)),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
        ]
        if idempotency is not None:
            items.insert(0, self._claim(idempotency))
        reasons = self._transact(items)
        if reasons is None:
            return None
        if idempotency is not None:
            claimed, *reasons = reasons
            if claimed == "ConditionalCheckFailed":
                earlier = self.get_idempotency(idempotency.caller, idempotency.key)
                if earlier is not None:
                    return earlier
                return self.create_request(request, today, idempotency)  # it expired in between
        if reasons[0] == "ConditionalCheckFailed":
            raise DuplicatePending()
        if reasons[1] == "ConditionalCheckFailed":
            raise AlreadyGranted()
        raise RuntimeError(f"request {request.id} was not stored: {reasons}")

    def get_idempotency(self, caller: str, key: str) -> IdempotencyRecord | None:
        response = self._client.get_item(TableName=self._table, Key=_key(keys.idempotency(caller, key)))
        item = _plain(response.get("Item") or {})
        if not item or int(item["ttl"]) <= int(time.time()):
            return None
        return IdempotencyRecord(
            caller, key, item["fingerprint"], item["response"], item["requestId"], int(item["ttl"])
        )

    def _claim(self, record: IdempotencyRecord) -> TransactWriteItemTypeDef:
        item = _key({**keys.idempotency(record.caller, record.key), "kind": "idempotency"})
        item |= {
            "fingerprint": _s(record.fingerprint),
            "response": _s(record.response),
            "requestId": _s(record.request_id),
            "ttl": {"N": str(record.expires_at)},
        }
        return {
            "Put": {
                "TableName": self._table,
                "Item": item,
                # TTL deletion lags; an expired record no longer holds the key.
                "ConditionExpression": "attribute_not_exists(PK) OR #ttl <= :now",
                "ExpressionAttributeNames": {"#ttl": "ttl"},
                "ExpressionAttributeValues": {":now": {"N": str(int(time.time()))}},
            }
        }

    def get_request(self, request_id: str) -> AccessRequest | None:
        if not is_request_id(request_id):
            return None
        return self._get(AccessRequest, keys.request(request_id))

    def cancel_request(self, request: AccessRequest, at: datetime) -> AccessRequest:
        """Pending → cancelled, and the pending guard goes, so the person may ask again."""
        cancelled = replace(request, status=RequestStatus.CANCELLED, cancelled_at=at)
        self._close(request, cancelled, [])
        return cancelled

    def record_decision(
        self,
        request: AccessRequest,
        decision: Decision,
        *,
        work_relationship: WorkRelationship | None = None,
        grant: Grant | None = None,
    ) -> AccessRequest:
        """Pending → approved/rejected together with what approval creates, in one transaction.

        `work_relationship` is created only where none exists: should one appear meanwhile, the
        decision is recorded without it and the existing one stays as it is. The grant replaces an
        expired one. The first decision wins: a request that is no longer pending fails the whole
        transaction with `already_decided`.
        """
        status = RequestStatus.APPROVED if decision.outcome is Outcome.APPROVED else RequestStatus.REJECTED
        update: dict[str, Any] = {"status": status, "decision": decision}
        if grant is not None:
            update |= {"grant_begin": grant.begin, "grant_end": grant.end}
        decided = replace(request, **update)
        extra: list[TransactWriteItemTypeDef] = []
        if grant is not None:
            extra.append(
                {"Put": {"TableName": self._table, "Item": _item(grant, "grant", *_grant_keys(grant))}}
            )
        if work_relationship is not None:
            extra.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": _item(
                            work_relationship,
                            "work_relationship",
                            keys.work_relationship(work_relationship.person, work_relationship.organization),
                            keys.work_relationship_index(
                                work_relationship.person, work_relationship.organization
                            ),
                        ),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                }
            )
        try:
            self._close(request, decided, extra)
        except _WorkRelationshipAppeared:
            return self.record_decision(request, decision, grant=grant)
        return decided

    def requests_of(self, sub: str, limit: int, cursor: str | None = None) -> Page[AccessRequest]:
        """The person's own requests, newest first. The cursor is the last id; the partition comes
        from the caller, so no cursor can reach another person's requests."""
        query: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": _s(keys.person_partition(sub)),
                ":prefix": _s(keys.REQUEST_PREFIX),
            },
            "ScanIndexForward": False,
            "Limit": _page_size(limit),
        }
        if cursor is not None:
            last_id = _decode_cursor(cursor).get("after")
            if not isinstance(last_id, str) or not is_request_id(last_id):
                raise InvalidCursor()
            query["ExclusiveStartKey"] = _key(
                {**keys.request(last_id), **keys.request_owner_index(sub, last_id)}
            )
        response = self._client.query(**query)
        items = [_model(AccessRequest, _plain(i)) for i in response["Items"]]
        more = "LastEvaluatedKey" in response and bool(items)
        next_cursor = _encode_cursor({"after": items[-1].id}) if more else None
        return Page(items, next_cursor, response.get("ScannedCount", 0))

    def tasks_of(
        self, organizations: Sequence[str], status: RequestStatus | str, limit: int, cursor: str | None = None
    ) -> Page[AccessRequest]:
        """Tasks of several organisations, newest first, merged from one query per organisation.

        The cursor holds each organisation's position (the last id handed out) and which
        organisations are exhausted. Organisations outside `organizations` make it invalid, so a
        crafted cursor cannot read another organisation's tasks.
        """
        size = _page_size(limit)
        bucket = keys.task_bucket(status)
        positions, exhausted = self._task_positions(cursor, organizations, bucket)
        fetched: list[tuple[str, AccessRequest]] = []
        more_in: set[str] = set()
        items_read = 0
        for org in organizations:
            if org in exhausted:
                continue
            query: dict[str, Any] = {
                "TableName": self._table,
                "IndexName": "GSI2",
                "KeyConditionExpression": "GSI2PK = :pk",
                "ExpressionAttributeValues": {":pk": _s(keys.task_partition(org, bucket))},
                "ScanIndexForward": False,
                "Limit": size,
            }
            after = positions.get(org)
            if after:
                query["ExclusiveStartKey"] = _key(
                    {**keys.request(after), **keys.task_index(org, bucket, after)}
                )
            response = self._client.query(**query)
            items_read += response.get("ScannedCount", 0)
            fetched += [(org, _model(AccessRequest, _plain(i))) for i in response["Items"]]
            if "LastEvaluatedKey" in response:
                more_in.add(org)
        fetched.sort(key=lambda pair: pair[1].id, reverse=True)
        page, rest = fetched[:size], fetched[size:]
        for org, request in page:
            positions[org] = request.id
        left_over = {org for org, _ in rest}
        exhausted |= {org for org in organizations if org not in more_in and org not in left_over}
        if all(org in exhausted for org in organizations):
            return Page([r for _, r in page], None, items_read)
        next_cursor = _encode_cursor({"s": bucket, "p": positions, "x": sorted(exhausted)})
        return Page([r for _, r in page], next_cursor, items_read)

    # ---- local administrators: appoint, change, remove -----------------------------------------

    def save_admin_change(
        self,
        entry: AuditEntry,
        *,
        put: LocalAdmin | None = None,
        remove: LocalAdmin | None = None,
        reachable_delta: int = 0,
        keep_one_reachable: bool = False,
        work_relationship: WorkRelationship | None = None,
    ) -> None:
        """One audited change to an organisation's administrators, in one transaction.

        The organisation's count of reachable administrators moves with it. With
        `keep_one_reachable`, the change fails with `last_reachable_admin` if it would leave none —
        decided by DynamoDB's condition, so two concurrent removals cannot both take the last two.
        """
        org = entry.organization
        condition = "attribute_exists(PK)"
        values: dict[str, Any] = {":delta": {"N": str(reachable_delta)}}
        if keep_one_reachable and reachable_delta < 0:
            condition += " AND reachable_admins > :floor"
            values[":floor"] = {"N": str(-reachable_delta)}
        items: list[TransactWriteItemTypeDef] = [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": _key(keys.organization(org)),
                    "UpdateExpression": "ADD reachable_admins :delta",
                    "ConditionExpression": condition,
                    "ExpressionAttributeValues": values,
                }
            },
            {
                "Put": {
                    "TableName": self._table,
                    "Item": _item(entry, "audit", keys.audit(org, entry.at.isoformat(), entry.id)),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
        ]
        if put is not None:
            item = _item(
                put, "local_admin", keys.local_admin(org, put.person), keys.local_admin_index(org, put.person)
            )
            items.append({"Put": {"TableName": self._table, "Item": item}})
        if remove is not None:
            items.append(
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": _key(keys.local_admin(org, remove.person)),
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                }
            )
        if work_relationship is not None:
            relationship_item = _item(
                work_relationship,
                "work_relationship",
                keys.work_relationship(work_relationship.person, org),
                keys.work_relationship_index(work_relationship.person, org),
            )
            items.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": relationship_item,
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                }
            )
        reasons = self._transact(items)
        if reasons is None:
            return
        if reasons[0] == "ConditionalCheckFailed":
            if self.organization_with_admins(org).organization is None:
                raise NotFound()
            raise LastReachableAdmin()
        if remove is not None and "ConditionalCheckFailed" in reasons[2:]:
            raise NotFound()
        raise RuntimeError(f"administrator change in {org} not saved: {reasons}")

    def audit_of(self, org: str) -> list[AuditEntry]:
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={":pk": _s(keys.organization_partition(org)), ":prefix": _s("AUDIT#")},
        )
        return [_model(AuditEntry, i) for i in items]

    # ---- notifications ---------------------------------------------------------------------------

    @staticmethod
    def request_from_image(image: Mapping[str, Any]) -> AccessRequest:
        """A request from a stream record's image (DynamoDB types)."""
        return _model(AccessRequest, _plain(image))

    @staticmethod
    def audit_from_image(image: Mapping[str, Any]) -> AuditEntry:
        return _model(AuditEntry, _plain(image))

    def claim_mail(self, event_id: str, kind: str, recipient: str, expires_at: int) -> bool:
        """True when this mail is ours to send; False when a delivery of the same record sent it."""
        item = _key({**keys.mail(event_id, kind, recipient), "kind": "mail"}) | {
            "ttl": {"N": str(expires_at)}
        }
        try:
            self._client.put_item(
                TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(PK)"
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release_mail(self, event_id: str, kind: str, recipient: str) -> None:
        """Sending failed for now: the retry may claim the mail again."""
        self._client.delete_item(TableName=self._table, Key=_key(keys.mail(event_id, kind, recipient)))

    # ---- internals -------------------------------------------------------------------------------

    def _task_positions(
        self, cursor: str | None, organizations: Sequence[str], bucket: str
    ) -> tuple[dict[str, str], set[str]]:
        if cursor is None:
            return {}, set()
        data = _decode_cursor(cursor)
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

    def _close(
        self, before: AccessRequest, after: AccessRequest, extra: list[TransactWriteItemTypeDef]
    ) -> None:
        """Replace a pending request by its closed state and drop its pending guard, atomically."""
        guard = keys.pending_guard(before.requester, before.organization, before.right, before.context)
        items: list[TransactWriteItemTypeDef] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": _item(after, "request", *_request_keys(after)),
                    "ConditionExpression": "#status = :pending",
                    "ExpressionAttributeNames": {"#status": "status"},
                    "ExpressionAttributeValues": {":pending": _s(RequestStatus.PENDING.value)},
                }
            },
            {"Delete": {"TableName": self._table, "Key": _key(guard)}},
            *extra,
        ]
        reasons = self._transact(items)
        if reasons is None:
            return
        if reasons[0] == "ConditionalCheckFailed":
            if self.get_request(before.id) is None:
                raise NotFound()
            raise AlreadyDecided()
        if (
            reasons[-1] == "ConditionalCheckFailed"
            and "Put" in items[-1]
            and items[-1]["Put"].get("ConditionExpression")
        ):
            raise _WorkRelationshipAppeared()
        raise RuntimeError(f"request {before.id} was not closed: {reasons}")

    def decision_context(
        self, org: str, admin: str, person: str
    ) -> tuple[LocalAdmin | None, WorkRelationship | None]:
        """Is `admin` a local administrator of `org`, and does `person` work there? One BatchGetItem."""
        found_admin, found_relationship = None, None
        for item in self._batch_get([keys.local_admin(org, admin), keys.work_relationship(person, org)]):
            if item["kind"] == "local_admin":
                found_admin = _model(LocalAdmin, item)
            elif item["kind"] == "work_relationship":
                found_relationship = _model(WorkRelationship, item)
        return found_admin, found_relationship

    def _transact(self, items: list[TransactWriteItemTypeDef]) -> list[str] | None:
        """Run a transaction; on a cancellation return each item's reason code, else None.

        A failed condition is the answer, also when another item conflicted. A cancellation for
        conflicts only is retried with jittered backoff; `concurrent_change` when they persist.
        """
        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                self._client.transact_write_items(TransactItems=items)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                    raise
                found = exc.response.get("CancellationReasons", [])
                reasons = [r.get("Code", "None") for r in found] or ["Unknown"] * len(items)
                if "TransactionConflict" not in reasons or "ConditionalCheckFailed" in reasons:
                    return reasons
                if attempt < CONFLICT_RETRIES:
                    _pause(random.uniform(0, CONFLICT_BACKOFF_SECONDS * 2**attempt))  # noqa: S311 (not a secret)
            else:
                return None
        raise ConcurrentChange()

    def _put(self, entity: object, kind: str, *key_parts: keys.Key) -> None:
        self._client.put_item(TableName=self._table, Item=_item(entity, kind, *key_parts))

    def _get(self, cls: type[M], key: keys.Key) -> M | None:
        response = self._client.get_item(TableName=self._table, Key=_key(key))
        item = response.get("Item")
        return _model(cls, _plain(item)) if item else None

    def _organization_index(self, org: str, prefix: str) -> list[dict[str, Any]]:
        return self._query_all(
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
            ExpressionAttributeValues={":pk": _s(keys.organization_partition(org)), ":prefix": _s(prefix)},
        )

    def _batch_get(self, wanted: Sequence[keys.Key]) -> list[dict[str, Any]]:
        if not wanted:
            return []
        request: dict[str, Any] = {self._table: {"Keys": [_key(k) for k in wanted]}}
        items: list[dict[str, Any]] = []
        while request:
            response = self._client.batch_get_item(RequestItems=request)
            items += [_plain(i) for i in response["Responses"].get(self._table, [])]
            request = dict(response.get("UnprocessedKeys") or {})
        return items

    def _query_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        paginator = self._client.get_paginator("query")
        for page in paginator.paginate(TableName=self._table, **kwargs):
            items += [_plain(i) for i in page["Items"]]
        return items


def _pause(seconds: float) -> None:
    time.sleep(seconds)


def _grant_keys(grant: Grant) -> tuple[keys.Key, keys.Key]:
    return (
        keys.grant(grant.person, grant.organization, grant.right, grant.context),
        keys.grant_index(grant.person, grant.organization, grant.right, grant.context),
    )


def _request_keys(request: AccessRequest) -> tuple[keys.Key, keys.Key, keys.Key]:
    return (
        keys.request(request.id),
        keys.request_owner_index(request.requester, request.id),
        keys.task_index(request.organization, request.status, request.id),
    )


def _guard_item(guard: keys.Key, request_id: str) -> dict[str, Any]:
    return _key({**guard, "kind": "pending_guard", "requestId": request_id})


def _item(entity: Any, kind: str, *key_parts: keys.Key) -> dict[str, Any]:
    attributes = to_record(entity)
    for part in key_parts:
        attributes |= part
    attributes["kind"] = kind
    return {name: serialize(value) for name, value in attributes.items()}


def _model(cls: type[M], item: Mapping[str, Any]) -> M:
    return from_record(cls, {k: v for k, v in item.items() if k not in _KEY_ATTRIBUTES})


def _plain(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: deserialize(value) for name, value in item.items()}


def _key(values: Mapping[str, str]) -> dict[str, Any]:
    return {name: _s(value) for name, value in values.items()}


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _page_size(limit: int) -> int:
    return max(1, min(limit, MAX_PAGE_SIZE))


def _encode_cursor(data: Mapping[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(data, dict):
        raise InvalidCursor()
    return data

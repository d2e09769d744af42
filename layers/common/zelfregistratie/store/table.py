"""The one table: items made from domain objects and back, reads, and transactions whose every
conditional item names what its failed condition means.

A cancelled transaction is mapped by what failed, never by where it sits in the list: the first item
(in the transaction's order) whose condition failed raises the error it names. A cancellation for
`TransactionConflict` alone changed nothing and is run again (every transaction here is conditional,
so that is safe), and then the condition the other transaction settled decides.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from botocore.exceptions import ClientError

from zelfregistratie.domain.errors import ConcurrentChange
from zelfregistratie.domain.periods import Periods
from zelfregistratie.store import keys
from zelfregistratie.store.codec import deserialize, serialize
from zelfregistratie.store.records import from_record, to_record

# Drawn from the OS, not from a seeded generator: environments restored from one SnapStart snapshot
# would otherwise all wait the same jittered times.
_JITTER = random.SystemRandom()

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

M = TypeVar("M")
EMPTY: Mapping[str, Any] = MappingProxyType({})
Failure = Callable[[], Exception]  # what a failed condition means; may read the table to tell

KEY_ATTRIBUTES = frozenset({"PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "kind", "ttl"})
BATCH_GET_KEYS = 100  # DynamoDB's limit per BatchGetItem
BATCH_WRITE_ITEMS = 25  # and per BatchWriteItem
CONFLICT_RETRIES = 4
CONFLICT_BACKOFF_SECONDS = 0.025  # doubling, jittered: under half a second in all


class Transaction:
    """The items of one `TransactWriteItems`, each with the meaning of its condition failing."""

    def __init__(self, table: str, periods: Periods) -> None:
        self.table = table
        self.periods = periods  # how long what it writes is kept, and when its next step is due
        self.items: list[TransactWriteItemTypeDef] = []
        self.failures: list[Failure | None] = []

    def put(
        self,
        item: dict[str, Any],
        *,
        unless_exists: Failure | None = None,
        condition: Condition | None = None,
    ) -> Transaction:
        """Put an item; `unless_exists` refuses it (with that error) when one with its key exists."""
        put: dict[str, Any] = {"TableName": self.table, "Item": item}
        failure = unless_exists
        if unless_exists is not None:
            put["ConditionExpression"] = "attribute_not_exists(PK)"
        if condition is not None:
            put |= condition.expression()
            failure = condition.failure
        return self._add({"Put": put}, failure)  # type: ignore[typeddict-item]

    def check(self, key: keys.Key, condition: Condition) -> Transaction:
        check = {"TableName": self.table, "Key": plain_key(key), **condition.expression()}
        return self._add({"ConditionCheck": check}, condition.failure)  # type: ignore[typeddict-item]

    def update(
        self,
        key: keys.Key,
        expression: str,
        values: dict[str, Any],
        condition: Condition | None,
        names: dict[str, str] | None = None,
    ) -> Transaction:
        update = {
            "TableName": self.table,
            "Key": plain_key(key),
            "UpdateExpression": expression,
            **(condition.expression() if condition else {}),
        }
        update["ExpressionAttributeValues"] = {**values, **update.get("ExpressionAttributeValues", {})}
        if names:
            update["ExpressionAttributeNames"] = {**names, **update.get("ExpressionAttributeNames", {})}
        return self._add({"Update": update}, condition.failure if condition else None)  # type: ignore[typeddict-item]

    def delete(
        self, key: keys.Key, *, unless_missing: Failure | None = None, condition: Condition | None = None
    ) -> Transaction:
        delete: dict[str, Any] = {"TableName": self.table, "Key": plain_key(key)}
        failure = unless_missing
        if unless_missing is not None:
            delete["ConditionExpression"] = "attribute_exists(PK)"
        if condition is not None:
            delete |= condition.expression()
            failure = condition.failure
        return self._add({"Delete": delete}, failure)  # type: ignore[typeddict-item]

    def _add(self, item: TransactWriteItemTypeDef, failure: Failure | None) -> Transaction:
        self.items.append(item)
        self.failures.append(failure)
        return self


class Condition(NamedTuple):
    """A condition expression with its names and values, and what it means when it fails."""

    text: str
    failure: Failure
    names: Mapping[str, str] = EMPTY
    values: Mapping[str, Any] = EMPTY

    def expression(self) -> dict[str, Any]:
        found: dict[str, Any] = {"ConditionExpression": self.text}
        if self.names:
            found["ExpressionAttributeNames"] = dict(self.names)
        if self.values:
            found["ExpressionAttributeValues"] = dict(self.values)
        return found


class Table:
    def __init__(self, name: str, client: DynamoDBClient, periods: Periods | None = None) -> None:
        self.name = name
        self.client = client
        # the deployment's periods: items' expiry (ttl) and next steps (due) follow them
        self.periods = periods or Periods()

    def transaction(self) -> Transaction:
        return Transaction(self.name, self.periods)

    def write(self, transaction: Transaction) -> None:
        """Run it; a cancellation raises what its first failed condition means."""
        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                self.client.transact_write_items(TransactItems=transaction.items)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                    raise
                reasons = [r.get("Code", "None") for r in exc.response.get("CancellationReasons", [])]
                for reason, failure in zip(reasons, transaction.failures, strict=False):
                    if reason == "ConditionalCheckFailed":
                        if failure is None:
                            raise
                        raise failure() from exc
                if "TransactionConflict" not in reasons:
                    raise
                if attempt < CONFLICT_RETRIES:
                    pause(_JITTER.uniform(0, CONFLICT_BACKOFF_SECONDS * 2**attempt))
            else:
                return
        raise ConcurrentChange()

    def put_if(self, stored: dict[str, Any], condition: Condition) -> None:
        """One conditional PutItem (half a transaction's cost); a failed condition raises its error."""
        try:
            self.client.put_item(TableName=self.name, Item=stored, **condition.expression())
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise condition.failure() from exc
            raise

    def delete_if(self, key: keys.Key, condition: Condition) -> None:
        """One conditional DeleteItem; a failed condition raises its error."""
        try:
            self.client.delete_item(TableName=self.name, Key=plain_key(key), **condition.expression())
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise condition.failure() from exc
            raise

    def update_item(
        self, key: keys.Key, expression: str, values: dict[str, Any], names: dict[str, str] | None = None
    ) -> None:
        """One unconditional UpdateItem."""
        update: dict[str, Any] = {"ExpressionAttributeNames": names} if names else {}
        self.client.update_item(
            TableName=self.name,
            Key=plain_key(key),
            UpdateExpression=expression,
            ExpressionAttributeValues=values,
            **update,
        )

    def put_all(self, items: Sequence[dict[str, Any]]) -> None:
        """Items as they are, unconditionally, a `BatchWriteItem` per 25 (DynamoDB's limit) and again
        for any it left unprocessed (the loader's bulk writes)."""
        for start in range(0, len(items), BATCH_WRITE_ITEMS):
            chunk = items[start : start + BATCH_WRITE_ITEMS]
            request: dict[str, Any] = {self.name: [{"PutRequest": {"Item": i}} for i in chunk]}
            while request:
                response = self.client.batch_write_item(RequestItems=request)
                request = dict(response.get("UnprocessedItems") or {})

    def put(self, entity: object, kind: str, *key_parts: keys.Key) -> None:
        self.put_item(item(entity, kind, *key_parts))

    def put_item(self, stored: dict[str, Any]) -> None:
        """An item as it is, unconditionally (the loader's writes)."""
        self.client.put_item(TableName=self.name, Item=stored)

    def get(self, cls: type[M], key: keys.Key, *, consistent: bool = False) -> M | None:
        found = self.get_item(key, consistent=consistent)
        return model(cls, found) if found else None

    def get_item(self, key: keys.Key, *, consistent: bool = False) -> dict[str, Any] | None:
        response = self.client.get_item(TableName=self.name, Key=plain_key(key), ConsistentRead=consistent)
        found = response.get("Item")
        return values(found) if found else None

    def batch_get(self, wanted: Sequence[keys.Key], *, consistent: bool = False) -> list[dict[str, Any]]:
        """The items of these keys that exist, in no particular order: a `BatchGetItem` per hundred
        keys (DynamoDB's limit), and again for any it left unprocessed."""
        items: list[dict[str, Any]] = []
        for start in range(0, len(wanted), BATCH_GET_KEYS):
            chunk = [plain_key(k) for k in wanted[start : start + BATCH_GET_KEYS]]
            request: dict[str, Any] = {self.name: {"Keys": chunk, "ConsistentRead": consistent}}
            while request:
                response = self.client.batch_get_item(RequestItems=request)
                items += [values(i) for i in response["Responses"].get(self.name, [])]
                request = dict(response.get("UnprocessedKeys") or {})
        return items

    def query(self, **kwargs: Any) -> Any:
        return self.client.query(TableName=self.name, **kwargs)

    def query_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        """Every item a query finds, page after page. (Not botocore's paginator: loading its model
        costs a first request about 9 ms.)"""
        return self._every(self.client.query, kwargs)

    def scan_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        """Every item a scan finds: operators' commands only, never a request's path."""
        return self._every(self.client.scan, kwargs)

    def _every(self, read: Callable[..., Any], kwargs: dict[str, Any]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            page = read(TableName=self.name, **kwargs)
            items += [values(i) for i in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def pause(seconds: float) -> None:
    time.sleep(seconds)


# Sets of subs that updates change one member at a time (`ADD`, `DELETE`): stored as string sets,
# which DynamoDB cannot hold empty, so an empty one is left out.
SET_ATTRIBUTES = frozenset({"administrators", "assignees"})


def item(entity: Any, kind: str, *key_parts: keys.Key) -> dict[str, Any]:
    """A domain object as a stored item: its record, its keys, and its kind."""
    attributes = to_record(entity)
    for part in key_parts:
        attributes |= part
    attributes["kind"] = kind
    stored = {name: serialize(value) for name, value in attributes.items() if name not in SET_ATTRIBUTES}
    for name in SET_ATTRIBUTES & attributes.keys():
        if attributes[name]:
            stored[name] = string_set(attributes[name])
    return stored


def string_set(members: Any) -> dict[str, list[str]]:
    return {"SS": sorted(members)}


def model(cls: type[M], found: Mapping[str, Any]) -> M:
    """A stored item (plain values) as the domain object it holds."""
    return from_record(cls, {k: v for k, v in found.items() if k not in KEY_ATTRIBUTES})


def values(found: Mapping[str, Any]) -> dict[str, Any]:
    """An item with DynamoDB types as plain values."""
    return {name: deserialize(value) for name, value in found.items()}


def plain_key(parts: Mapping[str, str]) -> dict[str, Any]:
    return {name: string(value) for name, value in parts.items()}


def string(value: str) -> dict[str, str]:
    return {"S": value}


def number(value: int) -> dict[str, str]:
    return {"N": str(value)}

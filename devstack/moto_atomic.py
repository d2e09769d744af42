"""Make moto's DynamoDB (and SES) behave as AWS does where a user or a test can see the difference.

`faithful_moto()` applies the fixes; the local stack and the tests call it before moto starts.

**Each call is atomic.** moto's in-memory backends have no locks; two threads inside one
`TransactWriteItems` could both pass its conditions. Serialising calls (not whole invocations) keeps
the races that matter — those between calls, such as read-then-write — while ruling out ones AWS
itself never shows.

**A cancelled transaction leaves no trace.** moto's own `transact_write_items` applies each write
as it goes, stream records included, and on a failed condition swaps in a deep copy of every table
taken beforehand. The copy carries its own stream shard, so a stream reader's iterator keeps
reading the discarded shard and never sees a change again; the cancelled writes' stream records
stay in the copy; and every transaction costs a copy of the whole table. Here, as in DynamoDB,
every condition is checked against the state before the transaction, nothing is written unless all
hold, the live table and shard objects stay in place, and each item the transaction changed gets
one stream record once it commits (none for an item it left as it was).

**A `BETWEEN` whose bounds are reversed is refused**, with DynamoDB's `ValidationException`; moto
answered an empty page, so a query the product must never send went unnoticed.

SES: devstack/moto_ses.py.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import devstack.moto_version  # noqa: F401  (first: stops on a moto it was not written for)

# isort: split
from moto.core.botocore_stubber import BotocoreStubber
from moto.core.exceptions import JsonRESTError
from moto.core.serialize import BaseJSONSerializer
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import StreamShard, Table

from devstack.moto_ses import faithful_ses
from devstack.moto_speed import quicker_moto

_lock = threading.RLock()
MOTO_TRANSACT_WRITE_ITEMS = DynamoDBBackend.transact_write_items  # as moto ships it, for the bench
MOTO_QUERY = DynamoDBBackend.query  # as moto ships it, for a test
MOTO_SERIALIZE_STRUCTURE = BaseJSONSerializer._serialize_type_structure  # as moto ships it, for a test
_OPERATIONS = ("ConditionCheck", "Put", "Delete", "Update")


def faithful_moto() -> None:
    serialize_moto_calls()
    between_bounds_in_order()
    atomic_transactions()
    trimmed_reads_refused()
    queries_read_their_partition()
    faithful_ses()
    items_serialized_as_they_are()
    event_paths_parsed_once()
    quicker_moto()


def event_paths_parsed_once() -> None:
    """moto's EventBridge builds a JSONPath parser (a yacc table) for each input path of each target,
    for every event put: eight per event on the archive, a tenth of a filing's time in the local stack.
    A parsed path depends on its text alone, so each is parsed once. What is found with it is not
    cached: the answer is moto's own."""
    import jsonpath_ng.ext

    parse = getattr(jsonpath_ng.ext, "parse")  # noqa: B009 (a name the package does not export)
    if getattr(parse, "cache_info", None) is not None:
        return
    setattr(jsonpath_ng.ext, "parse", functools.lru_cache(maxsize=256)(parse))  # noqa: B010


def items_serialized_as_they_are() -> None:
    """A DynamoDB item goes out as it is stored, as in DynamoDB, not one attribute value at a time.

    moto's answer serializer walks every attribute value through the ten members of botocore's
    `AttributeValue` shape, about a millisecond per item: a page of 25 tasks took 30 ms to answer
    where DynamoDB takes a few. A value already in its wire form (strings, numbers, booleans, sets of
    strings or numbers, maps and lists of those) goes out as it is; anything else, a binary value
    among them, still takes moto's own way. `tests/integration/test_moto_atomic.py` holds the two to
    the same output.
    """
    original = MOTO_SERIALIZE_STRUCTURE
    if getattr(BaseJSONSerializer._serialize_type_structure, "direct", False):
        return

    def serialize(self: BaseJSONSerializer, serialized: Any, value: Any, shape: Any, key: str) -> None:
        if key and shape.name == "AttributeValue" and _wire_form(value):
            self._default_serialize(serialized, value, shape, key)
            return
        original(self, serialized, value, shape, key)

    serialize.direct = True  # type: ignore[attr-defined]
    BaseJSONSerializer._serialize_type_structure = serialize  # type: ignore[method-assign]


def _wire_form(value: Any) -> bool:
    """An attribute value that JSON carries as it is (a `dict` of one type key)."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    ((kind, inner),) = value.items()
    if kind in ("S", "N"):
        return isinstance(inner, str)
    if kind in ("BOOL", "NULL"):
        return isinstance(inner, bool)
    if kind in ("SS", "NS"):
        return isinstance(inner, list) and all(isinstance(v, str) for v in inner)
    if kind == "L":
        return isinstance(inner, list) and all(_wire_form(v) for v in inner)
    if kind == "M":
        return isinstance(inner, dict) and all(isinstance(k, str) and _wire_form(v) for k, v in inner.items())
    return False


def between_bounds_in_order() -> None:
    """A key condition `BETWEEN :low AND :high` with `:low` above `:high` is refused as DynamoDB refuses
    it (`ValidationException`); moto answers it with an empty page."""
    original = DynamoDBBackend.query
    if getattr(original, "bounds_in_order", False):
        return

    def query(
        self: DynamoDBBackend,
        table_name: str,
        hash_key: Any,
        comparison: str | None,
        bounds: list[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if comparison is not None and comparison.upper() == "BETWEEN" and len(bounds) == 2:
            low, high = bounds
            if DynamoType(low) > DynamoType(high):
                raise MockValidationException(
                    "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be "
                    f"greater than or equal to lower bound; lower bound operand: AttributeValue: "
                    f"{_operand(low)}, upper bound operand: AttributeValue: {_operand(high)}"
                )
        return original(self, table_name, hash_key, comparison, bounds, *args, **kwargs)

    query.bounds_in_order = True  # type: ignore[attr-defined]
    DynamoDBBackend.query = query  # type: ignore[method-assign,assignment]


def _operand(value: dict[str, Any]) -> str:
    """An attribute value as DynamoDB's messages write it: `{S:abc}`."""
    [(kind, text)] = value.items()
    return f"{{{kind}:{text}}}"


def queries_read_their_partition() -> None:
    """A Query costs what its partition holds, as in DynamoDB, not what the table holds.

    moto's `Table.query` starts from `all_items()`, every item of the table sorted by key, and keeps
    those of the partition asked for: each query sorts the whole table, so a long demo slows with
    every filing (notify queries an organisation per record). Within a query, `all_items()` here
    gives the partition's items alone for a query of the table, or every item unsorted for one of an
    index (which moto sorts itself after filtering); a scan still gets them all, in order.
    """
    if getattr(Table.query, "by_partition", False):
        return
    original_query, original_all_items = Table.query, Table.all_items
    asked: dict[int, tuple[Any, bool]] = {}

    def query(self: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        asked[id(self)] = (hash_key, index_name is None)
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            asked.pop(id(self), None)

    def all_items(self: Table) -> list[Item]:
        if id(self) not in asked:
            return original_all_items(self)
        hash_key, of_table = asked[id(self)]
        if of_table and self.range_key_attr:
            return list(self.items.get(hash_key, {}).values())
        if self.range_key_attr:
            return [item for partition in self.items.values() for item in partition.values()]
        return list(self.items.values())  # type: ignore[arg-type]

    query.by_partition = True  # type: ignore[attr-defined]
    Table.query = query  # type: ignore[method-assign]
    Table.all_items = all_items  # type: ignore[method-assign]


# The newest stream records kept however far consumers have read: what a replay of recent failures
# needs (in AWS the stream keeps 24 hours).
RECORDS_KEPT = 10_000


def trim_stream(shard: Any, read_up_to: int, keep: int = RECORDS_KEPT) -> int:
    """Forget the records before `read_up_to` (every consumer has read them) except the newest `keep`:
    moto keeps every record forever, so a long demo would grow without end. Returns how many went."""
    first: int = shard.starting_sequence_number
    newest_kept = first + len(shard.items) - keep
    drop = min(read_up_to, newest_kept) - first
    if drop <= 0:
        return 0
    with _lock:
        del shard.items[:drop]
        shard.starting_sequence_number += drop
    return drop


def trimmed_reads_refused() -> None:
    """A read before the first record kept answers as DynamoDB Streams does for trimmed data."""
    original = StreamShard.get
    if getattr(original, "trimmed", False):
        return

    def get(self: Any, start: int, quantity: int) -> list[dict[str, Any]]:
        if start < self.starting_sequence_number:
            raise JsonRESTError(
                "TrimmedDataAccessException", "The requested records are no longer in the stream."
            )
        result: list[dict[str, Any]] = original(self, start, quantity)
        return result

    get.trimmed = True  # type: ignore[attr-defined]
    StreamShard.get = get  # type: ignore[method-assign]


def serialize_moto_calls() -> None:
    original = BotocoreStubber.__call__
    if getattr(original, "serialized", False):
        return

    def locked(self: BotocoreStubber, *args: Any, **kwargs: Any) -> Any:
        with _lock:
            return original(self, *args, **kwargs)

    locked.serialized = True  # type: ignore[attr-defined]
    BotocoreStubber.__call__ = locked  # type: ignore[method-assign]


def atomic_transactions() -> None:
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


@dataclass
class _Write:
    kind: str
    operation: dict[str, Any]
    table: Table
    key: dict[str, Any]
    hash_key: DynamoType
    range_key: DynamoType | None

    @property
    def identity(self) -> tuple[str, str]:
        return self.table.name, repr(sorted(self.key.items()))

    def current(self) -> Item | None:
        return self.table.get_item(self.hash_key, self.range_key)


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """DynamoDB's `TransactWriteItems`: all or nothing, with stream records only for what committed."""
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    writes = [_write(self, item) for item in transact_items]
    seen: set[tuple[str, str]] = set()
    for write in writes:
        if write.identity in seen:
            raise MultipleTransactionsException()
        seen.add(write.identity)

    reasons = [_condition_failure(write) for write in writes]
    if any(reason is not None for reason in reasons):
        raise TransactionCanceledException(
            [reason if reason is not None else (None, None, None) for reason in reasons]
        )

    before = [copy.deepcopy(write.current()) for write in writes]
    with _streams_held([write.table for write in writes]):
        failed = 0
        try:
            for failed, write in enumerate(writes):  # noqa: B007 (read after a failure)
                _apply(self, write)
        except Exception as exc:
            for done, item in zip(writes, before, strict=True):
                _restore(done, item)
            if isinstance(exc, MockValidationException):
                raise
            raise TransactionCanceledException(
                [
                    (type(exc).__name__, str(exc), None) if i == failed else (None, None, None)
                    for i in range(len(writes))
                ]
            ) from exc
    for write, old in zip(writes, before, strict=True):
        new = write.current()
        shard = write.table.stream_shard
        if shard is not None and _changed(old, new):
            shard.add(old, new)


def _write(backend: DynamoDBBackend, item: dict[str, Any]) -> _Write:
    if len(item) != 1:
        raise TransactWriteSingleOpException()
    [(kind, operation)] = item.items()
    if kind not in _OPERATIONS:
        raise MockValidationException(f"Unsupported transaction operation {kind}")
    table = backend.get_table(operation["TableName"])
    if kind == "Put":
        attributes = operation["Item"]
        key = {table.hash_key_attr: attributes.get(table.hash_key_attr)}
        if table.range_key_attr is not None:
            key[table.range_key_attr] = attributes.get(table.range_key_attr)
        if any(value is None for value in key.values()):
            raise MockValidationException("One or more parameter values were invalid: Missing the key")
    else:
        key = operation["Key"]
    hash_key, range_key = backend.get_keys_value(table, key)
    return _Write(kind, operation, table, key, hash_key, range_key)


def _condition_failure(write: _Write) -> tuple[str, str, dict[str, Any] | None] | None:
    """The cancellation reason of this write, judged on the state before the transaction."""
    expression = write.operation.get("ConditionExpression")
    if expression is None:
        return None
    current = write.current()
    condition = get_filter_expression(
        expression,
        write.operation.get("ExpressionAttributeNames"),
        write.operation.get("ExpressionAttributeValues"),
    )
    if condition.expr(current):
        return None
    wants_item = write.operation.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
    old = current.to_json()["Attributes"] if wants_item and current is not None else None
    return ("ConditionalCheckFailed", "The conditional request failed", old)


def _apply(backend: DynamoDBBackend, write: _Write) -> None:
    """The write itself; its condition was checked with all the others before anything changed."""
    operation, name = write.operation, write.table.name
    if write.kind == "Put":
        backend.put_item(name, operation["Item"])
    elif write.kind == "Delete":
        backend.delete_item(name, write.key)
    elif write.kind == "Update":
        backend.update_item(
            name,
            write.key,
            update_expression=operation["UpdateExpression"],
            expression_attribute_names=operation.get("ExpressionAttributeNames"),  # type: ignore[arg-type]
            expression_attribute_values=operation.get("ExpressionAttributeValues"),  # type: ignore[arg-type]
        )


@contextmanager
def _streams_held(tables: list[Table]) -> Iterator[None]:
    """While the writes run, they leave no stream record; the transaction adds one per item after."""
    shards = {id(table): (table, table.stream_shard) for table in tables}
    for table, _ in shards.values():
        table.stream_shard = None
    try:
        yield
    finally:
        for table, shard in shards.values():
            table.stream_shard = shard


def _restore(write: _Write, item: Item | None) -> None:
    items: Any = write.table.items
    if write.range_key is None:
        _place(items, write.hash_key, item)
    else:
        _place(items[write.hash_key], write.range_key, item)


def _place(container: dict[Any, Any], key: DynamoType, item: Item | None) -> None:
    if item is None:
        container.pop(key, None)
    else:
        container[key] = item


def _changed(old: Item | None, new: Item | None) -> bool:
    """DynamoDB writes no stream record for a write that left the item as it was."""
    if old is None or new is None:
        return old is not new
    return bool(old.attrs != new.attrs)

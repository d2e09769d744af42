"""DynamoDB capacity units of what our code does, worked out from the items it reads and writes.

moto reports no consumed capacity, so `CapacityMeter` computes it by DynamoDB's rules
(developer guide, "Read/write capacity mode" and "Item sizes"):

- a write costs one unit per 1 KB of the larger of the item before and after it (a delete, of the
  item deleted), at least one; inside `TransactWriteItems` twice that, a `ConditionCheck` included;
- each global secondary index whose key or projected attributes the write changes costs one more
  write, sized by what the index projects: a new entry is a put, a removed entry a delete, a moved
  key both;
- a read costs one unit per 4 KB, summed per call over the items it read (before any filter) for
  `Query`, per item for `GetItem` and `BatchGetItem`; half that when eventually consistent, twice
  that inside `TransactGetItems`.

Item size: the attribute names' UTF-8 bytes plus each value's (a number as about half its digits,
lists and maps with their 3-byte overhead and a byte per element), as the guide describes. The meter
reads the items before and after each write from moto's backend, in the same process.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

KB = 1024
READ_UNIT = 4 * KB
INDEX_OVERHEAD = 100  # bytes DynamoDB adds to each index entry


def value_size(value: Mapping[str, Any]) -> int:
    ((kind, data),) = value.items()
    if kind == "S":
        return len(data.encode())
    if kind == "N":
        digits = data.lstrip("-").replace(".", "").strip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(data)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode()) for s in data)
    if kind == "NS":
        return sum(value_size({"N": n}) for n in data)
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in data)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_size(v) for k, v in data.items())
    raise ValueError(kind)


def item_size(item: Mapping[str, Any] | None) -> int:
    if not item:
        return 0
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


class Index:
    """A global secondary index: its key attributes and what it projects (None: every attribute)."""

    def __init__(self, description: Mapping[str, Any], table_keys: Iterable[str]) -> None:
        self.name = description["IndexName"]
        self.keys = tuple(k["AttributeName"] for k in description["KeySchema"])
        projection = description["Projection"]
        kind = projection["ProjectionType"]
        self.projected: frozenset[str] | None = None
        if kind != "ALL":
            extra = projection.get("NonKeyAttributes", []) if kind == "INCLUDE" else []
            self.projected = frozenset((*self.keys, *table_keys, *extra))

    def entry(self, item: Mapping[str, Any] | None) -> dict[str, Any] | None:
        if not item or not all(k in item for k in self.keys):
            return None
        if self.projected is None:
            return dict(item)
        return {k: v for k, v in item.items() if k in self.projected}

    def write_units(self, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> int:
        old, new = self.entry(before), self.entry(after)
        if old == new:
            return 0
        units = 0
        moved = old is not None and new is not None and any(old[k] != new[k] for k in self.keys)
        if old is not None and (new is None or moved):
            units += _units(item_size(old) + INDEX_OVERHEAD, KB)
        if new is not None:
            units += _units(item_size(new) + INDEX_OVERHEAD, KB)
        return units


def _units(size: int, unit: int) -> int:
    return max(1, math.ceil(size / unit))


class CapacityMeter:
    """Write and read units of every call the given clients make, against a moto table in-process."""

    def __init__(self, table_name: str, *clients: Any) -> None:
        from moto.core.models import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends

        self.write_units = 0.0  # billed: transactional writes count twice
        self.item_write_units = 0.0  # the same writes, each counted once
        self.read_units = 0.0
        self._name = table_name
        self._table = None
        self._backends = dynamodb_backends[DEFAULT_ACCOUNT_ID]
        self._pending: list[tuple[dict[str, Any], dict[str, Any] | None, int, str]] = []
        self._indexes: list[Index] | None = None
        self._table_keys: tuple[str, ...] = ()
        self._clients = clients
        for client in clients:
            client.meta.events.register("before-call.dynamodb.*", self._before)
            client.meta.events.register("after-call.dynamodb.*", self._after)

    def close(self) -> None:
        """Stop counting (the clients outlive the moto table this meter reads)."""
        for client in self._clients:
            client.meta.events.unregister("before-call.dynamodb.*", self._before)
            client.meta.events.unregister("after-call.dynamodb.*", self._after)

    # ---- writes -------------------------------------------------------------------------------

    def _before(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        body = params.get("body")
        request = body if isinstance(body, dict) else _json(body)
        name = model.name
        writes: list[tuple[dict[str, Any], str, int]] = []
        if name in ("PutItem", "UpdateItem", "DeleteItem"):
            key = request.get("Key") or self._key_of(request["Item"])
            writes.append((key, name, 1))
        elif name == "BatchWriteItem":
            for entries in request["RequestItems"].values():
                for entry in entries:
                    if "PutRequest" in entry:
                        writes.append((self._key_of(entry["PutRequest"]["Item"]), "PutItem", 1))
                    else:
                        writes.append((entry["DeleteRequest"]["Key"], "DeleteItem", 1))
        elif name == "TransactWriteItems":
            for entry in request["TransactItems"]:
                ((operation, detail),) = entry.items()
                key = detail.get("Key") or self._key_of(detail["Item"])
                writes.append((key, operation, 2))
        self._pending = [(key, self._stored(key), factor, op) for key, op, factor in writes]

    def _after(self, model: Any, parsed: dict[str, Any], http_response: Any, **_: Any) -> None:
        if http_response.status_code >= 300:
            self._pending = []
            return
        for key, before, factor, operation in self._pending:
            after = self._stored(key)
            gsi = 0
            if operation == "ConditionCheck":
                units = factor * _units(item_size(before), KB)
            else:
                units = factor * _units(max(item_size(before), item_size(after)), KB)
                gsi = sum(index.write_units(before, after) for index in self._gsis())
                units += gsi
            self.write_units += units
            self.item_write_units += (units - gsi) / factor + gsi
        self._pending = []
        self._count_reads(model.name, parsed)

    # ---- reads --------------------------------------------------------------------------------

    def _count_reads(self, operation: str, parsed: dict[str, Any]) -> None:
        if operation == "GetItem":
            self.read_units += 0.5 * _units(item_size(parsed.get("Item")), READ_UNIT)
        elif operation == "BatchGetItem":
            for items in parsed.get("Responses", {}).values():
                self.read_units += sum(0.5 * _units(item_size(i), READ_UNIT) for i in items)
        elif operation == "TransactGetItems":
            for response in parsed.get("Responses", []):
                self.read_units += 2 * _units(item_size(response.get("Item")), READ_UNIT)
        elif operation == "Query":
            size = sum(item_size(i) for i in parsed.get("Items", []))
            self.read_units += 0.5 * _units(size, READ_UNIT)

    # ---- moto's table -------------------------------------------------------------------------

    def _moto_table(self) -> Any:
        for backend in self._backends.values():
            table = backend.tables.get(self._name)
            if table is not None:
                return table
        raise LookupError(self._name)

    def _gsis(self) -> list[Index]:
        if self._indexes is None:
            table = self._moto_table()
            self._table_keys = tuple(k["AttributeName"] for k in table.schema)
            self._indexes = [Index(gsi.describe(), self._table_keys) for gsi in table.global_indexes]
        return self._indexes

    def _key_of(self, item: Mapping[str, Any]) -> dict[str, Any]:
        self._gsis()
        return {k: item[k] for k in self._table_keys}

    def _stored(self, key: Mapping[str, Any]) -> dict[str, Any] | None:
        from moto.dynamodb.models.dynamo_type import DynamoType

        table = self._moto_table()
        hash_name, range_name = self._table_keys
        found = table.get_item(DynamoType(key[hash_name]), DynamoType(key[range_name]))
        return None if found is None else found.to_json()["Attributes"]


def _json(body: Any) -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads(body or b"{}")
    return data

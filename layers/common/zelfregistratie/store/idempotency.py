"""`Idempotency-Key`: the first successful response to a caller's key, claimed in the filing's own
transaction and kept 24 hours (docs/rules.md § The API's conventions)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from zelfregistratie.store import keys
from zelfregistratie.store.table import Condition, Table, number, plain_key


class IdempotencyRecord(NamedTuple):
    """The first successful response to a caller's `Idempotency-Key`, kept until `expires_at` (epoch)."""

    caller: str
    key: str
    fingerprint: str
    response: str
    request_id: str
    expires_at: int


class KeyTaken(Exception):
    """The caller used this Idempotency-Key before."""


def read(table: Table, caller: str, key: str, now: datetime) -> IdempotencyRecord | None:
    """The caller's record of `key`, unless it expired by `now` (TTL deletion lags)."""
    found = table.get_item(keys.idempotency(caller, key))
    if not found or int(found["ttl"]) <= int(now.timestamp()):
        return None
    return IdempotencyRecord(
        caller, key, found["fingerprint"], found["response"], found["requestId"], int(found["ttl"])
    )


def record_item(record: IdempotencyRecord) -> dict[str, Any]:
    return plain_item(
        keys.idempotency(record.caller, record.key),
        "idempotency",
        fingerprint=record.fingerprint,
        response=record.response,
        requestId=record.request_id,
    ) | {"ttl": number(record.expires_at)}


def key_free(now: datetime) -> Condition:
    """The key is free, or held by a record expired by `now`: TTL deletion lags."""
    return Condition(
        "attribute_not_exists(PK) OR #ttl <= :now",
        KeyTaken,
        names={"#ttl": "ttl"},
        values={":now": number(int(now.timestamp()))},
    )


def plain_item(key: keys.Key, kind: str, **attributes: str) -> dict[str, Any]:
    return plain_key({**key, "kind": kind, **attributes})

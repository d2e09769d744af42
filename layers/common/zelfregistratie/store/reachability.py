"""Which organisations have no reachable local administrator (docs/unreachable-administrators.md), for the ops
metric.

The organisation item's count of reachable administrators changes in the transactions that change
its administrators; a `TransactWriteItems` cannot also set a key that depends on the count it adds
to. So notify follows the organisation items on the stream: when the count crosses zero, it puts or
deletes the organisation's entry under `UNREACHABLE#ORGS`. A stream delivers one item's changes in
order, and the entry follows the latest image, so it ends as the count is however often a record
comes again. The timers count the entries every hour (one Query, `Select=COUNT`): a metric that costs
what the few unreachable organisations cost, never a scan of all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zelfregistratie.store import keys
from zelfregistratie.store.images import image_number, image_string
from zelfregistratie.store.table import Table, plain_key, string

PARTITION = "UNREACHABLE#ORGS"


def entry(code: str) -> keys.Key:
    return {"PK": PARTITION, "SK": code}


def crossing(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> tuple[str, bool] | None:
    """An organisation item's change that moves it in or out of the index: its code, and whether it
    now has a reachable administrator. None for anything else."""
    if not new or image_string(new, "kind") != "organization":
        return None
    reachable = image_number(new, "reachable_admins") > 0
    was_reachable = image_number(old or {}, "reachable_admins") > 0
    if old and image_string(old, "kind") == "organization" and was_reachable == reachable:
        return None
    return str(image_string(new, "code")), reachable


def follow(table: Table, code: str, reachable: bool) -> None:
    """The organisation's entry as its count says (notify; the loader, for what it loads)."""
    if reachable:
        table.client.delete_item(TableName=table.name, Key=plain_key(entry(code)))
    else:
        table.put_item(plain_key(entry(code)) | {"kind": string("unreachable_organization")})


def count(table: Table) -> int:
    """How many organisations have no reachable administrator."""
    total, start = 0, None
    while True:
        more: dict[str, Any] = {"ExclusiveStartKey": start} if start else {}
        page = table.client.query(
            TableName=table.name,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": string(PARTITION)},
            Select="COUNT",
            **more,
        )
        total += int(page.get("Count", 0))
        start = page.get("LastEvaluatedKey")
        if not start:
            return total

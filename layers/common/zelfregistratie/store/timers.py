"""The due index (docs/lifecycle.md): each pending request and held grant's record carries its next
lifecycle step as GSI2 keys `DUE#{UTC day}` / `{due}#{kind}#{id}`. A timer run reads the buckets of
the last few days up to now: what it reads is what is due, never what is not (no Scan, and nothing
read that waits for a later day)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from zelfregistratie.store import keys
from zelfregistratie.store.table import Table, string


class Timers:
    def __init__(self, table: Table) -> None:
        self._table = table

    def due(self, now: datetime, days_back: int) -> list[dict[str, Any]]:
        """Every item whose step is due at `now`, oldest day first: one Query per day (and page)."""
        found: list[dict[str, Any]] = []
        upper = f"{keys.instant(now)}$"  # '$' sorts after the '#' that follows an instant
        for back in range(days_back, -1, -1):
            found += self._table.query_all(
                IndexName="GSI2",
                KeyConditionExpression="GSI2PK = :day AND GSI2SK < :upper",
                ExpressionAttributeValues={
                    ":day": string(keys.due_partition(now - timedelta(days=back))),
                    ":upper": string(upper),
                },
            )
        return found

"""Events onto the bus: one `PutEvents` per stream record, its failed entries a failure of the record
(retried like a mail: the record's partial batch response)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zelfregistratie.api.views import dumps
from zelfregistratie.events.changes import SOURCE, Event


class PublishError(Exception):
    """EventBridge refused or failed an entry; the record is retried."""


class Publisher:
    def __init__(self, events: Any, bus_name: str) -> None:
        self._events = events
        self._bus = bus_name

    @property
    def client(self) -> Any:
        return self._events

    def publish(self, events: Sequence[Event]) -> None:
        if not events:
            return
        entries = [
            {
                "Source": SOURCE,
                "DetailType": event.detail_type,
                "Detail": dumps(event.detail),
                "EventBusName": self._bus,
            }
            for event in events
        ]
        answer = self._events.put_events(Entries=entries)
        if answer.get("FailedEntryCount"):
            codes = sorted({e.get("ErrorCode", "") for e in answer["Entries"] if e.get("ErrorCode")})
            raise PublishError(", ".join(codes) or "failed")

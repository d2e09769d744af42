"""Events onto the bus: the events of a batch's records in as few `PutEvents` as EventBridge allows
(ten entries each), in the records' order; a record whose entry failed, and every record after it,
is a failure of the batch (retried like a mail: the partial batch response)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from zelfregistratie.api.views import dumps
from zelfregistratie.events.changes import SOURCE, Event

ENTRIES_PER_CALL = 10  # EventBridge's limit per PutEvents
K = TypeVar("K")


class Publisher:
    def __init__(self, events: Any, bus_name: str) -> None:
        self._events = events
        self._bus = bus_name

    @property
    def client(self) -> Any:
        return self._events

    def publish_in_order(self, records: Sequence[tuple[K, Sequence[Event]]]) -> tuple[K, str] | None:
        """Each record's events, the records in order, ten entries a call. None when all went out;
        else the first record whose events did not, and why: its events and every later record's are
        to be published again (an entry of a later record that did go out is then sent twice, with
        the same `eventId`, as after a timeout)."""
        entries = [(key, self._entry(event)) for key, events in records for event in events]
        for start in range(0, len(entries), ENTRIES_PER_CALL):
            chunk = entries[start : start + ENTRIES_PER_CALL]
            try:
                answer = self._events.put_events(Entries=[entry for _, entry in chunk])
            except Exception as exc:
                return chunk[0][0], type(exc).__name__
            if answer.get("FailedEntryCount"):
                results = answer.get("Entries") or [{}]
                index = next((i for i, r in enumerate(results) if r.get("ErrorCode")), 0)
                return chunk[index][0], str(results[index].get("ErrorCode", "failed"))
        return None

    def _entry(self, event: Event) -> dict[str, str]:
        return {
            "Source": SOURCE,
            "DetailType": event.detail_type,
            "Detail": dumps(event.detail),
            "EventBusName": self._bus,
        }

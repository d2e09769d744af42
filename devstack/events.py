"""The local list of published events: what notify put on the bus (moto's EventBridge), read back
from the bus's archive as the template declares it, each event once, newest first (`/dev/events`)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.events.models import events_backends


@dataclass(frozen=True)
class PublishedEvent:
    id: str
    source: str
    detail_type: str
    time: datetime
    detail: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "detailType": self.detail_type,
            "time": self.time.isoformat().replace("+00:00", "Z"),
            "detail": self.detail,
        }


class EventLog:
    """Reads the archive moto keeps; an event redelivered with the same `eventId` is listed once."""

    def __init__(self, region: str, archive: str, account_id: str = DEFAULT_ACCOUNT_ID) -> None:
        self._region = region
        self._archive = archive
        self._account_id = account_id
        self._read = 0
        self._seen: list[PublishedEvent] = []
        self._ids: set[str] = set()
        self._lock = threading.Lock()

    def refresh(self) -> None:
        archived = events_backends[self._account_id][self._region].archives[self._archive].events
        with self._lock:
            for message in archived[self._read :]:
                event = _event(message)
                key = str(event.detail.get("eventId", event.id))
                if key not in self._ids:
                    self._ids.add(key)
                    self._seen.append(event)
            self._read = len(archived)

    def events(self) -> list[PublishedEvent]:
        """Newest first."""
        self.refresh()
        with self._lock:
            return list(reversed(self._seen))


def _event(message: Any) -> PublishedEvent:
    at = message.get("time")
    time = datetime.fromtimestamp(float(at), UTC) if isinstance(at, int | float) else datetime.now(UTC)
    return PublishedEvent(
        id=str(message["id"]),
        source=str(message["source"]),
        detail_type=str(message["detail-type"]),
        time=time,
        detail=dict(message["detail"]),
    )

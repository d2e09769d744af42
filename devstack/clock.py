"""The development clock (`POST /dev/clock`, docs/local-stack.md): business time that moves forward
on request and never back, handed to the product's clock in place of the system's time."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from zelfregistratie.domain import clock


class DevelopmentClock:
    """The system's time plus an offset that only grows."""

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        return clock.real_now() + self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Business time moves forward by `delta`, never back."""
        if delta < timedelta(0):
            raise ValueError("the clock never goes back")
        with self._lock:
            self._offset += delta
        return self.now()

    def install(self) -> DevelopmentClock:
        """From now on the product's business time is this clock's."""
        clock.use(self.now)
        return self

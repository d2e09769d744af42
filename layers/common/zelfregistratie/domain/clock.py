"""Time, in one place: instants in UTC, calendar dates in Brussels (docs/rules.md rule 5).

Nothing else reads the clock (a test holds every module to it): handlers, timers and ids all take
their time from `now()`. The local stack's development clock (docs/local-stack.md) moves it forward with
`advance`; in AWS nothing does, and `now()` is the system's time.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")

_offset = timedelta(0)
_lock = threading.Lock()


def now() -> datetime:
    return datetime.now(UTC) + _offset


def real_now() -> datetime:
    """The system's time without the development clock's offset: for leases and waits, which run out
    in real time however far business time was moved."""
    return now() - _offset


def today(at: datetime | None = None) -> date:
    """The calendar date in Brussels at `at` (default: now)."""
    return (at or now()).astimezone(BRUSSELS).date()


def start_of(day: date) -> datetime:
    """The instant a Brussels calendar day begins, in UTC (23:00 or 22:00 the day before)."""
    return datetime.combine(day, time(), BRUSSELS).astimezone(UTC)


def isoformat(moment: date) -> str:
    """ISO 8601, a UTC instant ending in `Z`: how instants and dates are stored and answered."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def advance(delta: timedelta) -> datetime:
    """Development only (the local stack's `POST /dev/clock`): business time moves forward by
    `delta`, never back."""
    global _offset
    if delta < timedelta(0):
        raise ValueError("the clock never goes back")
    with _lock:
        _offset += delta
    return now()

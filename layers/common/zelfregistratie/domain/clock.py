"""Time, in one place: instants in UTC, calendar dates in Brussels (docs/rules.md rule 5).

Nothing else reads the clock (a test holds every module to it): handlers, timers and ids all take
their time from `now()`. In AWS that is the system's time. The local stack hands its development
clock in with `use` (docs/local-stack.md), and it moves business time forward; the product holds no
time machine of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def real_now() -> datetime:
    """The system's time, whatever business time is: for leases and waits, which run out in real
    time however far a development clock moved business time."""
    return datetime.now(UTC)


_source: Callable[[], datetime] = real_now


def now() -> datetime:
    """Business time: the system's, unless a development clock was handed in."""
    return _source()


def use(source: Callable[[], datetime]) -> None:
    """Business time from `source` from now on: the local stack's development clock, the only caller."""
    global _source
    _source = source


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

"""Time, in one place: instants in UTC, calendar dates in Brussels (PRODUCT.md §4 rule 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def now() -> datetime:
    return datetime.now(UTC)


def today(at: datetime | None = None) -> date:
    """The calendar date in Brussels at `at` (default: now)."""
    return (at or now()).astimezone(BRUSSELS).date()


def isoformat(moment: date) -> str:
    """ISO 8601, a UTC instant ending in `Z`: how instants and dates are stored and answered."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text

"""Dates as the contract states them: a grant's end months later (month ends kept), and the calendar
date in Brussels, whatever the UTC instant says."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from zelfregistratie.domain.clock import isoformat, today
from zelfregistratie.domain.entities import add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 28), 24, date(2028, 11, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 1, 31), 13, date(2028, 2, 29)),  # a leap year's February
        (date(2026, 1, 31), 24, date(2028, 1, 31)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 8, 31), 12, date(2027, 8, 31)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # across the year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (datetime(2026, 1, 30, 22, 59, tzinfo=UTC), date(2026, 1, 30)),  # 23:59 in Brussels (CET)
        (datetime(2026, 1, 30, 23, 0, tzinfo=UTC), date(2026, 1, 31)),  # midnight in Brussels
        (datetime(2026, 6, 30, 21, 59, tzinfo=UTC), date(2026, 6, 30)),  # 23:59 (CEST)
        (datetime(2026, 6, 30, 22, 0, tzinfo=UTC), date(2026, 7, 1)),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), date(2027, 1, 1)),  # a new year in Brussels first
    ],
)
def test_today_is_the_date_in_brussels(instant: datetime, expected: date) -> None:
    assert today(instant) == expected


def test_instants_end_in_z_and_dates_stay_dates() -> None:
    assert isoformat(datetime(2026, 1, 30, 23, 30, tzinfo=UTC)) == "2026-01-30T23:30:00Z"
    assert isoformat(date(2026, 1, 31)) == "2026-01-31"

"""The lifecycle's periods (docs/lifecycle.md): the template's parameters, read once at a function's
cold start and passed to the rules that need them; the defaults are those of docs/lifecycle.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Periods:
    first_reminder: timedelta = timedelta(days=7)
    second_reminder: timedelta = timedelta(days=14)
    request_expiry: timedelta = timedelta(days=30)
    grant_warning: timedelta = timedelta(days=30)
    retention: timedelta = timedelta(days=730)

    @classmethod
    def of_days(cls, **days: int) -> Periods:
        return cls(**{name: timedelta(days=value) for name, value in days.items()})

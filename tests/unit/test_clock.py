"""Only the clock module reads the clock (docs/lifecycle.md): every handler, timer and id takes its time
from `zelfregistratie.domain.clock.now()`, which the local stack's development clock moves."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from devstack.clock import DevelopmentClock
from zelfregistratie.domain import clock
from zelfregistratie.domain.requests import new_request_id, request_created_at

ROOT = Path(__file__).resolve().parents[2]
CLOCK = ROOT / "layers/common/zelfregistratie/domain/clock.py"
# Reading the time of day or date; `time.monotonic` (durations, e.g. a cache's age) and `time.sleep`
# are not, and stay allowed.
READERS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
}


def _readers(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = (
                owner.id
                if isinstance(owner, ast.Name)
                else owner.attr
                if isinstance(owner, ast.Attribute)
                else ""
            )
            if (name, node.func.attr) in READERS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}.{node.func.attr}()")
    return found


def test_nothing_but_the_clock_module_reads_the_clock() -> None:
    sources = [*ROOT.glob("layers/common/zelfregistratie/**/*.py"), *ROOT.glob("functions/*/app.py")]
    assert len(sources) > 40
    offenders = [line for path in sources if path != CLOCK for line in _readers(path)]
    assert offenders == []
    assert [line.split(" ", 1)[1] for line in _readers(CLOCK)] == ["datetime.now()"]


def test_the_development_clock_moves_business_time_and_ids_forward_never_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clock, "_source", clock.real_now)  # put back after the test
    before = clock.now()
    development = DevelopmentClock().install()
    moved = development.advance(timedelta(days=8))
    assert moved - before >= timedelta(days=8)
    assert clock.now() - before >= timedelta(days=8)
    assert request_created_at(new_request_id(int(clock.now().timestamp() * 1000))) >= moved - timedelta(
        seconds=1
    )
    assert clock.real_now() - before < timedelta(days=1)  # leases keep real time
    with pytest.raises(ValueError, match="never goes back"):
        development.advance(timedelta(days=-1))
    assert clock.now() >= moved


@pytest.mark.parametrize(
    ("day", "begins"),
    [
        (
            "2026-03-29",
            "2026-03-28T23:00:00+00:00",
        ),  # summer time starts that night: still +01:00 at midnight
        ("2026-03-30", "2026-03-29T22:00:00+00:00"),  # +02:00
        ("2026-10-25", "2026-10-24T22:00:00+00:00"),  # winter time starts that night: +02:00 at midnight
        ("2026-10-26", "2026-10-25T23:00:00+00:00"),  # +01:00
    ],
)
def test_a_brussels_day_begins_at_its_own_midnight_across_daylight_saving(day: str, begins: str) -> None:
    from datetime import date

    assert clock.start_of(date.fromisoformat(day)) == datetime.fromisoformat(begins).astimezone(UTC)

"""`make bench` still runs its operations: the figures the issues ask for come from the same code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json; from bench import run as bench; "
    "print(json.dumps([*bench.aws_calls()[:3], bench.notify_invocations_per_flow()]))"
)


@pytest.mark.slow
def test_the_bench_counts_calls_and_reads_of_every_operation() -> None:
    output = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    ).stdout
    calls, idempotency, pages, flow = json.loads(output.strip().splitlines()[-1])
    assert all(isinstance(count, int) and count > 0 for count in calls.values()), calls
    assert idempotency["submit"] == 0
    assert pages["items_read"] > 0
    # filed and approved: two batches notify acts on (the approval's with the request, the grant and the
    # work relationship), among the guard, task items, slots and claims
    assert flow["with_filter"] == 2 < flow["without_filter"]


@pytest.mark.slow
def test_managing_rights_costs_what_issue_15_allows() -> None:
    probe = "import json; from bench import run as bench; print(json.dumps(bench.rights_figures()))"
    output = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    ).stdout
    calls, items = json.loads(output.strip().splitlines()[-1])
    assert calls["people_page"] <= 2 and calls["revoke"] <= 2, calls
    assert items["people"] <= 26, items  # one page of 25 of 5,000 people
    # A search reads the name index's entries it finds and their lines, not the organisation
    # (docs/architecture.md § Name index): the organisation's item, three entries, three lines.
    assert items["people_search_matching_3"] == 1 + 3 + 3, items


@pytest.mark.slow
def test_a_name_search_reads_at_most_twice_limit_plus_one_items_whatever_the_organisation_s_size() -> None:
    probe = "import json; from bench import home; print(json.dumps(home.figures((300, 900))))"
    output = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    ).stdout
    items, calls = json.loads(output.strip().splitlines()[-1])
    assert calls == {"home": 2}  # the organisations, then each one's item and counts in one read
    for size in (300, 900):
        # a full page: over all of Els's organisations (two administrator items, 26 entries), and in
        # one (the organisation, 26 entries, 25 lines)
        assert items[f"people_search_{size}"] == 2 + 26, items
        assert items[f"people_search_in_organization_{size}"] == 1 + 26 + 25 <= 2 * (25 + 1), items
        assert items[f"people_search_{size}_3_matches"] == 2 + 3, items
        assert items[f"grants_lookup_{size}"] == 25 + 1, items  # limit + 1, of 30 and of 90 grants
        assert items[f"grants_lookup_{size}_authorisation"] == 1, items


@pytest.mark.slow
def test_a_timer_run_costs_the_same_whatever_waits_that_is_not_due() -> None:
    """3 timers due among 100 and among 1,000 pending items (`make bench` reports 1,000 and 10,000):
    the same calls, the same items read."""
    probe = "import json; from bench import timers; print(json.dumps(timers.figures((100, 1000))))"
    output = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    ).stdout
    calls, items = json.loads(output.strip().splitlines()[-1])
    # days read, then get and write each, and the count of organisations without a reachable
    # administrator (the ops metric)
    assert calls["pending_100"] == calls["pending_1000"] <= 3 + 3 * 2 + 1, calls
    assert items["pending_100"] == items["pending_1000"] == 3, items

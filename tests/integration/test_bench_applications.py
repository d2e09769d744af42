"""`make bench`'s application grants figures still come out as issue 16 asks (a module of its own: a
quarter of a minute, which the test workers share better apart)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.integration.test_bench import ROOT


@pytest.mark.slow
def test_the_application_grants_api_costs_what_issue_16_allows() -> None:
    """10,000 grants over 20 applications: a page is one call once the client is known, and reads
    limit + 1 items, whichever way it is asked for."""
    probe = "import json; from bench import applications; print(json.dumps(applications.figures()))"
    output = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    ).stdout
    items, calls = json.loads(output.strip().splitlines()[-1])
    assert calls == {"application_grants_page": 1, "application_grants_first_page_of_an_environment": 2}
    assert items["grants_in_table"] == 10_000 and items["applications_in_table"] == 20
    assert items["application_grants"] == items["application_grants_changed_since"] == 26, items  # limit + 1
    assert 0 < items["application_grants_of_one_organization"] <= 26, items

"""`make bench`: the figures the issues ask for, written to bench/results.json and printed as a table.

Cold start: each figure is the time to import a handler module (with its environment set, so its
configuration is validated and its clients are created) in a fresh interpreter, median of several
runs, interleaved with the baseline `import boto3; boto3.client("dynamodb")` so that machine load
affects both alike. The ratio to that baseline is the figure to compare across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
FUNCTIONS = ["submit_request", "list_tasks", "decide", "notify"]
OPERATIONS = [
    "registration_form",
    "submit",
    "own_requests_page",
    "task_page",
    "task_details",
    "decision",
    "notify_request_filed",
]

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_REGION": "eu-west-1",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "TABLE_NAME": "zelfregistratie-bench",
    "ENVIRONMENT": "local",
    "PUBLIC_BASE_URL": "https://zelfregistratie.bench",
    "SES_SENDER": "no-reply@zelfregistratie.bench",
    "POWERTOOLS_METRICS_NAMESPACE": "Zelfregistratie",
}

_BASELINE = """
import time
started = time.perf_counter()
import boto3
boto3.client("dynamodb")
print(time.perf_counter() - started)
"""

_HANDLER = """
import sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
started = time.perf_counter()
import app
print(time.perf_counter() - started)
"""


def _run(script: str, *args: str, env: dict[str, str]) -> float:
    output = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, check=True
    ).stdout
    return float(output.strip().splitlines()[-1]) * 1000


def cold_start(rounds: int) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))} | ENVIRONMENT
    samples: dict[str, list[float]] = {name: [] for name in ["baseline", *FUNCTIONS]}
    layer = str(ROOT / "layers" / "common")
    for round_ in range(rounds):
        order = ["baseline", *FUNCTIONS]
        order = order[round_ % len(order) :] + order[: round_ % len(order)]  # interleave, rotate the start
        for name in order:
            if name == "baseline":
                samples[name].append(_run(_BASELINE, env=env))
            else:
                service_env = env | {"POWERTOOLS_SERVICE_NAME": name}
                samples[name].append(_run(_HANDLER, str(ROOT / "functions" / name), layer, env=service_env))
    return {name: round(statistics.median(values), 1) for name, values in samples.items()}


def results(rounds: int) -> dict[str, Any]:
    cold = cold_start(rounds)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    return {
        "cold_start_ms": cold,
        "cold_start_ratio": {name: round(cold[name] / cold["baseline"], 2) for name in FUNCTIONS},
        # Filled in as the routes land (issues 4-6); kept from an earlier run until then.
        "aws_calls": previous.get("aws_calls") or dict.fromkeys(OPERATIONS),
        "idempotency_calls": previous.get("idempotency_calls") or dict.fromkeys(OPERATIONS),
        "items_read_per_page": previous.get("items_read_per_page")
        or dict.fromkeys(["tasks_in_table", "organizations", "limit", "items_read"]),
    }


def table(figures: dict[str, Any]) -> str:
    lines = [f"{'figure':<45} {'value':>10}", "-" * 56]
    for group, values in figures.items():
        for name, value in values.items():
            shown = "—" if value is None else f"{value}"
            lines.append(f"{group + '.' + name:<45} {shown:>10}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--rounds", type=int, default=7, help="fresh processes per figure (median), at least 5"
    )
    args = parser.parse_args(argv)
    figures = results(max(args.rounds, 5))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(table(figures))
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench`: the figures the issues ask for, written to bench/results.json and printed as a table.

Cold start: the time to import a handler module (its configuration validated, its clients created)
in a fresh interpreter, median of several runs interleaved with the baseline
`import boto3; boto3.client("dynamodb")`, so that machine load affects both alike. The ratio to that
baseline is the figure to compare. `make bench` runs this on the Lambda runtime's Python (3.13) with
our package compiled first, as the layer build ships it.

AWS calls: each operation runs once through its real handler against moto with the demo data; a
botocore `before-call` hook counts the calls. Calls that only serve the idempotency store are
reported apart, in `idempotency_calls`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import warnings
from collections.abc import Callable
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
    "AWS_SESSION_TOKEN": "bench",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_REGION": "eu-west-1",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "TABLE_NAME": "zelfregistratie-bench",
    "ENVIRONMENT": "local",
    "PUBLIC_BASE_URL": "https://zelfregistratie.bench",
    "SES_SENDER": "no-reply@zelfregistratie.bench",
    "POWERTOOLS_METRICS_NAMESPACE": "Zelfregistratie",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
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


# ---- cold start -----------------------------------------------------------------------------------


def _run(python: str, script: str, *args: str, env: dict[str, str]) -> float:
    output = subprocess.run(
        [python, "-c", script, *args], env=env, capture_output=True, text=True, check=True
    )
    return float(output.stdout.strip().splitlines()[-1]) * 1000


def cold_start(rounds: int, python: str) -> dict[str, float]:
    """Our code is compiled first, as the layer build ships it (Lambda cannot write bytecode)."""
    sources = [str(ROOT / "layers" / "common" / "zelfregistratie"), str(ROOT / "functions")]
    subprocess.run([python, "-m", "compileall", "-q", *sources], check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))} | ENVIRONMENT
    samples: dict[str, list[float]] = {name: [] for name in ["baseline", *FUNCTIONS]}
    layer = str(ROOT / "layers" / "common")
    for round_ in range(rounds):
        order = ["baseline", *FUNCTIONS]
        order = order[round_ % len(order) :] + order[: round_ % len(order)]  # interleave, rotate the start
        for name in order:
            if name == "baseline":
                samples[name].append(_run(python, _BASELINE, env=env))
            else:
                service_env = env | {"POWERTOOLS_SERVICE_NAME": name}
                samples[name].append(
                    _run(python, _HANDLER, str(ROOT / "functions" / name), layer, env=service_env)
                )
    return {name: round(statistics.median(values), 1) for name, values in samples.items()}


# ---- AWS calls ------------------------------------------------------------------------------------


class CallCounter:
    def __init__(self, client: Any) -> None:
        self.operations: list[str] = []
        client.meta.events.register("before-call.*.*", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.operations.append(model.name)

    def during(self, action: Callable[[], Any]) -> tuple[int, Any]:
        before = len(self.operations)
        result = action()
        return len(self.operations) - before, result


def aws_calls() -> tuple[dict[str, int | None], dict[str, int | None]]:
    os.environ.update(ENVIRONMENT)
    warnings.filterwarnings("ignore", "No application metrics to publish")
    from moto import mock_aws

    from tests.api import claims_for
    from tests.events import LambdaContext, http_event
    from tools import load_data, template
    from zelfregistratie.repository import Repository

    calls: dict[str, int | None] = dict.fromkeys(OPERATIONS)
    idempotency: dict[str, int | None] = dict.fromkeys(OPERATIONS)
    with mock_aws():
        import boto3

        client = boto3.client("dynamodb")
        template.create_table(client, ENVIRONMENT["TABLE_NAME"])
        data = load_data.read(ROOT / "data" / "demo.yaml")
        load_data.write(Repository(ENVIRONMENT["TABLE_NAME"], client), data)
        personas = {p.id: p for p in data.personas}
        submit = importlib.import_module("functions.submit_request.app")
        counter = CallCounter(submit.repository.client)

        def call(method: str, path: str, persona: str, **kwargs: Any) -> dict[str, Any]:
            event = http_event(method, path, claims=claims_for(personas[persona]), **kwargs)
            response: dict[str, Any] = submit.lambda_handler(event, LambdaContext())
            assert response["statusCode"] < 300, response
            return response

        form_query = {"dg": "EA", "an": "45", "oc": "0428364866"}
        calls["registration_form"], _ = counter.during(
            lambda: call("GET", "/api/registration-form", "aanvrager", query=form_query)
        )
        body = {
            "type": "user_right",
            "targetGroup": "EA",
            "organization": "0428364866",
            "application": 45,
            "right": "DIMONA_MANDAAT_BEHEERDER",
            "phone": "+3212345678",
            "email": "bench@example.be",
        }
        with_key, _ = counter.during(
            lambda: call(
                "POST", "/api/requests", "aanvrager", body=body, headers={"idempotency-key": "bench-1"}
            )
        )
        without_key, _ = counter.during(lambda: call("POST", "/api/requests", "aanvrager2", body=body))
        idempotency["submit"] = with_key - without_key
        calls["submit"] = without_key
        calls["own_requests_page"], _ = counter.during(
            lambda: call("GET", "/api/requests", "aanvrager", query={"limit": "25"})
        )
    return calls, idempotency


# ---- results ------------------------------------------------------------------------------------


def results(rounds: int, python: str) -> dict[str, Any]:
    cold = cold_start(rounds, python)
    calls, idempotency = aws_calls()
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    return {
        "cold_start_ms": cold,
        "cold_start_ratio": {name: round(cold[name] / cold["baseline"], 2) for name in FUNCTIONS},
        "aws_calls": calls,
        "idempotency_calls": idempotency,
        # Filled in when the task list lands; kept from an earlier run until then.
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
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rounds", type=int, default=9, help="fresh processes per figure (median), at least 5"
    )
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter for cold starts (the runtime's)"
    )
    args = parser.parse_args(argv)
    figures = results(max(args.rounds, 5), args.python)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(table(figures))
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

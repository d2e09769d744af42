"""`cold_start_first_call_ratio` for `make bench`: a cold start as the first user feels it.

Each figure is a fresh interpreter that imports a handler and serves one real first request: the
filing for submit_request, a task page for list_tasks, a decision for decide, one request-filed
stream batch for notify; the reference handler serves its own POST. The baseline imports boto3,
creates its client and makes its first call (a GetItem). Every process talks to one moto server in
this process over HTTP (`AWS_ENDPOINT_URL`), with the demo data loaded and, per round, a new filer,
a new task to decide and a new record to mail, so no round finds the work done by another. The
variants run interleaved, the start rotating per round; the figure is the median, and the ratio is
to the baseline's median in the same rounds.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_BASELINE_FIRST_CALL = """
import sys, time
started = time.perf_counter()
import boto3
client = boto3.client("dynamodb")
client.get_item(TableName=sys.argv[1], Key={"PK": {"S": "ORG#0428364866"}, "SK": {"S": "#ORG"}})
print(time.perf_counter() - started)
"""

_HANDLER_FIRST_CALL = """
import json, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
with open(sys.argv[3]) as source:
    event = json.load(source)

class Context:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:bench"
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self):
        return 10_000

started = time.perf_counter()
import app
answer = app.lambda_handler(event, Context())
elapsed = time.perf_counter() - started
failed = answer.get("batchItemFailures") if "batchItemFailures" in answer else answer["statusCode"] >= 300
if failed:
    sys.exit(f"first call failed: {answer}")
print(elapsed)
"""

BAKERY = "0428364866"
PAGE = 25


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _prepare(endpoint: str, rounds: int, directory: Path) -> dict[str, list[Path]]:
    """The data, and each variant's event per round (written to files the child reads first)."""
    import boto3

    from bench.run import ENVIRONMENT, FILING, ROOT
    from devstack import template
    from ops import load_data, streams
    from tests.api import claims_for
    from tests.events import http_event
    from tests.factories import a_request
    from zelfregistratie.store.store import Store

    table_name = ENVIRONMENT["TABLE_NAME"]
    dynamodb = boto3.client("dynamodb", endpoint_url=endpoint)
    stream_arn = template.create_table(dynamodb, table_name)
    data = load_data.read(ROOT / "data" / "demo.yaml")
    store = Store.connect(table_name, dynamodb)
    load_data.write(store, data)
    dynamodb.create_table(
        TableName="items",
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    boto3.client("sesv2", endpoint_url=endpoint).create_email_identity(
        EmailIdentity=ENVIRONMENT["SES_SENDER"]
    )
    template.create_event_bus(boto3.client("events", endpoint_url=endpoint), ENVIRONMENT["ENVIRONMENT"])
    personas = {p.id: p for p in data.personas}
    admin = claims_for(personas["beheerder"])
    bakery = store.catalog.organization_with_admins(BAKERY).organization
    assert bakery is not None
    seen = len(streams.read_all(boto3.client("dynamodbstreams", endpoint_url=endpoint), stream_arn))
    tasks = []
    for n in range(max(rounds, PAGE + 1)):  # the task page a full one, whatever the rounds
        request = a_request(
            requester=f"cold-{n}",
            organization=BAKERY,
            created_at=datetime.now(UTC),
            assignees=bakery.administrators,
        )
        store.requests.create(request, request.created_at.date())
        tasks.append(request.id)
    records = [
        r
        for r in streams.read_all(boto3.client("dynamodbstreams", endpoint_url=endpoint), stream_arn)[seen:]
        if r["eventName"] == "INSERT" and r["dynamodb"]["NewImage"]["kind"]["S"] == "request"
    ]
    assert len(records) == len(tasks)
    tasks, records = tasks[:rounds], records[:rounds]
    events: dict[str, list[Any]] = {
        "submit_request": [
            http_event(
                "POST",
                "/api/requests",
                claims={"sub": str(uuid.uuid4()), "given_name": "Eerste", "family_name": f"Gebruiker {n}"}
                | {"iss": "bench", "aud": "zelfregistratie"},
                body=FILING,
            )
            for n in range(rounds)
        ],
        "list_tasks": [http_event("GET", "/api/tasks", claims=admin, query={"limit": str(PAGE)})] * rounds,
        "decide": [
            http_event(
                "POST",
                f"/api/tasks/{task}/decision",
                claims=admin,
                body={"decision": "approve", "reason": "Ok."},
            )
            for task in tasks
        ],
        "notify": [{"Records": [record]} for record in records],
        "reference": [
            http_event("POST", "/items", body={"name": f"item-{n}", "count": 1}) for n in range(rounds)
        ],
    }
    files: dict[str, list[Path]] = {}
    for name, per_round in events.items():
        files[name] = []
        for n, event in enumerate(per_round):
            path = directory / f"{name}-{n}.json"
            path.write_text(json.dumps(event))
            files[name].append(path)
    return files


class _ServerClock:
    """The time moto's server spends answering, summed: a WSGI wrapper around its application."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seconds = 0.0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        started = time.perf_counter()
        try:
            return list(self.app(environ, start_response))
        finally:
            with self._lock:
                self.seconds += time.perf_counter() - started


def first_call(rounds: int, python: str, layer: str) -> dict[str, dict[str, float]]:
    """Median milliseconds per variant, and each one's ratio to the baseline."""
    from moto.server import ThreadedMotoServer

    from bench.run import ENVIRONMENT, FUNCTIONS, REFERENCE, ROOT
    from devstack import moto_atomic

    moto_atomic.faithful_moto()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the server's request log
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    assert server._server is not None
    clock = server._server.app = _ServerClock(server._server.app)
    endpoint = f"http://127.0.0.1:{port}"
    saved = {k: os.environ.get(k) for k in ENVIRONMENT}
    os.environ.update(ENVIRONMENT)
    try:
        with tempfile.TemporaryDirectory() as directory:
            files = _prepare(endpoint, rounds, Path(directory))
            env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))}
            env |= ENVIRONMENT | {"AWS_ENDPOINT_URL": endpoint}
            variants = ["baseline", *FUNCTIONS, "reference"]
            samples: dict[str, list[float]] = {name: [] for name in variants}
            ours: dict[str, list[float]] = {name: [] for name in variants}  # moto's time taken out
            for round_ in range(rounds):
                shift = round_ % len(variants)
                for name in variants[shift:] + variants[:shift]:
                    if name == "baseline":
                        args = [_BASELINE_FIRST_CALL, ENVIRONMENT["TABLE_NAME"]]
                        service_env = env
                    else:
                        directory_ = ROOT / (
                            "bench/reference" if name == "reference" else f"functions/{name}"
                        )
                        args = [_HANDLER_FIRST_CALL, str(directory_), layer, str(files[name][round_])]
                        service_env = env | {"POWERTOOLS_SERVICE_NAME": directory_.name}
                    served = clock.seconds
                    done = subprocess.run(
                        [python, "-c", *args], env=service_env, capture_output=True, text=True, check=False
                    )
                    if done.returncode:
                        raise RuntimeError(f"{name}: {done.stderr[-2000:]}")
                    elapsed = float(done.stdout.strip().splitlines()[-1]) * 1000
                    samples[name].append(elapsed)
                    ours[name].append(elapsed - (clock.seconds - served) * 1000)
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    medians = {name: round(statistics.median(values), 1) for name, values in samples.items()}
    own = {name: round(statistics.median(values), 1) for name, values in ours.items()}

    def ratios(of: dict[str, float]) -> dict[str, float]:
        return {
            (REFERENCE if name == "reference" else name): round(of[name] / of["baseline"], 2)
            for name in variants
            if name != "baseline"
        }

    return {
        "first_call_ms": medians,
        "ratio": ratios(medians),
        "first_call_without_moto_ms": own,
        "ratio_without_moto": ratios(own),
    }


if __name__ == "__main__":
    import sys

    from bench.run import shipped_layer

    rounds, python = int(sys.argv[1]), sys.argv[2]
    with shipped_layer(python) as shipped:
        print(json.dumps(first_call(rounds, python, shipped), indent=2))

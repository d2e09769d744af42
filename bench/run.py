"""`make bench`: the figures the issues ask for, written to bench/results.json and printed as a table.

Cold start: the time to import a handler module (its configuration validated, its clients created)
in a fresh interpreter, median of several runs interleaved with the baseline
`import boto3; boto3.client("dynamodb")`, so that machine load affects both alike. The ratio to that
baseline is the figure to compare. `make bench` runs this on the Lambda runtime's Python (3.13) with
our package compiled first, as the layer build ships it.

AWS calls: each operation runs once through its real handler against moto with the demo data; a
botocore `before-call` hook counts the calls. Calls that only serve the idempotency store are
reported apart, in `idempotency_calls`.

Local filing: `local_filing_ms` is the median time of one filing through the local stack (gateway,
authorizer, handler, moto) at 1,000 and at 20,000 items in the table (`bench/local.py`), each
size in a fresh process; beside it, the same with moto's own transactions, which copy the table.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from tests.factories import filing_body

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
    "bounce",
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
    "SES_CONFIGURATION_SET": "",  # none: whatever the calling environment names
    "EVENT_BUS_NAME": "zelfregistratie-local",
    "POWERTOOLS_METRICS_NAMESPACE": "Zelfregistratie",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "PYDANTIC_DISABLE_PLUGINS": "__all__",
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

# The alternative #4 asked to measure: submit_request with powertools' idempotency utility, its
# persistence layer on the function's own client (so no second client is counted against it).
_WITH_POWERTOOLS_IDEMPOTENCY = """
import os, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
started = time.perf_counter()
import app
from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent_function
DynamoDBPersistenceLayer(
    table_name=os.environ["TABLE_NAME"], key_attr="PK", sort_key_attr="SK",
    boto3_client=app.store.table.client,
)
print(time.perf_counter() - started)
"""
ALTERNATIVE = "submit_request_with_powertools_idempotency"
# A plain powertools handler with validation (bench/reference/app.py), the yardstick issue #4 names.
REFERENCE = "reference_plain_powertools_handler"
VARIANTS = ["baseline", *FUNCTIONS, ALTERNATIVE, REFERENCE]
TABLE_SIZES = [1_000, 20_000]
# The filing every figure measures: Dimona mandaatbeheerder at the demo's bakery, without a reason.
FILING = filing_body(email="bench@example.be", reason=None)


# ---- cold start -----------------------------------------------------------------------------------


def _run(python: str, script: str, *args: str, env: dict[str, str]) -> float:
    output = subprocess.run(
        [python, "-c", script, *args], env=env, capture_output=True, text=True, check=True
    )
    return float(output.stdout.strip().splitlines()[-1]) * 1000


@contextmanager
def shipped_layer(python: str) -> Iterator[str]:
    """The layer as its build ships it (layers/common/Makefile): our package with its mail templates
    compiled, all of it as bytecode (Lambda cannot write bytecode); the functions compiled too."""
    with tempfile.TemporaryDirectory() as layer:
        package = Path(layer) / "zelfregistratie"
        shutil.copytree(
            ROOT / "layers" / "common" / "zelfregistratie",
            package,
            ignore=shutil.ignore_patterns("__pycache__", "compiled"),
        )
        env = os.environ | {"PYTHONPATH": layer}
        subprocess.run([python, "-m", "zelfregistratie.mail.environment"], env=env, check=True, cwd=layer)
        sources = [str(package), str(ROOT / "functions"), str(ROOT / "bench")]
        subprocess.run([python, "-m", "compileall", "-q", *sources], check=True, capture_output=True)
        yield layer


def cold_start(rounds: int, python: str, layer: str) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))} | ENVIRONMENT
    samples: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for round_ in range(rounds):
        order = list(VARIANTS)
        order = order[round_ % len(order) :] + order[: round_ % len(order)]  # interleave, rotate the start
        for name in order:
            if name == "baseline":
                samples[name].append(_run(python, _BASELINE, env=env))
                continue
            directory, script = {
                ALTERNATIVE: (ROOT / "functions" / "submit_request", _WITH_POWERTOOLS_IDEMPOTENCY),
                REFERENCE: (ROOT / "bench" / "reference", _HANDLER),
            }.get(name, (ROOT / "functions" / name, _HANDLER))
            service_env = env | {"POWERTOOLS_SERVICE_NAME": directory.name}
            samples[name].append(_run(python, script, str(directory), layer, env=service_env))
    return {name: round(statistics.median(values), 1) for name, values in samples.items()}


# ---- AWS calls ------------------------------------------------------------------------------------


# Records that exist only so that a retry does not repeat work: idempotency keys, mail claims.
IDEMPOTENCY_RECORDS = ("IDEMPOTENCY#", "MAIL#")


class CallCounter:
    """Counts the calls of one or more clients. A call whose only item is an idempotency record counts
    as an idempotency call; one that carries such a record along with real work (the filing
    transaction) counts as an ordinary call."""

    def __init__(self, *clients: Any) -> None:
        self.calls: list[bool] = []  # per call: serves idempotency only?
        self.items_read = 0
        self.items_got = 0
        for client in clients:
            client.meta.events.register("before-parameter-build.*.*", self._count)
            client.meta.events.register("after-call.*.*", self._read)

    def _count(self, params: dict[str, Any], **_: Any) -> None:
        item = params.get("Key") or params.get("Item") or {}
        partition = item.get("PK", {}).get("S", "") if isinstance(item, dict) else ""
        self.calls.append(partition.startswith(IDEMPOTENCY_RECORDS))

    def _read(self, parsed: dict[str, Any], **_: Any) -> None:
        """What a Query or Scan examined (`ScannedCount`); apart, the items a get returned."""
        self.items_read += int(parsed.get("ScannedCount", 0))
        self.items_got += sum(len(found) for found in (parsed.get("Responses") or {}).values())
        self.items_got += 1 if parsed.get("Item") else 0

    def during(self, action: Callable[[], Any]) -> tuple[int, int, Any]:
        """(ordinary calls, idempotency calls, the action's result)."""
        before = len(self.calls)
        result = action()
        made = self.calls[before:]
        return made.count(False), made.count(True), result


def aws_calls() -> tuple[dict[str, int | None], dict[str, int | None], dict[str, int], dict[str, int]]:
    os.environ.update(ENVIRONMENT)
    warnings.filterwarnings("ignore", "No application metrics to publish")
    warnings.filterwarnings("ignore", "Couldn't determine the remaining time")  # no Lambda clock here
    from moto import mock_aws

    from devstack import template
    from ops import load_data
    from tests.api import claims_for
    from tests.events import LambdaContext, http_event
    from zelfregistratie.store.store import Store

    calls: dict[str, int | None] = dict.fromkeys(OPERATIONS)
    idempotency: dict[str, int | None] = dict.fromkeys(OPERATIONS)
    from devstack import moto_atomic

    moto_atomic.faithful_moto()  # the local stack's AWS: moto with our adapter
    with mock_aws():
        import boto3

        client = boto3.client("dynamodb")
        template.create_table(client, ENVIRONMENT["TABLE_NAME"])
        data = load_data.read(ROOT / "data" / "demo.yaml")
        load_data.write(Store.connect(ENVIRONMENT["TABLE_NAME"], client), data)
        personas = {p.id: p for p in data.personas}
        submit = importlib.import_module("functions.submit_request.app")
        counter = CallCounter(submit.store.table.client)

        def call(method: str, path: str, persona: str, **kwargs: Any) -> dict[str, Any]:
            event = http_event(method, path, claims=claims_for(personas[persona]), **kwargs)
            response: dict[str, Any] = submit.lambda_handler(event, LambdaContext())
            assert response["statusCode"] < 300, response
            return response

        form_query = {"dg": "EA", "an": "45", "oc": "0428364866"}
        calls["registration_form"], idempotency["registration_form"], _ = counter.during(
            lambda: call("GET", "/api/registration-form", "aanvrager", query=form_query)
        )
        body = FILING
        calls["submit"], idempotency["submit"], _ = counter.during(
            lambda: call(
                "POST", "/api/requests", "aanvrager", body=body, headers={"idempotency-key": "bench-1"}
            )
        )
        calls["own_requests_page"], idempotency["own_requests_page"], _ = counter.during(
            lambda: call("GET", "/api/requests", "aanvrager", query={"limit": "25"})
        )
        alternative = _powertools_idempotency_calls(submit, counter, call)
        calls["notify_request_filed"], idempotency["notify_request_filed"] = _notify_calls(client)
        calls["bounce"] = _bounce_calls()
        pages = _administrator_calls(client, calls, idempotency, personas)
    return calls, idempotency, pages, alternative


def _powertools_idempotency_calls(
    submit: Any, counter: CallCounter, call: Callable[..., dict[str, Any]]
) -> dict[str, int]:
    """A first submission made idempotent by powertools' utility instead: its record in the same
    table (partition `IDEMPOTENCY#…`, so the counter knows it), on the function's own client."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent_function

    store = DynamoDBPersistenceLayer(
        table_name=ENVIRONMENT["TABLE_NAME"],
        key_attr="PK",
        sort_key_attr="SK",
        static_pk_value="IDEMPOTENCY#powertools",
        boto3_client=submit.store.table.client,
    )
    body = {
        "type": "work_relation",
        "targetGroup": "EA",
        "organization": "0428364866",
        "phone": "+3212345678",
        "email": "bench@example.be",
    }

    def file(key: str) -> dict[str, Any]:
        return call("POST", "/api/requests", "aanvrager", body=body)

    file_once = idempotent_function(data_keyword_argument="key", persistence_store=store)(file)
    ordinary, idempotency, _ = counter.during(lambda: file_once(key="bench-2"))
    return {"aws_calls_submit": ordinary, "idempotency_calls_submit": idempotency}


def _as(
    persona: Any, module: Any, method: str, path: str, *, status: int = 200, **kwargs: Any
) -> dict[str, Any]:
    """One API call of `persona` straight to a function's handler; its JSON answer (`status`)."""
    from tests.api import claims_for
    from tests.events import LambdaContext, http_event

    event = http_event(method, path, claims=claims_for(persona), **kwargs)
    response: dict[str, Any] = module.lambda_handler(event, LambdaContext())
    assert response["statusCode"] == status, response
    body: dict[str, Any] = json.loads(response["body"])
    return body


TASKS_PER_ORGANIZATION = 100
PAGE_LIMIT = 25


def _administrator_calls(
    dynamodb: Any, calls: dict[str, int | None], idempotency: dict[str, int | None], personas: dict[str, Any]
) -> dict[str, int]:
    """An administrator of three organisations with 100 open tasks each: one page, one task, one decision."""
    from datetime import UTC, datetime, timedelta

    from zelfregistratie.domain.entities import AdminRole, LocalAdmin, RequestType, TargetGroup
    from zelfregistratie.domain.requests import AccessRequest, new_request_id
    from zelfregistratie.store.store import Store

    store = Store.connect(ENVIRONMENT["TABLE_NAME"], dynamodb)
    admin = personas["beheerder"]
    organizations = ["0428364866", "OVO000123", "0415327175"]
    store.admins.put(
        LocalAdmin(
            organization="0415327175",
            person=admin.sub,
            name="Els Wouters",
            role=AdminRole.LOCAL,
            email="els@example.be",
        )
    )
    start = datetime.now(UTC) - timedelta(days=1)
    for n in range(TASKS_PER_ORGANIZATION):
        for org in organizations:
            created = start + timedelta(seconds=n * 3 + organizations.index(org))
            store.requests.create(
                AccessRequest(
                    id=new_request_id(int(created.timestamp() * 1000)),
                    type=RequestType.WORK_RELATION,
                    requester=f"person-{n}",
                    requester_name=f"Persoon {n}",
                    target_group=TargetGroup.EA,
                    organization=org,
                    phone="+3212345678",
                    email=f"p{n}@example.be",
                    created_at=created,
                ),
                created.date(),
            )
    list_tasks = importlib.import_module("functions.list_tasks.app")
    decide = importlib.import_module("functions.decide.app")
    reads, writes = CallCounter(list_tasks.store.table.client), CallCounter(decide.store.table.client)

    call = partial(_as, admin)

    before = reads.items_read
    calls["task_page"], idempotency["task_page"], page = reads.during(
        lambda: call(list_tasks, "GET", "/api/tasks", query={"limit": str(PAGE_LIMIT)})
    )
    items_read = reads.items_read - before
    task_id = page["items"][0]["id"]
    calls["task_details"], idempotency["task_details"], _ = reads.during(
        lambda: call(list_tasks, "GET", f"/api/tasks/{task_id}")
    )
    calls["decision"], idempotency["decision"], _ = writes.during(
        lambda: call(
            decide, "POST", f"/api/tasks/{task_id}/decision", body={"decision": "approve", "reason": "Ok."}
        )
    )
    return {
        "tasks_in_table": TASKS_PER_ORGANIZATION * len(organizations),
        "organizations": len(organizations),
        "limit": PAGE_LIMIT,
        "items_read": items_read,
    }


def _bounce_calls() -> int:
    """A permanent bounce for an administrator's address (AWS's sample event in `tests/events/`): find
    the administrators with it, mark them in one transaction."""
    from tests.events import LambdaContext

    sample = (ROOT / "tests/events/ses_bounce_permanent.json").read_text()
    event = json.loads(sample.replace("recipient@example.com", "tom.jacobs@zonnebloem.example"))
    ses_feedback = importlib.import_module("functions.ses_feedback.app")
    counter = CallCounter(ses_feedback.store.table.client)
    made, _, done = counter.during(lambda: ses_feedback.lambda_handler(event, LambdaContext()))
    assert done == {"marked": 1}, done
    return made


def _notify_calls(dynamodb: Any) -> tuple[int, int]:
    """One "request filed" record for an organisation with two reachable administrators: three mails."""
    import boto3

    from devstack import template
    from ops import streams
    from tests.events import LambdaContext

    boto3.client("sesv2").create_email_identity(EmailIdentity=ENVIRONMENT["SES_SENDER"])
    template.create_event_bus(boto3.client("events"), ENVIRONMENT["ENVIRONMENT"])
    stream_arn = dynamodb.describe_table(TableName=ENVIRONMENT["TABLE_NAME"])["Table"]["LatestStreamArn"]
    records = [
        r
        for r in streams.read_all(boto3.client("dynamodbstreams"), stream_arn)
        if r["eventName"] == "INSERT" and r["dynamodb"]["NewImage"].get("kind", {}).get("S") == "request"
    ][:1]
    notify = importlib.import_module("functions.notify.app")
    counter = CallCounter(notify.table.client, notify.postman.client, notify.publisher.client)
    published = CallCounter(notify.publisher.client)
    ordinary, idempotency, result = counter.during(
        lambda: notify.lambda_handler({"Records": records}, LambdaContext())
    )
    assert result == {"batchItemFailures": []}, result
    assert len(published.calls) == 1  # one PutEvents for the batch's one event
    return ordinary, idempotency


def notify_invocations_per_flow(flow: dict[str, Any] | None = None) -> dict[str, int]:
    """notify's invocations in one flow (filed, mailed, approved, mailed: `bench/flow.py`):
    without a filter, at worst one per stream record; with the template's `FilterCriteria`, one per
    API call whose records it passes (they arrive together)."""
    from bench import flow as bench_flow

    flow = flow or bench_flow.walk()
    return {"without_filter": flow["stream_records"], "with_filter": flow["notify_invocations"]}


PEOPLE_IN_ORGANIZATION = 5_000
SEARCH_MATCHES = 3


def rights_figures() -> tuple[dict[str, int], dict[str, int]]:
    """An organisation of 5,000 people (each with a work relationship, every tenth with a grant), three
    of them named Vanderplancke: one page of its people, one search, one revocation."""
    os.environ.update(ENVIRONMENT)
    from datetime import date

    from moto import mock_aws

    from devstack import template
    from ops import load_data
    from zelfregistratie.domain.rights import Grant, WorkRelationship
    from zelfregistratie.store.store import Store

    org = "0428364866"
    from devstack import moto_atomic

    moto_atomic.faithful_moto()  # the local stack's AWS: moto with our adapter
    with mock_aws():
        import boto3

        client = boto3.client("dynamodb")
        template.create_table(client, ENVIRONMENT["TABLE_NAME"])
        data = load_data.read(ROOT / "data" / "demo.yaml")
        store = Store.connect(ENVIRONMENT["TABLE_NAME"], client)
        load_data.write(store, data)
        for n in range(PEOPLE_IN_ORGANIZATION):
            family = (
                "Vanderplancke"
                if n % (PEOPLE_IN_ORGANIZATION // SEARCH_MATCHES) == 7
                else f"Achternaam{n:04}"
            )
            relationship = WorkRelationship(
                person=f"person-{n}",
                person_name=f"Voornaam {family}",
                organization=org,
                since=date(2024, 1, 1),
            )
            grants: tuple[Grant, ...] = ()
            if n % 10 == 0:
                grants = (
                    Grant(
                        person=relationship.person,
                        person_name=relationship.person_name,
                        organization=org,
                        right="DIMONA_MANDAAT_RAADPLEGER",
                        begin=date(2026, 1, 1),
                        end=date(2028, 1, 1),
                    ),
                )
            store.people.load(relationship, grants)
        admin = {p.id: p for p in data.personas}["beheerder"]
        list_tasks = importlib.import_module("functions.list_tasks.app")
        decide = importlib.import_module("functions.decide.app")
        reads, writes = CallCounter(list_tasks.store.table.client), CallCounter(decide.store.table.client)

        call = partial(_as, admin)

        people = f"/api/organizations/{org}/people"
        before = reads.items_read
        page_calls, _, page = reads.during(
            lambda: call(list_tasks, "GET", people, query={"limit": str(PAGE_LIMIT)})
        )
        page_items = reads.items_read - before
        before = reads.items_read + reads.items_got
        _, _, found = reads.during(lambda: call(list_tasks, "GET", people, query={"q": "vanderpl"}))
        assert len(found["items"]) == SEARCH_MATCHES, found
        search_items = reads.items_read + reads.items_got - before
        grant_id = next(g["id"] for m in page["items"] for g in m["grants"])
        revoke_calls, _, _ = writes.during(
            lambda: call(decide, "POST", f"/api/grants/{grant_id}/revoke", body={"reason": "Weg."})
        )
    calls = {"people_page": page_calls, "revoke": revoke_calls}
    items = {
        "people_in_organization": PEOPLE_IN_ORGANIZATION,
        "people": page_items,
        "people_search_matching_3": search_items,
    }
    return calls, items


# ---- the local stack ----------------------------------------------------------------------------


def local_filing() -> dict[str, float]:
    figures: dict[str, float] = {}
    for items in TABLE_SIZES:
        figures[f"items_{items}"] = _local_filing_ms(items)
    for items in TABLE_SIZES:  # seconds per filing at 20,000 items: a few filings tell enough
        figures[f"moto_own_transactions_items_{items}"] = _local_filing_ms(
            items, "--filings", "3", "--moto-own-transactions"
        )
    return figures


def _local_filing_ms(items: int, *extra: str) -> float:
    command = [sys.executable, "-m", "bench.local", "--items", str(items), *extra]
    output = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return float(output.strip().splitlines()[-1])


# ---- results ------------------------------------------------------------------------------------


def results(rounds: int, python: str) -> dict[str, Any]:
    from bench import applications as bench_applications
    from bench import cold as bench_cold
    from bench import flow as bench_flow
    from bench import handover as bench_handover
    from bench import home as bench_home
    from bench import tasks as bench_tasks
    from bench import timers as bench_timers

    with shipped_layer(python) as layer:
        cold = cold_start(rounds, python, layer)
        first = bench_cold.first_call(rounds, python, layer)
    calls, idempotency, _, alternative = aws_calls()
    rights_calls, people_pages = rights_figures()
    task_pages, task_calls = bench_tasks.figures()
    calls["task_page"] = task_calls["task_page_administrator_of_20"]
    application_pages, application_calls = bench_applications.figures()
    timer_calls, timer_items = bench_timers.figures()
    size_calls, size_figures = bench_handover.figures()
    flow = bench_flow.walk()
    home_items, home_calls = bench_home.figures()
    return {
        "cold_start_ms": cold,
        "cold_start_ratio": {
            name: round(cold[name] / cold["baseline"], 2) for name in [*FUNCTIONS, REFERENCE]
        },
        "cold_start_first_call_ms": first["first_call_ms"],
        "cold_start_first_call_ratio": first["ratio"],
        "cold_start_first_call_without_moto_ms": first["first_call_without_moto_ms"],
        "cold_start_first_call_without_moto_ratio": first["ratio_without_moto"],
        "aws_calls": calls
        | rights_calls
        | application_calls
        | {"timer_run": timer_calls}
        | size_calls
        | home_calls,
        "idempotency_calls": idempotency,
        "items_read_per_page": task_pages
        | people_pages
        | application_pages
        | {"timer_run": timer_items}
        | home_items,
        "write_units_per_flow": {
            "units": flow["write_units"],
            "write_request_units_billed": flow["write_request_units_billed"],
        },
        "read_units_per_flow": {"units": flow["read_units"]},
        "cost_per_million_flows_usd": bench_flow.cost_per_million(flow),
        **size_figures,
        "local_filing_ms": local_filing(),
        "notify_invocations_per_flow": notify_invocations_per_flow(flow),
        # Measured, not kept: the Idempotency-Key through powertools' utility instead of the filing
        # transaction (issue #4 asks for both).
        "alternative_powertools_idempotency": {
            "cold_start_ratio_submit_request": round(cold[ALTERNATIVE] / cold["baseline"], 2),
            **alternative,
        },
    }


def table(figures: dict[str, Any]) -> str:
    lines = [f"{'figure':<45} {'value':>10}", "-" * 56]
    for group, values in figures.items():
        for name, value in values.items():
            shown = (
                "—" if value is None else json.dumps(value) if isinstance(value, list | dict) else f"{value}"
            )
            lines.append(f"{group + '.' + name:<45} {shown:>10}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rounds", type=int, default=25, help="fresh processes per figure (median), at least 5"
    )
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter for cold starts (the runtime's)"
    )
    args = parser.parse_args(argv)
    # Absolute, not resolved: the bench venv's python is a symlink that must stay the venv's.
    figures = results(max(args.rounds, 5), os.path.abspath(args.python))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(table(figures))
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

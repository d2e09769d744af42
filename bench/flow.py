"""One flow, measured for `make bench`: file, confirmation mail, administrator mail, decision, outcome mail.

The flow runs through the real handlers against moto with the demo data (the bakery's two reachable
administrators get the task mail). The stream records go to notify as they arrive; a
`CapacityMeter` on every function's DynamoDB client sums the write and read units. The records one
API call writes arrive together, within the mapping's batching window: those that the template's
stream filter passes are one notify invocation.

`cost_per_million_flows_usd` prices the flow with the figures in docs/benchmarks.md § Cost (eu-west-1,
on-demand): DynamoDB request units, API Gateway HTTP API requests, Lambda requests and duration,
EventBridge events, and SES mails shown apart. Lambda's duration is an assumption, `LAMBDA_MS` per
invocation, as the bench's handlers run against an in-process moto and their time there says nothing
about AWS.
"""

from __future__ import annotations

import importlib
import json
import os
from typing import Any

# Prices in USD, eu-west-1, as docs/benchmarks.md § Cost lists them.
PRICE = {
    "dynamodb_write_request_unit": 0.7068 / 1e6,
    "dynamodb_read_request_unit": 0.1413 / 1e6,
    "http_api_request": 1.11 / 1e6,
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second_arm64": 0.0000133334,
    "ses_mail": 0.10 / 1e3,
    "eventbridge_event": 1.00 / 1e6,
}
LAMBDA_MS = 100
LAMBDA_GB = 512 / 1024


def walk() -> dict[str, Any]:
    """The flow's stream records, notify invocations, capacity units, API requests and mails."""
    from moto import mock_aws

    from bench.capacity import CapacityMeter
    from bench.run import ENVIRONMENT, ROOT
    from devstack import template
    from ops import load_data, streams
    from tests.api import claims_for
    from tests.events import LambdaContext, http_event
    from zelfregistratie.store.store import Store

    os.environ.update(ENVIRONMENT)
    table_name = ENVIRONMENT["TABLE_NAME"]
    from devstack import moto_atomic

    moto_atomic.faithful_moto()  # the local stack's AWS: moto with our adapter
    with mock_aws():
        import boto3

        client = boto3.client("dynamodb")
        stream_arn = template.create_table(client, table_name)
        data = load_data.read(ROOT / "data" / "demo.yaml")
        load_data.write(Store.connect(table_name, client), data)
        ses = boto3.client("sesv2")
        ses.create_email_identity(EmailIdentity=ENVIRONMENT["SES_SENDER"])
        template.create_event_bus(boto3.client("events"), ENVIRONMENT["ENVIRONMENT"])
        personas = {p.id: p for p in data.personas}
        reader = boto3.client("dynamodbstreams")
        start = len(streams.read_all(reader, stream_arn))
        modules = {
            name: importlib.import_module(f"functions.{name}.app")
            for name in ("submit_request", "decide", "notify")
        }
        meter = CapacityMeter(
            table_name,
            modules["submit_request"].store.table.client,
            modules["decide"].store.table.client,
            modules["notify"].table.client,
        )
        api_requests = 0
        mails = 0
        events: list[int] = []
        modules["notify"].publisher.client.meta.events.register(
            "before-parameter-build.events.PutEvents",
            lambda params, **_: events.append(len(params["Entries"])),
        )
        patterns = streams.filter_patterns(template.resource("NotifyStreamMapping")["Properties"])
        invocations = 0

        def api(function: str, method: str, path: str, persona: str, body: Any) -> dict[str, Any]:
            nonlocal api_requests
            api_requests += 1
            event = http_event(method, path, claims=claims_for(personas[persona]), body=body)
            answer: dict[str, Any] = modules[function].lambda_handler(event, LambdaContext())
            assert answer["statusCode"] < 300, answer
            return answer

        def mail(seen: int) -> int:
            """The records one API call wrote arrive together (the mapping's batching window): those
            the filter passes are one invocation of notify."""
            nonlocal invocations, mails
            records = streams.read_all(reader, stream_arn)[seen:]
            passing = [r for r in records if streams.passes(r, patterns)]
            if passing:
                invocations += 1
                result = modules["notify"].lambda_handler({"Records": passing}, LambdaContext())
                assert result == {"batchItemFailures": []}, result
            mails = _sent(ses)
            return seen + len(records)

        try:
            _flow(api, mail, start)
        finally:
            meter.close()
        records = len(streams.read_all(reader, stream_arn)) - start
    return {
        "stream_records": records,
        "notify_invocations": invocations,
        "write_units": meter.item_write_units,
        "write_request_units_billed": meter.write_units,
        "read_units": meter.read_units,
        "api_requests": api_requests,
        "lambda_invocations": api_requests + invocations,
        "mails": mails,
        "events": sum(events),
    }


def _flow(api: Any, mail: Any, start: int) -> None:
    """Filed, mailed, approved, mailed."""
    from tests.factories import filing_body

    filed = api(
        "submit_request",
        "POST",
        "/api/requests",
        "aanvrager2",
        filing_body(right="SUBSIDIE_AANVRAGER", application=310),
    )
    seen = mail(start)
    task = json.loads(filed["body"])["id"]
    api(
        "decide",
        "POST",
        f"/api/tasks/{task}/decision",
        "beheerder",
        {"decision": "approve", "reason": "In orde."},
    )
    mail(seen)


def _sent(ses: Any) -> int:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return len(ses_backends[DEFAULT_ACCOUNT_ID][ses.meta.region_name].sent_messages)


def cost_per_million(flow: dict[str, Any]) -> dict[str, float]:
    """USD per million flows, by service; `without_mail` is everything but SES."""
    lambda_gb_seconds = flow["lambda_invocations"] * LAMBDA_MS / 1000 * LAMBDA_GB
    per_flow = {
        "dynamodb": flow["write_request_units_billed"] * PRICE["dynamodb_write_request_unit"]
        + flow["read_units"] * PRICE["dynamodb_read_request_unit"],
        "api_gateway": flow["api_requests"] * PRICE["http_api_request"],
        "lambda": flow["lambda_invocations"] * PRICE["lambda_request"]
        + lambda_gb_seconds * PRICE["lambda_gb_second_arm64"],
        "eventbridge": flow["events"] * PRICE["eventbridge_event"],
        "ses": flow["mails"] * PRICE["ses_mail"],
    }
    costs = {service: round(cost * 1e6, 2) for service, cost in per_flow.items()}
    costs["without_mail"] = round(sum(v for k, v in per_flow.items() if k != "ses") * 1e6, 2)
    costs["with_mail"] = round(sum(per_flow.values()) * 1e6, 2)
    return costs


if __name__ == "__main__":
    figures = walk()
    print(json.dumps(figures | {"cost_per_million_flows_usd": cost_per_million(figures)}, indent=2))

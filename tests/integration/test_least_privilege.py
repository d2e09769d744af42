"""Each function's role grants exactly the actions its code calls: walked through every route and
every mail path, the calls recorded on the functions' own clients, compared with template.yaml."""

from __future__ import annotations

import importlib
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from devstack import template
from ops import streams
from ops.load_data import DataSet, Persona
from tests.api import Api
from tests.conftest import Table, ses_as_deployed
from tests.events import LambdaContext
from tests.factories import filing_body
from zelfregistratie.domain import clock

FUNCTIONS = {
    "SubmitRequestFunction": "submit_request",
    "ListTasksFunction": "list_tasks",
    "DecideFunction": "decide",
    "NotifyFunction": "notify",
    "TimersFunction": "timers",
    "SesFeedbackFunction": "ses_feedback",
}
# Called with the function's role by Lambda's event source mapping, not by the function's code.
EVENT_SOURCE_MAPPING = {
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
    "sqs:SendMessage",
}
TRANSACTION_ITEMS = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
}


# Writes are granted per kind of item: `dynamodb:LeadingKeys` names the partition keys' prefixes.
KEYED = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"}
# Reads may be too (the administrator's reads are): then the prefixes of the partitions read, a
# Query's of its table or index.
READS = {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}
LEADING_KEYS = "ForAllValues:StringLike"
_PARTITION_CONDITION = re.compile(r"\b\w*PK = (:\w+)")


def granted(logical_id: str) -> set[str]:
    """Each granted action; a write as `action PREFIX#`, one per leading key its statement allows."""
    actions: set[str] = set()
    for policy in template.resource(logical_id)["Properties"].get("Policies", []):
        for statement in policy.get("Statement", []):
            listed = statement["Action"]
            listed = {listed} if isinstance(listed, str) else set(listed)
            prefixes = statement.get("Condition", {}).get(LEADING_KEYS, {}).get("dynamodb:LeadingKeys")
            if listed & KEYED or (prefixes and listed <= READS):
                assert prefixes, f"{logical_id}: {sorted(listed & KEYED)} without dynamodb:LeadingKeys"
                assert all(p.endswith("#*") and p.count("*") == 1 for p in prefixes), prefixes
                actions |= {f"{a} {p.removesuffix('*')}" for a in listed for p in prefixes}
            else:
                actions |= listed
    return actions - EVENT_SOURCE_MAPPING


def reads_keyed(logical_id: str) -> bool:
    """Whether the function's reads are granted per kind of partition (`dynamodb:Query ORG#`)."""
    return any(" " in action and action.split(" ")[0] in READS for action in granted(logical_id))


def _read_partitions(operation: str, params: dict[str, Any]) -> set[str]:
    if operation == "GetItem":
        keys = [params["Key"]]
    elif operation == "BatchGetItem":
        keys = [key for request in params["RequestItems"].values() for key in request["Keys"]]
    else:
        placeholder = _PARTITION_CONDITION.search(params["KeyConditionExpression"])
        assert placeholder, params["KeyConditionExpression"]
        return {str(params["ExpressionAttributeValues"][placeholder.group(1)]["S"]).split("#", 1)[0] + "#"}
    return {str(key["PK"]["S"]).split("#", 1)[0] + "#" for key in keys}


def _partition(params: dict[str, Any]) -> str:
    """The item's kind: its partition key up to the first `#` (REQUEST#…, ORG#…)."""
    key = params.get("Key") or params["Item"]
    return str(key["PK"]["S"]).split("#", 1)[0] + "#"


def _actions(service: str, operation: str, params: dict[str, Any], keyed_reads: bool = False) -> set[str]:
    if keyed_reads and f"{service}:{operation}" in READS:
        return {f"{service}:{operation} {prefix}" for prefix in _read_partitions(operation, params)}
    if operation == "TransactWriteItems":
        return {
            f"{TRANSACTION_ITEMS[kind]} {_partition(body)}"
            for item in params["TransactItems"]
            for kind, body in item.items()
        }
    action = f"{service}:{operation}"
    return {f"{action} {_partition(params)}"} if action in KEYED else {action}


@pytest.fixture
def called(demo: DataSet) -> Iterator[dict[str, set[str]]]:
    """The IAM actions each function's clients call, recorded as they call them."""
    recorded: dict[str, set[str]] = defaultdict(set)
    hooks = []
    for logical_id, function in FUNCTIONS.items():
        keyed_reads = reads_keyed(logical_id)
        module = importlib.import_module(f"functions.{function}.app")
        clients = [module.store.table.client] if hasattr(module, "store") else [module.table.client]
        if hasattr(module, "postman"):
            clients.append(module.postman.client)
        if hasattr(module, "publisher"):
            clients.append(module.publisher.client)
        for client in clients:
            service = client.meta.service_model.signing_name

            def record(
                params: dict[str, Any],
                model: Any,
                function: str = function,
                service: str = service,
                keyed_reads: bool = keyed_reads,
                **_: Any,
            ) -> None:
                recorded[function] |= _actions(service, model.name, params, keyed_reads)

            client.meta.events.register("provide-client-params.*.*", record)
            hooks.append((client, record))
    yield recorded
    for client, record in hooks:
        client.meta.events.unregister("provide-client-params.*.*", record)


def test_every_function_is_granted_exactly_what_its_code_calls(
    called: dict[str, set[str]],
    api: Api,
    table: Table,
    personas: dict[str, Persona],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sofie, jonas, els, marc = (
        personas[p] for p in ("aanvrager", "aanvrager2", "beheerder", "vertegenwoordiger")
    )
    reader = boto3.client("dynamodbstreams")
    start = len(streams.read_all(reader, table.stream_arn))

    # The requester's routes.
    api.call(
        "GET", "/api/registration-form", caller=sofie, query={"dg": "EA", "an": "45", "oc": "0428364866"}
    )
    keyed = {"Idempotency-Key": "k-1"}
    filed = api.call("POST", "/api/requests", caller=sofie, body=filing_body(), headers=keyed)
    assert api.call("POST", "/api/requests", caller=sofie, body=filing_body(), headers=keyed).status == 201
    other = api.call("POST", "/api/requests", caller=jonas, body=filing_body())
    api.call("GET", "/api/requests", caller=sofie)
    api.call("GET", f"/api/requests/{filed.body['id']}", caller=sofie)
    assert api.call("POST", f"/api/requests/{other.body['id']}/cancel", caller=jonas).status == 200
    api.call("GET", "/api/organizations/0428364866", caller=sofie)
    api.call("GET", "/api/me", caller=els)

    # The administrators' reads and writes.
    api.call("GET", "/api/tasks", caller=els)
    api.call("GET", f"/api/tasks/{filed.body['id']}", caller=els)
    api.call("GET", "/api/organizations/0428364866/admins", caller=els)
    decision = {"decision": "approve", "reason": "Welkom."}
    assert (
        api.call("POST", f"/api/tasks/{filed.body['id']}/decision", caller=els, body=decision).status == 200
    )
    selfie = {"email": "marc@duik.example", "phone": "+3216000000"}
    assert (
        api.call("POST", "/api/organizations/0418825808/admins/self", caller=marc, body=selfie).status == 200
    )
    appointment = {"person": sofie.sub, "role": "local_admin", "email": "sofie@bakkerij.example"}
    assert (
        api.call("POST", "/api/organizations/0428364866/admins", caller=els, body=appointment).status == 201
    )
    assert api.call("DELETE", f"/api/organizations/0428364866/admins/{sofie.sub}", caller=els).status == 204

    # Managing rights: people, audit, a direct grant, revoking (administrator and holder), ending a
    # work relationship, the export.
    erwin = personas["medewerker"]
    members = api.call("GET", "/api/organizations/0428364866/people", caller=els, query={"q": "erw"}).body
    api.call("GET", "/api/organizations/0428364866/audit", caller=els)
    # The administrator's home: my organisations, people of all of them, the look-up (and its CSV),
    # comparing people, the audit trail about one person and of one action (and its CSV).
    api.call("GET", "/api/organizations", caller=els)
    api.call("GET", "/api/people", caller=els, query={"q": "e"})
    api.call("GET", "/api/organizations/0428364866/people", caller=els)
    api.call("GET", "/api/organizations/0428364866/rights", caller=els)
    for query in (
        {"right": "SUBSIDIE_AANVRAGER"},
        {"right": "SUBSIDIE_AANVRAGER", "organization": "0428364866"},
    ):
        assert api.call("GET", "/api/grants", caller=els, query=query | {"status": "all"}).status == 200
        assert api.call("GET", "/api/grants", caller=els, query=query | {"format": "csv"}).status == 200
    assert api.call("GET", "/api/grants", caller=els, query={"application": "45"}).status == 200
    pair = {"person": f"{erwin.sub},{personas['beheerder'].sub}"}
    assert (
        api.call("GET", "/api/organizations/0428364866/people/compare", caller=els, query=pair).status == 200
    )
    for query in ({"person": erwin.sub}, {"action": "grant_created", "format": "csv"}):
        assert api.call("GET", "/api/organizations/0428364866/audit", caller=els, query=query).status == 200
    direct = {"person": erwin.sub, "right": "DIMONA_MANDAAT_BEHEERDER"}
    assert api.call("POST", "/api/organizations/0428364866/grants", caller=els, body=direct).status == 201
    first, second, _ = (g["id"] for g in api.call("GET", "/api/me", caller=erwin).body["grants"])
    assert api.call("POST", f"/api/grants/{first}/revoke", caller=els, body={"reason": "Weg."}).status == 200
    assert api.call("POST", f"/api/grants/{second}/revoke", caller=erwin, body={}).status == 200
    relationship = members["items"][0]["workRelationship"]["id"]
    ended = api.call(
        "POST", f"/api/work-relationships/{relationship}/end", caller=els, body={"reason": "Weg."}
    )
    assert ended.status == 200
    assert api.call("GET", "/api/me/export", caller=erwin).status == 200
    dimona = {"sub": "dimona-mandaat", "client_id": "dimona-mandaat", "scope": "grants.read"}
    for query in ({}, {"person": erwin.sub}, {"changedSince": "2026-01-01T00:00:00Z"}):
        assert api.call("GET", "/api/applications/45/grants", caller=dimona, query=query).status == 200

    # notify reconciles task lists that a change of administrators raced: a filing saw Tom, who left
    # meanwhile, and not Bart, who came (both changed behind the store's back here).
    org = "ORG#0428364866"
    table.client.delete_item(
        TableName=table.name, Key={"PK": {"S": org}, "SK": {"S": f"ADMIN#{personas['beheerder2'].sub}"}}
    )
    bart = {"PK": org, "SK": "ADMIN#bart", "GSI1PK": "PERSON#bart", "GSI1SK": "ADMIN#0428364866"}
    table.client.put_item(
        TableName=table.name,
        Item={k: {"S": v} for k, v in bart.items()}
        | {"kind": {"S": "local_admin"}, "organization": {"S": "0428364866"}, "person": {"S": "bart"}}
        | {"name": {"S": "Bart"}, "role": {"S": "local_admin"}},
    )

    # SES reports Els's address bounced (the sample event AWS documents)
    bounced = (Path(__file__).resolve().parents[1] / "events/ses_bounce_permanent.json").read_text()
    ses_feedback = importlib.import_module("functions.ses_feedback.app")
    event = json.loads(bounced.replace("recipient@example.com", "els.wouters@zonnebloem.example"))
    assert ses_feedback.lambda_handler(event, LambdaContext()) == {"marked": 1}
    # ... then Marc's and Els's again, each for a mail of a filing sent to both: none arrived (noted
    # beside the request), and Marc's organisation has no reachable administrator left (notify keeps
    # the index ops count)
    filing = {"mail": ["filed_admin"], "request": [filed.body["id"]], "admin-mails": ["2"]}
    for address in ("marc@duik.example", "els.wouters@zonnebloem.example"):
        event = json.loads(bounced.replace("recipient@example.com", address))
        event["detail"]["mail"]["tags"] |= filing
        assert ses_feedback.lambda_handler(event, LambdaContext())["undelivered"] == 1

    # the timers, 800 days on: a request left waiting reminded and expired, grants announced and
    # expired.
    waiting = filing_body(right="SUBSIDIE_AANVRAGER", application=310)
    assert api.call("POST", "/api/requests", caller=jonas, body=waiting).status == 201
    timers = importlib.import_module("functions.timers.app")
    later = clock.now() + timedelta(days=800)
    monkeypatch.setattr(clock, "now", lambda: later)
    while sum(
        n for step, n in timers.lambda_handler({"days": 1000}, LambdaContext()).items() if step != "skipped"
    ):
        pass

    # notify: every mail of the walk, one of them throttled once (its claim released, then sent).
    ses_as_deployed()
    notify = importlib.import_module("functions.notify.app")
    real_send = notify.postman.client.send_email
    throttled: list[dict[str, Any]] = []

    def send_email(**kwargs: Any) -> Any:
        if not throttled:
            throttled.append(kwargs)
            raise ClientError({"Error": {"Code": "TooManyRequestsException", "Message": "slow"}}, "SendEmail")
        return real_send(**kwargs)

    notify.postman.client.send_email = send_email
    try:
        records = streams.read_all(reader, table.stream_arn)[start:]
        notify.lambda_handler({"Records": records}, LambdaContext())
        notify.lambda_handler({"Records": records}, LambdaContext())  # the retry
        # the records notify's own writes made: the hand-overs' further steps, to their end
        seen = start + len(records)
        while records := streams.read_all(reader, table.stream_arn)[seen:]:
            assert notify.lambda_handler({"Records": records}, LambdaContext()) == {"batchItemFailures": []}
            seen += len(records)
    finally:
        del notify.postman.client.send_email
    assert throttled

    assert {function: called[function] for function in FUNCTIONS.values()} == {
        function: granted(logical_id) for logical_id, function in FUNCTIONS.items()
    }, json.dumps({f: sorted(a) for f, a in called.items()}, indent=1)

"""Every refusal leaves the table and its stream exactly as they were, read straight from moto,
in the order a person meets them (the stack test `tests/stack/test_refusals.py` watches the mails)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from ops.load_data import DataSet, Persona
from tests.api import Answer, Api
from tests.conftest import Table
from tests.factories import filing_body as body


class Trace:
    """The table's items, and the stream as a reader sees it that keeps its shard iterator from one
    read to the next, as the poller and Lambda's event source mapping do."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.client = boto3.client("dynamodbstreams")
        description = self.client.describe_stream(StreamArn=table.stream_arn)["StreamDescription"]
        self.iterator = self.client.get_shard_iterator(
            StreamArn=table.stream_arn,
            ShardId=description["Shards"][0]["ShardId"],
            ShardIteratorType="LATEST",
        )["ShardIterator"]
        self.records = 0

    def now(self) -> tuple[int, list[dict[str, Any]]]:
        response = self.client.get_records(ShardIterator=self.iterator)
        self.iterator = response["NextShardIterator"]
        self.records += len(response["Records"])
        return self.records, sorted(self.table.items(), key=lambda i: (i["PK"]["S"], i["SK"]["S"]))


@pytest.fixture
def trace(table: Table, demo: DataSet) -> Trace:
    return Trace(table)


def _refused_without_trace(trace: Trace, call: Any, status: int, code: str) -> None:
    before = trace.now()
    answer: Answer = call()
    assert (answer.status, answer.code) == (status, code), answer.body
    assert trace.now() == before


def test_each_refusal_in_the_sequence_leaves_table_and_stream_untouched(
    trace: Trace, personas: dict[str, Persona]
) -> None:
    submit, decide = Api("submit_request"), Api("decide")
    sofie, els = personas["aanvrager"], personas["beheerder"]
    keyed = {"Idempotency-Key": "sleutel-1"}

    def file(headers: dict[str, str] | None = None, **overrides: Any) -> Answer:
        return submit.call("POST", "/api/requests", caller=sofie, body=body(**overrides), headers=headers)

    first = file(keyed)
    assert first.status == 201
    request_id = first.body["id"]
    _refused_without_trace(trace, lambda: file(), 409, "duplicate_pending")
    replay_before = trace.now()
    replay = file(keyed)
    assert (replay.status, replay.headers.get("Idempotent-Replayed")) == (201, "true")
    assert trace.now() == replay_before
    _refused_without_trace(
        trace, lambda: file(keyed, right="DIMONA_MANDAAT_RAADPLEGER"), 409, "idempotency_key_reused"
    )

    decision = {"decision": "approve", "reason": "Welkom"}
    approved = decide.call("POST", f"/api/tasks/{request_id}/decision", caller=els, body=decision)
    assert approved.status == 200
    _refused_without_trace(
        trace,
        lambda: decide.call("POST", f"/api/tasks/{request_id}/decision", caller=els, body=decision),
        409,
        "already_decided",
    )
    _refused_without_trace(trace, lambda: file(), 409, "already_granted")

    second = file(right="DIMONA_MANDAAT_RAADPLEGER")
    assert second.status == 201
    cancel = f"/api/requests/{second.body['id']}/cancel"
    assert submit.call("POST", cancel, caller=sofie).status == 200
    _refused_without_trace(trace, lambda: submit.call("POST", cancel, caller=sofie), 409, "already_decided")

    after = trace.now()
    assert file(right="DIMONA_MANDAAT_RAADPLEGER").status == 201  # and the stream still takes news
    assert trace.now()[0] > after[0]

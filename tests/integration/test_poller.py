"""The local stream poller does for notify what Lambda's event source mapping does: batches from the
real stream, only reported failures retried, then a pointer to the failure destination."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from devstack import template
from devstack.gateway import Function
from devstack.outbox import Outbox
from devstack.poller import StreamPoller
from ops import streams
from ops.load_data import DataSet, Persona
from tests.conftest import TEST_ENVIRONMENT, Table, ses_as_deployed
from tests.factories import a_grant, a_request, cancelled_in, decided_in
from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.rights import WorkRelationship
from zelfregistratie.store.requests import Effects
from zelfregistratie.store.store import Store


@pytest.fixture
def poller(table: Table, demo: DataSet) -> StreamPoller:
    ses_as_deployed()
    from functions.notify import app

    function = Function(
        "NotifyFunction", "functions.notify.app", "lambda_handler", {}, handler=app.lambda_handler
    )
    poller = StreamPoller.from_template(
        template.resource("NotifyStreamMapping")["Properties"],
        streams_client=boto3.client("dynamodbstreams"),
        stream_arn=table.stream_arn,
        function=function,
    )
    poller.skip_existing()
    return poller


def _broken_request(table: Table) -> None:
    """A request item notify cannot read (no e-mail address): it fails on every delivery."""
    table.client.put_item(
        TableName=table.name,
        Item={
            "PK": {"S": "REQUEST#broken"},
            "SK": {"S": "#REQUEST"},
            "kind": {"S": "request"},
            "status": {"S": "pending"},
            "id": {"S": "broken"},
        },
    )


def test_the_mapping_settings_come_from_the_template(poller: StreamPoller) -> None:
    mapping = template.resource("NotifyStreamMapping")["Properties"]
    assert (poller.batch_size, poller.maximum_retry_attempts, poller.maximum_record_age) == (
        mapping["BatchSize"],
        mapping["MaximumRetryAttempts"],
        mapping["MaximumRecordAgeInSeconds"],
    )


def test_a_record_that_keeps_failing_is_retried_then_dead_lettered_and_the_rest_is_delivered_once(
    poller: StreamPoller, table: Table, store: Store
) -> None:
    now = datetime.now(UTC)
    store.requests.create(a_request(created_at=now), now.date())
    _broken_request(table)
    store.requests.create(a_request(created_at=now, right="DIMONA_MANDAAT_RAADPLEGER"), now.date())
    calls: list[int] = []
    handler = poller.function.handler
    assert handler is not None

    def counting(event: dict[str, Any], context: Any) -> Any:
        calls.append(len(event["Records"]))
        return handler(event, context)

    poller.function.handler = counting
    poller.poll_once()

    # Given up: the failure destination gets a pointer to the record in the stream (Lambda's shape).
    [pointer] = poller.given_up
    assert pointer["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert pointer["requestContext"]["approximateInvokeCount"] == poller.maximum_retry_attempts + 1
    batch = pointer["DDBStreamBatchInfo"]
    [broken] = [
        r
        for r in streams.read_all(poller.streams_client, poller.stream_arn)
        if r["dynamodb"]["Keys"]["PK"] == {"S": "REQUEST#broken"}
    ]
    assert batch["startSequenceNumber"] == batch["endSequenceNumber"] == broken["dynamodb"]["SequenceNumber"]
    assert (batch["batchSize"], batch["streamArn"]) == (1, poller.stream_arn)
    # the first batch held the three records the filter passes (two requests, the broken item; not the
    # two pending guards); every retry resumed from the broken one (the request after it came again),
    # and once it was given up, the request after it came on its own
    assert calls == [3] + [2] * poller.maximum_retry_attempts + [1]
    mails = Outbox(TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]).mails()
    assert len(mails) == 2 * 3  # two good requests, three mails each, each sent once
    poller.poll_once()
    assert len(poller.given_up) == 1 and len(Outbox(TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]).mails()) == 6


def test_records_older_than_the_maximum_age_are_dead_lettered_without_delivery(
    poller: StreamPoller, store: Store
) -> None:
    now = datetime.now(UTC)
    store.requests.create(a_request(created_at=now), now.date())
    poller.maximum_record_age = -1
    poller.poll_once()
    assert {pointer["requestContext"]["condition"] for pointer in poller.given_up} == {"RecordAgeExceeded"}
    assert Outbox(TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]).mails() == []


def test_the_templates_filter_passes_exactly_what_notify_acts_on(
    table: Table, store: Store, demo: DataSet, personas: dict[str, Persona]
) -> None:
    """A whole life of requests and administrators, read back from the stream: the filter passes a
    record exactly when notify would mail about it or publish an event of it."""
    from tests.factories import an_approval
    from zelfregistratie.logic import appointments
    from zelfregistratie.store import changes

    loaded = len(streams.read_all(boto3.client("dynamodbstreams"), table.stream_arn))  # the demo data
    now = datetime.now(UTC)
    first = a_request(created_at=now)
    store.requests.create(first, now.date())
    second = a_request(created_at=now, right="DIMONA_MANDAAT_RAADPLEGER")
    store.requests.create(second, now.date())
    works_there = WorkRelationship.for_request(first, now.date())
    decided_in(store, first, an_approval(at=now), now.date(), Effects(a_grant(first), works_there, ()))
    cancelled_in(store, second, now)
    els = Actor.person(personas["beheerder"].sub, "Els", "Wouters")
    appointments.appoint_self(
        store, els, "0428364866", email="els@nieuw.example", phone="+3216123401", now=now, today=now.date()
    )
    table.client.put_item(
        TableName=table.name, Item={"PK": {"S": "MAIL#x"}, "SK": {"S": "#MAIL"}, "kind": {"S": "mail"}}
    )
    table.client.delete_item(TableName=table.name, Key={"PK": {"S": "MAIL#x"}, "SK": {"S": "#MAIL"}})

    patterns = streams.filter_patterns(template.resource("NotifyStreamMapping")["Properties"])
    records = streams.read_all(boto3.client("dynamodbstreams"), table.stream_arn)[loaded:]
    acted_on = [changes.read(r).matters for r in records]
    assert [streams.passes(r, patterns) for r in records] == acted_on
    # two filed, one decided (with its grant and work relationship), one cancelled, one administrator
    # changed (with the audit entry that mails of it)
    assert sum(acted_on) == 8, [changes.read(r) for r in records if streams.passes(r, patterns)]
    assert len(records) > 2 * sum(acted_on)
